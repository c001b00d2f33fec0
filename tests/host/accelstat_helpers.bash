# SPDX-License-Identifier: MIT
# Shared setup of the accelstat bats suites: the built binary, the fixture
# trees, and a checker of the Prometheus text exposition format.
# shellcheck disable=SC2034 # the variables are for the suites that load this

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

ACCELSTAT="$BATS_TEST_DIRNAME/../../cli/accelstat/accelstat"
FIX="$BATS_TEST_DIRNAME/../fixtures"

# Never pick up the host's health.conf or debugfs by accident, nor keep
# --check's readings in the host's /var/lib/accel: each test has its own.
export ACCEL_DEBUGFS=/nonexistent-accel-root
export ACCEL_STATE_DIR=${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:-/tmp}}/accel-state
NOCONF="--config=/dev/null"

# prom_check FILE: validate Prometheus text format (version 0.0.4).
# Checks: line syntax, metric and label names, label escapes, values;
# HELP/TYPE before samples and at most once; families contiguous; sample
# names match their family (_bucket/_count/_sum for histograms); no
# duplicate series; histogram buckets have le, are cumulative, and the
# +Inf bucket equals _count. Prints the first problem and fails.
prom_check() {
	awk '
	function fail(msg) { printf "line %d: %s: %s\n", NR, msg, $0; bad = 1; exit 1 }
	function isname(s) { return s ~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/ }
	function isval(s) {
		return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ ||
		       s == "NaN" || s == "+Inf" || s == "-Inf"
	}
	# family of a sample name given declared types
	function family(n,   b) {
		if (n in type) return n
		b = n; sub(/_(bucket|count|sum)$/, "", b)
		if (b != n && (b in type) && (type[b] == "histogram" || type[b] == "summary")) return b
		return ""
	}
	/^# HELP / {
		if (!isname($3)) fail("bad HELP name")
		if ($3 in help) fail("second HELP")
		help[$3] = 1; next
	}
	/^# TYPE / {
		if (!isname($3)) fail("bad TYPE name")
		if ($3 in type) fail("second TYPE")
		if ($4 !~ /^(counter|gauge|histogram|summary|untyped)$/ || NF != 4) fail("bad type")
		if ($3 in seen) fail("TYPE after samples")
		type[$3] = $4; next
	}
	/^#/ { next }
	/^$/ { next }
	{
		line = $0
		if (!match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)) fail("bad metric name")
		name = substr(line, 1, RLENGTH); rest = substr(line, RLENGTH + 1)
		labels = ""; le = ""
		if (substr(rest, 1, 1) == "{") {
			i = 2; n = length(rest); key = ""
			while (1) {
				if (substr(rest, i, 1) == "}") { i++; break }
				if (!match(substr(rest, i), /^[a-zA-Z_][a-zA-Z0-9_]*="/)) fail("bad label")
				lname = substr(rest, i, RLENGTH - 2)
				if (lname in lseen) fail("label twice")
				lseen[lname] = 1
				i += RLENGTH; val = ""
				while (i <= n) {
					c = substr(rest, i, 1)
					if (c == "\\") {
						d = substr(rest, i + 1, 1)
						if (d != "\\" && d != "\"" && d != "n") fail("bad escape")
						val = val c d; i += 2; continue
					}
					if (c == "\"") break
					val = val c; i++
				}
				if (i > n) fail("unterminated label value")
				i++
				if (lname == "le") le = val
				else labels = labels lname "=" val ","
				c = substr(rest, i, 1)
				if (c == ",") { i++; continue }
				if (c == "}") { i++; break }
				fail("bad label separator")
			}
			for (k in lseen) delete lseen[k]
			rest = substr(rest, i)
		}
		if (substr(rest, 1, 1) != " ") fail("no space before value")
		nf = split(substr(rest, 2), v, " ")
		if (nf < 1 || nf > 2 || !isval(v[1])) fail("bad value")
		if (nf == 2 && v[2] !~ /^-?[0-9]+$/) fail("bad timestamp")
		fam = family(name)
		if (fam == "") fail("sample without TYPE")
		if (fam != cur) {
			if (fam in done) fail("family " fam " not contiguous")
			if (cur != "") done[cur] = 1
			cur = fam
		}
		seen[fam] = 1
		t = type[fam]
		if (t == "counter" && (v[1] ~ /^-/)) fail("negative counter")
		if (t == "histogram") {
			if (name == fam) fail("bare histogram sample")
			if (name ~ /_bucket$/) {
				if (le == "") fail("bucket without le")
				if (!isval(le)) fail("bad le")
				if ((fam, labels) in lastle && le != "+Inf" && le + 0 <= lastle[fam, labels]) fail("le not increasing")
				if ((fam, labels) in lastcum && v[1] + 0 < lastcum[fam, labels]) fail("buckets not cumulative")
				lastle[fam, labels] = le + 0; lastcum[fam, labels] = v[1] + 0
				if (le == "+Inf") inf[fam, labels] = v[1] + 0
			} else if (name ~ /_count$/) {
				cnt[fam, labels] = v[1] + 0
			}
		} else if (le != "" && t != "histogram") {
			labels = labels "le=" le ","
		}
		id = name "{" labels "le=" le "}"
		if (id in series) fail("duplicate series")
		series[id] = 1
		nsamples++
	}
	END {
		if (bad) exit 1
		for (k in cnt) {
			if (!(k in inf)) { print "histogram without +Inf bucket"; exit 1 }
			if (inf[k] != cnt[k]) { print "+Inf bucket != _count"; exit 1 }
		}
		for (k in inf) if (!(k in cnt)) { print "histogram without _count"; exit 1 }
		if (!nsamples) { print "no samples"; exit 1 }
	}' "$1"
}
