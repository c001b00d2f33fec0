#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelstat --idxd: the idxd (Intel DSA/IAA) devices, groups, work queues
# and engines of a fixture platform tree (tests/fixtures/platform/intel-sva,
# written from the kernel's ABI documents, not recorded on hardware) as
# text, JSON and Prometheus metrics; attributes an older kernel lacks are
# absent, not zero; and accelstat on a machine with idxd and no accelsim.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
STAT=$TOP/cli/accelstat/accelstat
FIX=$TOP/tests/fixtures/platform

setup() {
	export ACCEL_DEBUGFS=/nonexistent-accel-root
	R=$BATS_TEST_TMPDIR/intel-sva
	cp -a "$FIX/intel-sva" "$R"
	export ACCEL_PLATFORM_ROOT=$R
	WQ=$R/sys/bus/dsa/devices
}

@test "text: the device, its work queues, groups and engines" {
	run "$STAT" --idxd
	assert_success
	assert_line 'dsa0: PCI 0000:6a:01.0, state enabled, version 0x100, pasid_enabled 1, clients 3'
	assert_line --regexp '^  max +groups 4, wqs 8 \(128 entries\), engines 4, batch 1024, transfer 2147483648$'
	assert_line --regexp '^  wq0\.0 +shared +user +enabled +64 +12 +2 +0 +app_shared$'
	assert_line --regexp '^  wq0\.1 +dedicated +user +enabled +16 +0 +1 +0 +app_dedicated$'
	assert_line --regexp '^  group0\.0 +engine0\.0 engine0\.1 +wq0\.0 wq0\.1$'
	assert_line --regexp '^  group0\.1 +\(none\) +\(none\)$'
	assert_line --regexp '^  engine0\.0 +0$'
	assert_line --regexp '^  engine0\.1 +0$'
}

@test "--sysroot overrides \$ACCEL_PLATFORM_ROOT" {
	ACCEL_PLATFORM_ROOT=/nonexistent run "$STAT" --idxd --sysroot "$R"
	assert_success
	assert_line --partial 'dsa0: PCI 0000:6a:01.0'
}

@test "an attribute the kernel lacks is absent, not zero: text, JSON, metrics" {
	rm "$WQ/wq0.0/occupancy" "$WQ/dsa0/clients"
	run "$STAT" --idxd
	assert_success
	assert_line --regexp '^  wq0\.0 +shared +user +enabled +64 +- +2 +0 +app_shared$'
	assert_line --partial 'pasid_enabled 1, clients -'
	run sh -c "'$STAT' --idxd --json | python3 -c 'import json,sys; d=json.load(sys.stdin)[\"idxd\"][\"devices\"][0]; print(\"occupancy\" in d[\"wqs\"][0][\"attrs\"], \"clients\" in d[\"attrs\"], d[\"wqs\"][1][\"attrs\"][\"occupancy\"])'"
	assert_success
	assert_output 'False False 0'
	run "$STAT" --idxd --prometheus
	assert_success
	refute_line --partial 'accel_idxd_wq_occupancy{device="dsa0",wq="wq0.0"'
	assert_line 'accel_idxd_wq_occupancy{device="dsa0",wq="wq0.1",mode="dedicated",state="enabled"} 0'
	refute_line --regexp '^accel_idxd_device_clients\{'
}

@test "JSON: strict JSON with the ABI's attributes, numbers as numbers" {
	"$STAT" --idxd --json >"$BATS_TEST_TMPDIR/j"
	run python3 - "$BATS_TEST_TMPDIR/j" <<'PY'
import json, sys
def strict(c):
    raise ValueError(c)
top = json.load(open(sys.argv[1]), parse_constant=strict)
assert top["schema_version"] == 1, top
devs = top["idxd"]["devices"]
d = devs[0]
print(len(devs), d["name"], d["pci"], d["attrs"]["pasid_enabled"],
      d["attrs"]["version"], d["attrs"]["max_transfer_size"])
for w in d["wqs"]:
    a = w["attrs"]
    print(w["name"], a["mode"], a["state"], a["size"], a["occupancy"],
          a["clients"], a["group_id"], repr(a["name"]))
print([g["name"] for g in d["groups"]], d["groups"][0]["attrs"]["engines"])
print([(e["name"], e["attrs"]["group_id"]) for e in d["engines"]])
PY
	assert_success
	assert_output - <<'OUT'
1 dsa0 0000:6a:01.0 1 0x100 2147483648
wq0.0 shared enabled 64 12 2 0 'app_shared'
wq0.1 dedicated enabled 16 0 1 0 'app_dedicated'
['group0.0', 'group0.1'] engine0.0 engine0.1
[('engine0.0', 0), ('engine0.1', 0)]
OUT
}

@test "JSON: a numeric WQ name stays a string" {
	echo 42 >"$WQ/wq0.1/name"
	run sh -c "'$STAT' --idxd --json | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)[\"idxd\"][\"devices\"][0][\"wqs\"][1][\"attrs\"][\"name\"]))'"
	assert_success
	assert_output "'42'"
}

@test "Prometheus: the WQ gauges with device, wq, mode and state; promtool passes" {
	local promtool
	promtool=$("$TOP/scripts/promtool.sh" --check-only) ||
		fail "no promtool: run 'make deps'"
	"$STAT" --idxd --prometheus >"$BATS_TEST_TMPDIR/m"
	run cat "$BATS_TEST_TMPDIR/m"
	assert_line 'accel_idxd_up 1'
	assert_line 'accel_idxd_devices 1'
	assert_line 'accel_idxd_device_info{device="dsa0",pci="0000:6a:01.0",state="enabled",version="0x100"} 1'
	assert_line 'accel_idxd_device_pasid_enabled{device="dsa0"} 1'
	assert_line 'accel_idxd_wq_size{device="dsa0",wq="wq0.0",mode="shared",state="enabled"} 64'
	assert_line 'accel_idxd_wq_occupancy{device="dsa0",wq="wq0.0",mode="shared",state="enabled"} 12'
	assert_line 'accel_idxd_wq_clients{device="dsa0",wq="wq0.1",mode="dedicated",state="enabled"} 1'
	assert_line 'accel_idxd_wq_info{device="dsa0",wq="wq0.0",type="user",group="0",name="app_shared"} 1'
	assert_line 'accel_idxd_engine_group{device="dsa0",engine="engine0.1"} 0'
	run "$promtool" check metrics <"$BATS_TEST_TMPDIR/m"
	assert_success
	assert_output ""
}

@test "Prometheus -o writes the idxd metrics atomically" {
	run "$STAT" --idxd --prometheus -o "$BATS_TEST_TMPDIR/out.prom"
	assert_success
	assert_output ""
	run grep -c '^accel_idxd_wq_size{' "$BATS_TEST_TMPDIR/out.prom"
	assert_output 2
}

@test "a WQ name with quotes and a backslash is escaped in the labels" {
	printf 'a"b\\c\n' >"$WQ/wq0.0/name"
	run "$STAT" --idxd --prometheus
	assert_success
	assert_line 'accel_idxd_wq_info{device="dsa0",wq="wq0.0",type="user",group="0",name="a\"b\\c"} 1'
}

@test "no idxd bus: exit 3 with the path; metrics say accel_idxd_up 0" {
	rm -r "$R/sys/bus/dsa"
	run "$STAT" --idxd
	assert_failure 3
	assert_output "accelstat: $R/sys/bus/dsa/devices: no such directory (idxd driver not loaded)"
	run --separate-stderr "$STAT" --idxd --prometheus
	assert_failure 3
	assert_line 'accel_idxd_up 0'
}

@test "the bus without devices: no idxd devices, empty JSON list" {
	rm -r "$R/sys/bus/dsa/devices"
	mkdir "$R/sys/bus/dsa/devices"
	run "$STAT" --idxd
	assert_success
	assert_output 'no idxd devices'
	run sh -c "'$STAT' --idxd --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"idxd\"][\"devices\"])'"
	assert_output '[]'
}

@test "no accelsim, idxd present: accelstat shows idxd and says why, exit 0" {
	run --separate-stderr "$STAT"
	assert_success
	assert_line 'dsa0: PCI 0000:6a:01.0, state enabled, version 0x100, pasid_enabled 1, clients 3'
	[[ "$stderr" == "accelstat: accelsim not loaded (/nonexistent-accel-root: "*"); showing the idxd devices" ]]
	run --separate-stderr "$STAT" --json
	assert_success
	run python3 -c 'import json,sys; t=json.loads(sys.argv[1]); print(t["accelsim_error"].startswith("/nonexistent-accel-root"), t["idxd"]["devices"][0]["name"])' "$output"
	assert_output 'True dsa0'
}

@test "no accelsim and no idxd: still exit 3 (driver not available)" {
	rm -r "$R/sys/bus/dsa"
	run "$STAT"
	assert_failure 3
	assert_output --partial '/nonexistent-accel-root'
	refute_output --partial 'idxd'
}

@test "no accelsim: the accelsim-only selections keep exit 3 with idxd present" {
	run "$STAT" -c
	assert_failure 3
	run "$STAT" -d 0
	assert_failure 3
	run "$STAT" --prometheus
	assert_failure 3
}

@test "--idxd refuses the accelsim-only options (usage error 2)" {
	local a
	for a in -c -p -f -q -a "-d 0" "-i 1" "--root /x" "--bundle /x --sysroot /y"; do
		# shellcheck disable=SC2086
		run "$STAT" --idxd $a
		assert_failure 2
		assert_output --partial '--idxd applies to'
	done
	# --check's usage errors are the plugin's UNKNOWN (3)
	run "$STAT" --idxd --check
	assert_failure 3
	assert_line 'ACCEL UNKNOWN - --idxd applies to the snapshot, --json and --prometheus only (--bundle or --sysroot)'
}

# dump_bundle: accelctl dump of the accelsim fixture system and of the
# idxd tree at $ACCEL_PLATFORM_ROOT, as $B.
dump_bundle() {
	local sys=$TOP/tests/fixtures/accelctl-sys
	B=$BATS_TEST_TMPDIR/b.tar.gz
	ACCEL_DEBUGFS=$sys/debugfs ACCEL_SYSFS=$sys/sysfs \
		ACCEL_TRACEFS=$sys/tracefs ACCEL_PROCFS=$sys/proc \
		ACCEL_SYSMODULE=$sys/sysmodule ACCEL_KMSG=$sys/kmsg \
		"$TOP/cli/accelctl/accelctl" dump -o "$B" >/dev/null
}

@test "bundle: accelctl dump saves idxd.json; its manifest lists the idxd section" {
	dump_bundle
	mkdir "$BATS_TEST_TMPDIR/x"
	tar -xzf "$B" -C "$BATS_TEST_TMPDIR/x"
	run sh -c "cat '$BATS_TEST_TMPDIR'/x/*/manifest.json | python3 -c 'import json,sys; m=json.load(sys.stdin); print([s for s in m[\"sections\"] if s[\"name\"] == \"idxd\"], [f[\"path\"] for f in m[\"files\"] if \"idxd\" in f[\"path\"]])'"
	assert_success
	assert_output "[{'name': 'idxd', 'status': 'ok'}] ['idxd.json']"
	run sh -c "cat '$BATS_TEST_TMPDIR'/x/*/idxd.json | python3 -c 'import json,sys; t=json.load(sys.stdin); print(t[\"bus\"], [w[\"name\"] + \":\" + w[\"attrs\"][\"mode\"] for w in t[\"devices\"][0][\"wqs\"]])'"
	assert_success
	assert_output "True ['wq0.0:shared', 'wq0.1:dedicated']"
}

@test "bundle: accelstat --bundle --idxd shows what the live machine showed (text, JSON, metrics)" {
	dump_bundle
	live=$("$STAT" --idxd)
	run --separate-stderr "$STAT" --bundle "$B" --idxd
	assert_success
	assert_equal "$output" "$live"
	# the tree can go: the bundle holds it all
	rm -r "$R"
	run --separate-stderr "$STAT" --bundle "$B" --idxd --prometheus
	assert_success
	assert_line 'accel_idxd_wq_occupancy{device="dsa0",wq="wq0.0",mode="shared",state="enabled"} 12'
	run --separate-stderr "$STAT" --bundle "$B" --idxd --json
	assert_success
	run python3 -c 'import json,sys; t=json.loads(sys.argv[1]); d=t["idxd"]["devices"][0]; print(t["bundle"] == sys.argv[2], d["attrs"]["pasid_enabled"], d["wqs"][0]["attrs"]["occupancy"], d["wqs"][1]["attrs"]["name"], len(d["groups"]), len(d["engines"]))' "$output" "$B"
	assert_output 'True 1 12 app_dedicated 2 2'
}

@test "bundle: an attribute absent at dump time stays absent when read back" {
	rm "$WQ/wq0.0/occupancy"
	dump_bundle
	run "$STAT" --bundle "$B" --idxd
	assert_success
	assert_line --regexp '^  wq0\.0 +shared +user +enabled +64 +- +2 +0 +app_shared$'
	run "$STAT" --bundle "$B" --idxd --prometheus
	refute_line --partial 'accel_idxd_wq_occupancy{device="dsa0",wq="wq0.0"'
}

@test "bundle: taken without an idxd bus, --idxd says so (exit 3)" {
	rm -r "$R/sys/bus/dsa"
	dump_bundle
	run "$STAT" --bundle "$B" --idxd
	assert_failure 3
	assert_output "accelstat: $B: no idxd bus when the bundle was taken (idxd driver not loaded)"
}
