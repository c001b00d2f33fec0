/* SPDX-License-Identifier: MIT */
/*
 * libaccel: the machine's own IOMMU and SVA devices, as the kernel shows
 * them (accelctl doctor). Every path is read under a root prefix: "" for
 * the running machine, or a fixture tree ($ACCEL_PLATFORM_ROOT) holding
 * sys/, proc/, boot/ and dev/kmsg (a text file of /dev/kmsg records).
 *
 * Sources: /sys/class/iommu/<unit>/intel-iommu/{cap,ecap,version}
 * (Documentation/ABI/testing/sysfs-class-iommu-intel-iommu), the ACPI
 * tables in /sys/firmware/acpi/tables (DMAR: Intel VT-d, IVRS: AMD-Vi),
 * /proc/cmdline, /proc/cpuinfo, /boot/config-<release> or /proc/config.gz,
 * /sys/bus/pci/devices/<bdf>/{config,driver,iommu_group}, the idxd bus
 * /sys/bus/dsa/devices (Documentation/ABI/stable/sysfs-driver-dma-idxd)
 * and the kernel log.
 */
#ifndef ACCEL_PLATFORM_H
#define ACCEL_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel_idxd.h"

/*
 * Intel VT-d capability and extended capability bits SVA depends on. Bit
 * positions from the VT-d specification as the kernel reads them
 * (linux-6.1 drivers/iommu/intel/iommu.h: cap_fl1gp_support,
 * cap_fl5lp_support, ecap_smpwc, ecap_flts, ecap_slts, ecap_smts,
 * ecap_pasid, ecap_srs, ecap_prs, ecap_nest, ecap_dev_iotlb_support,
 * ecap_qis).
 */
#define ACCEL_VTD_CAP_FL1GP	56	/* first-level 1 GiB pages */
#define ACCEL_VTD_CAP_FL5LP	60	/* first-level 5-level paging */
#define ACCEL_VTD_ECAP_SMPWC	48	/* scalable-mode page-walk coherency */
#define ACCEL_VTD_ECAP_FLTS	47	/* first-level translation */
#define ACCEL_VTD_ECAP_SLTS	46	/* second-level translation */
#define ACCEL_VTD_ECAP_SMTS	43	/* scalable-mode translation */
#define ACCEL_VTD_ECAP_PASID	40	/* process address space IDs */
#define ACCEL_VTD_ECAP_SRS	31	/* supervisor requests */
#define ACCEL_VTD_ECAP_PRS	29	/* page requests */
#define ACCEL_VTD_ECAP_NEST	26	/* nested translation */
#define ACCEL_VTD_ECAP_DT	2	/* device TLBs (ATS) */
#define ACCEL_VTD_ECAP_QI	1	/* queued invalidation */

static inline bool accel_bit(uint64_t v, unsigned int bit)
{
	return (v >> bit) & 1;
}

/* PCI Express extended capability IDs (PCIe base specification). */
#define ACCEL_PCI_EXT_ATS	0x0f
#define ACCEL_PCI_EXT_PRI	0x13
#define ACCEL_PCI_EXT_PASID	0x1b

/* The paths read, for messages (under the root prefix). */
#define ACCEL_PLATFORM_CLASS_IOMMU	"/sys/class/iommu"
#define ACCEL_PLATFORM_ACPI_TABLES	"/sys/firmware/acpi/tables"
#define ACCEL_PLATFORM_CMDLINE		"/proc/cmdline"
#define ACCEL_PLATFORM_CPUINFO		"/proc/cpuinfo"
#define ACCEL_PLATFORM_PCI		"/sys/bus/pci/devices"
#define ACCEL_PLATFORM_IDXD		"/sys/bus/dsa/devices"
#define ACCEL_PLATFORM_KMSG		"/dev/kmsg"

enum accel_iommu_kind {
	ACCEL_IOMMU_INTEL,	/* dmarN with intel-iommu/ */
	ACCEL_IOMMU_AMD,	/* ivhdN with amd-iommu/ */
	ACCEL_IOMMU_OTHER,	/* anything else (ARM SMMU, virtio-iommu) */
};

struct accel_iommu_unit {
	char name[64];
	enum accel_iommu_kind kind;
	bool has_caps;		/* cap and ecap were read */
	uint64_t cap, ecap;
	char version[16];
};

struct accel_pci_dev {
	char bdf[32];
	unsigned int vendor, device, class;
	char driver[64];	/* "" when unbound */
	int group;		/* IOMMU group, -1 when none */
	size_t cfg_len;		/* config space bytes read */
	size_t cfg_size;	/* the config file's size: 4096 for PCIe */
	bool ext;		/* the extended space (past 256) was read */
	bool ext_unread;	/* it exists, but could not be read (not root) */
	bool pasid, pri, ats;	/* capabilities present */
	bool pasid_on, pri_on, ats_on;	/* their enable bits */
	unsigned int pasid_width;	/* Max PASID Width */
	char idxd[32];		/* its idxd device (dsa0, iax1), "" if none */
};

struct accel_platform {
	char root[4096];	/* the prefix, "" for the running machine */
	char release[128];	/* uname -r (or proc/sys/kernel/osrelease) */
	char *cmdline;		/* NULL when unreadable */
	bool has_acpi;		/* sys/firmware/acpi/tables exists */
	bool acpi_dmar, acpi_ivrs;
	bool has_cpuinfo;
	bool cpu_gbpages, cpu_la57;	/* pdpe1gb, la57 in the flags */
	bool has_class_iommu;	/* sys/class/iommu exists */
	size_t nunits;
	struct accel_iommu_unit *units;
	size_t ngroups;		/* sys/kernel/iommu_groups entries */
	size_t ngroups_identity;	/* of those, type "identity" */
	char *config;		/* the kernel config text, NULL if none */
	char config_src[4200];	/* where it came from */
	bool has_pci;		/* sys/bus/pci/devices was listed */
	size_t npci;
	struct accel_pci_dev *pci;
	struct accel_idxd idxd;	/* the idxd bus (accel_idxd.h) */
	int kmsg_err;		/* 0, or why the kernel log is unreadable */
	size_t nkmsg;
	char **kmsg;		/* IOMMU-related log lines, "[s.us] msg" */
};

/* The root prefix: override, else $ACCEL_PLATFORM_ROOT, else "". */
const char *accel_platform_root(const char *override);

/*
 * Read everything above under root into p. Missing sources leave their
 * fields empty (each one's absence is a finding, not an error). Returns 0
 * or -ENOMEM.
 */
int accel_platform_load(struct accel_platform *p, const char *root);
void accel_platform_free(struct accel_platform *p);

/*
 * A kernel config symbol (without CONFIG_): "y", "m" or another value, or
 * NULL when it is not set (or there is no config: check p->config).
 */
const char *accel_kconfig(const struct accel_platform *p, const char *sym,
			  char *buf, size_t size);

/*
 * The value of a kernel command-line parameter (name=value; "" for a bare
 * name), the last one given, or NULL when absent.
 */
const char *accel_cmdline_param(const struct accel_platform *p,
				const char *name, char *buf, size_t size);

/*
 * Walk config space cfg (len bytes) for extended capability id; its
 * offset, or 0 when absent or the list is broken (bounds, loops).
 */
unsigned int accel_pci_ext_cap(const uint8_t *cfg, size_t len,
			       unsigned int id);

/*
 * The kernel log lines the doctor shows (DMAR, IOMMU, SVM, idxd): true
 * when msg is one.
 */
bool accel_platform_log_line(const char *msg);

#endif /* ACCEL_PLATFORM_H */
