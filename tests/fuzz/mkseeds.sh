#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/fuzz/mkseeds.sh: (re)write the committed seed corpora,
# tests/fuzz/corpus/<target>/: every distinct fixture view
# (tests/fixtures/*/afuN/*, the global pasids views), hand-written edge
# cases, binary event streams, and support bundles written by accelctl dump
# from the tests/fixtures/accelctl-sys system (gzip and plain tar).
# Run from anywhere; needs cli/accelctl/accelctl built for the bundle seeds.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fix=$top/tests/fixtures
c=$here/corpus

rm -rf "$c"
mkdir -p "$c"/{info,spa,pasids,faults,irqs,stats,kctx,atc,gen,knobs,health_conf,event,bundle,bundle_tar}

# fixture VIEW TARGET: each distinct copy of a fixture view, named after
# its tree (busy-afu0, accelctl-sys-afu1, ...).
fixture() {
	local f name
	declare -A seen=()
	for f in "$fix"/*/afu*/"$1" "$fix"/*/debugfs/afu*/"$1" "$fix"/*/"$1" \
		"$fix"/*/debugfs/"$1"; do
		[ -f "$f" ] || continue
		sum=$(md5sum <"$f")
		[ -z "${seen[$sum]:-}" ] || continue
		seen[$sum]=1
		name=${f#"$fix"/}
		name=${name//debugfs\//}
		cp "$f" "$c/$2/${name//\//-}"
	done
}

# seed TARGET NAME TEXT: a hand-written seed (printf escapes in TEXT).
seed() {
	# shellcheck disable=SC2059 # TEXT is a printf format on purpose
	printf "$3" >"$c/$1/$2"
}

for v in info spa pasids faults irqs stats atc gen; do
	fixture "$v" "$v"
done

# edge cases shared by the table views
for v in info spa pasids faults irqs stats kctx atc gen; do
	seed "$v" empty ''
	seed "$v" newline '\n'
	seed "$v" nul-byte 'a\0b\n'
	seed "$v" two-empty-lines '\n\n'
done
seed info header-only 'dev version max_pe pasid_bits irq_budget atc_entries state contexts pasids pending_faults irqs_used zombies\n'
seed info extra-col-tabs 'dev\tversion max_pe pasid_bits irq_budget atc_entries state contexts pasids pending_faults irqs_used zombies new\nafu9 0.65535.0 4294967295 20 2048 64 removing 0 0 0 0 0 x\n'
seed info bad-version 'dev version max_pe pasid_bits irq_budget atc_entries state contexts pasids pending_faults irqs_used zombies\nafu0 0.1 8 20 2048 64 online 0 0 0 0 0\n'
seed info two-rows 'dev version max_pe pasid_bits irq_budget atc_entries state contexts pasids pending_faults irqs_used zombies\nafu0 0.1.0 8 20 2048 64 online 0 0 0 0 0\nafu0 0.1.0 8 20 2048 64 online 0 0 0 0 0\n'
seed spa bytes-col 'pe pasid pid comm state kernel faults tlbis irqs work bytes\n0 1 1234 a?b active 0 18446744073709551615 4 2 10 4096\n1 2 0 [kernel] zombie 1 0 0 0 0 0\n'
seed spa overflow 'pe pasid pid comm state kernel faults tlbis irqs work\n4294967296 1 1 x active 0 18446744073709551616 0 0 0\n'
seed spa dup-col 'pe pe pasid\n'
seed spa kernel-2 'pe pasid pid comm state kernel faults tlbis irqs work\n0 1 1 x active 2 0 0 0 0\n'
seed pasids states 'pasid pid refs outstanding state\n1 1 1 0 live\n2 2 0 3 draining\n3 3 0 0 free-pending\n4 4 0 0 gone\n'
seed faults access 'id dev pe pasid address access state age_ns\n1 0 0 1 0xffffffffffffffff read held 0\n2 0 0 1 0x0 exec pending 1\n'
seed faults bad-hex 'id dev pe pasid address access state age_ns\n1 0 0 1 0xABC write pending 0\n'
seed irqs rows 'pe pasid hwirq count eventfds fired\n0 1 0 4 1 37\n1 2 4 65536 0 18446744073709551615\n'
seed stats buckets 'name bucket value\nattaches - 1\ndetaches - 1\nfaults_raised - 1\nfaults_acked_restart - 1\nfaults_acked_address_error - 1\ntlbis - 1\natc_invalidations - 1\natc_hits - 1\natc_misses - 1\nirqs_fired - 1\nwork_submitted - 1\nwork_done - 1\nwork_failed - 1\nbytes - 1\nafu_errors - 1\nnew_counter - 5\nfault_lat_ns 0 18446744073709551615\nfault_lat_ns 63 18446744073709551615\ntlbi_lat_ns 10 1\nnew_lat_ns 3 1\n'
seed stats bucket-64 'name bucket value\nfault_lat_ns 64 1\n'
seed stats twice 'name bucket value\nattaches - 1\nattaches - 2\n'
seed kctx rows 'pe size\n5 1048576\n6 67108864\n'
seed kctx extra-col 'pe size owner\n0 4096 x\n'
seed atc rows 'set way pasid pe vaddr perm hits age_ms\n0 0 1 0 0x7f0000001000 r- 12 40\n15 3 1048575 511 0xfffffffffffff000 rw 4294967295 18446744073709551615\n'
seed gen views 'view gen\ninfo 1764790000000000000\nspa 1764790000000000017\npasids 3\nfaults 4\nirqs 5\natc 6\nkctx 7\nstats 18446744073709551615\n'
seed gen later-view 'view gen\nspa 5\nqueues 9\n'
seed gen twice 'view gen\nspa 5\nspa 6\n'
seed gen overflow 'view gen\nspa 18446744073709551616\n'
seed atc bad-perm 'set way pasid pe vaddr perm hits age_ms\n0 0 1 0 0x1000 wx 0 0\n'

seed knobs zero '0\n'
seed knobs one '1\n'
seed knobs u64-max '18446744073709551615\n'
seed knobs u64-overflow '18446744073709551616\n'
seed knobs fail-attach '3 12\n'
seed knobs fail-attach-134 '1 134\n'
seed knobs no-newline '1'
seed knobs two-lines '1\n2\n'
seed knobs spaces ' \t007 \n'
seed knobs empty ''

cp "$top/contrib/health.conf.example" "$c/health_conf/example"
seed health_conf all-set 'fault_age_warn = 500ms\nfault_age_crit = 2s\nfault_error_rate_warn = 1.5%%\nfault_error_rate_crit = 100\nfault_p99_warn = 20us\nfault_p99_crit = 1\xc2\xb5s\ntlbi_p99_warn = 0.5ms\ntlbi_p99_crit = off\nspa_usage_warn = 80\nspa_usage_crit = 95%%\nirq_usage_warn = off\nirq_usage_crit = off\nzombies_warn = 0\nzombies_crit = 3 # comment\n'
seed health_conf crlf 'zombies_warn = 2\r\nzombies_crit=4\r\n'
seed health_conf bad-key 'zombies = 1\n'
seed health_conf bad-value 'fault_age_warn = 1e3s\n'
seed health_conf no-equals 'fault_age_warn 1s\n'
seed health_conf nul 'zombies_warn = 1\0\n'
seed health_conf list 'fault_age=1s,spa_usage=90%%,zombies=off'
seed health_conf list-bad 'fault_age=1s,,=,x'
seed health_conf huge-duration '99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999s'
seed health_conf empty ''

# events: header (type u16, version u16, size u32, reserved u64) + body
hdr() { # TYPE SIZE -> 16 header bytes, little endian
	printf '\\x%02x\\x%02x\\x01\\x00\\x%02x\\x%02x\\x00\\x00' \
		$(($1 & 255)) $(($1 >> 8)) $(($2 & 255)) $(($2 >> 8))
	printf '\\x00%.0s' 1 2 3 4 5 6 7 8
}
zeros() { # N -> N zero bytes
	local i
	for ((i = 0; i < $1; i++)); do printf '\\x00'; done
}
seed event work-done "$(hdr 1 56)$(zeros 56)"
seed event fault-error "$(hdr 2 48)$(zeros 48)"
seed event afu-error "$(hdr 3 32)$(zeros 32)"
seed event three "$(hdr 1 56)$(zeros 56)$(hdr 2 48)$(zeros 48)$(hdr 3 32)$(zeros 32)"
seed event unknown-type "$(hdr 9 4)$(zeros 4)$(hdr 1 64)$(zeros 64)"
seed event short-body "$(hdr 1 8)$(zeros 8)"
seed event truncated "$(hdr 3 32)$(zeros 16)"
seed event header-only "$(hdr 7 0)"
seed event empty ''

# bundles: accelctl dump of the fixture system, gzip and plain tar
if [ -x "$top/cli/accelctl/accelctl" ]; then
	t=$(mktemp -d)
	trap 'rm -rf "$t"' EXIT
	cp -r "$fix/accelctl-sys" "$t/sys"
	ACCEL_DEBUGFS=$t/sys/debugfs ACCEL_TRACEFS=$t/sys/tracefs \
		ACCEL_PROCFS=$t/sys/proc ACCEL_SYSMODULE=$t/sys/sysmodule \
		ACCEL_KMSG=$t/sys/kmsg "$top/cli/accelctl/accelctl" dump \
		-o "$t/b.tar.gz" >/dev/null
	cp "$t/b.tar.gz" "$c/bundle/accelctl-sys.tar.gz"
	gzip -dc "$t/b.tar.gz" >"$c/bundle/accelctl-sys.tar"
	# a small plain tar: the manifest and one device's views
	mkdir -p "$t/x/b/debugfs/afu0"
	for v in info spa pasids faults irqs stats; do
		cp "$fix/busy/afu0/$v" "$t/x/b/debugfs/afu0/$v"
	done
	{
		printf '{"format":"accel-bundle","format_version":1,'
		printf '"sections":[{"name":"debugfs","status":"ok"}],"files":['
		sep=
		for v in info spa pasids faults irqs stats; do
			printf '%s{"path":"debugfs/afu0/%s","size":%d}' "$sep" \
				"$v" "$(wc -c <"$t/x/b/debugfs/afu0/$v")"
			sep=,
		done
		printf ']}'
	} >"$t/x/b/manifest.json"
	tar --format=ustar --owner=0 --group=0 --mtime=@0 --sort=name \
		-C "$t/x" -cf "$c/bundle/small.tar" b
	gzip -9n <"$c/bundle/small.tar" >"$c/bundle/small.tar.gz"
	seed bundle not-gzip 'hello\n'

	# bundle_tar: FLAGS, then PATH \0 DATA \0 pairs (fuzz_bundle_tar.c)
	records() { # FLAGS FILE...: the pairs of files under $t/x
		local f
		printf '%b' "\\x$1"
		shift
		for f in "$@"; do
			printf '%s\0' "$f"
			cat "$t/x/$f"
			printf '\0'
		done
	}
	(
		cd "$t/x"
		files=(b/manifest.json b/debugfs/afu0/{info,spa,pasids,faults,irqs,stats})
		records 00 "${files[@]}" >"$c/bundle_tar/small"
		records 03 "${files[@]}" >"$c/bundle_tar/small-gzip-topdir"
		records 00 b/manifest.json b/debugfs/afu0/info \
			>"$c/bundle_tar/missing-views"
		records 08 b/manifest.json b/debugfs/afu0/info \
			>"$c/bundle_tar/symlink"
		records 04 "${files[@]}" >"$c/bundle_tar/last-is-dir"
	)
fi
