#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# accelctl doctor on fixture platform trees (tests/fixtures/platform,
# written from the kernel's ABI documents, not recorded on hardware): a
# machine that can do SVA with an idxd device, and the ways it can fail
# (idxd without PASID, scalable mode off, units that disagree, paging,
# kernel config missing or compressed, AMD, no IOMMU at all). The four
# QEMU machines are tests/iommu/*.bats.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

CTL="$BATS_TEST_DIRNAME/../../cli/accelctl/accelctl"
FIX="$BATS_TEST_DIRNAME/../fixtures/platform"

setup() {
	export ACCEL_DEBUGFS=/nonexistent-accel-root
	export ACCEL_SYSFS=/nonexistent-accel-sysfs
	T=$(mktemp -d "${BATS_TMPDIR:-/tmp}/doctor.XXXXXX")
	mk_root intel-sva
	export ACCEL_PLATFORM_ROOT=$R
}

teardown() {
	rm -rf "$T"
}

# mk_root NAME: a copy of the fixture NAME at $R, each config.xxd (offset
# and hex words, as xxd prints them) turned into the binary config file
# sysfs would show.
mk_root() {
	local f
	R=$T/$1
	cp -a "$FIX/$1" "$R"
	while read -r f; do
		perl -e 'open(my $o, ">", $ARGV[0]) or die "$ARGV[0]: $!";
			binmode $o;
			while (<STDIN>) {
				next unless /^([0-9a-f]+):((?: [0-9a-f]{4})+)/;
				my ($off, $h) = (hex $1, $2);
				$h =~ s/ //g;
				seek($o, $off, 0);
				print $o pack("H*", $h);
			}' "${f%.xxd}" <"$f"
		rm "$f"
	done < <(find "$R" -name '*.xxd')
}

# status_of NAME [SUBJECT]: the status of check NAME in $output (JSON).
status_of() {
	jq -r --arg n "$1" --arg s "${2:-}" \
		'.checks[] | select(.name == $n and ($s == "" or .subject == $s)) | .status' <<<"$json"
}

doctor_json() {
	json=$("$CTL" -j doctor) || true
}

@test "the fixture's config spaces are 4096 and 256 bytes, as sysfs shows them" {
	run stat -c %s "$R/sys/bus/pci/devices/0000:6a:01.0/config"
	assert_output 4096
	run stat -c %s "$R/sys/bus/pci/devices/0000:00:00.0/config"
	assert_output 256
}

@test "a machine that can do SVA: verdict possible, exit 0" {
	run "$CTL" doctor
	assert_success
	assert_line 'verdict: SVA possible'
	refute_line --regexp '^(FAIL|UNKNOWN) '
	assert_line --regexp '^PASS +iommu\.acpi '
	assert_line --regexp '^PASS +iommu\.present +dmar0 \(intel-iommu\), dmar1 \(intel-iommu\)'
	assert_line --regexp '^PASS +iommu\.scalable +dmar0 ecap SMTS=1 and the kernel uses scalable mode'
	assert_line --regexp '^PASS +iommu\.prs +dmar1 ecap 0x1c998a4000006: PRS=1$'
	assert_line --regexp '^PASS +iommu\.consistent +2 unit\(s\) agree'
	assert_line --regexp '^PASS +kconfig\.intel_iommu_svm +CONFIG_INTEL_IOMMU_SVM=y in .*/boot/config-6\.1\.0-57-amd64$'
	assert_line --regexp '^PASS +pci\.sva_device +1 PCI function\(s\) with PASID, PRI and ATS: 0000:6a:01\.0$'
	assert_line --regexp '^PASS +idxd\.pasid +dsa0 \(PCI 0000:6a:01\.0\) pasid_enabled=1$'
	assert_line --regexp '^PASS +idxd\.wq +wq0\.0 mode shared, state enabled \(shared: uses SVA\)$'
	assert_line --regexp '^PASS +kmsg\.dmar +7 IOMMU line\(s\) in the kernel log, none refusing SVA$'
	assert_line --regexp '^NOTE +accelsim\.devices '
}

@test "a machine that can do SVA: the JSON verdict, units, devices and log" {
	doctor_json
	run jq -r '.verdict, .schema_version, .kernel' <<<"$json"
	assert_output $'pass\n1\n6.1.0-57-amd64'
	run jq -r '.iommu_units[] | "\(.name) \(.kind) \(.ecap) \(.cap)"' <<<"$json"
	assert_output $'dmar0 intel 0x1c998a4000006 0x11000000001f0204\ndmar1 intel 0x1c998a4000006 0x11000000001f0204'
	run jq -c '.pci_devices[] | select(.bdf == "0000:6a:01.0") | [.id, .class, .driver, .iommu_group, .pasid, .pri, .ats, .pasid_width, .idxd]' <<<"$json"
	assert_output '["8086:0b25","0x088000","idxd",1,true,true,true,20,"dsa0"]'
	run jq -c '.pci_devices[] | select(.bdf == "0000:17:00.0") | [.driver, .pasid, .pri, .ats]' <<<"$json"
	assert_output '["ice",false,false,true]'
	run jq -c '.pci_devices[] | select(.bdf == "0000:00:00.0") | [.driver, .iommu_group, .ext_config, .ats]' <<<"$json"
	assert_output '["",0,false,false]'
	run jq -c '.idxd_devices[] | [.name, .pci, .pasid_enabled, [.wqs[] | .name + ":" + .mode]]' <<<"$json"
	assert_output '["dsa0","0000:6a:01.0",true,["wq0.0:shared","wq0.1:dedicated"]]'
	# the log's IOMMU lines with their times; the group lines and the
	# USB line left out
	run jq -r '.kernel_log[]' <<<"$json"
	assert_line '[    1.020304] DMAR: IOMMU enabled'
	assert_line '[    5.100000] idxd 0000:6a:01.0: Intel(R) Accelerator Device (v100)'
	refute_line --partial 'Adding to iommu group'
	refute_line --partial 'usb'
}

@test "every check in JSON has a name, a known status and evidence; the text says the same" {
	doctor_json
	run jq -r '.checks[] | select((.name | test("^[a-z0-9_]+\\.[a-z0-9_]+$") | not) or (.status | IN("pass","fail","unknown","note") | not) or .evidence == "") | .name' <<<"$json"
	assert_output ''
	run jq -r '.checks[] | "\(.status | ascii_upcase) \(.name)"' <<<"$json"
	local want=$output
	run bash -c "'$CTL' doctor | awk '/^[A-Z]+ / { print \$1, \$2 }'"
	assert_output "$want"
}

@test "--sysroot reads the same tree as ACCEL_PLATFORM_ROOT" {
	local want
	want=$("$CTL" doctor)
	run env -u ACCEL_PLATFORM_ROOT "$CTL" doctor --sysroot "$R"
	assert_success
	assert_output "$want"
}

@test "idxd without PASID: idxd.pasid and the shared WQ fail, the dedicated WQ passes, exit 7" {
	echo 0 >"$R/sys/bus/dsa/devices/dsa0/pasid_enabled"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +idxd\.pasid +dsa0 \(PCI 0000:6a:01\.0\) pasid_enabled=0$'
	assert_line --regexp '^FAIL +idxd\.wq +wq0\.0 mode shared, state enabled \(shared, but the device has no PASID\)$'
	assert_line --regexp '^PASS +idxd\.wq +wq0\.1 mode dedicated, state enabled \(dedicated: works without SVA\)$'
	assert_line 'verdict: SVA not possible (idxd.pasid, idxd.wq failed)'
	doctor_json
	run status_of idxd.wq wq0.0
	assert_output fail
	run status_of idxd.wq wq0.1
	assert_output pass
}

@test "the kernel's idxd refusal in the log fails kmsg.dmar with the line" {
	echo '4,1010,5300000,-;idxd 0000:6a:01.0: Unable to turn on user SVA feature.' >>"$R/dev/kmsg"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +kmsg\.dmar +1 kernel log line\(s\) refuse SVA: "\[    5\.300000\] idxd 0000:6a:01\.0: Unable to turn on user SVA feature\."$'
}

@test "sm_off on the command line: iommu.scalable fails on both units and names it" {
	sed -i 's/intel_iommu=on,sm_on/intel_iommu=on,sm_off/' "$R/proc/cmdline"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +iommu\.scalable +dmar0 supports scalable mode \(SMTS=1\) but the kernel does not use it: intel_iommu=\.\.\.sm_off'
	assert_line --regexp '^FAIL +iommu\.scalable +dmar1 '
	assert_line --partial 'fix: add intel_iommu=on,sm_on to the kernel command line'
}

@test "no sm_on: scalable mode comes from the config's default, on or off" {
	sed -i 's/intel_iommu=on,sm_on/intel_iommu=on/' "$R/proc/cmdline"
	run "$CTL" doctor
	assert_success
	assert_line --regexp '^PASS +iommu\.scalable +dmar0 .*\(CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON is set\)$'
	sed -i '/SCALABLE_MODE_DEFAULT_ON/d' "$R/boot/config-6.1.0-57-amd64"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +iommu\.scalable +dmar0 .*CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON is not set$'
}

@test "units that disagree: iommu.consistent and the unit's iommu.prs fail, with the kernel's line" {
	# dmar1 without PRS (bit 29)
	printf '%x\n' $((0x1c998a4000006 & ~(1 << 29))) >"$R/sys/class/iommu/dmar1/intel-iommu/ecap"
	echo '6,1011,1510000,-;DMAR: IOMMU feature prs inconsistent' >>"$R/dev/kmsg"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^PASS +iommu\.prs +dmar0 '
	assert_line --regexp '^FAIL +iommu\.prs +dmar1 ecap 0x1c99884000006: PRS=0$'
	assert_line --regexp '^FAIL +iommu\.consistent +the units disagree: PRS: dmar0=1, dmar1=0; log: \[    1\.510000\] DMAR: IOMMU feature prs inconsistent$'
	assert_line --regexp '^FAIL +kmsg\.dmar '
	doctor_json
	run status_of iommu.prs dmar0
	assert_output pass
	run status_of iommu.prs dmar1
	assert_output fail
}

@test "5-level paging on a unit without FL5LP: iommu.paging fails with the kernel's reason" {
	sed -i 's/ pdpe1gb / pdpe1gb la57 /' "$R/proc/cpuinfo"
	printf '%x\n' $((0x11000000001f0204 & ~(1 << 60))) >"$R/sys/class/iommu/dmar0/intel-iommu/cap"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +iommu\.paging +the CPU runs 5-level paging \(la57\) but dmar0 cap FL5LP=0'
	assert_line --partial 'fix: boot with no5lvl'
	assert_line --regexp '^PASS +iommu\.paging +dmar1 '
}

@test "no kernel config: the kconfig checks are unknown, the verdict unknown, exit 8" {
	rm "$R/boot/config-6.1.0-57-amd64"
	run "$CTL" doctor
	assert_failure 8
	assert_line --regexp '^UNKNOWN +kconfig\.iommu_sva +no kernel config for 6\.1\.0-57-amd64'
	assert_line 'verdict: unknown (kconfig.iommu_sva, kconfig.intel_iommu_svm, kconfig.intel_idxd_svm could not tell)'
	doctor_json
	run jq -r .verdict <<<"$json"
	assert_output unknown
}

@test "the kernel config from /proc/config.gz" {
	mv "$R/boot/config-6.1.0-57-amd64" "$R/proc/config"
	gzip "$R/proc/config"
	run "$CTL" doctor
	assert_success
	assert_line --regexp '^PASS +kconfig\.iommu_sva +CONFIG_IOMMU_SVA=y in .*/proc/config\.gz$'
}

@test "CONFIG_INTEL_IOMMU_SVM not set fails; UACCE not set is a note" {
	sed -i 's/^CONFIG_INTEL_IOMMU_SVM=y/# CONFIG_INTEL_IOMMU_SVM is not set/' "$R/boot/config-6.1.0-57-amd64"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +kconfig\.intel_iommu_svm +CONFIG_INTEL_IOMMU_SVM is not set in '
	assert_line --regexp '^NOTE +kconfig\.uacce +CONFIG_UACCE is not set in '
	assert_line 'verdict: SVA not possible (kconfig.intel_iommu_svm failed)'
}

@test "no device with PASID, PRI and ATS: pci.sva_device fails" {
	rm "$R/sys/bus/pci/devices/0000:6a:01.0"
	rm -r "$R/sys/bus/dsa"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +pci\.sva_device +none of the 2 PCI functions has PASID, PRI and ATS \(1 with some of them\)$'
	assert_line --regexp '^NOTE +pci\.device +0000:17:00\.0 8086:1592 driver ice, IOMMU group 2: PASID=0 \(width 0\) PRI=0 ATS=1$'
}

@test "an extended capability list that loops ends, and finds nothing" {
	local cfg=$R/sys/bus/pci/devices/0000:17:00.0/config
	# AER at 0x100 pointing back at itself
	printf '\x01\x00\x02\x10' | dd of="$cfg" bs=1 seek=256 conv=notrunc status=none
	run timeout 10 "$CTL" -j doctor
	assert_success
	json=$output
	run jq -c '.pci_devices[] | select(.bdf == "0000:17:00.0") | [.ext_config, .pasid, .pri, .ats]' <<<"$json"
	assert_output '[true,false,false,false]'
}

@test "an AMD machine: IVRS and an AMD unit are unknown, not pass" {
	rm "$R/sys/firmware/acpi/tables/DMAR" "$R/sys/class/iommu/dmar0" "$R/sys/class/iommu/dmar1"
	echo IVRS >"$R/sys/firmware/acpi/tables/IVRS"
	mkdir -p "$R/sys/class/iommu/ivhd0/amd-iommu"
	run "$CTL" doctor
	assert_failure 8
	assert_line --regexp '^UNKNOWN +iommu\.acpi +ACPI IVRS table: an AMD IOMMU'
	assert_line --regexp '^UNKNOWN +iommu\.caps +ivhd0 is an AMD IOMMU'
	assert_line --regexp '^verdict: unknown \(iommu\.acpi, iommu\.caps could not tell\)$'
}

@test "no IOMMU and intel_iommu=off: iommu.present fails and says to remove it" {
	rm "$R/sys/class/iommu/dmar0" "$R/sys/class/iommu/dmar1"
	sed -i 's/intel_iommu=on,sm_on/intel_iommu=off/' "$R/proc/cmdline"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +iommu\.present +no IOMMU unit in /sys/class/iommu: the kernel command line has intel_iommu=off$'
	assert_line --partial 'fix: remove intel_iommu=off from the kernel command line'
	refute_line --regexp 'iommu\.(scalable|pasid|prs) '
}

@test "a DMAR table but no unit and no intel_iommu: says to add intel_iommu=on" {
	rm "$R/sys/class/iommu/dmar0" "$R/sys/class/iommu/dmar1"
	sed -i 's/ intel_iommu=on,sm_on//' "$R/proc/cmdline"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +iommu\.present +no IOMMU unit in /sys/class/iommu although the firmware has a DMAR table; kernel default on, intel_iommu=\(not given\)$'
	assert_line --partial 'fix: add intel_iommu=on to the kernel command line'
}

@test "an unreadable kernel log is a note, not a verdict" {
	rm "$R/dev/kmsg"
	run "$CTL" doctor
	assert_success
	assert_line --regexp '^NOTE +kmsg\.dmar +cannot read the kernel log \(/dev/kmsg\): No such file or directory$'
}

@test "accelsim's devices count as one more SVA device" {
	export ACCEL_DEBUGFS="$BATS_TEST_DIRNAME/../fixtures/multi"
	run "$CTL" doctor
	assert_success
	assert_line --regexp '^PASS +accelsim\.devices +3 accelsim device\(s\): afu0, afu1, afu3 \(software SVA'
}

@test "doctor takes no operand; --help lists --sysroot and the exit codes" {
	run "$CTL" doctor extra
	assert_failure 2
	run "$CTL" doctor --help
	assert_success
	assert_output --partial '--sysroot'
	assert_output --partial 'Exit status: 0 SVA possible, 7 SVA not possible, 8 unknown'
	run "$CTL" help
	assert_output --regexp 'doctor +is SVA possible on this machine'
}

@test "no IOMMU with intel_iommu=on,sm_off: sm_off is not intel_iommu=off" {
	rm "$R/sys/class/iommu/dmar0" "$R/sys/class/iommu/dmar1"
	sed -i 's/intel_iommu=on,sm_on/intel_iommu=on,sm_off/' "$R/proc/cmdline"
	run "$CTL" doctor
	assert_failure 7
	assert_line --regexp '^FAIL +iommu\.present +no IOMMU unit in /sys/class/iommu although the firmware has a DMAR table'
	refute_output --partial 'remove intel_iommu=off'
}
