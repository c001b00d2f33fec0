#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The tools under valgrind (memcheck) against the fixture trees: no invalid
# read or write, no use of uninitialised memory, no definite or indirect
# leak, on the normal paths and on the error paths, with the exit status
# each run is expected to have.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
FIX=$TOP/tests/fixtures
ACCELSTAT=$TOP/cli/accelstat/accelstat
ACCELTOP=$TOP/cli/acceltop/acceltop
CTL=$TOP/cli/accelctl/accelctl
# Never the host's driver, health.conf or /var/lib/accel by accident.
export ACCEL_DEBUGFS=/nonexistent-accel-root
export ACCEL_STATE_DIR=${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:-/tmp}}/accel-state
NOCONF=--config=/dev/null

# vg STATUS CMD...: run CMD under memcheck; it must exit STATUS (99 is
# memcheck's own, on any error) and memcheck must print nothing.
vg() {
	local want=$1
	shift
	run valgrind -q --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect "$@"
	if [ "$status" != "$want" ]; then
		fail "exit $status, expected $want: $output"
	fi
	[ "$want" = 99 ] && return
	refute_output --regexp '(^|'$'\n'')==[0-9]+== '
}

@test "memcheck with these options fails a leak and an invalid read" {
	local d=$BATS_TEST_TMPDIR
	cat >"$d/bad.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	char *p = malloc(8);

	if (!p)
		return 1;
	memset(p, 0, 8);
	if (!strcmp(argv[1], "read"))
		printf("%d\n", p[6 + argc]);
	if (!strcmp(argv[1], "leak"))
		return 0;
	free(p);
	return 0;
}
C
	cc -O0 -g -o "$d/bad" "$d/bad.c"
	vg 99 "$d/bad" leak
	assert_output --partial "8 bytes in 1 blocks are definitely lost"
	vg 99 "$d/bad" read
	assert_output --partial "Invalid read of size 1"
	vg 0 "$d/bad" none
}

@test "accelstat (summary) is memcheck-clean" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy"
	assert_output --partial "afu0"
	vg 0 "$ACCELSTAT" --root="$FIX/multi"
	vg 0 "$ACCELSTAT" --root="$FIX/nodevices"
}

@test "accelstat -c is memcheck-clean" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy" -c
	assert_output --partial "[kernel]"
}

@test "accelstat -p is memcheck-clean" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy" -p
	assert_output --partial "draining"
}

@test "accelstat -f is memcheck-clean" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy" -f
	assert_output --partial "held"
	vg 0 "$ACCELSTAT" --root="$FIX/stale_faults" -f
}

@test "accelstat -q is memcheck-clean" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy" -q
}

@test "accelstat --json is memcheck-clean" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy" --json
	assert_output --partial '"schema_version"'
	vg 0 "$ACCELSTAT" --root="$FIX/multi" --json -d 3
}

@test "accelstat --check is memcheck-clean (OK, CRITICAL, a config file)" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy" --check "$NOCONF"
	assert_output --partial "ACCEL OK"
	vg 2 "$ACCELSTAT" --root="$FIX/stale_faults" --check "$NOCONF"
	assert_output --partial "ACCEL CRITICAL"
	vg 0 "$ACCELSTAT" --root="$FIX/busy" --check \
		--config="$TOP/contrib/health.conf.example" \
		--warn=zombies=3 --crit=fault_age=10s,spa_usage=off
}

@test "accelstat --check over a window is memcheck-clean (state written, read, judged)" {
	local st=$BATS_TEST_TMPDIR/st
	vg 0 "$ACCELSTAT" --root="$FIX/multi" -d afu0 --check "$NOCONF" \
		--window=1s --state-dir="$st"
	assert_output --partial "ACCEL OK"
	sleep 1.1
	vg 0 "$ACCELSTAT" --root="$FIX/multi" -d afu0 --check "$NOCONF" \
		--window=1s --state-dir="$st"
	assert_output --partial "afu0_tlbi_p99=U;"
	# a damaged state file, and a state dir that is a file
	printf 'accel-check-state 1\nkey k\nr 1 2 3 - -\n' >"$st/check-afu0-1s.state"
	vg 0 "$ACCELSTAT" --root="$FIX/multi" -d afu0 --check "$NOCONF" \
		--window=1s --state-dir="$st"
	vg 0 "$ACCELSTAT" --root="$FIX/multi" -d afu0 --check "$NOCONF" \
		--state-dir="$st/check-afu0-1s.state"
	assert_output --partial "no window"
}

@test "accelstat --prometheus is memcheck-clean (stdout and -o)" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy" --prometheus
	assert_output --partial "# TYPE "
	vg 0 "$ACCELSTAT" --root="$FIX/multi" --prometheus \
		-o "$BATS_TEST_TMPDIR/accel.prom"
	[ -s "$BATS_TEST_TMPDIR/accel.prom" ]
}

@test "accelstat -i 0.1 -n 2 is memcheck-clean" {
	vg 0 "$ACCELSTAT" --root="$FIX/busy" -i 0.1 -n 2
	vg 0 "$ACCELSTAT" --root="$FIX/busy" -i 0.1 -n 2 --json
}

@test "accelstat error paths are memcheck-clean" {
	# a view cut mid-row, a newer view format, no driver, a bad option
	vg 1 "$ACCELSTAT" --root="$FIX/truncated"
	assert_output --partial "truncated line"
	vg 1 "$ACCELSTAT" --root="$FIX/future" --json
	vg 3 "$ACCELSTAT" --root=/nonexistent-accel-root
	vg 3 "$ACCELSTAT" --root="$FIX/busy" --check \
		--warn=bogus=1 "$NOCONF"
	assert_output --partial "ACCEL UNKNOWN"
}

@test "acceltop -b -n 2 --source=debugfs is memcheck-clean" {
	vg 0 "$ACCELTOP" -b -n 2 -i 0.1 --source=debugfs --root="$FIX/busy"
	assert_output --partial "refresh 2"
	vg 0 "$ACCELTOP" --json -n 2 -i 0.1 --source=debugfs \
		--root="$FIX/multi"
	vg 0 "$ACCELTOP" -b -n 2 -i 0.1 --source=debugfs --group=pasid \
		--root="$FIX/busy"
	vg 0 "$ACCELTOP" -b -n 2 -i 0.1 --source=debugfs --group=process \
		--sort=faults --root="$FIX/busy"
	vg 3 "$ACCELTOP" -b -n 1 --source=debugfs \
		--root=/nonexistent-accel-root
}

# The accelctl fixture system (tests/host/accelctl_dump.bats sets it up
# the same way).
ctl_sys() {
	local s=$BATS_TEST_TMPDIR/sys
	cp -r "$FIX/accelctl-sys" "$s"
	chmod 0200 "$s"/sysfs/{new,del}_device "$s"/sysfs/devices/afu*/kctx \
		"$s"/sysfs/devices/afu0/inject/{fault,afu_error,irq,release_faults}
	export ACCEL_DEBUGFS=$s/debugfs ACCEL_TRACEFS=$s/tracefs
	export ACCEL_SYSFS=$s/sysfs
	export ACCEL_PROCFS=$s/proc ACCEL_SYSMODULE=$s/sysmodule
	export ACCEL_KMSG=$s/kmsg
}

@test "accelctl list and device list are memcheck-clean" {
	ctl_sys
	vg 0 "$CTL" list
	assert_output --partial "afu0"
	vg 0 "$CTL" --json list
	vg 0 "$CTL" device list
	vg 0 "$CTL" -J device list
}

@test "accelstat --bundle is memcheck-clean (every mode, damaged bundles)" {
	local b=$BATS_TEST_TMPDIR/b.tar.gz
	ctl_sys
	run "$CTL" dump -o "$b"
	assert_success
	vg 0 "$ACCELSTAT" --bundle "$b"
	vg 0 "$ACCELSTAT" --bundle "$b" -c -d 0
	vg 0 "$ACCELSTAT" --bundle "$b" --json
	vg 1 "$ACCELSTAT" --bundle "$b" --check "$NOCONF"
	vg 0 "$ACCELSTAT" --bundle "$b" --prometheus
	vg 1 "$ACCELSTAT" --bundle "$b" -d 9
	head -c 1000 "$b" >"$BATS_TEST_TMPDIR/cut.tar.gz"
	vg 1 "$ACCELSTAT" --bundle "$BATS_TEST_TMPDIR/cut.tar.gz"
	vg 3 "$ACCELSTAT" --bundle /etc/hostname --check
}

@test "accelctl dump --inspect and inspect (--html) are memcheck-clean" {
	local b=$BATS_TEST_TMPDIR/b.tar.gz d
	ctl_sys
	run "$CTL" dump -o "$b"
	assert_success
	vg 0 "$CTL" dump --inspect "$b"
	vg 0 "$CTL" --json inspect "$b"
	vg 0 "$CTL" inspect --extract "$b"
	d=$(tail -n 1 <<<"$output")
	[ -d "$d" ] && rm -rf "$d"
	vg 0 "$CTL" inspect --html "$BATS_TEST_TMPDIR/p.html" "$b"
	vg 0 "$CTL" --json inspect --html "$BATS_TEST_TMPDIR/p.html" "$b"
	vg 1 "$CTL" inspect --html /nonexistent-dir/p.html "$b"
	# not a bundle, and a truncated one
	vg 1 "$CTL" inspect /etc/hostname
	vg 1 "$CTL" inspect --html "$BATS_TEST_TMPDIR/p.html" /etc/hostname
	head -c 1000 "$b" >"$BATS_TEST_TMPDIR/cut.tar.gz"
	vg 1 "$CTL" inspect "$BATS_TEST_TMPDIR/cut.tar.gz"
}

@test "accelctl dump is memcheck-clean, collector children included" {
	local b=$BATS_TEST_TMPDIR/b.tar.gz
	ctl_sys
	# the children that read each file exit with memcheck's status on an
	# error, which fails their section: every section must be ok
	vg 0 "$CTL" dump -o "$b"
	assert_output --regexp "^bundle written to $b \([0-9]+ files\)$"
	run tar -xzOf "$b" --wildcards '*/manifest.json'
	assert_success
	run jq -r '.sections[] | select(.status != "ok") | .name' <<<"$output"
	assert_success
	assert_output ""
	vg 0 "$CTL" dump --redact -o "$BATS_TEST_TMPDIR/r.tar.gz"
	refute_output --partial "failed"
}

@test "accelctl doctor is memcheck-clean (a fixture machine, JSON, an empty tree)" {
	# the fixture as committed: its PCI config spaces are made by
	# accelctl_doctor.bats, so here no device has PASID (exit 7)
	vg 7 "$CTL" doctor --sysroot "$FIX/platform/intel-sva"
	assert_output --partial "PASS    iommu.prs"
	vg 7 "$CTL" -j doctor --sysroot "$FIX/platform/intel-sva"
	mkdir "$BATS_TEST_TMPDIR/empty"
	vg 7 "$CTL" doctor --sysroot "$BATS_TEST_TMPDIR/empty"
	assert_output --partial "FAIL    iommu.present"
}

@test "accelstat --idxd is memcheck-clean (text, JSON, metrics, fallback, bundle)" {
	local r=$FIX/platform/intel-sva b=$BATS_TEST_TMPDIR/b.tar.gz
	vg 0 "$ACCELSTAT" --idxd --sysroot "$r"
	assert_output --partial "dsa0: PCI 0000:6a:01.0"
	vg 0 "$ACCELSTAT" --idxd --sysroot "$r" --json
	vg 0 "$ACCELSTAT" --idxd --sysroot "$r" --prometheus
	vg 3 "$ACCELSTAT" --idxd --sysroot "$BATS_TEST_TMPDIR"
	# no accelsim (ACCEL_DEBUGFS above), idxd present: the fallback
	vg 0 "$ACCELSTAT" --sysroot "$r"
	ctl_sys
	ACCEL_PLATFORM_ROOT=$r run "$CTL" dump -o "$b"
	assert_success
	vg 0 "$ACCELSTAT" --bundle "$b" --idxd
	assert_output --partial "wq0.0"
	vg 0 "$ACCELSTAT" --bundle "$b" --idxd --json
}

@test "accelstat --iommu and acceltop --iommu are memcheck-clean (fixture, and a missing tracepoint)" {
	local notrace=$BATS_TEST_TMPDIR/tracefs
	mkdir -p "$notrace/events/sched"
	ACCEL_IOMMU_FIXTURE=$FIX/iommu/window.txt vg 0 "$ACCELSTAT" --iommu 0.1
	assert_output --partial "dmar0"
	ACCEL_IOMMU_FIXTURE=$FIX/iommu/window.txt vg 0 "$ACCELSTAT" --iommu 0.1 --json
	ACCEL_IOMMU_FIXTURE=$FIX/iommu/window.txt vg 0 "$ACCELSTAT" --iommu 0.1 --prometheus
	ACCEL_IOMMU_FIXTURE=$FIX/iommu/bad.txt vg 3 "$ACCELSTAT" --iommu 0.1
	ACCEL_TRACEFS=$notrace vg 3 "$ACCELSTAT" --iommu 0.1 --json
	ACCEL_IOMMU_FIXTURE=$FIX/iommu/window.txt vg 0 "$ACCELTOP" -b -n 2 -i 0.1 \
		--source=debugfs --root="$FIX/busy" --iommu
	assert_output --partial "IOMMU dmar0"
	ACCEL_TRACEFS=$notrace vg 0 "$ACCELTOP" --json -n 1 --source=debugfs \
		--root="$FIX/busy" --iommu
}
