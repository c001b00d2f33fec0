// SPDX-License-Identifier: MIT
/*
 * libaccel: the BPF source of accel_iommu.h (bpf/iommu_lat.bpf.c), or a
 * fixture file when $ACCEL_IOMMU_FIXTURE names one (tests: its first
 * reading is empty, every later one is the file's).
 *
 * Program sets, best first: tp_btf/qi_submit with fentry/fexit on
 * qi_submit_sync (vmlinux BTF); the same without the timing when
 * qi_submit_sync is not in the BTF or cannot be attached; and
 * tracepoint/intel_iommu/qi_submit (no BTF, or tp_btf refused), counts
 * only ($ACCEL_IOMMU_SOURCE=bpf-tp asks for that one). Whatever is left
 * out is said in accel_iommu_missing().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "accel.h"
#include "accel_iommu.h"
#include "iommu_lat.h"
#include "iommu_lat.skel.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define LOCKDOWN "/sys/kernel/security/lockdown"

_Static_assert(IOMMU_LAT_TYPES == ACCEL_IOMMU_TYPES &&
	       IOMMU_LAT_NAME_LEN == ACCEL_IOMMU_NAME_LEN &&
	       IOMMU_LAT_SLOTS == ACCEL_HIST_BUCKETS &&
	       IOMMU_LAT_MAX_UNITS == ACCEL_IOMMU_MAX_UNITS,
	       "the programs' layout is libaccel's");

struct accel_iommu_src {
	enum accel_iommu_src_kind kind;
	struct iommu_lat_bpf *skel;
	struct accel_iommu_snap *fixture;
	unsigned int reads;
	char missing[320];
};

static char libbpf_msg[1024];

/* libbpf's print callback: fmt is libbpf's (clang's -Wformat-nonliteral). */
__attribute__((format(printf, 2, 0)))
static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	char line[512];

	if (getenv("ACCEL_BPF_DEBUG")) {
		vfprintf(stderr, fmt, ap);
		return 0;
	}
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (strlen(libbpf_msg) + strlen(line) >= sizeof(libbpf_msg))
		libbpf_msg[0] = '\0';
	strncat(libbpf_msg, line, sizeof(libbpf_msg) - strlen(libbpf_msg) - 1);
	return 0;
}

/* The last non-empty line libbpf logged, without "libbpf: ". */
static const char *last_line(void)
{
	char *p, *nl;

	while ((nl = strrchr(libbpf_msg, '\n')) && !nl[1])
		*nl = '\0';
	p = strrchr(libbpf_msg, '\n');
	p = p ? p + 1 : libbpf_msg;
	if (!strncmp(p, "libbpf: ", 8))
		p += 8;
	return p;
}

static int open_fixture(struct accel_iommu_src *s, const char *path,
			char *why, size_t len)
{
	char *text = NULL, err[256];
	size_t cap = 0;
	FILE *f = fopen(path, "re");
	ssize_t n;
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return ret;
	}
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	s->fixture = calloc(1, sizeof(*s->fixture));
	if (n < 0 || !s->fixture) {
		free(text);
		snprintf(why, len, "%s: cannot read", path);
		return -EIO;
	}
	ret = accel_iommu_parse(text, s->fixture, err, sizeof(err));
	free(text);
	if (ret) {
		snprintf(why, len, "%s: %s", path, err);
		return ret;
	}
	if (!s->fixture->has_lat)
		snprintf(s->missing, sizeof(s->missing),
			 "qi_submit_sync not timed (fixture)");
	s->kind = ACCEL_IOMMU_SRC_FIXTURE;
	return 0;
}

/* Whether the running kernel's BTF has @name of @kind. */
static bool btf_has(const char *name, __u32 kind)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool ok;

	if (!btf)
		return false;
	ok = btf__find_by_name_kind(btf, name, kind) > 0;
	btf__free(btf);
	return ok;
}

/* The first line libbpf logged about @what, else its last line. */
static void log_about(const char *what, char *buf, size_t len)
{
	const char *p = strstr(libbpf_msg, what), *start, *end;

	if (!p) {
		snprintf(buf, len, "%s", last_line());
		return;
	}
	for (start = p; start > libbpf_msg && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	if (!strncmp(start, "libbpf: ", 8))
		start += 8;
	snprintf(buf, len, "%.*s", (int)(end ? end - start : (long)strlen(start)),
		 start);
}

/* "confidentiality" when the kernel is locked down that far, else NULL. */
static bool locked_down(void)
{
	char buf[128] = "";
	FILE *f = fopen(LOCKDOWN, "re");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, "[confidentiality]") != NULL;
}

static int try_load(struct accel_iommu_src *s, bool btf, bool timed)
{
	struct iommu_lat_bpf *skel;
	int ret;

	libbpf_msg[0] = '\0';
	skel = iommu_lat_bpf__open();
	if (!skel)
		return -errno;
	bpf_program__set_autoload(skel->progs.btf_qi_submit, btf);
	bpf_program__set_autoload(skel->progs.tp_qi_submit, !btf);
	bpf_program__set_autoload(skel->progs.qi_submit_sync_entry, timed);
	bpf_program__set_autoload(skel->progs.qi_submit_sync_exit, timed);
	ret = iommu_lat_bpf__load(skel);
	if (!ret)
		ret = iommu_lat_bpf__attach(skel);
	if (ret) {
		iommu_lat_bpf__destroy(skel);
		return ret;
	}
	s->skel = skel;
	s->kind = btf ? ACCEL_IOMMU_SRC_BTF : ACCEL_IOMMU_SRC_TP;
	return 0;
}

static void load_error(int ret, char *why, size_t len)
{
	const char *line = last_line();

	if (ret == -EPERM || (ret == -EACCES && geteuid()))
		snprintf(why, len, "cannot load BPF programs: %s (%s)%s%s",
			 strerror(-ret), geteuid() ? "not root: BPF needs "
			 "CAP_BPF and CAP_PERFMON" : "BPF not permitted",
			 *line ? ": " : "", line);
	else
		snprintf(why, len, "cannot load or attach BPF programs: "
			 "%s%s%s", strerror(-ret), *line ? ": " : "", line);
}

int accel_iommu_open(struct accel_iommu_src **out, const char *tracefs,
		     char *why, size_t len)
{
	const char *fixture = getenv("ACCEL_IOMMU_FIXTURE");
	const char *want = getenv("ACCEL_IOMMU_SOURCE");
	const char *root = accel_tracefs_root(tracefs);
	struct accel_iommu_src *s;
	char path[512];
	bool btf, timed;
	int ret;

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	if (fixture && *fixture) {
		ret = open_fixture(s, fixture, why, len);
		goto done;
	}
	/* The tracepoint counts: without it there is nothing to show. */
	snprintf(path, sizeof(path), "%s/events", root);
	if (!access(path, R_OK)) {
		snprintf(path, sizeof(path), "%s/events/intel_iommu/qi_submit",
			 root);
		if (access(path, F_OK)) {
			snprintf(why, len, "no intel_iommu:qi_submit tracepoint "
				 "(%s missing: a kernel without "
				 "CONFIG_INTEL_IOMMU)", path);
			ret = -ENOENT;
			goto done;
		}
	}
	if (locked_down()) {
		snprintf(why, len, "kernel lockdown (confidentiality, %s) "
			 "forbids BPF reading kernel memory", LOCKDOWN);
		ret = -EPERM;
		goto done;
	}
	libbpf_set_print(libbpf_log);
	btf = !access(VMLINUX_BTF, R_OK);
	if (want && !strcmp(want, "bpf-tp")) {
		/* Asked for: the program set a kernel without BTF gets. */
		snprintf(s->missing, sizeof(s->missing), "latency: source "
			 "bpf-tp (ACCEL_IOMMU_SOURCE) does not time "
			 "qi_submit_sync");
		ret = try_load(s, false, false);
		if (ret)
			load_error(ret, why, len);
		goto done;
	}
	if (btf && !btf_has("btf_trace_qi_submit", BTF_KIND_TYPEDEF)) {
		snprintf(why, len, "no intel_iommu:qi_submit tracepoint in the "
			 "kernel's BTF (%s): a kernel without "
			 "CONFIG_INTEL_IOMMU", VMLINUX_BTF);
		ret = -ENOENT;
		goto done;
	}
	timed = btf && btf_has("qi_submit_sync", BTF_KIND_FUNC);
	if (!btf)
		snprintf(s->missing, sizeof(s->missing), "latency: no kernel "
			 "BTF (%s), qi_submit_sync not timed", VMLINUX_BTF);
	else if (!timed)
		snprintf(s->missing, sizeof(s->missing), "latency: "
			 "qi_submit_sync is not in the kernel's BTF (inlined "
			 "or renamed), not timed");
	ret = try_load(s, btf, timed);
	if (ret && timed && ret != -EPERM) {
		char first[160];

		log_about("qi_submit_sync", first, sizeof(first));
		ret = try_load(s, btf, false);
		if (!ret)
			snprintf(s->missing, sizeof(s->missing), "latency: "
				 "cannot attach fentry/fexit to "
				 "qi_submit_sync (%s)", first);
	}
	if (ret && btf && ret != -EPERM) {
		char first[96];

		/* tp_btf refused: the format file's record, counts only. */
		log_about("qi_submit", first, sizeof(first));
		ret = try_load(s, false, false);
		if (!ret)
			snprintf(s->missing, sizeof(s->missing), "latency: "
				 "qi_submit_sync not timed: tp_btf refused "
				 "(%.90s), counts from tracepoint/", first);
	}
	if (ret)
		load_error(ret, why, len);
done:
	libbpf_set_print(NULL);
	if (ret) {
		free(s->fixture);
		free(s);
		return ret;
	}
	*out = s;
	return 0;
}

int accel_iommu_read(struct accel_iommu_src *src, struct accel_iommu_snap *s)
{
	struct iommu_lat_key key, next, *kp = NULL;
	struct iommu_lat_unit *val;
	unsigned int i, t, b;
	int fd;

	if (src->kind == ACCEL_IOMMU_SRC_FIXTURE) {
		if (src->reads++) {
			*s = *src->fixture;
		} else {
			memset(s, 0, sizeof(*s));
			s->has_lat = src->fixture->has_lat;
		}
		return 0;
	}
	memset(s, 0, sizeof(*s));
	s->has_lat = bpf_program__fd(src->skel->progs.qi_submit_sync_exit) >= 0;
	for (i = 0; i < IOMMU_LAT_DROP_NR; i++)
		s->drops += src->skel->bss->drops[i];
	val = malloc(sizeof(*val));
	if (!val)
		return -ENOMEM;
	fd = bpf_map__fd(src->skel->maps.units);
	while (!bpf_map_get_next_key(fd, kp, &next)) {
		struct accel_iommu_unit *u;
		char name[IOMMU_LAT_NAME_LEN + 1];

		key = next;
		kp = &key;
		if (bpf_map_lookup_elem(fd, &key, val))
			continue;
		memcpy(name, key.name, IOMMU_LAT_NAME_LEN);
		name[IOMMU_LAT_NAME_LEN] = '\0';
		u = accel_iommu_unit_get(s, name);
		if (!u)
			continue;
		for (t = 0; t < ACCEL_IOMMU_TYPES; t++) {
			u->descs[t] = val->descs[t];
			u->submits[t] = val->submits[t];
			u->lat_sum_ns[t] = val->lat_sum_ns[t];
			u->lat[t].count = 0;
			for (b = 0; b < ACCEL_HIST_BUCKETS; b++) {
				u->lat[t].bucket[b] = val->lat[t][b];
				u->lat[t].count += val->lat[t][b];
			}
		}
	}
	free(val);
	return 0;
}

const char *accel_iommu_missing(const struct accel_iommu_src *src)
{
	return src->missing;
}

enum accel_iommu_src_kind accel_iommu_kind(const struct accel_iommu_src *src)
{
	return src->kind;
}

void accel_iommu_close(struct accel_iommu_src *src)
{
	if (!src)
		return;
	iommu_lat_bpf__destroy(src->skel);
	free(src->fixture);
	free(src);
}
