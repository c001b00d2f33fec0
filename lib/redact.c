// SPDX-License-Identifier: MIT
/*
 * libaccel: redaction of a support bundle (accel_redact.h). Each file is
 * rewritten into a memory stream; the views are walked with the table
 * tokenizer of their parsers (parse_table.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "accel_bundle.h"
#include "accel_redact.h"
#include "parse_table.h"

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

/* The other identities: a string and its token "KINDn". */
enum tok_kind {
	TOK_HOST, TOK_PATH, TOK_CMDLINE, TOK_UID, TOK_GID, TOK_WQ, TOK_NR
};

static const char *const tok_names[TOK_NR] = {
	"host", "path", "cmdline", "uid", "gid", "wq"
};

struct rtok {
	enum tok_kind kind;
	char *real;
	char pseudo[24];
};

struct accel_redact {
	struct rpid *pids;
	size_t npids, cpids;
	struct rcomm *comms;
	size_t ncomms, ccomms;
	struct raddr *addrs;
	size_t naddrs, caddrs;
	struct rtok *toks;
	size_t ntoks, ctoks;
	size_t ntok[TOK_NR];	/* tokens given, by kind */
};

/* What a column (or a trace key) holds. */
enum col_kind { COL_KEEP, COL_PID, COL_COMM, COL_ADDR };

/* The view columns and trace fields that carry an identity. */
static const struct {
	const char *name;
	enum col_kind kind;
} id_cols[] = {
	{ "pid", COL_PID },
	{ "comm", COL_COMM },
	{ "address", COL_ADDR },
	{ "addr", COL_ADDR },
	{ "vaddr", COL_ADDR },	/* atc */
	{ "start", COL_ADDR },	/* trace fields only: no view has them */
	{ "end", COL_ADDR },
};

/* The kind of the column (or key) name[0..n); views: all but the last two. */
static enum col_kind col_kind(const char *name, size_t n, bool view)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(id_cols) - (view ? 2 : 0); i++)
		if (strlen(id_cols[i].name) == n &&
		    !memcmp(id_cols[i].name, name, n))
			return id_cols[i].kind;
	return COL_KEEP;
}

struct accel_redact *accel_redact_new(void)
{
	return calloc(1, sizeof(struct accel_redact));
}

void accel_redact_free(struct accel_redact *r)
{
	size_t i;

	if (!r)
		return;
	free(r->pids);
	free(r->comms);
	free(r->addrs);
	for (i = 0; i < r->ntoks; i++)
		free(r->toks[i].real);
	free(r->toks);
	free(r);
}

/*
 * The token of kind k of s[0..len): the one it has, else "KINDn" (or the
 * token pseudo when given: another spelling of the same identity). NULL on
 * OOM.
 */
static const char *r_tok(struct accel_redact *r, enum tok_kind k,
			 const char *s, size_t len, const char *pseudo)
{
	struct rtok *nt;
	size_t i;

	for (i = 0; i < r->ntoks; i++)
		if (r->toks[i].kind == k && strlen(r->toks[i].real) == len &&
		    !memcmp(r->toks[i].real, s, len))
			return r->toks[i].pseudo;
	nt = ptab_push((void **)&r->toks, &r->ntoks, &r->ctoks, sizeof(*nt));
	if (!nt)
		return NULL;
	nt->kind = k;
	nt->real = strndup(s, len);
	if (!nt->real) {
		r->ntoks--;
		return NULL;
	}
	if (pseudo)
		snprintf(nt->pseudo, sizeof(nt->pseudo), "%s", pseudo);
	else
		snprintf(nt->pseudo, sizeof(nt->pseudo), "%s%zu", tok_names[k],
			 ++r->ntok[k]);
	return nt->pseudo;
}

const char *accel_redact_host(struct accel_redact *r, const char *host)
{
	const char *t = r_tok(r, TOK_HOST, host, strlen(host), NULL);
	size_t n = strcspn(host, ".");

	/* The short name too ("db1" of "db1.example.com"), same token. */
	if (t && n && host[n])
		r_tok(r, TOK_HOST, host, n, t);
	return t;
}

static uint32_t r_pid(struct accel_redact *r, uint32_t pid)
{
	struct rpid *np;
	size_t i;

	if (!pid)
		return 0;
	for (i = 0; i < r->npids; i++)
		if (r->pids[i].real == pid)
			return r->pids[i].pseudo;
	np = ptab_push((void **)&r->pids, &r->npids, &r->cpids, sizeof(*np));
	if (!np)
		return PSEUDO_PID_BASE;
	np->real = pid;
	np->pseudo = PSEUDO_PID_BASE + (uint32_t)r->npids;
	return np->pseudo;
}

static const char *r_comm(struct accel_redact *r, const char *comm,
			  size_t len)
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
	nc = ptab_push((void **)&r->comms, &r->ncomms, &r->ccomms,
		       sizeof(*nc));
	if (!nc)
		return "comm0";
	snprintf(nc->real, sizeof(nc->real), "%.*s", (int)len, comm);
	snprintf(nc->pseudo, sizeof(nc->pseudo), "comm%zu", r->ncomms);
	return nc->pseudo;
}

static uint64_t r_addr(struct accel_redact *r, uint64_t a)
{
	uint64_t page = a >> 12;
	struct raddr *na;
	size_t i;

	if (!a || a == UINT64_MAX)
		return a;
	for (i = 0; i < r->naddrs; i++)
		if (r->addrs[i].page == page)
			return r->addrs[i].pseudo | (a & 0xfff);
	na = ptab_push((void **)&r->addrs, &r->naddrs, &r->caddrs,
		       sizeof(*na));
	if (!na)
		return PSEUDO_ADDR_BASE;
	na->page = page;
	na->pseudo = PSEUDO_ADDR_BASE + ((r->naddrs - 1) << 12);
	return na->pseudo | (a & 0xfff);
}

static void put(FILE *o, const char *t, size_t n)
{
	if (n)
		fwrite(t, 1, n, o);
}

/* Rewrite a numeric token (pid: decimal; addr: as written, 0x or not). */
static void put_pid(struct accel_redact *r, FILE *o, const char *t,
		    size_t n)
{
	char buf[32], *end;
	unsigned long v;

	snprintf(buf, sizeof(buf), "%.*s", (int)(n < 31 ? n : 31), t);
	v = strtoul(buf, &end, 10);
	if (n >= 31 || *end || end == buf || v > UINT32_MAX) {
		put(o, t, n);
		return;
	}
	fprintf(o, "%u", r_pid(r, (uint32_t)v));
}

static void put_addr(struct accel_redact *r, FILE *o, const char *t,
		     size_t n)
{
	unsigned long long v;
	char buf[40], *end;
	bool hex = n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');

	snprintf(buf, sizeof(buf), "%.*s", (int)(n < 39 ? n : 39), t);
	v = strtoull(buf, &end, hex ? 16 : 10);
	if (n >= 39 || *end || end == buf) {
		put(o, t, n);
		return;
	}
	fprintf(o, hex ? "0x%llx" : "%llu", (unsigned long long)r_addr(r, v));
}

static void put_comm(struct accel_redact *r, FILE *o, const char *t,
		     size_t n)
{
	const char *p = r_comm(r, t, n);

	if (p)
		fputs(p, o);
	else
		put(o, t, n);
}

static void put_field(struct accel_redact *r, FILE *o, enum col_kind k,
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
		put(o, t, n);
	}
}

/*
 * The kinds of the columns of the view whose header t has read; false
 * when none carries an identity.
 */
static bool view_kinds(const struct ptab *t, enum col_kind *kinds)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i < t->ncols; i++) {
		kinds[i] = col_kind(t->col[i].s, t->col[i].len, true);
		any |= kinds[i] != COL_KEEP;
	}
	return any;
}

/* A debugfs view whose header names an identity column? */
static bool is_view(const struct accel_bundle_file *f)
{
	enum col_kind kinds[PTAB_MAX_COLS];
	struct ptab t;

	if (strncmp(f->path, ACCEL_BUNDLE_DEBUGFS,
		    sizeof(ACCEL_BUNDLE_DEBUGFS) - 1) ||
	    ptab_begin(&t, f->data, f->len, f->path, NULL))
		return false;
	return view_kinds(&t, kinds);
}

/*
 * A view: the header as it is, then each row with its pid, comm and
 * address fields rewritten and the blanks between fields kept. A last
 * line without its newline is read as if it had one; a line with a NUL
 * byte ends the view (the rest is dropped, never written unredacted).
 */
static int redact_view(struct accel_redact *r, const char *in, size_t len,
		       FILE *o)
{
	enum col_kind kinds[PTAB_MAX_COLS];
	const char *buf = in, *p;
	char *copy = NULL;
	struct ptab t;
	unsigned int i;
	bool nl = len && in[len - 1] == '\n';

	if (!nl) {
		copy = malloc(len + 1);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, in, len);
		copy[len++] = '\n';
		buf = copy;
	}
	if (ptab_begin(&t, buf, len, "view", NULL))
		goto out;
	view_kinds(&t, kinds);
	put(o, buf, t.pos);
	for (p = buf + t.pos; ptab_split(&t) > 0; p = buf + t.pos) {
		for (i = 0; i < t.nf; i++) {
			put(o, p, (size_t)(t.f[i].s - p));
			put_field(r, o, i < t.ncols ? kinds[i] : COL_KEEP,
				  t.f[i].s, t.f[i].len);
			p = t.f[i].s + t.f[i].len;
		}
		put(o, p, (size_t)(buf + t.pos - p) - (t.pos == len && !nl));
	}
out:
	free(copy);
	return 0;
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Trace lines: the "comm-pid" task prefix and key=value fields. */
static void redact_trace(struct accel_redact *r, const char *in, FILE *o)
{
	const char *l = in, *nl, *br, *task, *dash, *t;
	size_t n;

	for (; *l; l = nl) {
		nl = strchr(l, '\n');
		nl = nl ? nl + 1 : l + strlen(l);
		br = strstr(l, " [");
		if (!br || br > nl) {
			put(o, l, (size_t)(nl - l));
			continue;
		}
		for (task = l; *task == ' '; task++)
			;
		for (t = br; t > task && t[-1] == ' '; t--)
			;
		for (dash = t; dash > task && dash[-1] != '-'; dash--)
			;
		put(o, l, (size_t)(task - l));
		if (dash > task + 1 && dash < t) {
			n = (size_t)(dash - 1 - task);
			if (n == 5 && !strncmp(task, "<...>", 5))
				put(o, task, n);
			else
				put_comm(r, o, task, n);
			put(o, "-", 1);
			put_pid(r, o, dash, (size_t)(t - dash));
		} else {
			put(o, task, (size_t)(t - task));
		}
		/* The rest: key=value words. */
		for (l = t; l < nl;) {
			const char *eq;

			n = strcspn(l, " \n");
			if (l + n > nl)
				n = (size_t)(nl - l);
			eq = memchr(l, '=', n);
			if (eq) {
				enum col_kind k = col_kind(l, (size_t)(eq - l),
							   false);

				put(o, l, (size_t)(eq - l) + 1);
				put_field(r, o, k, eq + 1,
					  n - (size_t)(eq - l) - 1);
			} else {
				put(o, l, n);
			}
			l += n;
			while (l < nl && (*l == ' ' || *l == '\n'))
				put(o, l++, 1);
		}
		nl = l;
	}
}

/* The uids or gids t..nl of a status line: uidN/gidN, 0 (root) kept. */
static void put_ids(struct accel_redact *r, FILE *o, enum tok_kind k,
		    const char *t, const char *nl)
{
	const char *p;
	size_t n;

	while (t < nl) {
		n = strcspn(t, " \t\n");
		if (n == 1 && *t == '0') {
			put(o, t, n);
		} else if (n) {
			p = r_tok(r, k, t, n, NULL);
			fputs(p ? p : tok_names[k], o);
		}
		t += n;
		while (t < nl && (*t == ' ' || *t == '\t' || *t == '\n'))
			put(o, t++, 1);
	}
}

/* /proc/PID/status: Name, the pid fields, Uid, Gid and Groups. */
static void redact_status(struct accel_redact *r, const char *in, FILE *o)
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
			put(o, l, (size_t)(nl - l));
			continue;
		}
		n = (size_t)(colon - l);
		put(o, l, n + 1);
		for (t = colon + 1; t < nl && (*t == '\t' || *t == ' '); t++)
			put(o, t, 1);
		if (n == 4 && !strncmp(l, "Name", 4)) {
			n = strcspn(t, "\n");
			put_comm(r, o, t, n);
			put(o, t + n, (size_t)(nl - t - n));
			continue;
		}
		if ((n == 3 && !strncmp(l, "Uid", 3)) ||
		    (n == 3 && !strncmp(l, "Gid", 3)) ||
		    (n == 6 && !strncmp(l, "Groups", 6))) {
			put_ids(r, o, *l == 'U' ? TOK_UID : TOK_GID, t, nl);
			continue;
		}
		for (k = 0; pidkeys[k]; k++)
			if (strlen(pidkeys[k]) == n && !strncmp(l, pidkeys[k], n))
				break;
		if (!pidkeys[k]) {
			put(o, t, (size_t)(nl - t));
			continue;
		}
		while (t < nl) {
			n = strcspn(t, " \t\n");
			put_pid(r, o, t, n);
			t += n;
			while (t < nl && (*t == ' ' || *t == '\t' || *t == '\n'))
				put(o, t++, 1);
		}
	}
}

#define HEX "0123456789abcdefABCDEF"

/*
 * The 0x word p[0..*n) of text in is the offset of "sym+0xOFF/0xSIZE" (a
 * stack trace's %pS, the symbol's characters before the '+'): not an
 * address. Extends *n over "/0xSIZE".
 */
static bool sym_offset(const char *in, const char *p, size_t *n)
{
	size_t m;

	if (p - in < 2 || p[-1] != '+' || !(is_word(p[-2]) || p[-2] == '.'))
		return false;
	if (p[*n] == '/' && p[*n + 1] == '0' && p[*n + 2] == 'x') {
		m = strspn(p + *n + 3, HEX);
		if (m && !is_word(p[*n + 3 + m]))
			*n += 3 + m;
	}
	return true;
}

/* A bare 64-bit hex word (%px, a register): 16 digits, as written. */
static void put_addr_word(struct accel_redact *r, FILE *o, const char *p)
{
	char buf[17];

	memcpy(buf, p, 16);
	buf[16] = '\0';
	fprintf(o, "%016llx", (unsigned long long)r_addr(r,
		strtoull(buf, NULL, 16)));
}

/* Does p start the word w (case-insensitive), ending there? */
static size_t word_at(const char *p, const char *w)
{
	size_t n = strlen(w);

	return !strncasecmp(p, w, n) && !is_word(p[n]) ? n : 0;
}

/* The length of the decimal number at p that ends a word there, or 0. */
static size_t number_at(const char *p)
{
	size_t n = strspn(p, "0123456789");

	return n && n < 11 && !is_word(p[n]) ? n : 0;
}

/* The words that name a pid, or a comm, in free text (kernel log lines). */
static const char *const pid_words[] = { "pid", "tgid", "ppid", NULL };

/*
 * A pid or comm context at p: "pid N", "pid=N", "PID: N" (and tgid,
 * ppid), "comm X", "comm=X", "Comm: X", "/proc/N", "task COMM:N" and
 * "task COMM/N" (the hung-task and KASAN reports), and "COMM[N]:" or
 * "COMM[N] " at the start of a word (the kernel's segfault and trap
 * lines). Writes the context with its pid and comm rewritten and returns
 * the length consumed, 0 when p starts none.
 */
static size_t pid_context(struct accel_redact *r, const char *p, bool ws,
			  FILE *o)
{
	size_t n, s, d, k, c;
	const char *t;

	for (k = 0; pid_words[k]; k++) {
		n = word_at(p, pid_words[k]);
		if (!n)
			continue;
		s = strspn(p + n, "=: ");
		if (s > 2 || !(d = number_at(p + n + s)))
			return 0;
		put(o, p, n + s);
		put_pid(r, o, p + n + s, d);
		return n + s + d;
	}
	n = word_at(p, "comm");
	if (n) {
		s = strspn(p + n, "=: ");
		c = strcspn(p + n + s, " \t\n");
		while (c && strchr(".,;)", p[n + s + c - 1]))
			c--;
		if (s > 2 || !s || !c)
			return 0;
		put(o, p, n + s);
		put_comm(r, o, p + n + s, c);
		return n + s + c;
	}
	if (!strncmp(p, "/proc/", 6) && (d = number_at(p + 6))) {
		put(o, p, 6);
		put_pid(r, o, p + 6, d);
		return 6 + d;
	}
	n = word_at(p, "task");
	if (n && p[n] == ' ') {
		/* "task COMM:PID" or "task COMM/PID", the pid ending a word */
		t = p + n + 1;
		c = strcspn(t, " \t\n");
		while (c && strchr(".,;)", t[c - 1]))
			c--;
		for (d = c; d && t[d - 1] >= '0' && t[d - 1] <= '9'; d--)
			;
		if (d < 2 || d == c || (t[d - 1] != ':' && t[d - 1] != '/'))
			return 0;
		put(o, p, n + 1);
		put_comm(r, o, t, d - 1);
		put(o, t + d - 1, 1);
		put_pid(r, o, t + d, c - d);
		return n + 1 + c;
	}
	if (ws && *p != '[') {
		/* "COMM[PID]:" */
		c = strcspn(p, " \t\n[]");
		if (!c || p[c] != '[' || !(d = strspn(p + c + 1, "0123456789")) ||
		    p[c + 1 + d] != ']' || !strchr(": \n", p[c + 2 + d]))
			return 0;
		put_comm(r, o, p, c);
		put(o, "[", 1);
		put_pid(r, o, p + c + 1, d);
		put(o, "]", 1);
		return c + 2 + d;
	}
	return 0;
}

/*
 * The length of the host name (either spelling, any case) that is the
 * word at p, and its token; 0 when none is. The longest name wins.
 */
static size_t host_at(const struct accel_redact *r, const char *p,
		      const char **tok)
{
	size_t i, n, best = 0;

	for (i = 0; i < r->ntoks; i++) {
		if (r->toks[i].kind != TOK_HOST)
			continue;
		n = strlen(r->toks[i].real);
		if (n > best && !strncasecmp(p, r->toks[i].real, n) &&
		    !is_word(p[n])) {
			best = n;
			*tok = r->toks[i].pseudo;
		}
	}
	return best;
}

/* Is path[0..n) s or under s (a directory, no trailing '/')? */
static bool path_under(const char *path, size_t n, const char *s)
{
	size_t l = strlen(s);

	return l <= n && !memcmp(path, s, l) && (l == n || path[l] == '/');
}

/*
 * The length of a private path at p (an absolute path starting a word of
 * text in): /root, a directory under /home, or $HOME, or what is under
 * them; 0 when p starts none. The path ends at a blank, a quote or
 * ,;:()<>[]{}.
 */
static size_t private_path_at(const char *in, const char *p)
{
	const char *home = getenv("HOME");
	size_t n;

	if (*p != '/' || (p > in && !strchr(" \t\n=\"'(<[,:;", p[-1])))
		return 0;
	n = strcspn(p, " \t\n\"'(),;:<>[]{}");
	if (path_under(p, n, "/root") ||
	    (n > 6 && !strncmp(p, "/home/", 6) && p[6] != '/') ||
	    (home && home[0] == '/' && home[1] && path_under(p, n, home)))
		return n;
	return 0;
}

/*
 * "command line: ARGS" (the kernel's "Command line:" and "Kernel command
 * line:" at boot, kept when they name accelsim.*): ARGS become one token,
 * cmdlineN, followed by the accelsim.* parameters, which are kept.
 */
static size_t cmdline_at(struct accel_redact *r, const char *p, FILE *o)
{
	const char *a, *t;
	size_t c, n;

	if (strncasecmp(p, "command line: ", 14))
		return 0;
	a = p + 14;
	c = strcspn(a, "\n");
	t = r_tok(r, TOK_CMDLINE, a, c, NULL);
	put(o, p, 14);
	fputs(t ? t : "cmdline", o);
	for (t = a; t < a + c; t += n) {
		t += strspn(t, " \t");
		n = strcspn(t, " \t\n");
		if (!strncmp(t, "accelsim.", 9)) {
			put(o, " ", 1);
			put(o, t, n);
		}
	}
	return 14 + c;
}

/*
 * Free text (the kernel log, the knobs, a command line word): pids in a
 * pid context only (a number elsewhere, a timestamp, an hwirq, a count, is
 * never a pid), every known comm as a word, and 0x addresses.
 */
static void redact_free_text(struct accel_redact *r, const char *in,
			     FILE *o)
{
	const char *p = in, *tok, *t;
	size_t i, n;

	while (*p) {
		bool start = p == in || !is_word(p[-1]);
		bool ws = p == in || p[-1] == ' ' || p[-1] == '\t' ||
			  p[-1] == '\n';

		if ((n = private_path_at(in, p))) {
			t = r_tok(r, TOK_PATH, p, n, NULL);
			fputs(t ? t : "path", o);
			p += n;
			continue;
		}
		if (start && (n = cmdline_at(r, p, o))) {
			p += n;
			continue;
		}
		if (start && (n = pid_context(r, p, ws, o))) {
			p += n;
			continue;
		}
		if (start && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			n = 2 + strspn(p + 2, HEX);
			if (n > 2 && !is_word(p[n])) {
				if (sym_offset(in, p, &n))
					put(o, p, n);
				else
					put_addr(r, o, p, n);
				p += n;
				continue;
			}
		}
		/* %px and register words: 16 hex digits */
		if (start && strspn(p, HEX) == 16 && !is_word(p[16])) {
			put_addr_word(r, o, p);
			p += 16;
			continue;
		}
		if (start && (n = host_at(r, p, &tok))) {
			fputs(tok, o);
			p += n;
			continue;
		}
		if (start) {
			for (i = 0; i < r->ncomms; i++) {
				n = strlen(r->comms[i].real);
				/* a comm of digits only is a number here */
				if (strspn(r->comms[i].real, "0123456789") != n &&
				    !strncmp(p, r->comms[i].real, n) &&
				    !is_word(p[n]))
					break;
			}
			if (i < r->ncomms) {
				fputs(r->comms[i].pseudo, o);
				p += n;
				continue;
			}
		}
		if (start && is_word(*p)) {
			/* the rest of the word as it is */
			for (n = 1; is_word(p[n]); n++)
				;
			put(o, p, n);
			p += n;
			continue;
		}
		put(o, p++, 1);
	}
}

char *accel_redact_text(struct accel_redact *r, const char *s)
{
	char *p = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&p, &len);

	if (!o)
		return NULL;
	redact_free_text(r, s, o);
	if (fclose(o)) {
		free(p);
		return NULL;
	}
	return p;
}

enum file_kind { F_VIEW, F_TRACE, F_STATUS, F_IDXD, F_TEXT, F_NONE };

/* How f is redacted; structured files come first (pass 0). */
static enum file_kind file_kind(const struct accel_bundle_file *f)
{
	if (is_view(f))
		return F_VIEW;
	if (!strcmp(f->path, ACCEL_BUNDLE_TRACE))
		return F_TRACE;
	if (!strcmp(f->path, ACCEL_BUNDLE_IDXD))
		return F_IDXD;
	if (!strncmp(f->path, ACCEL_BUNDLE_PROC,
		     sizeof(ACCEL_BUNDLE_PROC) - 1))
		return F_STATUS;
	/* Other views and parameters hold no identities. */
	if (!strncmp(f->path, ACCEL_BUNDLE_DEBUGFS,
		     sizeof(ACCEL_BUNDLE_DEBUGFS) - 1) ||
	    !strncmp(f->path, ACCEL_BUNDLE_PARAMS,
		     sizeof(ACCEL_BUNDLE_PARAMS) - 1))
		return F_NONE;
	return F_TEXT;
}

/*
 * idxd.json: the names an administrator gave the work queues
 * (devices[].wqs[].attrs.name, "app_shared") become wq1, wq2, ...; the
 * kernel's own names (dsa0, wq0.1) stay. A file that does not parse as
 * the writer's JSON is redacted as free text.
 */
static int redact_idxd(struct accel_redact *r, const char *in, FILE *o)
{
	json_object *top = json_tokener_parse(in), *devs, *wqs, *attrs, *name;
	size_t i, j;
	const char *t;

	if (!top || !json_object_object_get_ex(top, "devices", &devs) ||
	    !json_object_is_type(devs, json_type_array)) {
		json_object_put(top);
		redact_free_text(r, in, o);
		return 0;
	}
	for (i = 0; i < json_object_array_length(devs); i++) {
		if (!json_object_object_get_ex(json_object_array_get_idx(devs, i),
					       "wqs", &wqs) ||
		    !json_object_is_type(wqs, json_type_array))
			continue;
		for (j = 0; j < json_object_array_length(wqs); j++) {
			if (!json_object_object_get_ex(json_object_array_get_idx(wqs, j),
						       "attrs", &attrs) ||
			    !json_object_object_get_ex(attrs, "name", &name) ||
			    !json_object_is_type(name, json_type_string) ||
			    !json_object_get_string_len(name))
				continue;
			t = r_tok(r, TOK_WQ, json_object_get_string(name),
				  json_object_get_string_len(name), NULL);
			if (!t) {
				json_object_put(top);
				return -ENOMEM;
			}
			json_object_object_add(attrs, "name",
					       json_object_new_string(t));
		}
	}
	fputs(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE), o);
	json_object_put(top);
	return 0;
}

static int redact_file(struct accel_redact *r, struct accel_bundle_file *f,
		       enum file_kind k)
{
	char *p = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&p, &len);
	int ret = 0;

	if (!o)
		return -ENOMEM;
	switch (k) {
	case F_VIEW:
		ret = redact_view(r, f->data, f->len, o);
		break;
	case F_TRACE:
		redact_trace(r, f->data, o);
		break;
	case F_STATUS:
		redact_status(r, f->data, o);
		break;
	case F_IDXD:
		ret = redact_idxd(r, f->data, o);
		break;
	default:
		redact_free_text(r, f->data, o);
	}
	if (fclose(o) || ret) {
		free(p);
		return -ENOMEM;
	}
	free(f->data);
	f->data = p;
	f->len = len;
	return 0;
}

/* Learn the pids and comms of f's contexts; the rewrite is dropped. */
static int learn_text(struct accel_redact *r,
		      const struct accel_bundle_file *f)
{
	char *p = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&p, &len);
	int ret = 0;

	if (!o)
		return -ENOMEM;
	redact_free_text(r, f->data, o);
	if (fclose(o))
		ret = -ENOMEM;
	free(p);
	return ret;
}

int accel_redact_bundle(struct accel_redact *r, struct accel_bundle *b)
{
	size_t i, pass;
	int ret;

	/*
	 * Structured files first, then free text twice: the first pass
	 * learns the pids and comms of the kernel log's contexts (its output
	 * is dropped), so the second knows every comm, wherever it appears.
	 */
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < b->nfiles; i++) {
			enum file_kind k = file_kind(&b->files[i]);

			if (k == F_NONE || (k == F_TEXT) != (pass > 0))
				continue;
			ret = pass == 1 ? learn_text(r, &b->files[i]) :
			      redact_file(r, &b->files[i], k);
			if (ret)
				return ret;
		}
	}
	/* proc/PID/status -> proc/PSEUDO/status */
	for (i = 0; i < b->nfiles; i++) {
		struct accel_bundle_file *f = &b->files[i];
		unsigned int pid;
		char *np;

		if (sscanf(f->path, ACCEL_BUNDLE_PROC "%u/", &pid) != 1)
			continue;
		if (asprintf(&np, ACCEL_BUNDLE_PROC "%u/%s", r_pid(r, pid),
			     strchr(f->path + sizeof(ACCEL_BUNDLE_PROC) - 1,
				    '/') + 1) < 0)
			return -ENOMEM;
		free(f->path);
		f->path = np;
	}
	return 0;
}

/* s with blanks, backslashes and control bytes as \ooo (as /proc/mounts). */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '\\' || c == 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
}

int accel_redact_write_map(const struct accel_redact *r, const char *path,
			   const char *bundle)
{
	char tmp[4200];
	size_t i;
	FILE *f;
	int fd, ret = 0;

	/*
	 * A new file next to path, renamed over it: never a write through a
	 * symlink or to a file this did not create (rename replaces the
	 * name, whatever it pointed to).
	 */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	f = fchmod(fd, 0600) ? NULL : fdopen(fd, "w");
	if (!f) {
		ret = errno ? -errno : -ENOMEM;
		close(fd);
		unlink(tmp);
		return ret;
	}
	fprintf(f, "# accelctl dump --redact: pseudonym map of %s\n"
		"# KIND REAL PSEUDONYM (keep private: it undoes the "
		"redaction)\n", bundle);
	for (i = 0; i < r->npids; i++)
		fprintf(f, "pid %u %u\n", r->pids[i].real, r->pids[i].pseudo);
	for (i = 0; i < r->ncomms; i++) {
		fputs("comm ", f);
		put_escaped(f, r->comms[i].real);
		fprintf(f, " %s\n", r->comms[i].pseudo);
	}
	for (i = 0; i < r->naddrs; i++)
		fprintf(f, "page 0x%llx 0x%llx\n",
			(unsigned long long)r->addrs[i].page << 12,
			(unsigned long long)r->addrs[i].pseudo);
	for (i = 0; i < r->ntoks; i++) {
		fprintf(f, "%s ", tok_names[r->toks[i].kind]);
		put_escaped(f, r->toks[i].real);
		fprintf(f, " %s\n", r->toks[i].pseudo);
	}
	if (ferror(f) || fflush(f) || fsync(fileno(f)))
		ret = errno ? -errno : -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
