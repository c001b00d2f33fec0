// SPDX-License-Identifier: MIT
/*
 * accelctl dump --redact: replace pids, comms and addresses with
 * consistent pseudonyms in every file of the bundle.
 *
 * Pseudonym pids start at 5000001, above the kernel's PID_MAX_LIMIT
 * (4194304), so they can never be mistaken for real ones; comms become
 * "commN"; an address keeps its offset in the page and its page becomes
 * 0x1000000N000 (one pseudonym page per real page). 0, all-ones, "-" and
 * "[kernel]" carry no identity and stay. Structured files are rewritten by
 * field: debugfs tables by column name (pid, comm, address), trace lines by
 * their task prefix and key=value fields, /proc status by key. Free text
 * (the kernel log, the command line) then has every known pid, comm and
 * address word replaced. The mapping is written to a separate file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accelctl.h"
#include "dump.h"

#define PSEUDO_PID_BASE 5000000u
#define PSEUDO_ADDR_BASE 0x100000000000ull

struct rpid {
	uint32_t real, pseudo;
};

struct rcomm {
	char real[128], pseudo[16];
};

struct raddr {
	uint64_t page, pseudo;
};

struct redact {
	struct rpid *pids;
	size_t npids;
	struct rcomm *comms;
	size_t ncomms;
	struct raddr *addrs;
	size_t naddrs;
};

/* A growing string. */
struct sb {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_put(struct sb *s, const char *p, size_t n)
{
	char *np;

	if (s->oom)
		return;
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 256;

		while (cap < s->len + n + 1)
			cap *= 2;
		np = realloc(s->p, cap);
		if (!np) {
			s->oom = true;
			return;
		}
		s->p = np;
		s->cap = cap;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static void sb_str(struct sb *s, const char *p)
{
	sb_put(s, p, strlen(p));
}

struct redact *redact_new(void)
{
	return calloc(1, sizeof(struct redact));
}

void redact_free(struct redact *r)
{
	if (!r)
		return;
	free(r->pids);
	free(r->comms);
	free(r->addrs);
	free(r);
}

static void *grow(void *p, size_t n, size_t size)
{
	/* Arrays grow by 64 entries. */
	if (n % 64)
		return p;
	return realloc(p, (n + 64) * size);
}

static uint32_t r_pid(struct redact *r, uint32_t pid)
{
	struct rpid *np;
	size_t i;

	if (!pid)
		return 0;
	for (i = 0; i < r->npids; i++)
		if (r->pids[i].real == pid)
			return r->pids[i].pseudo;
	np = grow(r->pids, r->npids, sizeof(*np));
	if (!np)
		return PSEUDO_PID_BASE;
	r->pids = np;
	np[r->npids].real = pid;
	np[r->npids].pseudo = PSEUDO_PID_BASE + (uint32_t)r->npids + 1;
	return np[r->npids++].pseudo;
}

static const char *r_comm(struct redact *r, const char *comm, size_t len)
{
	struct rcomm *nc;
	size_t i;

	if (!len || len >= sizeof(nc->real) || (len == 1 && *comm == '-') ||
	    (len == 8 && !strncmp(comm, "[kernel]", 8)))
		return NULL;
	for (i = 0; i < r->ncomms; i++)
		if (strlen(r->comms[i].real) == len &&
		    !strncmp(r->comms[i].real, comm, len))
			return r->comms[i].pseudo;
	nc = grow(r->comms, r->ncomms, sizeof(*nc));
	if (!nc)
		return "comm0";
	r->comms = nc;
	snprintf(nc[r->ncomms].real, sizeof(nc->real), "%.*s", (int)len, comm);
	snprintf(nc[r->ncomms].pseudo, sizeof(nc->pseudo), "comm%zu",
		 r->ncomms + 1);
	return nc[r->ncomms++].pseudo;
}

static uint64_t r_addr(struct redact *r, uint64_t a)
{
	uint64_t page = a >> 12;
	struct raddr *na;
	size_t i;

	if (!a || a == UINT64_MAX)
		return a;
	for (i = 0; i < r->naddrs; i++)
		if (r->addrs[i].page == page)
			return r->addrs[i].pseudo | (a & 0xfff);
	na = grow(r->addrs, r->naddrs, sizeof(*na));
	if (!na)
		return PSEUDO_ADDR_BASE;
	r->addrs = na;
	na[r->naddrs].page = page;
	na[r->naddrs].pseudo = PSEUDO_ADDR_BASE + (r->naddrs << 12);
	return na[r->naddrs++].pseudo | (a & 0xfff);
}

/* Rewrite a numeric token (pid: decimal; addr: as written, 0x or not). */
static void put_pid(struct redact *r, struct sb *o, const char *t, size_t n)
{
	char buf[32], *end;
	unsigned long v;

	snprintf(buf, sizeof(buf), "%.*s", (int)(n < 31 ? n : 31), t);
	v = strtoul(buf, &end, 10);
	if (n >= 31 || *end || end == buf || v > UINT32_MAX) {
		sb_put(o, t, n);
		return;
	}
	snprintf(buf, sizeof(buf), "%u", r_pid(r, (uint32_t)v));
	sb_str(o, buf);
}

static void put_addr(struct redact *r, struct sb *o, const char *t, size_t n)
{
	unsigned long long v;
	char buf[40], *end;
	bool hex = n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');

	snprintf(buf, sizeof(buf), "%.*s", (int)(n < 39 ? n : 39), t);
	v = strtoull(buf, &end, hex ? 16 : 10);
	if (n >= 39 || *end || end == buf) {
		sb_put(o, t, n);
		return;
	}
	snprintf(buf, sizeof(buf), hex ? "0x%llx" : "%llu",
		 (unsigned long long)r_addr(r, v));
	sb_str(o, buf);
}

static void put_comm(struct redact *r, struct sb *o, const char *t, size_t n)
{
	const char *p = r_comm(r, t, n);

	if (p)
		sb_str(o, p);
	else
		sb_put(o, t, n);
}

enum col_kind { COL_KEEP, COL_PID, COL_COMM, COL_ADDR };

static enum col_kind col_kind(const char *name, size_t n)
{
	if (n == 3 && !strncmp(name, "pid", 3))
		return COL_PID;
	if (n == 4 && !strncmp(name, "comm", 4))
		return COL_COMM;
	if ((n == 7 && !strncmp(name, "address", 7)) ||
	    (n == 4 && !strncmp(name, "addr", 4)))
		return COL_ADDR;
	return COL_KEEP;
}

static void put_field(struct redact *r, struct sb *o, enum col_kind k,
		      const char *t, size_t n)
{
	switch (k) {
	case COL_PID:
		put_pid(r, o, t, n);
		break;
	case COL_COMM:
		put_comm(r, o, t, n);
		break;
	case COL_ADDR:
		put_addr(r, o, t, n);
		break;
	default:
		sb_put(o, t, n);
	}
}

/* A debugfs table: rewrite the pid, comm and address columns. */
static void redact_table(struct redact *r, const char *in, struct sb *o)
{
	enum col_kind kinds[64];
	const char *l = in, *nl, *t;
	size_t ncol = 0, n, i;
	bool header = true;

	for (; *l; l = nl) {
		nl = strchr(l, '\n');
		nl = nl ? nl + 1 : l + strlen(l);
		for (t = l, i = 0; t < nl && *t != '\n'; i++) {
			n = strcspn(t, " \n");
			if (header && ncol < 64)
				kinds[ncol++] = col_kind(t, n);
			put_field(r, o, header || i >= ncol ? COL_KEEP :
				  kinds[i], t, n);
			t += n;
			if (*t == ' ') {
				sb_put(o, " ", 1);
				t++;
			}
		}
		sb_put(o, t, (size_t)(nl - t));
		header = false;
	}
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Trace lines: the "comm-pid" task prefix and key=value fields. */
static void redact_trace(struct redact *r, const char *in, struct sb *o)
{
	const char *l = in, *nl, *br, *task, *dash, *t;
	size_t n;

	for (; *l; l = nl) {
		nl = strchr(l, '\n');
		nl = nl ? nl + 1 : l + strlen(l);
		br = strstr(l, " [");
		if (!br || br > nl) {
			sb_put(o, l, (size_t)(nl - l));
			continue;
		}
		for (task = l; *task == ' '; task++)
			;
		for (t = br; t > task && t[-1] == ' '; t--)
			;
		for (dash = t; dash > task && dash[-1] != '-'; dash--)
			;
		sb_put(o, l, (size_t)(task - l));
		if (dash > task + 1 && dash < t) {
			n = (size_t)(dash - 1 - task);
			if (n == 5 && !strncmp(task, "<...>", 5))
				sb_put(o, task, n);
			else
				put_comm(r, o, task, n);
			sb_put(o, "-", 1);
			put_pid(r, o, dash, (size_t)(t - dash));
		} else {
			sb_put(o, task, (size_t)(t - task));
		}
		/* The rest: key=value words. */
		for (l = t; l < nl;) {
			const char *eq;

			n = strcspn(l, " \n");
			if (l + n > nl)
				n = (size_t)(nl - l);
			eq = memchr(l, '=', n);
			if (eq) {
				enum col_kind k = col_kind(l, (size_t)(eq - l));

				if (!strncmp(l, "start=", 6) ||
				    !strncmp(l, "end=", 4))
					k = COL_ADDR;
				sb_put(o, l, (size_t)(eq - l) + 1);
				put_field(r, o, k, eq + 1,
					  n - (size_t)(eq - l) - 1);
			} else {
				sb_put(o, l, n);
			}
			l += n;
			while (l < nl && (*l == ' ' || *l == '\n'))
				sb_put(o, l++, 1);
		}
		nl = l;
	}
}

/* /proc/PID/status: Name and the pid fields. */
static void redact_status(struct redact *r, const char *in, struct sb *o)
{
	static const char *const pidkeys[] = {
		"Pid", "PPid", "Tgid", "TracerPid", "NStgid", "NSpid",
		"NSpgid", "NSsid", "Ngid", NULL
	};
	const char *l = in, *nl, *colon, *t;
	size_t k, n;

	for (; *l; l = nl) {
		nl = strchr(l, '\n');
		nl = nl ? nl + 1 : l + strlen(l);
		colon = memchr(l, ':', (size_t)(nl - l));
		if (!colon) {
			sb_put(o, l, (size_t)(nl - l));
			continue;
		}
		n = (size_t)(colon - l);
		sb_put(o, l, n + 1);
		for (t = colon + 1; t < nl && (*t == '\t' || *t == ' '); t++)
			sb_put(o, t, 1);
		if (n == 4 && !strncmp(l, "Name", 4)) {
			n = strcspn(t, "\n");
			put_comm(r, o, t, n);
			sb_put(o, t + n, (size_t)(nl - t - n));
			continue;
		}
		for (k = 0; pidkeys[k]; k++)
			if (strlen(pidkeys[k]) == n && !strncmp(l, pidkeys[k], n))
				break;
		if (!pidkeys[k]) {
			sb_put(o, t, (size_t)(nl - t));
			continue;
		}
		while (t < nl) {
			n = strcspn(t, " \t\n");
			put_pid(r, o, t, n);
			t += n;
			while (t < nl && (*t == ' ' || *t == '\t' || *t == '\n'))
				sb_put(o, t++, 1);
		}
	}
}

/* Free text: known pids and comms as words, hex addresses. */
static void redact_free_text(struct redact *r, const char *in, struct sb *o)
{
	const char *p = in;
	size_t i, n;

	while (*p) {
		bool start = p == in || !is_word(p[-1]);

		if (start && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			n = 2 + strspn(p + 2, "0123456789abcdefABCDEF");
			if (n > 2 && !is_word(p[n])) {
				put_addr(r, o, p, n);
				p += n;
				continue;
			}
		}
		if (start && *p >= '0' && *p <= '9') {
			n = strspn(p, "0123456789");
			if (!is_word(p[n])) {
				unsigned long v = strtoul(p, NULL, 10);

				for (i = 0; i < r->npids; i++)
					if (r->pids[i].real == v)
						break;
				if (i < r->npids)
					put_pid(r, o, p, n);
				else
					sb_put(o, p, n);
				p += n;
				continue;
			}
		}
		if (start) {
			for (i = 0; i < r->ncomms; i++) {
				n = strlen(r->comms[i].real);
				if (!strncmp(p, r->comms[i].real, n) &&
				    !is_word(p[n]))
					break;
			}
			if (i < r->ncomms) {
				sb_str(o, r->comms[i].pseudo);
				p += n;
				continue;
			}
		}
		sb_put(o, p++, 1);
	}
}

char *redact_text(struct redact *r, const char *s)
{
	struct sb o = { 0 };

	redact_free_text(r, s, &o);
	if (o.oom) {
		free(o.p);
		return NULL;
	}
	return o.p ? o.p : strdup("");
}

static int replace(struct accel_bundle_file *f, struct sb *o)
{
	if (o->oom) {
		free(o->p);
		return -ENOMEM;
	}
	free(f->data);
	f->data = o->p ? o->p : strdup("");
	f->len = o->len;
	return f->data ? 0 : -ENOMEM;
}

static bool is_table(const struct accel_bundle_file *f)
{
	const char *nl = strchr(f->data, '\n');
	const char *h = f->data;
	size_t n;

	if (strncmp(f->path, "debugfs/", 8) || !nl)
		return false;
	while (h < nl) {
		n = strcspn(h, " \n");
		if (col_kind(h, n) != COL_KEEP)
			return true;
		h += n + (h[n] == ' ');
	}
	return false;
}

int redact_bundle(struct redact *r, struct accel_bundle *b)
{
	size_t i, pass;
	int ret;

	/* Structured files first, so free text knows every pid and comm. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < b->nfiles; i++) {
			struct accel_bundle_file *f = &b->files[i];
			bool table = is_table(f);
			bool trace = !strcmp(f->path, "trace.txt");
			bool status = !strncmp(f->path, "proc/", 5);
			struct sb o = { 0 };

			if ((table || trace || status) != !pass)
				continue;
			/* Other views and parameters hold no identities. */
			if (pass && (!strncmp(f->path, "debugfs/", 8) ||
				     !strncmp(f->path, "params/", 7)))
				continue;
			if (table)
				redact_table(r, f->data, &o);
			else if (trace)
				redact_trace(r, f->data, &o);
			else if (status)
				redact_status(r, f->data, &o);
			else
				redact_free_text(r, f->data, &o);
			ret = replace(f, &o);
			if (ret)
				return ret;
		}
	}
	/* proc/PID/status -> proc/PSEUDO/status */
	for (i = 0; i < b->nfiles; i++) {
		struct accel_bundle_file *f = &b->files[i];
		unsigned int pid;
		char *np;

		if (sscanf(f->path, "proc/%u/", &pid) != 1)
			continue;
		if (asprintf(&np, "proc/%u/%s", r_pid(r, pid),
			     strchr(f->path + 5, '/') + 1) < 0)
			return -ENOMEM;
		free(f->path);
		f->path = np;
	}
	return 0;
}

int redact_write_map(const struct redact *r, const char *path,
		     const char *bundle)
{
	size_t i;
	FILE *f;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600)) {
		close(fd);
		return -errno;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	fprintf(f, "# accelctl dump --redact: pseudonym map of %s\n"
		"# KIND REAL PSEUDONYM (keep private: it undoes the "
		"redaction)\n", bundle);
	for (i = 0; i < r->npids; i++)
		fprintf(f, "pid %u %u\n", r->pids[i].real, r->pids[i].pseudo);
	for (i = 0; i < r->ncomms; i++)
		fprintf(f, "comm %s %s\n", r->comms[i].real,
			r->comms[i].pseudo);
	for (i = 0; i < r->naddrs; i++)
		fprintf(f, "page 0x%llx 0x%llx\n",
			(unsigned long long)r->addrs[i].page << 12,
			(unsigned long long)r->addrs[i].pseudo);
	if (fclose(f))
		return -errno;
	return 0;
}
