#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl dump --redact on the host (issue 23): the fixture system
# tests/fixtures/accelctl-sys with the overlay tests/fixtures/redact-sys (a
# kernel log with timestamps, hwirqs and counts that equal a known pid, a
# pid and comm seen only in the log, a stack-trace line, ...). Each test
# names what the redaction replaces and what it must keep.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

CTL="$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl"
FIX="$BATS_TEST_DIRNAME/../fixtures"

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/accelctl-redact.XXXXXX")
	cp -r "$FIX/accelctl-sys" "$T/sys"
	cp -r "$FIX/redact-sys/." "$T/sys/"
	SYS="$T/sys"
	export ACCEL_DEBUGFS="$SYS/debugfs"
	export ACCEL_SYSFS="$SYS/sysfs"
	export ACCEL_TRACEFS="$SYS/tracefs"
	export ACCEL_PROCFS="$SYS/proc"
	export ACCEL_SYSMODULE="$SYS/sysmodule"
	export ACCEL_KMSG="$SYS/kmsg"
}

teardown() {
	rm -rf "$T"
}

# dump_redacted [ARGS...]: dump --redact to $T/r.tar.gz and unpack it; $X
# is the bundle's top directory, $MAP the map.
dump_redacted() {
	run "$CTL" "$@" dump --redact -o "$T/r.tar.gz"
	assert_success
	rm -rf "$T/x"
	mkdir -p "$T/x"
	tar -xzf "$T/r.tar.gz" -C "$T/x"
	X=$(echo "$T"/x/*)
	MAP="$T/r.tar.gz.redact-map"
}

# pseudo KIND REAL: the pseudonym the map gives REAL (blanks and
# backslashes written \ooo, as the map does).
pseudo() {
	K=$1 R=$2 awk '$1 == ENVIRON["K"] && $2 == ENVIRON["R"] { print $3 }' "$MAP"
}

@test "a pid is replaced in a pid context only, never a timestamp, hwirq or count equal to it" {
	dump_redacted
	# pid 15 is known (the kworker of trace.txt) ...
	p15=$(pseudo pid 15)
	[ -n "$p15" ]
	grep -q -- "-$p15 " "$X/trace.txt"
	# ... but the 15s of the kernel log are a timestamp, an hwirq, a count
	run cat "$X/kmsg.txt"
	assert_line "[   15.000123] accelsim: loaded, version 0.1.0, 2 device(s)"
	assert_line "[   15.100000] accelsim: afu0: pe 0 pasid 1: irq range hwirq 15, 15 vectors"
	refute_output --partial "$p15"
	# a pid context is still rewritten
	assert_line "[   16.000000] accelsim: afu0: pe 1 (pid $(pseudo pid 4343) comm1) terminate not confirmed, zombie"
}

@test "a pid or comm seen only in the kernel log is learnt and redacted everywhere" {
	dump_redacted
	for s in 4545 4646 4747 onlyinlog tagged; do
		run grep -rlw -e "$s" "$X"
		assert_failure 1
	done
	p=$(pseudo pid 4545)
	[ -n "$p" ]
	grep -q "WARNING: CPU: 1 PID: $p at " "$X/kmsg.txt"
	c=$(pseudo comm onlyinlog)
	[ -n "$c" ]
	# also where the log names it without a context, before it learns it
	assert_equal "$(grep -c -w "$c" "$X/kmsg.txt")" 2
	grep -q "pe 2 of $c: attach refused" "$X/kmsg.txt"
	grep -q "(pid $(pseudo pid 4646) comm $c) attach refused" "$X/kmsg.txt"
	grep -q "afu0: $(pseudo comm tagged)\[$(pseudo pid 4747)\]: retried" "$X/kmsg.txt"
}

@test "sym+0xOFF/0xSIZE of a stack trace stays; a kernel address is replaced" {
	dump_redacted
	run cat "$X/kmsg.txt"
	assert_line --regexp '^\[   16\.500000\] WARNING: CPU: 1 PID: [0-9]+ at path[0-9]+:45 accelsim_ctx_free\+0x1a/0x40 \[accelsim\]$'
	assert_line "[   16.500010] RIP: 0010:accelsim_ctx_free+0x1a/0x40 [accelsim]"
	# a 0x address and a bare 16-digit one (%px) share their page's pseudonym
	p=$(pseudo page 0xffffffffc0a05000)
	[ -n "$p" ]
	assert_line "[   16.500020] accelsim: afu0: irq handler $(printf %016x $((p + 0x678))) ($p, accelsim_irq+0x0/0x80) still registered"
	refute_output --partial c0a05
}

@test "the host name: manifest host, top directory, default file name, kernel log" {
	cd "$T"
	# shellcheck disable=SC2016 # $1 is the inner shell's
	run unshare -u bash -c 'hostname secrethost.example.com && "$1" dump --redact' - "$CTL"
	assert_success
	f=$(echo accel-bundle-host1-*.tar.gz)
	[ -f "$f" ]
	assert_line --regexp "^bundle written to $f \\([0-9]+ files\\)$"
	assert_line "redaction map (keep private) written to $f.redact-map"
	run tar -tzf "$f"
	refute_output --partial secrethost
	assert_line --index 0 "${f%.tar.gz}/"
	mkdir x
	tar -xzf "$f" -C x
	jq -e '.host == "host1"' x/*/manifest.json
	run grep -rli secrethost x
	assert_failure 1
	grep -q "on host1 (host1), see host1-notes" x/*/kmsg.txt
	# the map has both spellings
	grep -qx 'host secrethost.example.com host1' "$f.redact-map"
	grep -qx 'host secrethost host1' "$f.redact-map"
}

@test "paths under /root, /home and \$HOME, the kernel and accelctl command lines" {
	export HOME="$T/home/alice"
	mkdir -p "$HOME"
	mv "$SYS" "$HOME/sys"
	SYS="$HOME/sys"
	export ACCEL_TRACEFS="$SYS/tracefs" ACCEL_PROCFS="$SYS/proc" ACCEL_KMSG="$SYS/kmsg"
	export ACCEL_SYSFS="$SYS/sysfs" ACCEL_SYSMODULE="$SYS/sysmodule"
	dump_redacted --root "$SYS/debugfs"
	for s in alice builder /root/ "$T/home" vmlinuz UUID; do
		run grep -rlF -e "$s" "$X"
		assert_failure 1
	done
	m="$X/manifest.json"
	run jq -r '.debugfs_root, .tracefs_root, .command_line[2]' "$m"
	assert_output "$(pseudo path "$SYS/debugfs")
$(pseudo path "$SYS/tracefs")
$(pseudo path "$SYS/debugfs")"
	[ -n "$(pseudo path "$SYS/debugfs")" ]
	jq -e '.command_line[3:] == ["dump", "--redact", "-o", "'"$T/r.tar.gz"'"]' "$m"
	jq -e '.root == "'"$(pseudo path "$SYS/debugfs")"'"' "$X/snapshot.json"
	run cat "$X/kmsg.txt"
	p=$(pseudo path /home/builder/accel/kernel/context.c)
	assert_line --regexp "^\[   16\.500000\] WARNING: CPU: 1 PID: [0-9]+ at $p:45 accelsim_ctx_free"
	assert_line "[   17.200000] accelsim: afu1: firmware $(pseudo path /root/fw/accel.bin) (or $(pseudo path /root)) not found, /lib/firmware/accel.bin used"
	# the kernel command line is one token; the driver's parameters stay
	c=$(pseudo cmdline 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64\040root=UUID=0b8c7d2e\040ro\040quiet\040accelsim.nr_devices=2')
	assert_equal "$c" cmdline1
	assert_line "[    0.000000] Command line: cmdline1 accelsim.nr_devices=2"
	assert_line "[    0.000000] Kernel command line: cmdline1 accelsim.nr_devices=2"
}

@test "the Uid:, Gid: and Groups: of a /proc status become uidN and gidN, root (0) stays" {
	dump_redacted
	f="$X/proc/$(pseudo pid 4242)/status"
	grep -qx $'Uid:\tuid1\tuid1\tuid1\tuid1' "$f"
	grep -qx $'Gid:\tgid1\tgid1\t0\tgid1' "$f"
	grep -qx $'Groups:\tgid2 gid3 gid1 ' "$f"
	run grep -c 1000 "$f"
	assert_output 0
	grep -qx 'uid 1000 uid1' "$MAP"
	grep -qx 'gid 1000 gid1' "$MAP"
	grep -qx 'gid 24 gid2' "$MAP"
	# the rest of the file is as it was
	grep -qx $'VmRSS:\t  5120 kB' "$f"
	assert_equal "$(wc -l <"$f")" "$(wc -l <"$SYS/proc/4242/status")"
}

@test "the map replaces a symlink or a link at its name, never writes through it" {
	echo "precious" >"$T/victim"
	chmod 0644 "$T/victim"
	ln -s "$T/victim" "$T/r.tar.gz.redact-map"
	dump_redacted
	# the victim is untouched; the name is now the map, a file of its own
	assert_equal "$(cat "$T/victim")" precious
	assert_equal "$(stat -c %a "$T/victim")" 644
	[ ! -L "$MAP" ]
	[ -f "$MAP" ]
	assert_equal "$(stat -c %a "$MAP")" 600
	grep -qx "pid 4242 $(pseudo pid 4242)" "$MAP"
	# a hard link to another file: the link is replaced, the file kept
	rm "$MAP"
	ln "$T/victim" "$MAP"
	dump_redacted
	assert_equal "$(cat "$T/victim")" precious
	assert_equal "$(stat -c %h "$T/victim")" 1
	grep -q '^# accelctl dump --redact: pseudonym map' "$MAP"
	# no temporary file is left behind
	run find "$T" -maxdepth 1 -name '*.tmp.*'
	assert_output ""
}

@test "a map that cannot be written fails the dump with its name" {
	mkdir "$T/r.tar.gz.redact-map"
	touch "$T/r.tar.gz.redact-map/x"
	run "$CTL" dump --redact -o "$T/r.tar.gz"
	assert_failure 1
	assert_output --partial "$T/r.tar.gz.redact-map: "
	run find "$T" -maxdepth 1 -name '*.tmp.*'
	assert_output ""
}

@test "idxd work-queue names (the administrator's) become wqN; the kernel's device and wq names stay" {
	export ACCEL_PLATFORM_ROOT="$FIX/platform/intel-sva"
	dump_redacted
	w1=$(pseudo wq app_shared)
	w2=$(pseudo wq app_dedicated)
	[ -n "$w1" ]
	[ -n "$w2" ]
	[ "$w1" != "$w2" ]
	run grep -rl -e app_shared -e app_dedicated "$X"
	assert_failure 1
	run jq -r '[.devices[].wqs[].attrs.name] | sort | join(" ")' "$X/idxd.json"
	assert_output "$(printf '%s\n' "$w1" "$w2" | sort | paste -sd' ')"
	run jq -r '[.devices[].name, .devices[].wqs[].name] | join(" ")' "$X/idxd.json"
	assert_output --regexp '^dsa0 .*wq0\.0 wq0\.1'
	# the redacted bundle is still one accelstat reads
	run "$BATS_TEST_DIRNAME/../../cli/accelstat/accelstat" --bundle "$T/r.tar.gz" --idxd
	assert_success
	assert_output --partial "$w1"
}
