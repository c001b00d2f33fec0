// SPDX-License-Identifier: MIT
/*
 * accelctl doctor: can this machine do shared virtual memory (SVA), and
 * if not, why. Each check is pass, fail, unknown or note (a finding that
 * does not decide the verdict) with its evidence and, when it is not a
 * pass, the fix. The verdict: SVA possible when no required check fails
 * or is unknown. The checks read libaccel's platform view
 * (accel_platform.h); the check names are stable identifiers, listed in
 * accelctl(8).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel_json.h"
#include "accel_platform.h"
#include "accelctl.h"

enum st { ST_PASS, ST_FAIL, ST_UNKNOWN, ST_NOTE };

static const char *const st_text[] = {
	[ST_PASS] = "PASS", [ST_FAIL] = "FAIL", [ST_UNKNOWN] = "UNKNOWN",
	[ST_NOTE] = "NOTE",
};
static const char *const st_json[] = {
	[ST_PASS] = "pass", [ST_FAIL] = "fail", [ST_UNKNOWN] = "unknown",
	[ST_NOTE] = "note",
};

struct check {
	const char *name;
	char subject[64];
	enum st st;
	bool required;
	char evidence[1024];
	const char *fix;
};

struct doctor {
	struct accel_platform p;
	struct check *c;
	size_t n;
	int err;		/* -ENOMEM while adding */
};

static struct check *add(struct doctor *d, const char *name,
			 const char *subject, enum st st, bool required,
			 const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static struct check *add(struct doctor *d, const char *name,
			 const char *subject, enum st st, bool required,
			 const char *fix, const char *fmt, ...)
{
	struct check *c, *nc;
	va_list ap;

	nc = realloc(d->c, (d->n + 1) * sizeof(*d->c));
	if (!nc) {
		d->err = -ENOMEM;
		return NULL;
	}
	d->c = nc;
	c = &d->c[d->n++];
	memset(c, 0, sizeof(*c));
	c->name = name;
	snprintf(c->subject, sizeof(c->subject), "%s", subject ? subject : "");
	c->st = st;
	c->required = required;
	c->fix = st == ST_PASS ? NULL : fix;
	va_start(ap, fmt);
	vsnprintf(c->evidence, sizeof(c->evidence), fmt, ap);
	va_end(ap);
	return c;
}

/* The kernel log line matching pat, or NULL. */
static const char *log_find(const struct accel_platform *p, const char *pat)
{
	size_t i;

	for (i = 0; i < p->nkmsg; i++)
		if (strstr(p->kmsg[i], pat))
			return p->kmsg[i];
	return NULL;
}

/* The kernel log messages that explain why SVA is off. */
static const char *const refusals[] = {
	"SVM disabled", "inconsistent", "Scalable mode is disallowed",
	"Scalable Mode not enabled", "scalable mode disabled",
	"IOMMU disabled", "Unable to turn on user SVA", "Initialization failed",
	NULL
};

static void check_acpi(struct doctor *d)
{
	const struct accel_platform *p = &d->p;

	if (p->acpi_dmar)
		add(d, "iommu.acpi", "DMAR", ST_PASS, true, NULL,
		    "the firmware describes Intel VT-d units (ACPI DMAR table "
		    "in %s)", ACCEL_PLATFORM_ACPI_TABLES);
	else if (p->acpi_ivrs)
		add(d, "iommu.acpi", "IVRS", ST_UNKNOWN, true,
		    "run on an Intel VT-d machine: AMD-Vi is not supported by "
		    "these checks",
		    "ACPI IVRS table: an AMD IOMMU, whose SVA support these "
		    "checks do not read");
	else if (!p->has_acpi)
		add(d, "iommu.acpi", "", ST_UNKNOWN, true,
		    "on a device-tree machine (ARM SMMU), check the SMMU's "
		    "SSID and stall/PRI support by hand",
		    "no ACPI tables under %s: not an ACPI machine, or sysfs "
		    "is not mounted", ACCEL_PLATFORM_ACPI_TABLES);
	else
		add(d, "iommu.acpi", "", ST_FAIL, true,
		    "enable VT-d (Virtualization Technology for Directed I/O) "
		    "in the firmware setup; in QEMU, add -machine q35 "
		    "-device intel-iommu",
		    "the ACPI tables hold no DMAR (nor IVRS): the firmware "
		    "describes no IOMMU");
}

/* True when the intel_iommu= value arg has the option opt ("off"). */
static bool iommu_opt(const char *arg, const char *opt)
{
	size_t n = strlen(opt);
	const char *s;

	for (s = arg; s && *s; s = strchr(s, ','), s = s ? s + 1 : s)
		if (!strncmp(s, opt, n) && (s[n] == ',' || !s[n]))
			return true;
	return false;
}

static void check_present(struct doctor *d, const char *defcfg)
{
	const struct accel_platform *p = &d->p;
	char names[512] = "", arg[256];
	const char *on = accel_cmdline_param(p, "intel_iommu", arg,
					     sizeof(arg));
	size_t i;

	for (i = 0; i < p->nunits; i++) {
		const struct accel_iommu_unit *u = &p->units[i];

		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s (%s)", i ? ", " : "", u->name,
			 u->kind == ACCEL_IOMMU_INTEL ? "intel-iommu" :
			 u->kind == ACCEL_IOMMU_AMD ? "amd-iommu" : "other");
	}
	if (p->nunits) {
		add(d, "iommu.present", "", ST_PASS, true, NULL,
		    "%s in %s; kernel command line intel_iommu=%s", names,
		    ACCEL_PLATFORM_CLASS_IOMMU, on ? on : "(not given)");
		return;
	}
	if (on && iommu_opt(on, "off"))
		add(d, "iommu.present", "", ST_FAIL, true,
		    "remove intel_iommu=off from the kernel command line",
		    "no IOMMU unit in %s: the kernel command line has "
		    "intel_iommu=%s", ACCEL_PLATFORM_CLASS_IOMMU, on);
	else if (p->acpi_dmar)
		add(d, "iommu.present", "", ST_FAIL, true,
		    "add intel_iommu=on to the kernel command line",
		    "no IOMMU unit in %s although the firmware has a DMAR "
		    "table; kernel default %s, intel_iommu=%s",
		    ACCEL_PLATFORM_CLASS_IOMMU, defcfg,
		    on ? on : "(not given)");
	else
		add(d, "iommu.present", "", ST_FAIL, true,
		    "enable VT-d in the firmware setup (in QEMU: -machine "
		    "q35,kernel-irqchip=split -device intel-iommu,intremap=on)",
		    "no IOMMU unit in %s and no DMAR table: the machine "
		    "shows no IOMMU", ACCEL_PLATFORM_CLASS_IOMMU);
}

static void check_mode(struct doctor *d)
{
	const struct accel_platform *p = &d->p;
	char a1[64], a2[64];
	const char *pt = accel_cmdline_param(p, "iommu", a1, sizeof(a1));
	const char *pt2 = accel_cmdline_param(p, "iommu.passthrough", a2,
					      sizeof(a2));
	bool passthrough = (pt && !strcmp(pt, "pt")) ||
			   (pt2 && (!strcmp(pt2, "1") || !strcmp(pt2, "on")));

	add(d, "iommu.mode", "", ST_PASS, false, NULL,
	    "%s; %zu IOMMU groups, %zu of them identity (passthrough)%s",
	    passthrough ? "passthrough by default (iommu=pt or "
	    "iommu.passthrough=1)" : "DMA translation by default",
	    p->ngroups, p->ngroups_identity,
	    passthrough ? "; SVA binds its own PASIDs and works with it" : "");
}

/* Scalable mode as the kernel decides it: intel_iommu=sm_on/sm_off, else
 * CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON; 1 on, 0 off, -1 unknown.
 */
static int sm_wanted(const struct accel_platform *p, char *why, size_t size)
{
	char arg[256], cv[16];
	const char *on = accel_cmdline_param(p, "intel_iommu", arg,
					     sizeof(arg));
	const char *s;
	int last = -1;

	if (on) {
		/* The last of sm_on and sm_off wins, as in the kernel. */
		for (s = arg; s && *s; s = strchr(s, ','), s = s ? s + 1 : s) {
			if (!strncmp(s, "sm_on", 5) && (s[5] == ',' || !s[5]))
				last = 1;
			else if (!strncmp(s, "sm_off", 6) &&
				 (s[6] == ',' || !s[6]))
				last = 0;
		}
		if (last >= 0) {
			snprintf(why, size, "intel_iommu=...%s on the kernel "
				 "command line", last ? "sm_on" : "sm_off");
			return last;
		}
	}
	if (!p->config) {
		snprintf(why, size, "no sm_on/sm_off on the command line and "
			 "no kernel config to read the default from");
		return -1;
	}
	last = accel_kconfig(p, "INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON", cv,
			     sizeof(cv)) != NULL;
	snprintf(why, size, "CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON %s",
		 last ? "is set" : "is not set");
	return last;
}

struct bitcheck {
	const char *name;
	bool ecap;
	unsigned int bit;
	const char *label;
	const char *fix;
};

static const struct bitcheck bitchecks[] = {
	{ "iommu.pasid", true, ACCEL_VTD_ECAP_PASID, "PASID",
	  "the IOMMU has no PASID support: SVA needs a VT-d unit with PASID "
	  "(in QEMU: -device intel-iommu,x-scalable-mode=on,x-pasid-mode=on)" },
	{ "iommu.prs", true, ACCEL_VTD_ECAP_PRS, "PRS",
	  "the IOMMU cannot take page requests, so a device cannot fault on "
	  "process memory: SVA needs PRS (QEMU's intel-iommu does not "
	  "emulate it; use hardware with VT-d page requests)" },
	{ "iommu.flts", true, ACCEL_VTD_ECAP_FLTS, "FLTS",
	  "the IOMMU has no first-level translation, which SVA uses to walk "
	  "the process's page tables: use hardware with VT-d 3.0 first-level "
	  "support" },
	{ "iommu.smpwc", true, ACCEL_VTD_ECAP_SMPWC, "SMPWC",
	  "the kernel turns SVM on only for units with scalable-mode "
	  "page-walk coherency (intel_svm_check)" },
	{ NULL, false, 0, NULL, NULL }
};

static void check_unit_bits(struct doctor *d,
			    const struct accel_iommu_unit *u)
{
	const struct accel_platform *p = &d->p;
	const struct bitcheck *b;
	bool v;

	for (b = bitchecks; b->name; b++) {
		v = accel_bit(b->ecap ? u->ecap : u->cap, b->bit);
		add(d, b->name, u->name, v ? ST_PASS : ST_FAIL, true, b->fix,
		    "%s %s 0x%llx: %s=%d", u->name, b->ecap ? "ecap" : "cap",
		    (unsigned long long)(b->ecap ? u->ecap : u->cap), b->label,
		    v);
	}
	/* intel_svm_check(): the CPU's paging features need the unit's. */
	if (!p->has_cpuinfo) {
		add(d, "iommu.paging", u->name, ST_UNKNOWN, true,
		    "mount /proc", "no %s to compare the CPU's paging with",
		    ACCEL_PLATFORM_CPUINFO);
	} else if (p->cpu_gbpages &&
		   !accel_bit(u->cap, ACCEL_VTD_CAP_FL1GP)) {
		add(d, "iommu.paging", u->name, ST_FAIL, true,
		    "boot with nogbpages, or use a unit with first-level 1 GiB "
		    "pages",
		    "the CPU maps 1 GiB pages (pdpe1gb) but %s cap FL1GP=0: "
		    "the kernel refuses SVM on it (\"SVM disabled, "
		    "incompatible 1GB page capability\")", u->name);
	} else if (p->cpu_la57 && !accel_bit(u->cap, ACCEL_VTD_CAP_FL5LP)) {
		add(d, "iommu.paging", u->name, ST_FAIL, true,
		    "boot with no5lvl (4-level paging), or use a unit with "
		    "first-level 5-level paging",
		    "the CPU runs 5-level paging (la57) but %s cap FL5LP=0: "
		    "the kernel refuses SVM on it (\"SVM disabled, "
		    "incompatible paging mode\")", u->name);
	} else {
		add(d, "iommu.paging", u->name, ST_PASS, true, NULL,
		    "%s cap FL1GP=%d FL5LP=%d matches the CPU (pdpe1gb=%d "
		    "la57=%d)", u->name,
		    accel_bit(u->cap, ACCEL_VTD_CAP_FL1GP),
		    accel_bit(u->cap, ACCEL_VTD_CAP_FL5LP), p->cpu_gbpages,
		    p->cpu_la57);
	}
	v = accel_bit(u->ecap, ACCEL_VTD_ECAP_NEST);
	add(d, "iommu.nested", u->name, v ? ST_PASS : ST_NOTE, false,
	    "needed only to give SVA to a guest through a virtual IOMMU",
	    "%s ecap NEST=%d", u->name, v);
}

static void check_units(struct doctor *d)
{
	const struct accel_platform *p = &d->p;
	static const struct { const char *label; unsigned int bit; } sva[] = {
		{ "SMTS", ACCEL_VTD_ECAP_SMTS }, { "PASID", ACCEL_VTD_ECAP_PASID },
		{ "PRS", ACCEL_VTD_ECAP_PRS }, { "FLTS", ACCEL_VTD_ECAP_FLTS },
		{ "SMPWC", ACCEL_VTD_ECAP_SMPWC }, { "NEST", ACCEL_VTD_ECAP_NEST },
		{ "SRS", ACCEL_VTD_ECAP_SRS },
	};
	const struct accel_iommu_unit *first = NULL;
	char why[256], diff[512] = "";
	const char *line;
	size_t i, k;
	int sm;

	sm = sm_wanted(p, why, sizeof(why));
	for (i = 0; i < p->nunits; i++) {
		const struct accel_iommu_unit *u = &p->units[i];
		bool smts;

		if (u->kind != ACCEL_IOMMU_INTEL) {
			add(d, "iommu.caps", u->name, ST_UNKNOWN, true,
			    "these checks read Intel VT-d units only",
			    "%s is an %s IOMMU, whose SVA capabilities these "
			    "checks do not read", u->name,
			    u->kind == ACCEL_IOMMU_AMD ? "AMD" : "unknown");
			continue;
		}
		if (!u->has_caps) {
			add(d, "iommu.caps", u->name, ST_UNKNOWN, true,
			    "check that sysfs is mounted and readable",
			    "%s: intel-iommu/cap or ecap unreadable", u->name);
			continue;
		}
		smts = accel_bit(u->ecap, ACCEL_VTD_ECAP_SMTS);
		line = log_find(p, "Scalable mode is disallowed");
		if (!line)
			line = log_find(p, "Scalable Mode not enabled");
		if (!line)
			line = log_find(p, "scalable mode disabled");
		if (!smts)
			add(d, "iommu.scalable", u->name, ST_FAIL, true,
			    "this unit translates in legacy mode only: SVA "
			    "needs VT-d scalable mode (in QEMU: "
			    "-device intel-iommu,x-scalable-mode=on)",
			    "%s ecap 0x%llx: SMTS=0 (legacy mode)", u->name,
			    (unsigned long long)u->ecap);
		else if (sm == 0 || line)
			add(d, "iommu.scalable", u->name, ST_FAIL, true,
			    "add intel_iommu=on,sm_on to the kernel command "
			    "line",
			    "%s supports scalable mode (SMTS=1) but the "
			    "kernel does not use it: %s%s%s", u->name, why,
			    line ? "; log: " : "", line ? line : "");
		else if (sm < 0)
			add(d, "iommu.scalable", u->name, ST_UNKNOWN, true,
			    "add intel_iommu=on,sm_on to the kernel command "
			    "line to be sure",
			    "%s supports scalable mode (SMTS=1); whether the "
			    "kernel uses it: %s", u->name, why);
		else
			add(d, "iommu.scalable", u->name, ST_PASS, true, NULL,
			    "%s ecap SMTS=1 and the kernel uses scalable mode "
			    "(%s)", u->name, why);
		check_unit_bits(d, u);
		if (!first) {
			first = u;
			continue;
		}
		for (k = 0; k < sizeof(sva) / sizeof(sva[0]); k++)
			if (accel_bit(first->ecap, sva[k].bit) !=
			    accel_bit(u->ecap, sva[k].bit))
				snprintf(diff + strlen(diff),
					 sizeof(diff) - strlen(diff),
					 "%s%s: %s=%d, %s=%d", *diff ? "; " : "",
					 sva[k].label, first->name,
					 accel_bit(first->ecap, sva[k].bit),
					 u->name,
					 accel_bit(u->ecap, sva[k].bit));
	}
	if (!first)
		return;
	line = log_find(p, "inconsistent");
	if (*diff || line)
		add(d, "iommu.consistent", "", ST_FAIL, true,
		    "the kernel turns a feature off on every unit when the "
		    "units disagree: update the firmware, or report the "
		    "platform to its vendor",
		    "the units disagree: %s%s%s", *diff ? diff : "(see log)",
		    line ? "; log: " : "", line ? line : "");
	else
		add(d, "iommu.consistent", "", ST_PASS, true, NULL,
		    "%zu unit(s) agree on SMTS, PASID, PRS, FLTS, SMPWC, NEST "
		    "and SRS", p->nunits);
}

static void check_kconfig(struct doctor *d)
{
	const struct accel_platform *p = &d->p;
	static const struct {
		const char *name, *sym, *fix;
		int need;	/* 1 required, 2 when an idxd exists, 0 note */
	} syms[] = {
		{ "kconfig.iommu_sva", "IOMMU_SVA",
		  "build the kernel with CONFIG_IOMMU_SVA=y", 1 },
		{ "kconfig.intel_iommu_svm", "INTEL_IOMMU_SVM",
		  "build the kernel with CONFIG_INTEL_IOMMU_SVM=y", 1 },
		{ "kconfig.intel_idxd_svm", "INTEL_IDXD_SVM",
		  "build the kernel with CONFIG_INTEL_IDXD_SVM=y for "
		  "idxd's shared work queues", 2 },
		{ "kconfig.uacce", "UACCE",
		  "build the kernel with CONFIG_UACCE for uacce devices "
		  "(HiSilicon)", 0 },
	};
	char val[64];
	size_t i;

	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		bool req = syms[i].need == 1 ||
			   (syms[i].need == 2 && d->p.idxd.ndev);
		const char *v;

		if (!p->config) {
			add(d, syms[i].name, syms[i].sym,
			    req ? ST_UNKNOWN : ST_NOTE, req,
			    "install the kernel's config as /boot/config-"
			    "<release>, or build it with CONFIG_IKCONFIG_PROC",
			    "no kernel config for %s (neither "
			    "/boot/config-%s nor /proc/config.gz)",
			    p->release[0] ? p->release : "this kernel",
			    p->release);
			continue;
		}
		v = accel_kconfig(p, syms[i].sym, val, sizeof(val));
		if (v && (!strcmp(v, "y") || !strcmp(v, "m")))
			add(d, syms[i].name, syms[i].sym, ST_PASS, req, NULL,
			    "CONFIG_%s=%s in %s", syms[i].sym, v,
			    p->config_src);
		else
			add(d, syms[i].name, syms[i].sym,
			    req ? ST_FAIL : ST_NOTE, req, syms[i].fix,
			    "CONFIG_%s is not set in %s", syms[i].sym,
			    p->config_src);
	}
}

static void check_pci(struct doctor *d)
{
	const struct accel_platform *p = &d->p;
	size_t i, nfull = 0, nunread = 0, nany = 0;
	char ids[1024] = "";

	if (!p->has_pci) {
		add(d, "pci.sva_device", "", ST_UNKNOWN, true,
		    "mount sysfs", "no %s", ACCEL_PLATFORM_PCI);
		return;
	}
	for (i = 0; i < p->npci; i++) {
		const struct accel_pci_dev *v = &p->pci[i];
		bool full = v->pasid && v->pri && v->ats;

		if (v->ext_unread)
			nunread++;
		if (!v->pasid && !v->pri && !v->ats && !v->idxd[0])
			continue;
		nany++;
		if (full) {
			nfull++;
			snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids),
				 "%s%s", nfull > 1 ? ", " : "", v->bdf);
		}
		add(d, "pci.device", v->bdf,
		    full && v->group >= 0 ? ST_PASS : ST_NOTE, false,
		    !full ? "SVA on Intel needs the device's PASID, PRI and "
		    "ATS together" : "the device is in no IOMMU group: is the "
		    "IOMMU on?",
		    "%s %04x:%04x driver %s, IOMMU group %d: PASID=%d%s (width "
		    "%u) PRI=%d%s ATS=%d%s%s%s", v->bdf, v->vendor, v->device,
		    v->driver[0] ? v->driver : "(none)", v->group, v->pasid,
		    v->pasid_on ? " on" : "", v->pasid_width, v->pri,
		    v->pri_on ? " on" : "", v->ats, v->ats_on ? " on" : "",
		    v->idxd[0] ? ", idxd " : "", v->idxd);
	}
	if (nfull)
		add(d, "pci.sva_device", "", ST_PASS, true, NULL,
		    "%zu PCI function(s) with PASID, PRI and ATS: %s", nfull,
		    ids);
	else if (nunread)
		add(d, "pci.sva_device", "", ST_UNKNOWN, true,
		    "run as root: the extended config space needs "
		    "CAP_SYS_ADMIN",
		    "the extended config space (past 256 bytes) of %zu of "
		    "the %zu PCI functions could not be read", nunread,
		    p->npci);
	else
		add(d, "pci.sva_device", "", ST_FAIL, true,
		    "SVA needs a device with PCIe PASID, PRI and ATS "
		    "capabilities (Intel DSA/IAA, for example)",
		    "none of the %zu PCI functions has PASID, PRI and ATS "
		    "(%zu with some of them)", p->npci, nany);
}

/* dsa0's pasid_enabled: 0, 1, or -1 when unreadable. */
static int pasid_enabled(const struct accel_idxd_device *x)
{
	const char *v = accel_idxd_get(&x->obj, "pasid_enabled");

	return v ? strcmp(v, "0") != 0 : -1;
}

/* An attribute of o, "?" when the kernel gave none. */
static const char *attr(const struct accel_idxd_obj *o, const char *name)
{
	const char *v = accel_idxd_get(o, name);

	return v && *v ? v : "?";
}

static void check_idxd(struct doctor *d)
{
	const struct accel_idxd *p = &d->p.idxd;
	size_t i, j;

	for (i = 0; i < p->ndev; i++) {
		const struct accel_idxd_device *x = &p->dev[i];
		int pasid = pasid_enabled(x);

		if (pasid < 0)
			add(d, "idxd.pasid", x->obj.name, ST_UNKNOWN, true,
			    "check that the idxd driver is bound",
			    "%s/%s/pasid_enabled unreadable",
			    ACCEL_PLATFORM_IDXD, x->obj.name);
		else
			add(d, "idxd.pasid", x->obj.name,
			    pasid ? ST_PASS : ST_FAIL, true,
			    "the idxd driver could not enable SVA: fix the "
			    "IOMMU checks above, keep idxd's sva=1 module "
			    "parameter, and reload idxd",
			    "%s (PCI %s) pasid_enabled=%d", x->obj.name,
			    x->pci[0] ? x->pci : "?", pasid);
		for (j = 0; j < x->n[ACCEL_IDXD_WQ]; j++) {
			const struct accel_idxd_obj *w =
				&x->sub[ACCEL_IDXD_WQ][j];
			bool shared = !strcmp(attr(w, "mode"), "shared");

			add(d, "idxd.wq", w->name,
			    shared && pasid != 1 ? ST_FAIL : ST_PASS, shared,
			    "a shared work queue needs SVA: enable PASID "
			    "(idxd.pasid) or configure the queue as dedicated",
			    "%s mode %s, state %s%s", w->name,
			    attr(w, "mode"), attr(w, ACCEL_IDXD_STATE),
			    shared ? (pasid == 1 ?
			    " (shared: uses SVA)" :
			    " (shared, but the device has no PASID)") :
			    " (dedicated: works without SVA)");
		}
	}
}

static void check_kmsg(struct doctor *d)
{
	const struct accel_platform *p = &d->p;
	char ev[1024] = "";
	size_t i, n = 0;
	const char *const *r;

	if (p->kmsg_err) {
		add(d, "kmsg.dmar", "", ST_NOTE, false,
		    "run as root (or set kernel.dmesg_restrict=0)",
		    "cannot read the kernel log (%s): %s", ACCEL_PLATFORM_KMSG,
		    strerror(-p->kmsg_err));
		return;
	}
	for (i = 0; i < p->nkmsg; i++)
		for (r = refusals; *r; r++)
			if (strstr(p->kmsg[i], *r)) {
				snprintf(ev + strlen(ev),
					 sizeof(ev) - strlen(ev), "%s\"%s\"",
					 n++ ? "; " : "", p->kmsg[i]);
				break;
			}
	if (n)
		add(d, "kmsg.dmar", "", ST_FAIL, true,
		    "the kernel refused: fix the checks above that these lines "
		    "name", "%zu kernel log line(s) refuse SVA: %s", n, ev);
	else
		add(d, "kmsg.dmar", "", ST_PASS, true, NULL,
		    "%zu IOMMU line(s) in the kernel log, none refusing SVA",
		    p->nkmsg);
}

static void check_accelsim(struct doctor *d)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	char list[512] = "";
	int n, i;

	n = accel_list_devices(ctl.root, ids, ACCEL_MAX_DEVS);
	if (n <= 0) {
		add(d, "accelsim.devices", "", ST_NOTE, false,
		    "modprobe accelsim (its SVA is software and needs no "
		    "IOMMU)", "no accelsim device under %s", ctl.root);
		return;
	}
	for (i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%safu%u", i ? ", " : "", ids[i]);
	add(d, "accelsim.devices", "", ST_PASS, false, NULL,
	    "%d accelsim device(s): %s (software SVA: works whatever the "
	    "IOMMU verdict)", n, list);
}

static json_object *units_json(const struct accel_platform *p)
{
	json_object *arr = json_object_new_array();
	char hex[32];
	size_t i;

	for (i = 0; i < p->nunits; i++) {
		const struct accel_iommu_unit *u = &p->units[i];
		json_object *o = json_object_new_object();

		accel_json_str(o, "name", u->name);
		accel_json_str(o, "kind", u->kind == ACCEL_IOMMU_INTEL ?
			       "intel" : u->kind == ACCEL_IOMMU_AMD ? "amd" :
			       "other");
		if (u->has_caps) {
			snprintf(hex, sizeof(hex), "0x%llx",
				 (unsigned long long)u->cap);
			accel_json_str(o, "cap", hex);
			snprintf(hex, sizeof(hex), "0x%llx",
				 (unsigned long long)u->ecap);
			accel_json_str(o, "ecap", hex);
			accel_json_str(o, "version", u->version);
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *pci_json(const struct accel_platform *p)
{
	json_object *arr = json_object_new_array();
	char id[16];
	size_t i;

	for (i = 0; i < p->npci; i++) {
		const struct accel_pci_dev *v = &p->pci[i];
		json_object *o = json_object_new_object();

		accel_json_str(o, "bdf", v->bdf);
		snprintf(id, sizeof(id), "%04x:%04x", v->vendor, v->device);
		accel_json_str(o, "id", id);
		snprintf(id, sizeof(id), "0x%06x", v->class);
		accel_json_str(o, "class", id);
		accel_json_str(o, "driver", v->driver);
		json_object_object_add(o, "iommu_group", v->group < 0 ? NULL :
				       json_object_new_int(v->group));
		json_object_object_add(o, "ext_config",
				       json_object_new_boolean(v->ext));
		json_object_object_add(o, "pasid",
				       json_object_new_boolean(v->pasid));
		json_object_object_add(o, "pri",
				       json_object_new_boolean(v->pri));
		json_object_object_add(o, "ats",
				       json_object_new_boolean(v->ats));
		if (v->pasid)
			accel_json_u64(o, "pasid_width", v->pasid_width);
		if (v->idxd[0])
			accel_json_str(o, "idxd", v->idxd);
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *idxd_json(const struct accel_platform *p)
{
	json_object *arr = json_object_new_array();
	size_t i, j;

	for (i = 0; i < p->idxd.ndev; i++) {
		const struct accel_idxd_device *x = &p->idxd.dev[i];
		json_object *o = json_object_new_object();
		json_object *wqs = json_object_new_array();
		int pasid = pasid_enabled(x);

		accel_json_str(o, "name", x->obj.name);
		accel_json_str(o, "pci", x->pci);
		json_object_object_add(o, "pasid_enabled", pasid < 0 ? NULL :
				       json_object_new_boolean(pasid));
		for (j = 0; j < x->n[ACCEL_IDXD_WQ]; j++) {
			const struct accel_idxd_obj *q =
				&x->sub[ACCEL_IDXD_WQ][j];
			json_object *w = json_object_new_object();
			const char *v;

			accel_json_str(w, "name", q->name);
			v = accel_idxd_get(q, "mode");
			accel_json_str(w, "mode", v ? v : "");
			v = accel_idxd_get(q, ACCEL_IDXD_STATE);
			accel_json_str(w, "state", v ? v : "");
			json_object_array_add(wqs, w);
		}
		json_object_object_add(o, "wqs", wqs);
		json_object_array_add(arr, o);
	}
	return arr;
}

static int emit_json(struct doctor *d, const char *verdict)
{
	json_object *top = json_object_new_object(), *arr, *o, *log;
	size_t i;

	accel_json_u64(top, "schema_version", 1);
	accel_json_str(top, "verdict", verdict);
	accel_json_str(top, "kernel", d->p.release);
	accel_json_str(top, "cmdline", d->p.cmdline ? d->p.cmdline : "");
	arr = json_object_new_array();
	for (i = 0; i < d->n; i++) {
		const struct check *c = &d->c[i];

		o = json_object_new_object();
		accel_json_str(o, "name", c->name);
		accel_json_str(o, "subject", c->subject);
		accel_json_str(o, "status", st_json[c->st]);
		json_object_object_add(o, "required",
				       json_object_new_boolean(c->required));
		accel_json_str(o, "evidence", c->evidence);
		if (c->fix)
			accel_json_str(o, "fix", c->fix);
		json_object_array_add(arr, o);
	}
	json_object_object_add(top, "checks", arr);
	json_object_object_add(top, "iommu_units", units_json(&d->p));
	json_object_object_add(top, "pci_devices", pci_json(&d->p));
	json_object_object_add(top, "idxd_devices", idxd_json(&d->p));
	log = json_object_new_array();
	for (i = 0; i < d->p.nkmsg; i++)
		json_object_array_add(log, json_object_new_string(d->p.kmsg[i]));
	json_object_object_add(top, "kernel_log", log);
	return ctl_json_emit(top);
}

struct doctor_args {
	const char *sysroot;
};

static const struct argp_option doctor_options[] = {
	{ "sysroot", 'R', "DIR", 0, "read the machine's files under DIR (a "
	  "fixture tree; default $ACCEL_PLATFORM_ROOT, else /)", 0 },
	{ 0 }
};

static error_t doctor_opt(int key, char *arg, struct argp_state *state)
{
	struct doctor_args *a = state->input;

	if (key != 'R')
		return cli_arg_default(key, state);
	a->sysroot = arg;
	return 0;
}

static const char doctor_doc[] =
"Is shared virtual memory (SVA) possible on this machine, and if not, why: "
"the IOMMU (ACPI tables, sysfs, kernel command line), each VT-d unit's "
"capability bits, the kernel configuration, the PCI devices' PASID, PRI "
"and ATS capabilities, idxd devices and work queues, the kernel log and "
"accelsim's devices. Each check prints PASS, FAIL, UNKNOWN or NOTE with "
"its evidence and fix, then the verdict. Run as root: the PCI extended "
"config space and the kernel log need it.\v"
"Exit status: 0 SVA possible, 7 SVA not possible, 8 unknown (a required "
"check could not tell), 1 runtime error, 2 usage error. See accelctl(8).";

static const struct argp doctor_argp = CTL_LEAF_ARGP(doctor_options,
						     doctor_opt, NULL,
						     doctor_doc);

int cmd_doctor(int argc, char **argv)
{
	struct doctor_args a = { NULL };
	struct doctor d = { 0 };
	char defcfg[128] = "unknown (no kernel config)", cv[16];
	const char *verdict;
	size_t i, nfail = 0, nunk = 0;
	char failed[512] = "";
	int ret;

	ret = ctl_parse(&doctor_argp, "doctor", argc, argv, NULL, &a);
	if (ret)
		return ret;
	ret = accel_platform_load(&d.p, accel_platform_root(a.sysroot));
	if (ret)
		return ctl_fail(EXIT_ERROR, "reading the platform: %s",
				strerror(-ret));
	if (d.p.config)
		snprintf(defcfg, sizeof(defcfg), "%s",
			 accel_kconfig(&d.p, "INTEL_IOMMU_DEFAULT_ON", cv,
				       sizeof(cv)) ||
			 accel_kconfig(&d.p, "INTEL_IOMMU_DEFAULT_ON_INTGPU_OFF",
				       cv, sizeof(cv)) ? "on" : "off");
	check_acpi(&d);
	check_present(&d, defcfg);
	if (d.p.nunits) {
		check_mode(&d);
		check_units(&d);
	}
	check_kconfig(&d);
	check_pci(&d);
	check_idxd(&d);
	check_kmsg(&d);
	check_accelsim(&d);
	if (d.err) {
		free(d.c);
		accel_platform_free(&d.p);
		return ctl_fail(EXIT_ERROR, "out of memory");
	}
	for (i = 0; i < d.n; i++) {
		if (d.c[i].required && d.c[i].st == ST_FAIL)
			nfail++;
		if (d.c[i].required && d.c[i].st == ST_UNKNOWN)
			nunk++;
	}
	/* The names the verdict blames: the failed checks, else the unknown. */
	for (i = 0; i < d.n; i++) {
		const struct check *c = &d.c[i];

		if (!c->required || c->st != (nfail ? ST_FAIL : ST_UNKNOWN))
			continue;
		if (!strstr(failed, c->name))
			snprintf(failed + strlen(failed),
				 sizeof(failed) - strlen(failed), "%s%s",
				 *failed ? ", " : "", c->name);
	}
	verdict = nfail ? "fail" : nunk ? "unknown" : "pass";
	if (ctl.json) {
		ret = emit_json(&d, verdict);
	} else {
		for (i = 0; i < d.n; i++) {
			const struct check *c = &d.c[i];

			printf("%-7s %-24s %s\n", st_text[c->st], c->name,
			       c->evidence);
			if (c->fix)
				printf("%-7s %-24s fix: %s\n", "", "", c->fix);
		}
		if (nfail)
			printf("verdict: SVA not possible (%s failed)\n",
			       failed);
		else if (nunk)
			printf("verdict: unknown (%s could not tell)\n",
			       failed);
		else
			printf("verdict: SVA possible\n");
		ret = fflush(stdout) || ferror(stdout) ? EXIT_ERROR : EXIT_OK;
	}
	free(d.c);
	accel_platform_free(&d.p);
	if (ret)
		return ret;
	return nfail ? EXIT_NOSVA : nunk ? EXIT_SVAUNKNOWN : EXIT_OK;
}
