#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl inspect --html: the page a support engineer opens. Bundles are
# built from the fixture system tests/fixtures/accelctl-sys (as in
# accelctl_dump.bats), one context renamed to a hostile comm. Debian's
# headless Chromium renders each page: its dumped DOM is checked for what
# the page shows (inspect_html.py dom), its screenshot for the histograms'
# bars (inspect_html.py png). The screenshot and the page are kept in
# build/artifacts/ for CI. Chromium and python3-pil come with 'make deps'.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
CTL="$TOP/cli/accelctl/accelctl"
FIX="$TOP/tests/fixtures"
PY=/usr/bin/python3	# Debian's, with python3-pil
FACTS="$BATS_TEST_DIRNAME/inspect_html.py"
ART="$TOP/build/artifacts"
HOSTILE="<script>&\"'"
CHROMIUM=${CHROMIUM:-chromium}	# Debian's, from 'make deps'

setup_file() {
	command -v "$CHROMIUM" >/dev/null ||
		fail "$CHROMIUM is missing: run 'make deps' (scripts/debian-packages.txt)"
	"$PY" -c 'import PIL' 2>/dev/null ||
		fail "python3-pil is missing: run 'make deps'"
}

setup() {
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/inspect-html.XXXXXX")
	cp -r "$FIX/accelctl-sys" "$T/sys"
	SYS="$T/sys"
	chmod 0200 "$SYS"/sysfs/{new,del}_device "$SYS"/sysfs/devices/afu*/kctx \
		"$SYS"/sysfs/devices/afu0/inject/{fault,afu_error,irq,release_faults}
	# the busiest context gets a comm that is markup, as any process may
	awk -v c="$HOSTILE" 'NR == 2 { $4 = c } { print }' \
		"$SYS/debugfs/afu0/spa" >"$T/spa"
	mv "$T/spa" "$SYS/debugfs/afu0/spa"
	export ACCEL_DEBUGFS="$SYS/debugfs"
	export ACCEL_SYSFS="$SYS/sysfs"
	export ACCEL_TRACEFS="$SYS/tracefs"
	export ACCEL_PROCFS="$SYS/proc"
	export ACCEL_SYSMODULE="$SYS/sysmodule"
	export ACCEL_KMSG="$SYS/kmsg"
	"$CTL" dump -o "$T/b.tar.gz" >/dev/null
}

teardown() {
	rm -rf "$T"
}

# chrome ARGS... URL: headless Chromium as root (--no-sandbox) with a
# private profile, no network, and a deadline.
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--no-first-run --disable-extensions --disable-sync \
		--user-data-dir="$T/chrome" --proxy-server=127.0.0.1:9 \
		"$@" 2>>"$T/chrome.log"
}

# facts PAGE: the dumped DOM of PAGE, as facts (inspect_html.py dom).
facts() {
	chrome --dump-dom "file://$1" >"$T/dom.html" || return 1
	"$PY" "$FACTS" dom "$T/dom.html"
}

@test "the page shows the verdict, devices, histograms, offenders and faults" {
	run "$CTL" inspect --html "$T/page.html" "$T/b.tar.gz"
	assert_success
	assert_output "page written to $T/page.html"
	assert_equal "$(stat -c %a "$T/page.html")" 600
	run facts "$T/page.html"
	assert_success
	assert_line "verdict WARNING"
	# the device table: one row per device, figures as the text inspect
	assert_line "row dev: afu0|online|WARNING|3/8|1|3|2|1|2.50ms|4/64|998|0.8%|2.05µs|130µs|32.8µs"
	assert_line --regexp '^row dev: afu1\|online\|OK\|0/512\|'
	assert_equal "$(grep -c '^row dev: ' <<<"$output")" 2
	# one SVG per histogram; the busy device's buckets are bars that show
	# (fault_lat: 4 buckets, tlbi_lat: 2); the idle device's have none
	assert_line --regexp '^hist hist-afu0-fault-latency svg 1 bars 4 min [0-9.]+$'
	assert_line --regexp '^hist hist-afu0-tlbi-latency svg 1 bars 2 min [0-9.]+$'
	assert_line "hist hist-afu1-fault-latency svg 1 bars 0 min -"
	assert_line "hist hist-afu1-tlbi-latency svg 1 bars 0 min -"
	min=$(sed -n 's/^hist hist-afu0-fault-latency .* min //p' <<<"$output")
	[ "$(echo "$min >= 2" | bc)" = 1 ]
	# the top offenders and the pending faults
	assert_line --index 0 "verdict WARNING"
	assert_line "row offender: afu0|0|1|4242|$HOSTILE|active|300|2|12"
	assert_line "row offender: afu0|1|2|4343|secretwork|zombie|9|0|2"
	assert_line "row fault: afu0|41|0|1|0x7f0000001000|write|pending|52.3µs"
	assert_line "row fault: afu0|42|0|1|0x7f0000002010|read|held|2.50ms"
	assert_line "row section: debugfs|ok|"
	# the hostile comm is text: no element came out of it
	assert_line "row ctx: 0|1|4242|$HOSTILE|active|no|300|7|3|12|48.0KiB"
	assert_line "tag script 0"
	grep -qF '&lt;script&gt;&amp;' "$T/dom.html"
}

@test "the screenshot shows the histograms (kept in build/artifacts)" {
	"$CTL" inspect --html "$T/page.html" "$T/b.tar.gz" >/dev/null
	mkdir -p "$ART"
	rm -f "$ART/inspect-html.png"
	run chrome --screenshot="$ART/inspect-html.png" --window-size=1280,2400 \
		--hide-scrollbars "file://$T/page.html"
	assert_success
	cp "$T/page.html" "$ART/inspect-html.html"
	echo "# screenshot: $ART/inspect-html.png" >&3
	run "$PY" "$FACTS" png "$ART/inspect-html.png"
	assert_success
	assert_line "size 1280 2400"
	# the six bars of afu0 (4 fault buckets, 2 TLBI buckets), each a
	# separate column of the bar colour, the tallest 166 px high
	assert_line "bar_runs 6"
	bar=$(sed -n 's/^bar_pixels //p' <<<"$output")
	[ "$bar" -gt 10000 ]
	ink=$(sed -n 's/^ink //p' <<<"$output")
	[ "$ink" -gt 50000 ]
}

@test "the page is self-contained: nothing to fetch, no script" {
	"$CTL" inspect --html "$T/page.html" "$T/b.tar.gz" >/dev/null
	run grep -Eio 'https?:|ftp:|//[a-z0-9.-]+\.[a-z]|src=|href=|url\(|@import|<script|<link|<img|<iframe|<object|<embed|xlink' "$T/page.html"
	assert_failure 1
	assert_output ""
	grep -qF "default-src 'none'" "$T/page.html"
	run facts "$T/page.html"
	assert_success
	for t in script img link iframe object embed image use foreignobject base form; do
		assert_line "tag $t 0"
	done
}

@test "strings of the manifest are escaped too" {
	mkdir "$T/x"
	tar -xzf "$T/b.tar.gz" -C "$T/x"
	top=$(basename "$T"/x/*)
	jq '.host = "\"><img src=x onerror=alert(1)><b>h"' \
		"$T/x/$top/manifest.json" >"$T/m.json"
	mv "$T/m.json" "$T/x/$top/manifest.json"
	tar -C "$T/x" -czf "$T/h.tar.gz" "$top"
	run "$CTL" inspect --html "$T/page.html" "$T/h.tar.gz"
	assert_success
	run facts "$T/page.html"
	assert_success
	assert_line "tag img 0"
	assert_line "verdict WARNING"
	grep -qF '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;b&gt;h' "$T/page.html"
	run grep -c '<b>h' "$T/page.html"
	assert_output 0
}

@test "a healthy bundle: OK, histograms without samples, no offenders" {
	"$CTL" --root "$FIX/empty" dump -o "$T/e.tar.gz" >/dev/null
	run "$CTL" inspect --html "$T/page.html" "$T/e.tar.gz"
	assert_success
	run facts "$T/page.html"
	assert_success
	assert_line "verdict OK"
	assert_line "hist hist-afu0-fault-latency svg 1 bars 0 min -"
	assert_line "hist hist-afu0-tlbi-latency svg 1 bars 0 min -"
	refute_line --partial "row offender:"
	refute_line --partial "row fault:"
	grep -qF 'none: no contexts' "$T/page.html"
}

@test "a bad bundle is the text inspect's error, exit 1, and no page" {
	head -c 300 "$T/b.tar.gz" >"$T/t.tar.gz"
	: >"$T/e"
	for f in "$T/t.tar.gz" "$T/e" "$T/nope.tar.gz"; do
		run "$CTL" inspect "$f"
		assert_failure 1
		text=$output
		run "$CTL" inspect --html "$T/page.html" "$f"
		assert_failure 1
		assert_output "$text"
		assert_equal "${#lines[@]}" 1
		[ ! -e "$T/page.html" ]
	done
	# an existing page is left as it was
	echo old >"$T/page.html"
	run "$CTL" inspect --html "$T/page.html" "$T/e"
	assert_failure 1
	assert_equal "$(cat "$T/page.html")" old
	run --separate-stderr "$CTL" --json inspect --html "$T/page.html" "$T/e"
	assert_failure 1
	echo "$output" | jq -e '.error | test("empty file")'
}

@test "an unwritable page is one error line, exit 1, nothing left behind" {
	run "$CTL" inspect --html /nonexistent-dir/page.html "$T/b.tar.gz"
	assert_failure 1
	assert_output "accelctl: cannot write the page: /nonexistent-dir/page.html: No such file or directory"
	# a directory cannot be replaced by the page
	mkdir "$T/dir"
	run "$CTL" inspect --html "$T/dir" "$T/b.tar.gz"
	assert_failure 1
	assert_output "accelctl: cannot write the page: $T/dir: Is a directory"
	run find "$T" -maxdepth 1 -name '*.tmp.*'
	assert_output ""
}

@test "an existing page is replaced whole; --json names it" {
	head -c 100000 /dev/zero >"$T/page.html"
	run --separate-stderr "$CTL" --json inspect --html "$T/page.html" "$T/b.tar.gz"
	assert_success
	echo "$output" | jq -e --arg p "$T/page.html" '.html == $p'
	run tail -c 8 "$T/page.html"
	assert_output "</html>"
	run head -c 15 "$T/page.html"
	assert_output "<!DOCTYPE html>"
	# no byte of the old file is left: the page holds no NUL
	assert_equal "$(tr -d '\000' <"$T/page.html" | wc -c)" "$(stat -c %s "$T/page.html")"
}

@test "--html: usage errors" {
	run "$CTL" inspect --html "$T/page.html"
	assert_failure 2
	run "$CTL" inspect --extract --html "$T/page.html" "$T/b.tar.gz"
	assert_failure 2
	assert_output --partial "--extract and --html exclude each other"
	run "$CTL" inspect --html "" "$T/b.tar.gz"
	assert_failure 2
	[ ! -e "$T/page.html" ]
}
