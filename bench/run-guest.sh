#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/run-guest.sh: the guest side of 'make bench' (see bench/README.md).
# Runs the ten figures, each as BENCH_ROUNDS rounds that alternate the two
# things compared, and writes the raw measurements to /out/raw.json for the
# host's bench/report.sh. Progress goes to standard error. A figure that
# cannot be measured is recorded as {"error": "..."}; the run goes on.
set -uo pipefail

ROUNDS=${BENCH_ROUNDS:-5}
F1_PAGES=${BENCH_F1_PAGES:-1024}	# pages per latency leg
F2_PAGES=${BENCH_F2_PAGES:-1024}	# pages per iteration
F2_ITERS=${BENCH_F2_ITERS:-4}
F3_ITERS=${BENCH_F3_ITERS:-60}		# munmap+remap cycles per leg
F4_SIZE=${BENCH_F4_SIZE:-4M}		# accelctl run --fresh size
F4_ITERS=${BENCH_F4_ITERS:-6}
F5_SIZE=${BENCH_F5_SIZE:-1048576}	# bytes copied per rep
F5_REPS=${BENCH_F5_REPS:-8}
F6_CONTEXTS=${BENCH_F6_CONTEXTS:-4096}
F6_REPS=${BENCH_F6_REPS:-2}
F7_BIG=${BENCH_F7_BIG:-32768}
F7_SMALL=${BENCH_F7_SMALL:-1024}
F8_SECS=${BENCH_F8_SECS:-5}		# acceltop CPU window per round
F9_SIZE=${BENCH_F9_SIZE:-4M}		# victim's accelctl run --fresh --op=copy
F9_ITERS=${BENCH_F9_ITERS:-4}
F9_STORM_PAGES=${BENCH_F9_STORM_PAGES:-64}	# pages per storm loop
F10_PROCS=${BENCH_F10_PROCS:-8}		# processes on the two devices
F10_PAGES=${BENCH_F10_PAGES:-1024}	# pages per process and iteration
F10_ITERS=${BENCH_F10_ITERS:-4}
PROCS=${BENCH_HOLD_PROCS:-16}		# holder processes (PASIDs)
FIGURES=${BENCH_FIGURES:-1,2,3,4,5,6,7,8,9,10}	# the figures to run

here=$(cd "$(dirname "$0")" && pwd)
export PATH=$here:$PATH
dbg=/sys/kernel/debug/accelsim
out=/out
tmp=$(mktemp -d)
holders=()
t_start=$(date +%s)

log() {
	printf 'bench: [%4ds] %s\n' "$(($(date +%s) - t_start))" "$*" >&2
}

cleanup() {
	local p
	for p in "${holders[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# want N: whether figure N is one of BENCH_FIGURES.
want() {
	[[ ",$FIGURES," == *",$1,"* ]]
}

# fail FIGURE MESSAGE: record why a figure could not be measured.
fail() {
	log "$1: FAILED: $2"
	jq -n --arg e "$2" '{error: $e}' >"$out/$1.json"
}

# hist FILE NAME: the log2 histogram NAME of a stats file, as 64 counts.
hist() {
	awk -v n="$2" '$1 == n { h[$2] = $3 }
		END { printf "["; for (b = 0; b < 64; b++) printf "%s%d", b ? "," : "", h[b] + 0; print "]" }' "$1"
}

# counter FILE NAME: a counter of a stats file.
counter() {
	awk -v n="$2" '$1 == n && $2 == "-" { print $3 }' "$1"
}

# hist_delta BEFORE AFTER NAME
hist_delta() {
	jq -cn --argjson a "$(hist "$1" "$3")" --argjson b "$(hist "$2" "$3")" \
		'[range(64) as $i | $b[$i] - $a[$i]]'
}

# stuck PID WHAT: log where each thread of PID is blocked (its state,
# wchan and kernel stack), before the caller kills it.
stuck() {
	local t
	log "$2 (pid $1) is stuck: $(grep -E '^(State|Threads):' "/proc/$1/status" 2>/dev/null | tr '\n\t' '  ')"
	for t in /proc/"$1"/task/*; do
		[ -d "$t" ] || continue
		log "  thread ${t##*/} $(cat "$t/comm" 2>/dev/null): state $(cut -d' ' -f3 "$t/stat" 2>/dev/null), wchan $(cat "$t/wchan" 2>/dev/null)"
		sed 's/^/    /' "$t/stack" >&2 2>/dev/null
	done
}

# wait_pid PID SECONDS WHAT: wait for PID, a child, to exit, and return
# its status. If it has not exited after SECONDS, log where it is stuck,
# kill it and return 124: a stall ends the leg instead of the whole run.
wait_pid() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			return
		fi
		sleep 0.1
	done
	stuck "$1" "$3"
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 124
}

# top_start SOURCE FILE [ARGS]: acceltop in batch mode, JSON lines to FILE;
# returns once its second refresh is out: events right after the first one
# were seen to go uncounted, so the leg starts in acceltop's steady state.
top_pid=
top_start() {
	local src=$1 file=$2 i
	shift 2
	acceltop -b --json -i 1 --source="$src" "$@" >"$file" 2>"$file.err" &
	top_pid=$!
	for ((i = 0; i < 600; i++)); do
		[ "$(wc -l <"$file")" -ge 2 ] && return 0
		kill -0 "$top_pid" 2>/dev/null || break
		sleep 0.1
	done
	log "acceltop --source=$src did not start: $(tr '\n' ' ' <"$file.err")"
	kill "$top_pid" 2>/dev/null
	wait "$top_pid" 2>/dev/null
	return 1
}

# top_stop FILE: wait for two more refreshes (every event of the work just
# run is counted), then stop acceltop.
top_stop() {
	local n i rc
	n=$(wc -l <"$1")
	for ((i = 0; i < 100; i++)); do
		[ "$(wc -l <"$1")" -ge $((n + 2)) ] && break
		kill -0 "$top_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$(wc -l <"$1")" -lt $((n + 2)) ]; then
		rc=running
		if ! kill -0 "$top_pid" 2>/dev/null; then
			wait "$top_pid"
			rc=$?
		fi
		log "acceltop gave no refresh for 10 s after the work (status $rc): $(tail -c 200 "$1.err" | tr '\n' ' ')"
	fi
	kill -INT "$top_pid" 2>/dev/null
	wait_pid "$top_pid" 30 "acceltop after SIGINT"
	top_pid=
}

# hold DEV N: attach N contexts to afuDEV in PROCS processes, in the
# background, until the script ends or unhold.
hold() {
	local f=$tmp/hold.$1 i procs=$PROCS
	[ "$procs" -gt "$2" ] && procs=$2
	bench_hold "$1" "$2" "$procs" >"$f" 2>"$f.err" &
	holders+=($!)
	for ((i = 0; i < 3000; i++)); do
		grep -q '^ready' "$f" && return 0
		kill -0 "${holders[-1]}" 2>/dev/null || break
		sleep 0.1
	done
	log "bench_hold $1 $2: $(tr '\n' ' ' <"$f.err")"
	return 1
}

unhold() {
	local p
	for p in "${holders[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	holders=()
}

# run_op OP ARGS: accelctl run --op=OP of fresh pages on afu0, its JSON
# report. A run that has not ended after BENCH_RUN_TIMEOUT seconds (300)
# is logged where it is stuck and killed.
run_op() {
	local rc=0 op=$1
	shift
	accelctl -j run -d afu0 --fresh --op="$op" "$@" >"$tmp/run.out" 2>>"$tmp/run.err" &
	wait_pid $! "${BENCH_RUN_TIMEOUT:-300}" "accelctl run --op=$op $*" || rc=$?
	cat "$tmp/run.out"
	return "$rc"
}

# run_fresh ARGS: accelctl run --op=touch of fresh pages on afu0.
run_fresh() {
	run_op touch "$@"
}

# --- 1. fault service latency -------------------------------------------
fig1() {
	local r cpu dev bpf j=() top=$tmp/top1
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f1 fault latency: round $r/$ROUNDS"
		cpu=$(bench_touch lat "$F1_PAGES") || return 1
		cat $dbg/afu0/stats >"$tmp/s0"
		run_fresh -s $((F1_PAGES * 4))K --window 1 --chunk 64K -n 1 >/dev/null || return 1
		cat $dbg/afu0/stats >"$tmp/s1"
		dev=$(hist_delta "$tmp/s0" "$tmp/s1" fault_lat_ns)
		top_start bpf-btf "$top" || return 1
		run_fresh -s $((F1_PAGES * 4))K --window 1 --chunk 64K -n 1 >/dev/null || return 1
		top_stop "$top"
		bpf=$(tail -n 1 "$top" | jq -c '[.devices[] | select(.device == "afu0") | .totals.fault_lat_ns[]] as $h
			| [range(64) as $i | ([$h[] | select(.bucket == $i) | .count] | add // 0)]') || return 1
		if [ "$(jq add <<<"$bpf")" = 0 ]; then
			log "f1: acceltop counted no faults: $(tail -c 300 "$top.err" | tr '\n' ' ') lines $(wc -l <"$top")"
			cp "$top" "$out/f1-acceltop-$r.json"
		fi
		j+=("$(jq -cn --argjson c "$cpu" --argjson d "$dev" --argjson b "$bpf" \
			'{cpu: $c, dev_hist: $d, bpf_hist: $b}')")
	done
	printf '%s\n' "${j[@]}" | jq -s '{pages: '"$F1_PAGES"', rounds: .}' >"$out/f1.json"
}

# --- 2. fault throughput --------------------------------------------------
fig2() {
	local r cpu dev j=()
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f2 fault throughput: round $r/$ROUNDS"
		cpu=$(bench_touch rate "$F2_PAGES" "$F2_ITERS") || return 1
		dev=$(run_fresh -s $((F2_PAGES * 4))K -n "$F2_ITERS") || return 1
		j+=("$(jq -cn --argjson c "$cpu" --argjson d "$dev" \
			'{cpu_pages_per_s: $c.pages_per_s,
			  dev_pages: ($d.bytes / 4096), dev_faults: $d.device_stats_delta.faults_raised,
			  dev_pages_per_s: ($d.bytes / 4096 / $d.elapsed_s)}')")
	done
	printf '%s\n' "${j[@]}" | jq -s '{rounds: .}' >"$out/f2.json"
}

# --- 3. TLBI overhead -----------------------------------------------------
fig3() {
	local r a b j=()
	cat $dbg/afu0/stats >"$tmp/s0"
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f3 TLBI overhead: round $r/$ROUNDS"
		a=$(bench_tlbi ctx "$F3_ITERS") || return 1
		b=$(bench_tlbi none "$F3_ITERS") || return 1
		j+=("$(jq -cn --argjson a "$a" --argjson b "$b" '{ctx: $a, none: $b}')")
	done
	cat $dbg/afu0/stats >"$tmp/s1"
	printf '%s\n' "${j[@]}" | jq -s --argjson h "$(hist_delta "$tmp/s0" "$tmp/s1" tlbi_lat_ns)" \
		'{rounds: ., tlbi_hist: $h}' >"$out/f3.json"
}

# --- 4. tracing overhead --------------------------------------------------
fig4() {
	local r none bpf tfs j=() top=$tmp/top4
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f4 tracing overhead: round $r/$ROUNDS"
		none=$(run_fresh -s "$F4_SIZE" -n "$F4_ITERS") || return 1
		top_start bpf-btf "$top" || return 1
		bpf=$(run_fresh -s "$F4_SIZE" -n "$F4_ITERS") || return 1
		top_stop "$top"
		top_start tracefs "$top" || return 1
		tfs=$(run_fresh -s "$F4_SIZE" -n "$F4_ITERS") || return 1
		top_stop "$top"
		j+=("$(jq -cn --argjson n "$none" --argjson b "$bpf" --argjson t "$tfs" \
			'{none_bps: $n.bytes_per_s, bpf_bps: $b.bytes_per_s, tracefs_bps: $t.bytes_per_s}')")
	done
	printf '%s\n' "${j[@]}" | jq -s '{rounds: .}' >"$out/f4.json"
}

# --- 5. engine copy -------------------------------------------------------
fig5() {
	local main small
	log "f5 engine copy: $ROUNDS rounds"
	cat $dbg/afu0/stats >"$tmp/s0"
	main=$(bench_copy "$F5_SIZE" "$ROUNDS" "$F5_REPS") || return 1
	cat $dbg/afu0/stats >"$tmp/s1"
	# The same bytes with 64 KiB buffers (32 pages: resident in any ATC of 32+).
	small=$(bench_copy 65536 "$ROUNDS" $((F5_SIZE * F5_REPS / 65536))) || return 1
	jq -n --argjson m "$main" --argjson s "$small" \
		--argjson h "$(($(counter "$tmp/s1" atc_hits) - $(counter "$tmp/s0" atc_hits)))" \
		--argjson x "$(($(counter "$tmp/s1" atc_misses) - $(counter "$tmp/s0" atc_misses)))" \
		'$m + {atc_resident: $s, atc_hits: $h, atc_misses: $x}' >"$out/f5.json"
}

# --- 9. noisy neighbour ---------------------------------------------------
# storm_start ctx|none: bench_storm on afu0 in the background, once it is
# attached (or at once unattached); storm_stop: end it (its JSON report
# is then the last line of $tmp/storm.out).
storm_pid=
storm_start() {
	local i
	bench_storm "$1" "$F9_STORM_PAGES" 0 >"$tmp/storm.out" 2>"$tmp/storm.err" &
	storm_pid=$!
	for ((i = 0; i < 600; i++)); do
		grep -q '^ready' "$tmp/storm.out" && return 0
		kill -0 "$storm_pid" 2>/dev/null || break
		sleep 0.1
	done
	log "bench_storm $1 did not start: $(tr '\n' ' ' <"$tmp/storm.err")"
	kill "$storm_pid" 2>/dev/null
	wait "$storm_pid" 2>/dev/null
	return 1
}

storm_stop() {
	kill -TERM "$storm_pid" 2>/dev/null
	wait_pid "$storm_pid" 30 "bench_storm after SIGTERM" || return 1
	storm_pid=
}

fig9() {
	local r a b sa sb t0 t1 j=()
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f9 noisy neighbour: round $r/$ROUNDS"
		storm_start ctx || return 1
		t0=$(counter $dbg/afu0/stats tlbis)
		a=$(run_op copy -s "$F9_SIZE" -n "$F9_ITERS") || return 1
		t1=$(counter $dbg/afu0/stats tlbis)
		storm_stop || return 1
		sa=$(tail -n 1 "$tmp/storm.out")
		storm_start none || return 1
		b=$(run_op copy -s "$F9_SIZE" -n "$F9_ITERS") || return 1
		storm_stop || return 1
		sb=$(tail -n 1 "$tmp/storm.out")
		j+=("$(jq -cn --argjson a "$a" --argjson b "$b" --argjson sa "$sa" --argjson sb "$sb" \
			--argjson t "$((t1 - t0))" \
			'{ctx_bps: $a.bytes_per_s, none_bps: $b.bytes_per_s,
			  storm_ctx: $sa, storm_none: $sb, storm_tlbis: $t}')")
	done
	printf '%s\n' "${j[@]}" | jq -s --argjson p "$F9_STORM_PAGES" \
		'{storm_pages: $p, rounds: .}' >"$out/f9.json"
}

# --- 10. scaling across devices ---------------------------------------------
# faultin DEVS PROCS: bench_faultin on afu0..afuDEVS-1, its JSON report,
# with the faults the devices raised meanwhile.
faultin() {
	local rc=0 f0 f1
	f0=$(($(counter $dbg/afu0/stats faults_raised) + $(counter $dbg/afu1/stats faults_raised)))
	bench_faultin "$1" "$2" "$F10_PAGES" "$F10_ITERS" >"$tmp/faultin.out" 2>"$tmp/faultin.err" &
	wait_pid $! "${BENCH_RUN_TIMEOUT:-300}" "bench_faultin $1 $2" || rc=$?
	[ "$rc" = 0 ] || { log "bench_faultin $1 $2: $(tr '\n' ' ' <"$tmp/faultin.err")"; return "$rc"; }
	f1=$(($(counter $dbg/afu0/stats faults_raised) + $(counter $dbg/afu1/stats faults_raised)))
	jq -c --argjson f "$((f1 - f0))" '. + {faults: $f}' "$tmp/faultin.out"
}

fig10() {
	local r a b j=()
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f10 scaling across devices: round $r/$ROUNDS"
		a=$(faultin 2 "$F10_PROCS") || return 1
		b=$(faultin 1 1) || return 1
		j+=("$(jq -cn --argjson a "$a" --argjson b "$b" '{multi: $a, single: $b}')")
	done
	printf '%s\n' "${j[@]}" | jq -s '{rounds: .}' >"$out/f10.json"
}

# --- 6. snapshot cost, 8. acceltop cost (4096 contexts) --------------------
fig6() {
	local r a b j=() files
	files=("$dbg"/afu*/{info,spa,pasids,faults,irqs,stats})
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f6 snapshot cost: round $r/$ROUNDS"
		a=$(bench_run "$F6_REPS" accelstat --json) || return 1
		b=$(bench_run "$F6_REPS" cat "${files[@]}") || return 1
		j+=("$(jq -cn --argjson a "$a" --argjson b "$b" '{accelstat: $a, cat: $b}')")
	done
	printf '%s\n' "${j[@]}" | jq -s --argjson n "$F6_CONTEXTS" \
		'{contexts: $n, rounds: .}' >"$out/f6.json"
}

# cpu_ticks PID: utime + stime of PID in clock ticks.
cpu_ticks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

fig8() {
	local r i pid c0 c1 t0 t1 hz j=() f=$tmp/top8
	# USER_HZ: /proc/PID/stat counts in 1/100 s on x86 (no getconf here).
	hz=100
	acceltop -b -i 1 >"$f" 2>"$f.err" &
	pid=$!
	# Past start-up: the second refresh is out.
	for ((i = 0; i < 600; i++)); do
		[ "$(grep -c '^acceltop ' "$f")" -ge 2 ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ "$(grep -c '^acceltop ' "$f")" -lt 2 ]; then
		kill "$pid" 2>/dev/null
		log "acceltop: $(tr '\n' ' ' <"$f.err")"
		return 1
	fi
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f8 acceltop cost: window $r/$ROUNDS (${F8_SECS}s)"
		c0=$(cpu_ticks "$pid") t0=$(cut -d' ' -f1 /proc/uptime)
		sleep "$F8_SECS"
		c1=$(cpu_ticks "$pid") t1=$(cut -d' ' -f1 /proc/uptime)
		j+=("$(jq -cn --argjson c "$((c1 - c0))" --argjson hz "$hz" \
			--argjson t0 "$t0" --argjson t1 "$t1" '{cpu_s: ($c / $hz), wall_s: ($t1 - $t0)}')") || return 1
	done
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	printf '%s\n' "${j[@]}" | jq -s --arg src "$(sed -n 's/^acceltop .* source \([^ ]*\) .*/\1/p' "$f" | tail -n 1)" \
		--argjson n "$F6_CONTEXTS" \
		'{contexts: $n, source: $src, rounds: .}' >"$out/f8.json"
}

# --- 7. scaling -------------------------------------------------------------
fig7() {
	local r x j=()
	for ((r = 1; r <= ROUNDS; r++)); do
		log "f7 spa scaling: round $r/$ROUNDS"
		x=$(bench_read 1 $dbg/afu2/spa $dbg/afu3/spa) || return 1
		j+=("$(jq -c '{big: .[0], small: .[1]}' <<<"$x")")
	done
	printf '%s\n' "${j[@]}" | jq -s --argjson b "$F7_BIG" --argjson s "$F7_SMALL" \
		'{big_pes: $b, small_pes: $s, rounds: .}' >"$out/f7.json"
}

log "start: $ROUNDS rounds per figure, $(nproc) CPUs, clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
[ -d $dbg/afu0 ] || { log "no afu0: is accelsim.ko loaded?"; exit 1; }
# Warm up the fault path and the tools once (page cache, first BPF load).
run_fresh -s 256K -n 1 >/dev/null

want 1 && { fig1 || fail f1 "fault latency: $(tail -n 1 "$tmp/run.err" 2>/dev/null)"; }
want 2 && { fig2 || fail f2 "fault throughput: $(tail -n 1 "$tmp/run.err" 2>/dev/null)"; }
want 3 && { fig3 || fail f3 "TLBI loop failed"; }
want 4 && { fig4 || fail f4 "tracing overhead: $(tail -n 1 "$tmp/run.err" 2>/dev/null)"; }
want 5 && { fig5 || fail f5 "engine copy failed"; }
if want 9; then
	fig9 || fail f9 "noisy neighbour: $(tail -n 1 "$tmp/run.err" 2>/dev/null)"
	if [ -n "$storm_pid" ]; then
		kill "$storm_pid" 2>/dev/null
		wait "$storm_pid" 2>/dev/null
		storm_pid=
	fi
fi

if want 10; then
	log "adding afu1 for figure 10"
	if echo "1 $((F10_PROCS + 1))" >/sys/bus/accelsim/new_device; then
		fig10 || fail f10 "scaling across devices failed"
		echo 1 >/sys/bus/accelsim/del_device
	else
		fail f10 "cannot add afu1"
	fi
fi

if want 6 || want 8; then
	log "attaching $F6_CONTEXTS contexts to afu1"
	if echo "1 $F6_CONTEXTS" >/sys/bus/accelsim/new_device && hold 1 "$F6_CONTEXTS"; then
		want 6 && { fig6 || fail f6 "snapshot cost failed"; }
		want 8 && { fig8 || fail f8 "acceltop cost failed"; }
	else
		fail f6 "cannot attach $F6_CONTEXTS contexts"
		fail f8 "cannot attach $F6_CONTEXTS contexts"
	fi
	unhold
	echo 1 >/sys/bus/accelsim/del_device
fi

if want 7; then
	log "attaching $F7_BIG contexts to afu2 and $F7_SMALL to afu3"
	if echo "2 $F7_BIG" >/sys/bus/accelsim/new_device && echo "3 $F7_SMALL" >/sys/bus/accelsim/new_device &&
		hold 2 "$F7_BIG" && hold 3 "$F7_SMALL"; then
		fig7 || fail f7 "spa read failed"
	else
		fail f7 "cannot attach $F7_BIG and $F7_SMALL contexts"
	fi
	unhold
fi

for f in 1 2 3 4 5 6 7 8 9 10; do
	want "$f" || fail "f$f" "not run (BENCH_FIGURES=$FIGURES)"
done

jq -n --argjson rounds "$ROUNDS" --arg kernel "$(uname -r)" \
	--arg clocksource "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" \
	--argjson secs "$(($(date +%s) - t_start))" \
	'{rounds: $rounds, kernel: $kernel, clocksource: $clocksource, guest_seconds: $secs}' >"$out/meta.json"
jq -s '{meta: .[0], f1: .[1], f2: .[2], f3: .[3], f4: .[4], f5: .[5], f6: .[6], f7: .[7], f8: .[8],
	f9: .[9], f10: .[10]}' \
	"$out"/meta.json "$out"/f{1,2,3,4,5,6,7,8,9,10}.json >"$out/raw.json" || exit 1
log "done"
