// SPDX-License-Identifier: MIT
/*
 * libaccel: the recent window of the health check (accel_health.h). The
 * driver's counters and histograms are cumulative; the check judges the
 * difference between a reading now and one a window old, kept in a state
 * file whose text this file parses and writes:
 *
 *   accel-check-state 1
 *   key <opaque key of the device's incarnation>
 *   r <t> <acked> <address_error> <fault_lat> <tlbi_lat>
 *   ...
 *
 * A histogram is "-" when empty, else comma-separated bucket:count pairs
 * of its non-empty buckets ("3:10,7:2").
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "accel_format.h"
#include "accel_health.h"

#define STATE_MAGIC "accel-check-state 1"

void accel_hreading_of(const struct accel_dev *d, double t,
		       struct accel_hreading *r)
{
	const uint64_t *c = d->stats.counter;

	memset(r, 0, sizeof(*r));
	r->t = t;
	r->acked = c[ACCEL_C_FAULTS_ACKED_RESTART] +
		   c[ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR];
	r->address_error = c[ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR];
	r->fault_lat = d->stats.fault_lat;
	r->tlbi_lat = d->stats.tlbi_lat;
}

/* Printable copy of s into buf: no spaces or control bytes. */
static void sanitize(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = (unsigned char)s[i] <= ' ' || s[i] == 0x7f ? '?' :
			 s[i];
	buf[i] = '\0';
}

void accel_hstate_key(const char *root, const char *dev, char *key,
		      size_t size)
{
	char path[4096], line[64] = "-", boot[64], rbuf[256], *real;
	const char *proc = getenv("ACCEL_PROCFS");
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/kernel/random/boot_id",
		 proc && *proc ? proc : "/proc");
	f = fopen(path, "re");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			snprintf(line, sizeof(line), "-");
		line[strcspn(line, "\n")] = '\0';
		fclose(f);
	}
	sanitize(line, boot, sizeof(boot));
	snprintf(path, sizeof(path), "%s/%s", root, dev);
	if (stat(path, &st))
		memset(&st, 0, sizeof(st));
	real = realpath(root, NULL);
	sanitize(real ? real : root, rbuf, sizeof(rbuf));
	free(real);
	snprintf(key, size, "boot=%s dev=%s ino=%llu ctime=%lld.%09ld root=%s",
		 boot, dev, (unsigned long long)st.st_ino,
		 (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec, rbuf);
}

void accel_hstate_free(struct accel_hstate *st)
{
	free(st->r);
	memset(st, 0, sizeof(*st));
}

/* "-" or "b:n,b:n" into h; 0 or -EINVAL. */
static int parse_hist(const char *s, struct accel_hist *h)
{
	uint64_t n = 0;

	memset(h, 0, sizeof(*h));
	if (!strcmp(s, "-"))
		return 0;
	while (*s) {
		unsigned long b;
		uint64_t v;
		char *end;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		errno = 0;
		b = strtoul(s, &end, 10);
		if (errno || *end != ':' || b >= ACCEL_HIST_BUCKETS ||
		    h->bucket[b])
			return -EINVAL;
		s = end + 1;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || !v || (*end && *end != ','))
			return -EINVAL;
		h->bucket[b] = v;
		n = n + v < n ? UINT64_MAX : n + v;
		s = *end ? end + 1 : end;
		if (*end && !*s)
			return -EINVAL;
	}
	h->count = n;
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

static int parse_reading(char *l, struct accel_hreading *r)
{
	char *f[6], *save = NULL, *end;
	unsigned int i;

	for (i = 0; i < 6; i++) {
		f[i] = strtok_r(i ? NULL : l, " ", &save);
		if (!f[i])
			return -EINVAL;
	}
	if (strtok_r(NULL, " ", &save))
		return -EINVAL;
	if ((*f[1] < '0' || *f[1] > '9') || strpbrk(f[1], "xXeEpP"))
		return -EINVAL;
	errno = 0;
	r->t = strtod(f[1], &end);
	if (errno || *end || !isfinite(r->t))
		return -EINVAL;
	if (parse_u64(f[2], &r->acked) || parse_u64(f[3], &r->address_error) ||
	    r->address_error > r->acked)
		return -EINVAL;
	if (parse_hist(f[4], &r->fault_lat) || parse_hist(f[5], &r->tlbi_lat))
		return -EINVAL;
	return 0;
}

int accel_hstate_parse(const char *buf, size_t len, const char *name,
		       struct accel_hstate *st, struct accel_err *err)
{
	unsigned int line = 0;
	size_t pos = 0, cap = 0;
	char l[2048];

	memset(st, 0, sizeof(*st));
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - buf - pos) : len - pos;

		line++;
		if (!nl || n >= sizeof(l) || memchr(buf + pos, '\0', n)) {
			accel_err_set(err, name, line, "%s", !nl ?
				      "truncated line" : "bad line");
			goto bad;
		}
		memcpy(l, buf + pos, n);
		l[n] = '\0';
		pos += n + 1;
		if (line == 1) {
			if (strcmp(l, STATE_MAGIC)) {
				accel_err_set(err, name, line, "not a state "
					      "file of this version");
				goto bad;
			}
		} else if (line == 2) {
			if (strncmp(l, "key ", 4) ||
			    n - 4 >= sizeof(st->key)) {
				accel_err_set(err, name, line, "bad key");
				goto bad;
			}
			memcpy(st->key, l + 4, n - 3);
		} else {
			struct accel_hreading r;

			if (strncmp(l, "r ", 2) || parse_reading(l, &r) ||
			    (st->n && r.t < st->r[st->n - 1].t)) {
				accel_err_set(err, name, line, "bad reading");
				goto bad;
			}
			if (st->n == cap) {
				void *p;

				cap = cap ? cap * 2 : 8;
				p = realloc(st->r, cap * sizeof(*st->r));
				if (!p) {
					accel_err_set(err, name, 0,
						      "out of memory");
					accel_hstate_free(st);
					return -ENOMEM;
				}
				st->r = p;
			}
			st->r[st->n++] = r;
		}
	}
	if (line < 2) {
		accel_err_set(err, name, line, "no key");
		goto bad;
	}
	return 0;
bad:
	accel_hstate_free(st);
	return -EINVAL;
}

/* Append s to the growing buffer *b (length *n, capacity *cap). */
static int put(char **b, size_t *n, size_t *cap, const char *s)
{
	size_t l = strlen(s);

	if (*n + l + 1 > *cap) {
		size_t c = (*n + l + 1) * 2;
		char *p = realloc(*b, c);

		if (!p)
			return -ENOMEM;
		*b = p;
		*cap = c;
	}
	memcpy(*b + *n, s, l + 1);
	*n += l;
	return 0;
}

static int put_hist(char **b, size_t *n, size_t *cap,
		    const struct accel_hist *h)
{
	bool any = false;
	unsigned int i;
	char x[48];

	for (i = 0; i < ACCEL_HIST_BUCKETS; i++) {
		if (!h->bucket[i])
			continue;
		snprintf(x, sizeof(x), "%s%u:%llu", any ? "," : " ", i,
			 (unsigned long long)h->bucket[i]);
		if (put(b, n, cap, x))
			return -ENOMEM;
		any = true;
	}
	return any ? 0 : put(b, n, cap, " -");
}

char *accel_hstate_format(const struct accel_hstate *st)
{
	size_t n = 0, cap = 0, i;
	char *b = NULL, x[96];

	if (put(&b, &n, &cap, STATE_MAGIC "\nkey ") ||
	    put(&b, &n, &cap, st->key) || put(&b, &n, &cap, "\n"))
		goto nomem;
	for (i = 0; i < st->n; i++) {
		const struct accel_hreading *r = &st->r[i];

		snprintf(x, sizeof(x), "r %.6f %llu %llu", r->t,
			 (unsigned long long)r->acked,
			 (unsigned long long)r->address_error);
		if (put(&b, &n, &cap, x) ||
		    put_hist(&b, &n, &cap, &r->fault_lat) ||
		    put_hist(&b, &n, &cap, &r->tlbi_lat) ||
		    put(&b, &n, &cap, "\n"))
			goto nomem;
	}
	return b;
nomem:
	free(b);
	return NULL;
}

/* Whether every counter of a is at most b's: b can follow a. */
static bool precedes(const struct accel_hreading *a,
		     const struct accel_hreading *b)
{
	unsigned int i;

	if (a->acked > b->acked || a->address_error > b->address_error)
		return false;
	for (i = 0; i < ACCEL_HIST_BUCKETS; i++)
		if (a->fault_lat.bucket[i] > b->fault_lat.bucket[i] ||
		    a->tlbi_lat.bucket[i] > b->tlbi_lat.bucket[i])
			return false;
	return true;
}

const struct accel_hreading *accel_hstate_base(const struct accel_hstate *st,
					       const struct accel_hreading *cur,
					       double window)
{
	double age = window * (1 - ACCEL_HWINDOW_SLACK);
	size_t i;

	if (window <= 0)
		return NULL;
	for (i = st->n; i-- > 0;)
		if (cur->t - st->r[i].t >= age)
			return precedes(&st->r[i], cur) ? &st->r[i] : NULL;
	return NULL;
}

int accel_hstate_add(struct accel_hstate *st, const struct accel_hreading *cur,
		     double window)
{
	double age = window * (1 - ACCEL_HWINDOW_SLACK);
	size_t i, first = 0, n;
	void *p;

	/* Readings from the future, or that cur cannot follow: a reset. */
	while (st->n && (st->r[st->n - 1].t > cur->t ||
			 !precedes(&st->r[st->n - 1], cur)))
		st->n--;
	/* Older than the newest reading a window old: no window needs it. */
	for (i = st->n; i-- > 0;)
		if (cur->t - st->r[i].t >= age) {
			first = i;
			break;
		}
	n = st->n - first;
	if (first)
		memmove(st->r, st->r + first, n * sizeof(*st->r));
	st->n = n;
	if (st->n && cur->t - st->r[st->n - 1].t <
		     window / ACCEL_HWINDOW_READINGS)
		return 0;
	p = realloc(st->r, (st->n + 1) * sizeof(*st->r));
	if (!p)
		return -ENOMEM;
	st->r = p;
	st->r[st->n++] = *cur;
	return 0;
}

void accel_health_window(struct accel_summary *s,
			 const struct accel_hreading *cur,
			 const struct accel_hreading *base)
{
	struct accel_hist h;
	uint64_t err;
	double p[3];

	s->faults_acked = cur->acked - base->acked;
	err = cur->address_error - base->address_error;
	s->fault_error_pct = s->faults_acked ?
			     100.0 * (double)err / (double)s->faults_acked : 0;

	accel_hist_delta(&cur->fault_lat, &base->fault_lat, &h);
	s->has_fault_lat = accel_hist_p50_90_99(&h, p);
	s->fault_p50_ns = s->has_fault_lat ? p[0] : 0;
	s->fault_p90_ns = s->has_fault_lat ? p[1] : 0;
	s->fault_p99_ns = s->has_fault_lat ? p[2] : 0;

	accel_hist_delta(&cur->tlbi_lat, &base->tlbi_lat, &h);
	s->has_tlbi_lat = accel_hist_p50_90_99(&h, p);
	s->tlbi_p50_ns = s->has_tlbi_lat ? p[0] : 0;
	s->tlbi_p90_ns = s->has_tlbi_lat ? p[1] : 0;
	s->tlbi_p99_ns = s->has_tlbi_lat ? p[2] : 0;
}
