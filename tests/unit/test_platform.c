// SPDX-License-Identifier: MIT
/*
 * Unit tests: the platform view's pure helpers (accel_platform.h): the
 * PCIe extended capability walk, kernel command-line parameters, kernel
 * config symbols and the kernel log filter.
 */
#include "unit.h"
#include "accel_platform.h"

#define CFG 4096

/* An extended capability header at off: id, version 1, next. */
static void ext_hdr(uint8_t *cfg, unsigned int off, unsigned int id,
		    unsigned int next)
{
	uint32_t h = id | 1u << 16 | next << 20;

	cfg[off] = h & 0xff;
	cfg[off + 1] = (h >> 8) & 0xff;
	cfg[off + 2] = (h >> 16) & 0xff;
	cfg[off + 3] = h >> 24;
}

static void test_ext_cap_walk(void **state)
{
	static uint8_t cfg[CFG];

	memset(cfg, 0, sizeof(cfg));
	ext_hdr(cfg, 0x100, 0x01, 0x140);		/* AER */
	ext_hdr(cfg, 0x140, ACCEL_PCI_EXT_ATS, 0x200);
	ext_hdr(cfg, 0x200, ACCEL_PCI_EXT_PASID, 0x210);
	ext_hdr(cfg, 0x210, ACCEL_PCI_EXT_PRI, 0);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, ACCEL_PCI_EXT_ATS), 0x140);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, ACCEL_PCI_EXT_PASID),
			 0x200);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, ACCEL_PCI_EXT_PRI), 0x210);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, 0x0b), 0);
	/* only the first 256 bytes (conventional PCI, or not root) */
	assert_int_equal(accel_pci_ext_cap(cfg, 256, ACCEL_PCI_EXT_ATS), 0);
	/* cut inside the list: what lies past the end is not read */
	assert_int_equal(accel_pci_ext_cap(cfg, 0x202, ACCEL_PCI_EXT_PASID),
			 0);
	assert_int_equal(accel_pci_ext_cap(cfg, 0x204, ACCEL_PCI_EXT_PASID),
			 0x200);
}

static void test_ext_cap_broken(void **state)
{
	static uint8_t cfg[CFG];

	/* a loop: AER pointing at itself, then at each other */
	memset(cfg, 0, sizeof(cfg));
	ext_hdr(cfg, 0x100, 0x01, 0x100);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, ACCEL_PCI_EXT_ATS), 0);
	ext_hdr(cfg, 0x100, 0x01, 0x150);
	ext_hdr(cfg, 0x150, 0x02, 0x100);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, ACCEL_PCI_EXT_ATS), 0);
	/* next below 0x100 ends the list */
	ext_hdr(cfg, 0x100, 0x01, 0x40);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, ACCEL_PCI_EXT_ATS), 0);
	/* all ones: a function that went away */
	memset(cfg + 0x100, 0xff, 4);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, 0xffff), 0);
	/* next at the last dword */
	ext_hdr(cfg, 0x100, 0x01, 0xffc);
	ext_hdr(cfg, 0xffc, ACCEL_PCI_EXT_ATS, 0);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG, ACCEL_PCI_EXT_ATS), 0xffc);
	assert_int_equal(accel_pci_ext_cap(cfg, CFG - 1, ACCEL_PCI_EXT_ATS), 0);
}

static void test_cmdline_param(void **state)
{
	struct accel_platform p = { 0 };
	char line[] = "BOOT_IMAGE=/vmlinuz ro intel_iommu=on intel_iommu_x=1 "
		      "iommu.strict quiet intel_iommu=on,sm_on";
	char b[64];

	assert_null(accel_cmdline_param(&p, "intel_iommu", b, sizeof(b)));
	p.cmdline = line;
	/* the last one given wins */
	assert_string_equal(accel_cmdline_param(&p, "intel_iommu", b,
						sizeof(b)), "on,sm_on");
	assert_string_equal(accel_cmdline_param(&p, "iommu.strict", b,
						sizeof(b)), "");
	assert_string_equal(accel_cmdline_param(&p, "BOOT_IMAGE", b,
						sizeof(b)), "/vmlinuz");
	assert_null(accel_cmdline_param(&p, "iommu", b, sizeof(b)));
	assert_null(accel_cmdline_param(&p, "intel", b, sizeof(b)));
	assert_string_equal(accel_cmdline_param(&p, "quiet", b, sizeof(b)),
			    "");
}

static void test_kconfig(void **state)
{
	struct accel_platform p = { 0 };
	char cfg[] = "#\n# CONFIG_UACCE is not set\nCONFIG_IOMMU_SVA_LIB=y\n"
		     "CONFIG_IOMMU_SVA=y\nCONFIG_INTEL_IDXD=m\n"
		     "CONFIG_NR_CPUS=8192\nCONFIG_LAST=y";
	char b[32];

	assert_null(accel_kconfig(&p, "IOMMU_SVA", b, sizeof(b)));
	p.config = cfg;
	assert_string_equal(accel_kconfig(&p, "IOMMU_SVA", b, sizeof(b)), "y");
	assert_string_equal(accel_kconfig(&p, "INTEL_IDXD", b, sizeof(b)),
			    "m");
	assert_string_equal(accel_kconfig(&p, "NR_CPUS", b, sizeof(b)),
			    "8192");
	assert_string_equal(accel_kconfig(&p, "LAST", b, sizeof(b)), "y");
	assert_null(accel_kconfig(&p, "UACCE", b, sizeof(b)));
	assert_null(accel_kconfig(&p, "IOMMU", b, sizeof(b)));
	assert_null(accel_kconfig(&p, "INTEL_IDXD_SVM", b, sizeof(b)));
}

static void test_log_filter(void **state)
{
	assert_true(accel_platform_log_line("DMAR: IOMMU enabled"));
	assert_true(accel_platform_log_line(
		"DMAR: dmar0: SVM disabled, incompatible paging mode"));
	assert_true(accel_platform_log_line(
		"idxd 0000:6a:01.0: Unable to turn on user SVA feature."));
	assert_true(accel_platform_log_line("AMD-Vi: IOMMU performance counters supported"));
	assert_false(accel_platform_log_line(
		"pci 0000:00:01.0: Adding to iommu group 0"));
	assert_false(accel_platform_log_line("usb 1-1: new high-speed USB device"));
}

static void test_vtd_bits(void **state)
{
	/* QEMU 7.2's intel-iommu,x-scalable-mode=on (docs VM-FACTS.md) */
	uint64_t ecap = 0x480080f00f4aull;

	assert_true(accel_bit(ecap, ACCEL_VTD_ECAP_SMTS));
	assert_false(accel_bit(ecap, ACCEL_VTD_ECAP_PASID));
	assert_false(accel_bit(ecap, ACCEL_VTD_ECAP_PRS));
	assert_true(accel_bit(ecap, ACCEL_VTD_ECAP_SLTS));
	assert_false(accel_bit(ecap, ACCEL_VTD_ECAP_FLTS));
	assert_true(accel_bit(ecap, ACCEL_VTD_ECAP_QI));
	/* and with x-pasid-mode=on */
	assert_true(accel_bit(0x490080f00f4aull, ACCEL_VTD_ECAP_PASID));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ext_cap_walk),
		cmocka_unit_test(test_ext_cap_broken),
		cmocka_unit_test(test_cmdline_param),
		cmocka_unit_test(test_kconfig),
		cmocka_unit_test(test_log_filter),
		cmocka_unit_test(test_vtd_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
