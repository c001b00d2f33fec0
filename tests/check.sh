#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/check.sh: run every suite and print one summary line,
# "N passed, N failed". Exits non-zero on any failure.
#   1. host unit tests (cmocka, tests/unit/test_*), TAP output
#   2. host bats suites (tests/host/*.bats)
#   3. guest bats suites (tests/guest/*.bats), one guest boot per suite
#   4. the debug-kernel lane: guest suites again (DEBUG_SUITES), plus
#      tests/debug/*.bats (kmemleak), on a KASAN/lockdep/kmemleak kernel
#      built from Debian's linux-source-6.1 (scripts/debug-kernel.sh, cached),
#      in DEBUG_VMS guests side by side, started before 1 and run beside
#      1 to 3 at a lower priority, collected last
#   5. the k612 lane, after 3: the module built for Debian's 6.12 kernel
#      (scripts/kver.sh 6.12) in build/k6.12/ (scripts/build-module.sh),
#      then K612_SUITES (suite basenames or globs, default "foundation
#      driver_*": the module's BTF, BPF and every driver suite) on that
#      kernel, one guest boot per suite; the tool suites run on 6.1 only,
#      but for K612_IOMMU (default "doctor_pasid iommu_lat") of tests/iommu
#   6. the iommu lane, after 3: tests/iommu/*.bats (accelctl doctor), each
#      in its own guest on QEMU's q35 machine with the IOMMU its
#      "# accel-vm:" line names (tests/vm/run --iommu), the kernel's config
#      copied to the guest's /boot
# A suite's "# accel-vm: OPTIONS" line adds tests/vm/run options to its
# boot, in any lane.
# SUITES=unit,host,guest,iommu,k612,debug (comma separated) limits what
# runs; GUEST_SUITES names guest suite files (basenames) to run in the
# guest, iommu and k612 lanes.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logdir=$top/build/check
rm -rf "$logdir"
mkdir -p "$logdir"

passed=0
failed=0
failures=()
quarantined=()
suites=${SUITES:-unit,host,guest,iommu,k612,debug}

# count_tap NAME LOG RC: add a TAP log's results to the totals. Tests the
# plan announced but that never reported count as failed, and so does a
# runner that failed without reporting a failed test.
count_tap() {
	local name=$1 log=$2 rc=$3 ok nok plan
	ok=$(grep -cE '^ok ' "$log")
	nok=$(grep -cE '^not ok ' "$log")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$log" | head -n 1)
	passed=$((passed + ok))
	failed=$((failed + nok))
	grep -E '^not ok ' "$log" | sed "s|^|$name: |" >"$logdir/.f"
	while read -r l; do failures+=("$l"); done <"$logdir/.f"
	if [ -n "$plan" ] && [ $((ok + nok)) -lt "$plan" ]; then
		failed=$((failed + plan - ok - nok))
		failures+=("$name: $((plan - ok - nok)) test(s) never reported (exit $rc)")
	elif [ "$rc" != 0 ] && [ "$nok" = 0 ]; then
		failed=$((failed + 1))
		failures+=("$name: exited $rc without a failed test")
	fi
}

want() {
	[[ ",$suites," == *",$1,"* ]]
}

# The debug-kernel lane, started before everything else (debug_start) and
# collected after everything else (debug_finish). Its guests run beside
# the host and stock-guest suites at nice DEBUG_NICE (5): those get the
# CPU they ask for first, and the debug guests the rest of the host's two
# cores, which they were leaving idle; once the stock lane is done the
# debug guests have both cores. Every guest suite (DEBUG_SUITES: suite
# basenames or globs, default "all") runs, plus tests/debug/*.bats
# (kmemleak), on the KASAN/lockdep/kmemleak kernel, which runs them about
# 4x slower than Debian's. The suites are dealt to DEBUG_VMS guests
# (default 2), each booted once: heaviest first (tests/debug/suite-seconds,
# what each took there), to the guest with the least so far. Each guest
# ends with the kmemleak suite. A suite with a "# accel-own-boot" line
# (lockdown: it raises kernel lockdown, which stays up and keeps an
# unsigned module from loading again) gets a guest of its own, without the
# kmemleak suite. no5lvl: with LA57 (-cpu max) this kernel's
# early boot trips a KASAN wild-access report in the IRQ code, which
# taints it and turns lockdep off.
debug_lane() {
	local kdir n f nvm i est files names sentinel tailpid extra
	local -a dsuites groups pids own
	if ! kdir=$(scripts/debug-kernel.sh) ||
		! scripts/debug-module.sh "$kdir" "$top/build/debug/module" >&2; then
		echo "debug-kernel lane: could not build the debug kernel or the module for it"
		: >"$logdir/debug.nobuild"
		return 1
	fi
	for n in ${DEBUG_SUITES:-all}; do
		[ "$n" = all ] && n='*'
		for f in tests/guest/$n.bats; do
			[ -f "$f" ] || continue
			if grep -q '^# accel-own-boot' "$f"; then
				own+=("$f")
			else
				dsuites+=("$f")
			fi
		done
	done
	nvm=${DEBUG_VMS:-2}
	[ "$nvm" -ge 1 ] 2>/dev/null || nvm=1
	[ "$nvm" -gt ${#dsuites[@]} ] && nvm=${#dsuites[@]}
	[ "$nvm" -ge 1 ] || nvm=1
	[ ${#dsuites[@]} -gt 0 ] && mapfile -t groups < <(printf '%s\n' "${dsuites[@]}" |
		awk '
			FNR == NR { sec[$1] = $2; next }
			{ n = $0; sub(".*/", "", n); sub("[.]bats$", "", n)
			  c = (n in sec) ? sec[n] : 120
			  print c, $0 }' tests/debug/suite-seconds - |
		sort -k1,1nr -k2 |
		awk -v nvm="$nvm" '
			{ best = 1
			  for (i = 2; i <= nvm; i++) if (load[i] < load[best]) best = i
			  load[best] += $1; g[best] = g[best] " " $2 }
			END { for (i = 1; i <= nvm; i++) if (g[i] != "") print load[i] g[i] }')
	for f in "${own[@]}"; do
		groups+=("own $f")
	done
	echo "${#groups[@]}" >"$logdir/debug.guests"
	for i in "${!groups[@]}"; do
		read -r est files <<<"${groups[$i]}"
		names=$(for f in $files; do basename "$f" .bats; done | tr '\n' ' ')
		extra=$(echo tests/debug/*.bats)
		if [ "$est" = own ]; then
			extra=
			echo "== debug guest $((i + 1))/${#groups[@]} (its own boot): ${names% }"
		else
			echo "== debug guest $((i + 1))/${#groups[@]} (about ${est} s): ${names}kmemleak"
		fi
		: >"$logdir/debug-$((i + 1)).log"
		# shellcheck disable=SC2086 # files and extra are lists of paths
		nice -n "${DEBUG_NICE:-5}" \
			tests/vm/run --timeout "${DEBUG_TIMEOUT:-5100}" --append no5lvl \
			--kernel "$kdir/arch/x86/boot/bzImage" \
			--module "$top/build/debug/module/accelsim.ko" -- \
			bats --tap --timing $files $extra \
			>"$logdir/debug-$((i + 1)).log" 2>&1 &
		pids+=($!)
	done
	# Progress while they run: each test's result as it comes (the whole
	# logs follow at the end). tail stops once sentinel goes.
	sleep 86400 &
	sentinel=$!
	tail -n +1 -q -F --pid="$sentinel" "$logdir"/debug-*.log 2>/dev/null |
		grep --line-buffered -E '^(not )?ok ' |
		sed -u 's/^/debug progress: /' &
	tailpid=$!
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}"
		echo $? >"$logdir/debug-$((i + 1)).rc"
	done
	kill "$sentinel" 2>/dev/null
	wait "$tailpid" 2>/dev/null
	echo "== debug-kernel lane done"
}

debug_pid=
debug_start() {
	echo "== debug-kernel lane: starting (its guests run beside the suites below)"
	debug_lane &
	debug_pid=$!
}

debug_finish() {
	local i n log rc
	[ -n "$debug_pid" ] || return 0
	echo "== debug-kernel lane: waiting for its guests"
	wait "$debug_pid"
	if [ -e "$logdir/debug.nobuild" ] || [ ! -e "$logdir/debug.guests" ]; then
		failed=$((failed + 1))
		failures+=("debug: could not build the debug kernel or the module for it")
		return
	fi
	n=$(cat "$logdir/debug.guests")
	for ((i = 1; i <= n; i++)); do
		log=$logdir/debug-$i.log
		rc=$(cat "$logdir/debug-$i.rc" 2>/dev/null || echo 1)
		echo "== debug guest $i (exit $rc)"
		cat "$log"
		count_tap "debug-$i" "$log" "$rc"
		if [ "$rc" = 124 ] || [ "$rc" = 125 ]; then
			failed=$((failed + 1))
			failures+=("debug-$i: the debug kernel crashed or reported a problem (exit $rc)")
		fi
	done
}

if want debug; then
	debug_start
fi

if want unit && [ -f tests/unit/Makefile ]; then
	echo "== host unit tests (cmocka)"
	if ! make -s -C tests/unit >"$logdir/unit-build.log" 2>&1; then
		cat "$logdir/unit-build.log"
		failed=$((failed + 1))
		failures+=("unit: build failed")
	else
		for t in tests/unit/test_*; do
			if [ ! -f "$t" ] || [ ! -x "$t" ]; then
				continue
			fi
			n=$(basename "$t")
			CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$logdir/$n.log" 2>&1
			rc=$?
			cat "$logdir/$n.log"
			count_tap "$n" "$logdir/$n.log" "$rc"
		done
	fi
fi

if want host && compgen -G 'tests/host/*.bats' >/dev/null; then
	echo "== host bats suites"
	bats --tap tests/host 2>&1 | tee "$logdir/host.log"
	count_tap host "$logdir/host.log" "${PIPESTATUS[0]}"
fi

# run_guest LABEL TIMEOUT SUITE...: runs each suite in its own guest boot,
# with tests/vm/run's options vm_args (the kernel and module to boot).
vm_args=()
run_guest() {
	local label=$1 tmo=$2 s n rc
	local -a sargs
	shift 2
	for s in "$@"; do
		n=$(basename "$s" .bats)
		if [ -n "${GUEST_SUITES:-}" ] && [[ " $GUEST_SUITES " != *" $n "* ]]; then
			continue
		fi
		reason=$(awk -v n="$n" '$1 == n { $1 = ""; print }' tests/guest/quarantine.txt 2>/dev/null)
		echo "== $label suite $n${reason:+ (quarantined:$reason)}"
		read -ra sargs <<<"$(sed -n 's/^# accel-vm: //p' "$s" | head -n 1)"
		tests/vm/run --timeout "$tmo" "${vm_args[@]}" "${sargs[@]}" -- \
			bats --tap "$s" 2>&1 | tee "$logdir/$label-$n.log"
		rc=${PIPESTATUS[0]}
		if [ -n "$reason" ]; then
			quarantined+=("$label/$n: $(grep -cE '^ok ' "$logdir/$label-$n.log") ok, $(grep -cE '^not ok ' "$logdir/$label-$n.log") not ok, exit $rc;$reason")
			continue
		fi
		count_tap "$label/$n" "$logdir/$label-$n.log" "$rc"
		if [ "$rc" = 124 ] || [ "$rc" = 125 ]; then
			failed=$((failed + 1))
			failures+=("$label/$n: the guest kernel crashed or reported a problem (exit $rc)")
		fi
	done
}

if want guest && compgen -G 'tests/guest/*.bats' >/dev/null; then
	run_guest guest "${GUEST_TIMEOUT:-900}" tests/guest/*.bats
fi

# The iommu lane: accelctl doctor on QEMU's Intel IOMMU, one boot per
# tests/iommu suite, on Debian's 6.1 kernel.
if want iommu && compgen -G 'tests/iommu/*.bats' >/dev/null; then
	iommu_start=$(date +%s)
	kver=$(scripts/kver.sh)
	vm_args=(--add "/boot/config-$kver:/boot/config-$kver")
	run_guest iommu "${GUEST_TIMEOUT:-900}" tests/iommu/*.bats
	vm_args=()
	echo "== iommu lane done in $(($(date +%s) - iommu_start)) s"
fi

# The k612 lane: Debian's 6.12 kernel (Debian 13's, and Debian 12's
# security updates') with the module built for it.
k612_lane() {
	local kver n f
	local -a ksuites
	echo "== k612 lane: the module for Debian's 6.12 kernel"
	if ! kver=$(scripts/kver.sh 6.12) ||
		! scripts/build-module.sh "$kver" "$top/build/k6.12" \
			>"$logdir/k612-build.log" 2>&1; then
		cat "$logdir/k612-build.log" 2>/dev/null
		failed=$((failed + 1))
		failures+=("k612: could not build the module for Debian's 6.12 kernel")
		return
	fi
	echo "k612 lane: built build/k6.12/accelsim.ko for $kver"
	for n in ${K612_SUITES:-foundation driver_*}; do
		for f in tests/guest/$n.bats; do
			[ -f "$f" ] && ksuites+=("$f")
		done
	done
	vm_args=(--kernel "/boot/vmlinuz-$kver" --module "$top/build/k6.12/accelsim.ko")
	run_guest k612 "${GUEST_TIMEOUT:-900}" "${ksuites[@]}"
	ksuites=()
	for n in ${K612_IOMMU-doctor_pasid iommu_lat}; do
		for f in tests/iommu/$n.bats; do
			[ -f "$f" ] && ksuites+=("$f")
		done
	done
	vm_args+=(--add "/boot/config-$kver:/boot/config-$kver")
	[ ${#ksuites[@]} -gt 0 ] && run_guest k612 "${GUEST_TIMEOUT:-900}" "${ksuites[@]}"
	vm_args=()
}

if want k612; then
	k612_start=$(date +%s)
	k612_lane
	echo "== k612 lane done in $(($(date +%s) - k612_start)) s"
fi

debug_finish

echo
if [ ${#quarantined[@]} -gt 0 ]; then
	echo "Quarantined (tests/guest/quarantine.txt; not counted below):"
	printf '  %s\n' "${quarantined[@]}"
fi
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
