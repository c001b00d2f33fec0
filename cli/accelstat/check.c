// SPDX-License-Identifier: MIT
/*
 * accelstat --check: one Nagios status line with perfdata.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "accel_control.h"
#include "accel_format.h"
#include "accelstat.h"

/*
 * The status line is bounded (monitoring systems cut plugin output, and
 * Nagios keeps 8 KiB): text and perfdata take whole entries only, never a
 * cut one; what does not fit is counted and summarised at the end of the
 * text, for which TEXT_RESERVE bytes are kept.
 */
#define TEXT_RESERVE 160

struct check_out {
	int status;
	char text[2048];
	char perf[8192];
	unsigned int text_left_out;	/* problems not named */
	unsigned int perf_left_out;	/* devices without perfdata */
	char perf_first[16], perf_last[16];	/* their first and last */
};

/* Append the formatted entry to buf only if it fits whole; else false. */
static bool appendf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;
	int n;

	if (len + 1 >= size)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - len) {
		buf[len] = '\0';
		return false;
	}
	return true;
}

/* One problem of the text: whole, or counted as left out. */
static void problem(struct check_out *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct check_out *out, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!appendf(out->text, sizeof(out->text) - TEXT_RESERVE, "%s%s",
		     out->text[0] ? "; " : "", msg))
		out->text_left_out++;
}

/* A plain decimal (no exponent), trailing zeros trimmed. */
static void plain(double v, char *buf, size_t size)
{
	char *e;

	snprintf(buf, size, "%.9f", v);
	if (!strchr(buf, '.'))
		return;
	e = buf + strlen(buf);
	while (e[-1] == '0')
		*--e = '\0';
	if (e[-1] == '.')
		e[-1] = '\0';
}

/* Perfdata value and unit of key: durations in s, percentages in %. */
static void perf_val(int key, double v, char *buf, size_t size)
{
	if (isnan(v)) {
		snprintf(buf, size, "U");
		return;
	}
	switch (accel_health_defs[key].kind) {
	case ACCEL_HK_DURATION:
		plain(v / 1e9, buf, size - 1);
		strcat(buf, "s");
		break;
	case ACCEL_HK_PERCENT:
		plain(round(v * 1000) / 1000, buf, size - 1);
		strcat(buf, "%");
		break;
	default:
		snprintf(buf, size, "%.0f", v);
		break;
	}
}

static void perf_thr(int key, double v, char *buf, size_t size)
{
	if (isinf(v))
		buf[0] = '\0';
	else if (accel_health_defs[key].kind == ACCEL_HK_DURATION)
		plain(v / 1e9, buf, size);
	else
		plain(v, buf, size);
}

/* What a windowed threshold judged: "last 5m", or "since load" (span < 0). */
static void span_text(double span, char *buf, size_t size)
{
	if (span < 0)
		snprintf(buf, size, "since load");
	else if (span < 120)
		snprintf(buf, size, "last %.0fs", span);
	else if (span < 7200)
		snprintf(buf, size, "last %.0fm", span / 60);
	else if (span < 172800)
		snprintf(buf, size, "last %.0fh", span / 3600);
	else
		snprintf(buf, size, "last %.0fd", span / 86400);
}

/*
 * The worse of two statuses: CRITICAL, then UNKNOWN (a device that could
 * not be read may be failing), then WARNING, then OK; as Icinga ranks
 * them. One device's status never hides another's.
 */
static int worse(int a, int b)
{
	static const int rank[] = {
		[CHECK_OK] = 0, [CHECK_WARNING] = 1, [CHECK_UNKNOWN] = 2,
		[CHECK_CRITICAL] = 3,
	};

	return rank[b] > rank[a] ? b : a;
}

static void check_dev(const struct accel_health *h, const struct accel_dev *d,
		      const struct accel_summary *s, double span,
		      struct check_out *out)
{
	/* The views the verdict reads (info has the IRQs in use). */
	const unsigned int judged = ACCEL_MISSING_SPA | ACCEL_MISSING_FAULTS |
				    ACCEL_MISSING_STATS;
	struct accel_hverdict v;
	char blk[2048] = "";
	char when[32];
	int k;

	span_text(span, when, sizeof(when));
	out->status = worse(out->status, accel_health_judge(h, d, s, &v));
	if (d->missing & judged) {
		/* Views a bundle lacks: unknown (perfdata U), not zero. */
		char list[128];

		out->status = worse(out->status, CHECK_UNKNOWN);
		problem(out, "%s %s missing: not judged", d->name,
			accel_dev_missing_str(d->missing & judged, list,
					      sizeof(list)));
	}
	if (v.offline)
		problem(out, "%s state %s", d->name, d->info.state_str);
	for (k = 0; k < ACCEL_H_NR; k++) {
		char val[ACCEL_FMT_LEN], w[ACCEL_FMT_LEN], c[ACCEL_FMT_LEN];
		char thr[ACCEL_FMT_LEN];

		if (v.level[k] != ACCEL_HEALTH_OK) {
			accel_health_fmt(k, v.value[k], val, sizeof(val));
			accel_health_fmt(k, v.limit[k], thr, sizeof(thr));
			problem(out, "%s %s %s > %s %s%s%s%s", d->name,
				accel_health_defs[k].what, val,
				v.level[k] == ACCEL_HEALTH_CRITICAL ? "crit" :
				"warn", thr,
				accel_health_defs[k].windowed ? " (" : "",
				accel_health_defs[k].windowed ? when : "",
				accel_health_defs[k].windowed ? ")" : "");
		}
		perf_val(k, v.value[k], val, sizeof(val));
		perf_thr(k, h->warn[k], w, sizeof(w));
		perf_thr(k, h->crit[k], c, sizeof(c));
		appendf(blk, sizeof(blk), " %s_%s=%s;%s;%s;0%s",
			d->name, accel_health_defs[k].name, val, w, c,
			accel_health_defs[k].kind == ACCEL_HK_PERCENT ? ";100" :
			"");
	}
	if (d->missing & ACCEL_MISSING_SPA)
		appendf(blk, sizeof(blk), " %s_contexts=U;;;0;%u", d->name,
			d->info.max_pe);
	else
		appendf(blk, sizeof(blk), " %s_contexts=%u;;;0;%u", d->name,
			s->spa_used, d->info.max_pe);
	if (d->missing & ACCEL_MISSING_FAULTS)
		appendf(blk, sizeof(blk), " %s_pending_faults=U;;;0", d->name);
	else
		appendf(blk, sizeof(blk), " %s_pending_faults=%u;;;0", d->name,
			s->faults_pending);
	/* Not online is WARNING: the range 1: alerts below 1, as it does. */
	appendf(blk, sizeof(blk), " %s_online=%d;1:;;0;1", d->name,
		!v.offline);
	/* A device's perfdata goes in whole or not at all. */
	if (out->perf_left_out || !appendf(out->perf, sizeof(out->perf),
					   "%s", blk)) {
		if (!out->perf_left_out++)
			snprintf(out->perf_first, sizeof(out->perf_first),
				 "%s", d->name);
		snprintf(out->perf_last, sizeof(out->perf_last), "%s",
			 d->name);
	}
}

/* Say what the bounded line left out, in the room kept for it. */
static void left_out(struct check_out *out)
{
	if (out->text_left_out)
		appendf(out->text, sizeof(out->text), "; %u more problem%s",
			out->text_left_out, out->text_left_out == 1 ? "" :
			"s");
	if (out->perf_left_out == 1)
		appendf(out->text, sizeof(out->text), "; no perfdata for %s "
			"(line full)", out->perf_first);
	else if (out->perf_left_out)
		appendf(out->text, sizeof(out->text), "; no perfdata for %u "
			"devices, %s to %s (line full)", out->perf_left_out,
			out->perf_first, out->perf_last);
}

static int finish(int status, const char *text, const char *perf)
{
	printf("ACCEL %s - %s%s%s\n", accel_health_status_name(status), text,
	       perf && *perf ? " |" : "", perf ? perf : "");
	fflush(stdout);
	return status;
}

static int load_thresholds(const struct stat_opts *o, struct accel_health *h,
			   char *msg, size_t size)
{
	struct accel_err err;
	unsigned int i;
	int ret;

	accel_health_defaults(h);
	ret = accel_health_load_conf(o->config ? o->config : ACCEL_HEALTH_CONF,
				     o->config != NULL, h, &err);
	if (ret < 0) {
		snprintf(msg, size, "config %s", err.msg);
		return -1;
	}
	for (i = 0; i < o->nwarn; i++)
		if (accel_health_set_list(h, o->warn[i], 0, msg, size))
			return -1;
	for (i = 0; i < o->ncrit; i++)
		if (accel_health_set_list(h, o->crit[i], 1, msg, size))
			return -1;
	if (o->window && accel_health_set_window(h, o->window, msg, size))
		return -1;
	return accel_health_validate(h, msg, size) ? -1 : 0;
}

int stat_check(const struct stat_opts *o)
{
	static struct check_out out;
	struct check_state cs = { .fd = -1 };
	struct accel_health h;
	struct stat_snap snap;
	unsigned int ctx = 0, pend = 0;
	char msg[1024], hint[512];
	bool missing;
	size_t i;
	int ret;

	if (load_thresholds(o, &h, msg, sizeof(msg)))
		return finish(CHECK_UNKNOWN, msg, NULL);
	ret = stat_load_all(o, &snap, msg, sizeof(msg), &missing);
	switch (ret) {
	case LOAD_OK:
		break;
	case LOAD_NODRIVER:
		return finish(missing ? CHECK_CRITICAL : CHECK_UNKNOWN, msg,
			      NULL);
	case LOAD_NODEV:
		return finish(CHECK_CRITICAL, msg, NULL);
	default:
		return finish(CHECK_UNKNOWN, msg, NULL);
	}
	if (!snap.n && !snap.nbad) {
		snprintf(msg, sizeof(msg), "no accelsim devices under %s "
			 "(create one: %s)", o->root,
			 accel_dev_add_hint(hint, sizeof(hint)));
		stat_snap_free(&snap);
		return finish(CHECK_UNKNOWN, msg, NULL);
	}
	memset(&out, 0, sizeof(out));
	/* A bundle has no history: it is judged since load, as saved. */
	if (!o->bundle && h.window > 0)
		check_state_open(o, &cs);
	for (i = 0; i < snap.n; i++) {
		double span = check_window_dev(&cs, o, &h, &snap.dev[i],
					       &snap.sum[i]);

		check_dev(&h, &snap.dev[i], &snap.sum[i], span, &out);
		ctx += snap.sum[i].spa_used;
		pend += snap.sum[i].faults_pending;
	}
	check_state_close(&cs);
	/* A device that could not be read: UNKNOWN, no perfdata. */
	for (i = 0; i < snap.nbad; i++) {
		out.status = worse(out.status, CHECK_UNKNOWN);
		problem(&out, "%s", snap.bad[i].msg);
	}
	if (out.status == CHECK_OK)
		snprintf(out.text, sizeof(out.text), "%zu device%s, %u "
			 "context%s, %u pending fault%s", snap.n,
			 snap.n == 1 ? "" : "s", ctx, ctx == 1 ? "" : "s",
			 pend, pend == 1 ? "" : "s");
	left_out(&out);
	if (cs.err[0]) {
		stat_err("%s", cs.err);
		appendf(out.text, sizeof(out.text), "; no window: %s", cs.err);
	}
	stat_snap_free(&snap);
	return finish(out.status, out.text, out.perf);
}
