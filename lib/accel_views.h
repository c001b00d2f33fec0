/* SPDX-License-Identifier: MIT */
/*
 * libaccel: parsers for the accelsim debugfs views (doc/contract.md).
 *
 * Every parser takes an in-memory buffer (not necessarily NUL-terminated),
 * its length and a name used in error messages (for example "afu0/spa"),
 * and fills a typed struct. Columns are matched by header name; unknown
 * extra columns are ignored. On error a parser returns a negative errno
 * (-EINVAL for malformed input, -ENOMEM) and err->msg holds one line such as
 * "afu0/spa:3: bad pasid 'x'" (line 1 is the header). Parsers never read
 * outside the buffer and never abort, whatever the input.
 *
 * Rules enforced for every table view: a non-empty header line; every
 * required column present, no column named twice; every row has exactly as
 * many fields as the header (fewer: "truncated line"); the last line ends
 * with a newline (otherwise the read was cut: "truncated line"); no empty
 * lines; numbers are decimal u32/u64 without sign, addresses 0x-hex.
 */
#ifndef ACCEL_VIEWS_H
#define ACCEL_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Major version of the views this library understands (info "version"). */
#define ACCEL_VIEWS_MAJOR 0

struct accel_err {
	char msg[256];
};

/* Set err->msg to "name:line: <fmt>" (": <fmt>" alone when line is 0). */
void accel_err_set(struct accel_err *err, const char *name, unsigned int line,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* info */
enum accel_dev_state {
	ACCEL_DEV_UNKNOWN,	/* a state this library does not know */
	ACCEL_DEV_ONLINE,
	ACCEL_DEV_REMOVING,
};

struct accel_info {
	char dev[32];		/* "afu0" */
	char version[32];	/* driver version, "MAJOR.MINOR.PATCH" */
	unsigned int ver_major, ver_minor, ver_patch;
	uint32_t max_pe;
	uint32_t pasid_bits;
	uint32_t irq_budget;
	uint32_t atc_entries;
	enum accel_dev_state state;
	char state_str[16];
	uint32_t contexts;
	uint32_t pasids;
	uint32_t pending_faults;
	uint32_t irqs_used;
	uint32_t zombies;
};

/* spa */
enum accel_pe_state {
	ACCEL_PE_UNKNOWN,
	ACCEL_PE_ACTIVE,
	ACCEL_PE_TERMINATING,
	ACCEL_PE_ZOMBIE,
};

struct accel_pe {
	uint32_t pe;
	uint32_t pasid;
	uint32_t pid;
	char comm[32];
	enum accel_pe_state state;
	char state_str[16];
	bool kernel;
	uint64_t faults;
	uint64_t tlbis;
	uint64_t irqs;		/* IRQs fired */
	uint64_t work;		/* descriptors completed */
	bool has_bytes;		/* the optional "bytes" column was there */
	uint64_t bytes;
};

struct accel_spa {
	struct accel_pe *pe;
	size_t n;
};

/* pasids */
enum accel_pasid_state {
	ACCEL_PASID_UNKNOWN,
	ACCEL_PASID_LIVE,
	ACCEL_PASID_DRAINING,
	ACCEL_PASID_FREE_PENDING,
};

struct accel_pasid {
	uint32_t pasid;
	uint32_t pid;
	uint32_t refs;
	uint64_t outstanding;
	enum accel_pasid_state state;
	char state_str[16];
	char kind[12];		/* "shared", "private" or "kernel" */
	bool has_kind;		/* the optional "kind" column was there */
};

struct accel_pasids {
	struct accel_pasid *p;
	size_t n;
};

/* faults */
enum accel_access {
	ACCEL_ACCESS_READ,
	ACCEL_ACCESS_WRITE,
};

enum accel_fault_state {
	ACCEL_FAULT_UNKNOWN,
	ACCEL_FAULT_PENDING,
	ACCEL_FAULT_RESOLVING,
	ACCEL_FAULT_HELD,
};

struct accel_fault {
	uint64_t id;
	uint32_t dev;
	uint32_t pe;
	uint32_t pasid;
	uint64_t address;
	enum accel_access access;
	enum accel_fault_state state;
	char state_str[16];
	uint64_t age_ns;
};

struct accel_faults {
	struct accel_fault *f;
	size_t n;
};

/* irqs */
struct accel_irq {
	uint32_t pe;
	uint32_t pasid;
	uint32_t hwirq;		/* first hwirq of the range */
	uint32_t count;
	uint32_t eventfds;
	uint64_t fired;
};

struct accel_irqs {
	struct accel_irq *r;
	size_t n;
};

/* stats: counters in contract order */
enum accel_counter {
	ACCEL_C_ATTACHES,
	ACCEL_C_DETACHES,
	ACCEL_C_FAULTS_RAISED,
	ACCEL_C_FAULTS_ACKED_RESTART,
	ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR,
	ACCEL_C_TLBIS,
	ACCEL_C_ATC_INVALIDATIONS,
	ACCEL_C_ATC_HITS,
	ACCEL_C_ATC_MISSES,
	ACCEL_C_IRQS_FIRED,
	ACCEL_C_WORK_SUBMITTED,
	ACCEL_C_WORK_DONE,
	ACCEL_C_WORK_FAILED,
	ACCEL_C_BYTES,
	ACCEL_C_AFU_ERRORS,
	ACCEL_C_NR
};

extern const char *const accel_counter_names[ACCEL_C_NR];

#define ACCEL_HIST_BUCKETS 64

/* log2 histogram: bucket B counts values in [2^B, 2^(B+1)); 0 is in B 0. */
struct accel_hist {
	uint64_t bucket[ACCEL_HIST_BUCKETS];
	uint64_t count;		/* sum of the buckets (saturating) */
};

struct accel_stats {
	uint64_t counter[ACCEL_C_NR];
	struct accel_hist fault_lat;	/* fault_lat_ns */
	struct accel_hist tlbi_lat;	/* tlbi_lat_ns */
};

/* kctx */
struct accel_kctx {
	uint32_t pe;
	uint64_t size;
};

struct accel_kctxs {
	struct accel_kctx *k;
	size_t n;
};

/* atc: what the device has translated, one row per valid entry */
struct accel_atc_entry {
	uint32_t set;
	uint32_t way;
	uint32_t pasid;
	uint32_t pe;
	uint64_t vaddr;		/* user virtual page (kernel context: offset) */
	char perm[3];		/* "r-" or "rw" */
	uint32_t hits;
	uint64_t age_ms;
};

struct accel_atc {
	struct accel_atc_entry *e;
	size_t n;
};

/*
 * gen: each view's generation, a count that changes whenever a row of
 * the view changes (its age columns, which follow the clock, aside). A
 * view whose count is the same in two reads of gen did not change in
 * between; a driver without the gen view, or a view it does not list,
 * has no count (has lacks its bit) and must be read every time.
 */
enum accel_gen_view {
	ACCEL_GEN_INFO,
	ACCEL_GEN_SPA,
	ACCEL_GEN_PASIDS,
	ACCEL_GEN_FAULTS,
	ACCEL_GEN_IRQS,
	ACCEL_GEN_STATS,
	ACCEL_GEN_ATC,
	ACCEL_GEN_KCTX,
	ACCEL_GEN_NR
};

extern const char *const accel_gen_view_names[ACCEL_GEN_NR];

struct accel_gen {
	uint64_t gen[ACCEL_GEN_NR];
	unsigned int has;		/* bit v: the view listed gen[v] */
};

/* Did view v keep its count from a to b (both have one)? */
bool accel_gen_same(const struct accel_gen *a, const struct accel_gen *b,
		    enum accel_gen_view v);

/*
 * The parsers. Table parsers allocate their rows; free them with the
 * matching *_free (safe on a zeroed or already freed struct). On error the
 * output is left empty (nothing to free).
 */
int accel_parse_info(const char *buf, size_t len, const char *name,
		     struct accel_info *out, struct accel_err *err);
int accel_parse_spa(const char *buf, size_t len, const char *name,
		    struct accel_spa *out, struct accel_err *err);
int accel_parse_pasids(const char *buf, size_t len, const char *name,
		       struct accel_pasids *out, struct accel_err *err);
int accel_parse_faults(const char *buf, size_t len, const char *name,
		       struct accel_faults *out, struct accel_err *err);
int accel_parse_irqs(const char *buf, size_t len, const char *name,
		     struct accel_irqs *out, struct accel_err *err);
int accel_parse_stats(const char *buf, size_t len, const char *name,
		      struct accel_stats *out, struct accel_err *err);
int accel_parse_kctx(const char *buf, size_t len, const char *name,
		     struct accel_kctxs *out, struct accel_err *err);
int accel_parse_atc(const char *buf, size_t len, const char *name,
		    struct accel_atc *out, struct accel_err *err);
/* Rows of views this library does not know are ignored. */
int accel_parse_gen(const char *buf, size_t len, const char *name,
		    struct accel_gen *out, struct accel_err *err);

void accel_spa_free(struct accel_spa *s);
void accel_pasids_free(struct accel_pasids *p);
void accel_faults_free(struct accel_faults *f);
void accel_irqs_free(struct accel_irqs *r);
void accel_kctxs_free(struct accel_kctxs *k);
void accel_atc_free(struct accel_atc *a);

/*
 * inject/ knobs, read back as one line: a u64 (fault_delay_ns,
 * tlbi_delay_ns), a 0/1 flag (hold_faults, hang_terminate), or
 * "N ERRNO" (fail_attach).
 */
int accel_parse_knob_u64(const char *buf, size_t len, const char *name,
			 uint64_t *out, struct accel_err *err);
int accel_parse_knob_bool(const char *buf, size_t len, const char *name,
			  bool *out, struct accel_err *err);
int accel_parse_fail_attach(const char *buf, size_t len, const char *name,
			    uint32_t *count, uint32_t *errnum,
			    struct accel_err *err);

/* Names of enum values, as in the views ("active", "draining", ...). */
const char *accel_pe_state_name(enum accel_pe_state s);
const char *accel_pasid_state_name(enum accel_pasid_state s);
const char *accel_fault_state_name(enum accel_fault_state s);
const char *accel_access_name(enum accel_access a);

/*
 * Read a whole file (debugfs reports size 0, so read to EOF) into a
 * malloc'ed, NUL-terminated buffer. Returns 0 or a negative errno.
 */
int accel_read_file(const char *path, char **buf, size_t *len);
/*
 * The same for an open fd (a pipe), with a deadline of timeout_ms (< 0:
 * none): -ETIMEDOUT when the writer has not closed it by then.
 */
int accel_read_fd(int fd, int timeout_ms, char **buf, size_t *len);
/*
 * The kernel's syslog buffer (klogctl READ_ALL, which consumes nothing),
 * "<6>[    1.234567] message" lines, for where /dev/kmsg is missing:
 * a malloc'ed, NUL-terminated buffer. Returns 0 or a negative errno.
 */
int accel_read_klog(char **buf);

#endif /* ACCEL_VIEWS_H */
