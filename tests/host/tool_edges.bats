#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The tools at their edges (issue 23): strings that are not UTF-8, one
# malformed device among good ones, many devices, threshold semantics,
# views missing from a bundle, and write errors on standard output. Every
# fixture tree here is built in the test's tmpdir from tests/fixtures.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
STAT=$TOP/cli/accelstat/accelstat
CTL=$TOP/cli/accelctl/accelctl
TOPB=$TOP/cli/acceltop/acceltop
T=$TOP/tests/fixtures
NOCONF="--config=/dev/null"
export ACCEL_DEBUGFS=/nonexistent-accel-root

# strict_json FILE: the bytes decode as strict UTF-8 and parse as JSON.
strict_json() {
	python3 -c '
import json, sys
data = open(sys.argv[1], "rb").read()
json.loads(data.decode("utf-8", errors="strict"))
' "$1"
}

# strict_utf8 FILE: the bytes decode as strict UTF-8.
strict_utf8() {
	python3 -c '
import sys
open(sys.argv[1], "rb").read().decode("utf-8", errors="strict")
' "$1"
}

# bytes_tree DIR: full_spa with afu0..afu3 whose 16 SPA rows name, 15
# bytes at a time, every byte value from 0x21 to 0xff (0x20 cannot be in
# a word of a view), then "świat" and "ś" cut after its first byte.
bytes_tree() {
	local dir=$1 i
	python3 - "$T/full_spa" "$dir" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
shutil.copytree(src, dst)
comms = [bytes(range(b, min(b + 15, 0x100))) for b in range(0x21, 0x100, 15)]
comms += ["świat".encode(), "ś".encode()[:1], b"a\\b\"c"]
devs = [comms[i:i + 4] for i in range(0, len(comms), 4)]
info = open(os.path.join(src, "afu0", "info"), "rb").read().split(b"\n")
for n, rows in enumerate(devs):
    d = os.path.join(dst, "afu%d" % n)
    if n:
        shutil.copytree(os.path.join(dst, "afu0"), d)
    with open(os.path.join(d, "spa"), "wb") as f:
        f.write(b"pe pasid pid comm state kernel faults tlbis irqs work bytes\n")
        for pe, c in enumerate(rows):
            f.write(b"%d 1 1234 %s active 0 1 0 0 0 0\n" % (pe, c))
    with open(os.path.join(d, "info"), "wb") as f:
        f.write(info[0] + b"\n" + info[1].replace(b"afu0", b"afu%d" % n) + b"\n")
PY
}

# ---- 1. strings that are not UTF-8 ----

@test "utf8: the fixture's comms hold every byte 0x21..0xff, invalid UTF-8" {
	bytes_tree "$BATS_TEST_TMPDIR/b"
	cat "$BATS_TEST_TMPDIR"/b/afu*/spa >"$BATS_TEST_TMPDIR/all"
	run ! strict_utf8 "$BATS_TEST_TMPDIR/all"
	run python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
print(len(set(range(0x21, 0x100)) - set(d)))' "$BATS_TEST_TMPDIR/all"
	assert_output 0
}

@test "utf8: accelstat --prometheus passes promtool with such comms" {
	local promtool
	promtool=$("$TOP/scripts/promtool.sh" --check-only) ||
		fail "no promtool: run 'make deps'"
	bytes_tree "$BATS_TEST_TMPDIR/b"
	run "$STAT" --root "$BATS_TEST_TMPDIR/b" --prometheus
	assert_success
	"$STAT" --root "$BATS_TEST_TMPDIR/b" --prometheus >"$BATS_TEST_TMPDIR/m"
	run strict_utf8 "$BATS_TEST_TMPDIR/m"
	assert_success
	run "$promtool" check metrics <"$BATS_TEST_TMPDIR/m"
	assert_success
	assert_output ""
	# "świat" stays itself; the cut "ś" becomes U+FFFD; \ and " escaped
	run grep -c 'comm="świat"' "$BATS_TEST_TMPDIR/m"
	assert_output 4
	run grep -c $'comm="\xef\xbf\xbd"' "$BATS_TEST_TMPDIR/m"
	assert_output 4
	run grep -c 'comm="a\\\\b\\"c"' "$BATS_TEST_TMPDIR/m"
	assert_output 4
}

@test "utf8: every JSON output parses strictly with such comms" {
	bytes_tree "$BATS_TEST_TMPDIR/b"
	"$STAT" --root "$BATS_TEST_TMPDIR/b" --json >"$BATS_TEST_TMPDIR/j1"
	run strict_json "$BATS_TEST_TMPDIR/j1"
	assert_success
	"$STAT" --root "$BATS_TEST_TMPDIR/b" --json -a >"$BATS_TEST_TMPDIR/j2"
	run strict_json "$BATS_TEST_TMPDIR/j2"
	assert_success
	run python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
comms = set(c["comm"] for x in d["devices"] for c in x["contexts"])
print("świat" in comms, "\ufffd" in comms, "a\\b\"c" in comms)
' "$BATS_TEST_TMPDIR/j1"
	assert_output "True True True"
	# a support bundle of the tree, and accelctl inspect --json on it
	ACCEL_DEBUGFS="$BATS_TEST_TMPDIR/b" run "$CTL" dump -o "$BATS_TEST_TMPDIR/x.tar.gz"
	assert_success
	"$CTL" --json inspect "$BATS_TEST_TMPDIR/x.tar.gz" >"$BATS_TEST_TMPDIR/j3"
	run strict_json "$BATS_TEST_TMPDIR/j3"
	assert_success
	"$STAT" --bundle "$BATS_TEST_TMPDIR/x.tar.gz" --json >"$BATS_TEST_TMPDIR/j4"
	run strict_json "$BATS_TEST_TMPDIR/j4"
	assert_success
}

# ---- 2. one malformed device among good ones ----

# broken_tree DIR: afu0 is full_spa's (CRITICAL: SPA 100 %), afu1 the same
# with its spa cut in the middle of a row.
broken_tree() {
	mkdir -p "$1"
	cp -r "$T/full_spa/afu0" "$1/afu0"
	cp -r "$T/full_spa/afu0" "$1/afu1"
	sed -i 's/^afu0 /afu1 /' "$1/afu1/info"
	head -c 90 "$T/full_spa/afu0/spa" >"$1/afu1/spa"
}

@test "broken device: --check keeps afu0's CRITICAL and names afu1's error" {
	broken_tree "$BATS_TEST_TMPDIR/b"
	run "$STAT" --root "$BATS_TEST_TMPDIR/b" --check $NOCONF
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu0 SPA usage 100% '
	assert_output --partial '; afu1/spa:2: truncated line (no newline at end) |'
	assert_output --partial ' afu0_spa_usage=100%;'
	refute_output --partial 'afu1_spa_usage'
}

@test "broken device: alone it is UNKNOWN; with a WARNING device, UNKNOWN" {
	broken_tree "$BATS_TEST_TMPDIR/b"
	run "$STAT" --root "$BATS_TEST_TMPDIR/b" --check $NOCONF -d 1
	assert_failure 3
	assert_output 'ACCEL UNKNOWN - afu1/spa:2: truncated line (no newline at end)'
	# afu0 only WARNING (IRQs 81 %): the unreadable device ranks above
	run "$STAT" --root "$BATS_TEST_TMPDIR/b" --check $NOCONF --crit spa_usage=off --warn spa_usage=off
	assert_failure 3
	assert_output --regexp '^ACCEL UNKNOWN - afu0 IRQ budget usage .*; afu1/spa:2: truncated'
}

@test "broken device: --prometheus keeps afu0's series, accel_device_up per device" {
	local promtool
	promtool=$("$TOP/scripts/promtool.sh" --check-only) ||
		fail "no promtool: run 'make deps'"
	broken_tree "$BATS_TEST_TMPDIR/b"
	run --separate-stderr "$STAT" --root "$BATS_TEST_TMPDIR/b" --prometheus
	assert_failure 1
	assert_line 'accel_up 0'
	assert_line 'accel_devices 2'
	assert_line 'accel_device_up{device="afu0"} 1'
	assert_line 'accel_device_up{device="afu1"} 0'
	assert_line 'accel_spa_used{device="afu0"} 4'
	refute_output --partial 'accel_spa_used{device="afu1"}'
	[ "$stderr" = 'accelstat: afu1/spa:2: truncated line (no newline at end)' ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/m"
	run "$promtool" check metrics <"$BATS_TEST_TMPDIR/m"
	assert_success
	assert_output ""
}

# ---- 3. a status line too long for its buffers ----

# copies_tree DIR N: N copies afu0..afu(N-1) of full_spa's afu0.
copies_tree() {
	local i
	mkdir -p "$1"
	for ((i = 0; i < $2; i++)); do
		cp -r "$T/full_spa/afu0" "$1/afu$i"
		sed -i "s/^afu0 /afu$i /" "$1/afu$i/info"
	done
}

@test "40 devices: --check takes whole perfdata entries and names the rest" {
	local perf tok
	copies_tree "$BATS_TEST_TMPDIR/d" 40
	run "$STAT" --root "$BATS_TEST_TMPDIR/d" --check $NOCONF
	assert_failure 2
	[ "${#lines[@]}" -eq 1 ]
	# every perfdata entry is whole: label=value[unit];warn;crit;min[;max]
	perf=${output#* | }
	for tok in $perf; do
		[[ $tok =~ ^afu[0-9]+_[a-z0-9_]+=([0-9.]+[s%]?|U)\;[0-9.:]*\;[0-9.]*\;0(\;[0-9]+)?$ ]] ||
			fail "cut perfdata entry '$tok'"
	done
	# a device's entries are all there or none is; the others are named
	[[ $perf =~ afu25_online=1\;1:\;\;0\;1$ ]]
	run grep -o 'afu[0-9]*_pending_faults' <<<"$perf"
	[ "${#lines[@]}" -eq 26 ]
	run "$STAT" --root "$BATS_TEST_TMPDIR/d" --check $NOCONF
	assert_output --regexp '; [0-9]+ more problems; no perfdata for 14 devices, afu26 to afu39 \(line full\) \| '
	refute_output --partial 'afu26_'
}

# ---- 4. one threshold semantics for the status and the perfdata ----

# perf_status LINE: the worst state the perfdata of a --check line states,
# judged by the Nagios plugin range rules ("10": alert outside 0..10;
# "10:": below 10; "~:10": above 10; "a:b": outside; "@r": inside r).
perf_status() {
	python3 - "$1" <<'PY'
import re, sys
line = sys.argv[1]
head, _, perf = line.partition(" | ")
def alerts(rng, x):
    if not rng:
        return False
    inv = rng.startswith("@")
    rng = rng.lstrip("@")
    lo, sep, hi = rng.partition(":")
    if not sep:
        lo, hi = "0", lo
    lo = float("-inf") if lo == "~" else float(lo or 0)
    hi = float(hi) if hi else float("inf")
    inside = lo <= x <= hi
    return inside if inv else not inside
worst = 0
for tok in perf.split():
    label, _, rest = tok.partition("=")
    f = rest.split(";") + [""] * 5
    if f[0] == "U":
        continue
    x = float(re.sub(r"[a-z%]+$", "", f[0]))
    if alerts(f[2], x):
        worst = 2
    elif alerts(f[1], x) and worst < 1:
        worst = 1
print(["OK", "WARNING", "CRITICAL"][worst])
PY
}

# agree TREE ARGS...: --check's status is the one its perfdata states.
agree() {
	local tree=$1 st
	shift
	run "$STAT" --root "$tree" --check $NOCONF "$@"
	st=$(sed -E 's/^ACCEL ([A-Z]+) .*/\1/' <<<"$output")
	run perf_status "$output"
	assert_output "$st"
}

@test "thresholds: status and perfdata agree (zombies, equal values, state)" {
	# stale_faults: 1 zombie, fault 6s old
	agree "$T/stale_faults"
	agree "$T/stale_faults" --warn fault_age=off --crit fault_age=off
	agree "$T/stale_faults" --warn fault_age=off --crit fault_age=off --warn zombies=1
	# busy: IRQs 25 %, oldest fault 2.5 ms: values equal to a threshold
	agree "$T/busy" --warn irq_usage=25
	agree "$T/busy" --warn irq_usage=20 --crit irq_usage=25
	agree "$T/busy" --warn fault_age=2500us
	agree "$T/full_spa"
	# multi: afu3 is removing
	agree "$T/multi"
	run "$STAT" --root "$T/stale_faults" --check $NOCONF --warn fault_age=off --crit fault_age=off
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu0 zombie PEs 1 > warn 0 \|.* afu0_zombies=1;0;4;0 '
	run "$STAT" --root "$T/busy" --check $NOCONF --warn irq_usage=25
	assert_success
}

@test "thresholds: a removing device is WARNING for --check and inspect alike" {
	run "$STAT" --root "$T/multi" --check $NOCONF -d 3
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu3 state removing \|.* afu3_online=0;1:;;0;1$'
	ACCEL_DEBUGFS="$T/multi" run "$CTL" dump -o "$BATS_TEST_TMPDIR/m.tar.gz"
	assert_success
	run "$CTL" inspect "$BATS_TEST_TMPDIR/m.tar.gz"
	assert_line 'health:   WARNING (incomplete bundle)'
	assert_line '  afu3: state removing'
	run "$STAT" --bundle "$BATS_TEST_TMPDIR/m.tar.gz" --check $NOCONF
	assert_failure 1
	assert_output --regexp '^ACCEL WARNING - afu3 state removing \|'
}

# ---- 5. accelctl inspect on a bundle of many devices ----

@test "70 devices: inspect judges afu69 (SPA 100 %) as accelstat does" {
	local d=$BATS_TEST_TMPDIR/d i
	mkdir -p "$d"
	for ((i = 0; i < 69; i++)); do
		cp -r "$T/empty/afu0" "$d/afu$i"
		sed -i "s/^afu0 /afu$i /" "$d/afu$i/info"
	done
	cp -r "$T/full_spa/afu0" "$d/afu69"
	sed -i 's/^afu0 /afu69 /' "$d/afu69/info"
	ACCEL_DEBUGFS=$d run "$CTL" dump -o "$BATS_TEST_TMPDIR/b.tar.gz"
	assert_success
	run "$STAT" --bundle "$BATS_TEST_TMPDIR/b.tar.gz" --check $NOCONF
	assert_failure 2
	assert_output --regexp '^ACCEL CRITICAL - afu69 SPA usage 100% >=? crit 95%'
	run "$CTL" inspect "$BATS_TEST_TMPDIR/b.tar.gz"
	assert_success
	assert_line --regexp '^health:   CRITICAL'
	assert_line --regexp '^  afu69: SPA usage 100% >=? 95%$'
	assert_line --regexp '^  afu69 online: 4/4 PEs'
	assert_line --regexp '^  afu69 pe 0 pasid 1 pid 1234 accelctl'
	run "$CTL" --json inspect "$BATS_TEST_TMPDIR/b.tar.gz"
	assert_success
	run jq -r '.health.verdict, (.devices | length)' <<<"$output"
	assert_output $'CRITICAL\n70'
}

# ---- 6. views missing from a bundle ----

# bundle_without_spa_faults: a bundle of $T/stale_faults in b.tar.gz and
# the same without afu0's spa and faults views (files and manifest
# entries) in r.tar.gz, both in $BATS_TEST_TMPDIR.
bundle_without_spa_faults() {
	local x=$BATS_TEST_TMPDIR/x top
	ACCEL_DEBUGFS=$T/stale_faults run "$CTL" dump -o "$BATS_TEST_TMPDIR/b.tar.gz"
	assert_success
	mkdir -p "$x"
	tar -xzf "$BATS_TEST_TMPDIR/b.tar.gz" -C "$x"
	top=$(echo "$x"/*)
	rm "$top/debugfs/afu0/spa" "$top/debugfs/afu0/faults"
	jq 'del(.files[] | select(.path == "debugfs/afu0/spa" or .path == "debugfs/afu0/faults"))' \
		"$top/manifest.json" >"$x/m"
	mv "$x/m" "$top/manifest.json"
	tar -C "$x" -czf "$BATS_TEST_TMPDIR/r.tar.gz" "$(basename "$top")"
}

@test "bundle without spa and faults: --check says U and UNKNOWN, not zeros" {
	bundle_without_spa_faults
	# the full bundle: the 6 s old fault is CRITICAL
	run "$STAT" --bundle "$BATS_TEST_TMPDIR/b.tar.gz" --check $NOCONF
	assert_failure 2
	assert_output --partial ' afu0_fault_age=6s;'
	run --separate-stderr "$STAT" --bundle "$BATS_TEST_TMPDIR/r.tar.gz" --check $NOCONF
	assert_failure 3
	assert_output --regexp '^ACCEL UNKNOWN - .*afu0 spa, faults missing: not judged'
	assert_output --partial ' afu0_fault_age=U;'
	assert_output --partial ' afu0_spa_usage=U;'
	assert_output --partial ' afu0_contexts=U;'
	assert_output --partial ' afu0_pending_faults=U;'
	refute_output --regexp 'fault_age=0s|spa_usage=0%|contexts=0;|pending_faults=0;'
	# what the bundle has is still judged: the zombie from info
	assert_output --partial 'afu0 zombie PEs 1 >'
}

@test "bundle without spa and faults: --prometheus has no series for them" {
	local promtool
	promtool=$("$TOP/scripts/promtool.sh" --check-only) ||
		fail "no promtool: run 'make deps'"
	bundle_without_spa_faults
	run "$STAT" --bundle "$BATS_TEST_TMPDIR/b.tar.gz" --prometheus
	assert_success
	assert_line 'accel_fault_oldest_age_seconds{device="afu0"} 6'
	run --separate-stderr "$STAT" --bundle "$BATS_TEST_TMPDIR/r.tar.gz" --prometheus
	assert_success
	refute_line --regexp '^accel_(spa_used|faults_pending|faults_held|fault_oldest_age_seconds)\{'
	assert_line --regexp '^accel_irqs_used\{device="afu0"\} '
	assert_line --regexp '^accel_spa_zombies\{device="afu0"\} 1$'
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/m"
	run "$promtool" check metrics <"$BATS_TEST_TMPDIR/m"
	assert_success
	assert_output ""
}

# ---- 7. write errors on standard output ----

# full CMD...: CMD with stdout on /dev/full exits 9 and names the cause.
full() {
	run --separate-stderr bash -c '"$@" >/dev/full' full "$@"
	assert_equal "$status" 9
	[ "$stderr" = "$(basename "$1"): write error on standard output: No space left on device" ] ||
		fail "$* >/dev/full: status $status, stderr '$stderr'"
}

@test "stdout on /dev/full: every tool says so and exits 9" {
	export ACCEL_DEBUGFS=$T/busy
	full "$CTL" list
	full "$CTL" --json list
	full "$CTL" --root "$T/multi" device list
	full "$CTL" version
	full "$STAT"
	full "$STAT" -c
	full "$STAT" --json
	full "$STAT" --check $NOCONF
	full "$STAT" --prometheus
	full "$STAT" -i 0.01 -n 2
	full "$TOPB" -b -n 1 --source=debugfs
	full "$TOPB" -b -n 1 --source=debugfs --json
	ACCEL_DEBUGFS=$T/full_spa run "$CTL" dump -o "$BATS_TEST_TMPDIR/b.tar.gz"
	assert_success
	full "$CTL" inspect "$BATS_TEST_TMPDIR/b.tar.gz"
	full "$CTL" --json inspect "$BATS_TEST_TMPDIR/b.tar.gz"
	# the same commands on a good stdout succeed
	run "$CTL" list
	assert_success
	run "$STAT" --json
	assert_success
}
