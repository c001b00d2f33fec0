// SPDX-License-Identifier: MIT
/*
 * accelctl inspect --html OUT: the summary of a bundle as one HTML page a
 * support engineer can open anywhere: the origin, the sections, the health
 * verdict and its reasons, a table of the devices, each device's fault and
 * TLBI latency histograms drawn as inline SVG (one bar per log2 bucket,
 * with axis labels), its contexts, the top offenders and the pending
 * faults. The page is self-contained: inline CSS, no script, no image, font
 * or link to fetch (its Content-Security-Policy forbids them anyway). Every
 * string that comes from the bundle is escaped. The file is written to a
 * temporary file next to OUT and renamed over it.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_format.h"
#include "accelctl.h"
#include "inspect.h"

#define HTML_TOP_N	10	/* top offenders shown */
#define HTML_FAULTS_N	500	/* pending faults shown */
#define HTML_CTX_N	256	/* contexts shown per device */

/* The histograms' geometry, in SVG user units (= CSS px). */
#define SVG_W		560
#define SVG_H		260
#define SVG_ML		56	/* left margin: count labels */
#define SVG_MR		12
#define SVG_MT		24	/* top margin: the bars' count labels */
#define SVG_MB		70	/* bottom margin: bucket labels, axis title */
#define SVG_MIN_BUCKETS	8	/* a histogram shows at least this many */
#define BAR_COLOUR	"#2f6fd0"

static const char page_css[] =
"body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#1d2330;"
"background:#fff;font-size:14px}"
"h1{font-size:22px;margin:0 0 12px}"
"h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d4dc;"
"padding-bottom:4px}"
"h3{font-size:16px;margin:20px 0 6px}"
"table{border-collapse:collapse;margin:6px 0}"
"th,td{border:1px solid #d0d4dc;padding:3px 8px;text-align:left;"
"vertical-align:top}"
"th{background:#eef1f6}"
"td.n{text-align:right;font-variant-numeric:tabular-nums}"
"table.kv th{width:12em}"
".verdict{display:inline-block;font-size:20px;font-weight:bold;"
"padding:6px 16px;border-radius:4px;color:#fff}"
".v-OK{background:#2e8540}.v-WARNING{background:#c77700}"
".v-CRITICAL{background:#c4262e}.v-UNKNOWN{background:#6b7280}"
".failed{color:#c4262e;font-weight:bold}.ok{color:#2e8540}"
".hists{display:flex;flex-wrap:wrap;gap:16px}"
"figure{margin:0;border:1px solid #d0d4dc;padding:6px}"
"figcaption{font-size:13px;margin-bottom:4px}"
"svg text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:11px;"
"fill:#1d2330}"
".mono{font-family:'DejaVu Sans Mono',monospace}"
".more{color:#6b7280;font-style:italic}"
"footer{margin-top:32px;color:#6b7280;font-size:12px}";

/* s as HTML text or attribute value: & < > " ' escaped, controls dropped. */
static void esc(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fputs("&#xFFFD;", f);	/* a control byte */
			else
				fputc(*p, f);
		}
	}
}

/* The same for a formatted string. */
static void escf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void escf(FILE *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	esc(f, buf);
}

/* One table cell: escaped text; numeric cells align right. */
static void td(FILE *f, const char *s)
{
	fputs("<td>", f);
	esc(f, s);
	fputs("</td>", f);
}

static void tdn(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tdn(FILE *f, const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("<td class=\"n\">", f);
	esc(f, buf);
	fputs("</td>", f);
}

/* A row of a key/value table. */
static void kv(FILE *f, const char *key, const char *value)
{
	fputs("<tr><th>", f);
	esc(f, key);
	fputs("</th>", f);
	td(f, value);
	fputs("</tr>\n", f);
}

static void head(FILE *f, const struct inspect_report *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\""
	      "default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<meta name=\"generator\" content=\"accelctl ", f);
	esc(f, ACCEL_VERSION);
	fputs("\">\n<title>accel bundle: ", f);
	esc(f, accel_bundle_show(r->b, ACCEL_BM_HOST));
	fputs(", ", f);
	esc(f, accel_bundle_show(r->b, ACCEL_BM_TIME_UTC));
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", page_css);
	fputs("<h1>accel support bundle</h1>\n<p id=\"subtitle\">", f);
	escf(f, "%s, %s, kernel %s, driver %s%s",
	     accel_bundle_show(r->b, ACCEL_BM_HOST),
	     accel_bundle_show(r->b, ACCEL_BM_TIME_UTC),
	     accel_bundle_kernel_release(r->b),
	     accel_bundle_show(r->b, ACCEL_BM_DRIVER_VERSION),
	     accel_bundle_redacted(r->b) ? ", redacted" : "");
	fputs("</p>\n", f);
}

static void origin(FILE *f, const struct inspect_report *r)
{
	const char *name, *error;
	char ver[16];
	bool ok;
	size_t i;

	fputs("<section id=\"origin\">\n<h2>Origin</h2>\n"
	      "<table class=\"kv\">\n", f);
	kv(f, "bundle", r->path);
	kv(f, "host", accel_bundle_show(r->b, ACCEL_BM_HOST));
	kv(f, "taken at (UTC)", accel_bundle_show(r->b, ACCEL_BM_TIME_UTC));
	kv(f, "kernel release", accel_bundle_kernel_release(r->b));
	kv(f, "accelctl", accel_bundle_show(r->b, ACCEL_BM_TOOL_VERSION));
	kv(f, "driver", accel_bundle_show(r->b, ACCEL_BM_DRIVER_VERSION));
	snprintf(ver, sizeof(ver), "%u", r->b->version);
	kv(f, "format version", ver);
	kv(f, "redacted", accel_bundle_redacted(r->b) ? "yes" : "no");
	fputs("</table>\n<h3>Sections</h3>\n<table id=\"sections\">\n"
	      "<tr><th>section</th><th>status</th><th>error</th></tr>\n", f);
	for (i = 0; accel_bundle_section(r->b, i, &name, &ok, &error); i++) {
		fputs(ok ? "<tr class=\"section\">" :
		      "<tr class=\"section failed\">", f);
		td(f, name);
		td(f, ok ? "ok" : "FAILED");
		td(f, ok ? "" : error);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</section>\n", f);
}

static void health(FILE *f, const struct inspect_report *r)
{
	const char *st = accel_health_status_name(r->level);
	size_t i, n;

	fprintf(f, "<section id=\"health\">\n<h2>Health</h2>\n"
		"<p><span id=\"verdict\" class=\"verdict v-%s\">%s</span>",
		st, st);
	if (r->failed)
		fprintf(f, " <span class=\"failed\">incomplete bundle: %zu "
			"section(s) failed</span>", r->failed);
	fputs("</p>\n<p>Judged with the default thresholds of accelstat "
	      "--check.</p>\n<ul id=\"reasons\">\n", f);
	n = json_object_array_length(r->reasons);
	for (i = 0; i < n; i++) {
		fputs("<li class=\"reason\">", f);
		esc(f, json_object_get_string(
			json_object_array_get_idx(r->reasons, i)));
		fputs("</li>\n", f);
	}
	if (!n)
		fputs("<li>no threshold reached</li>\n", f);
	n = json_object_array_length(r->notes);
	for (i = 0; i < n; i++) {
		fputs("<li class=\"note\">not judged, missing: ", f);
		esc(f, json_object_get_string(
			json_object_array_get_idx(r->notes, i)));
		fputs("</li>\n", f);
	}
	fputs("</ul>\n</section>\n", f);
}

/* A latency, or "-" when the histogram had no sample. */
static const char *lat(bool has, double ns, char *buf, size_t size)
{
	if (!has) {
		snprintf(buf, size, "-");
		return buf;
	}
	return accel_fmt_ns(ns, buf, size);
}

static void devices(FILE *f, const struct inspect_report *r)
{
	char b1[ACCEL_FMT_LEN], b2[ACCEL_FMT_LEN], b3[ACCEL_FMT_LEN];
	struct accel_health h;
	struct accel_hverdict hv;
	size_t i;

	accel_health_defaults(&h);
	fputs("<section id=\"devices\">\n<h2>Devices</h2>\n"
	      "<table id=\"device-table\">\n<tr><th>device</th><th>state</th>"
	      "<th>health</th><th>PEs used</th><th>zombie PEs</th>"
	      "<th>live PASIDs</th><th>pending faults</th><th>held</th>"
	      "<th>oldest fault</th><th>IRQs used</th><th>faults acked</th>"
	      "<th>address errors</th><th>fault p50</th><th>fault p99</th>"
	      "<th>TLBI p99</th></tr>\n", f);
	for (i = 0; i < r->ndev; i++) {
		const struct accel_dev *d = &r->devs[i];
		const struct accel_summary *s = &r->sums[i];

		accel_health_judge(&h, d, s, &hv);
		fputs("<tr class=\"dev\">", f);
		td(f, d->name);
		td(f, d->info.state_str);
		td(f, accel_health_status_name(hv.status));
		tdn(f, "%u/%u", s->spa_used, d->info.max_pe);
		tdn(f, "%u", s->zombies);
		tdn(f, "%u", s->pasids_live);
		tdn(f, "%u", s->faults_pending);
		tdn(f, "%u", s->faults_held);
		tdn(f, "%s", s->faults_pending ?
		    accel_fmt_ns((double)s->oldest_fault_age_ns, b1,
				 sizeof(b1)) : "-");
		tdn(f, "%u/%u", s->irqs_used, d->info.irq_budget);
		tdn(f, "%llu", (unsigned long long)s->faults_acked);
		tdn(f, "%.1f%%", s->fault_error_pct);
		tdn(f, "%s", lat(s->has_fault_lat, s->fault_p50_ns, b1,
				 sizeof(b1)));
		tdn(f, "%s", lat(s->has_fault_lat, s->fault_p99_ns, b2,
				 sizeof(b2)));
		tdn(f, "%s", lat(s->has_tlbi_lat, s->tlbi_p99_ns, b3,
				 sizeof(b3)));
		fputs("</tr>\n", f);
	}
	if (!r->ndev)
		fputs("<tr><td colspan=\"15\">no device in the bundle</td>"
		      "</tr>\n", f);
	fputs("</table>\n</section>\n", f);
}

/*
 * Histogram h of device d as an SVG bar chart: one bar per log2 bucket
 * from the one below the first sample to the one above the last (at least
 * SVG_MIN_BUCKETS), labelled with the bucket's lower bound; the bars'
 * height is linear in the count, with the count above each bar.
 */
static void hist_svg(FILE *f, const struct accel_dev *d, const char *kind,
		     const char *what, const struct accel_hist *h)
{
	const double pw = SVG_W - SVG_ML - SVG_MR, ph = SVG_H - SVG_MT - SVG_MB;
	const double y0 = SVG_MT + ph;
	char b1[ACCEL_FMT_LEN], b2[ACCEL_FMT_LEN], b3[ACCEL_FMT_LEN];
	unsigned int b, lo = 0, hi = 0, nb, step;
	uint64_t max = 0, total = 0;
	bool any = false;
	double p[3], bw;
	int t;

	for (b = 0; b < ACCEL_HIST_BUCKETS; b++) {
		if (!h->bucket[b])
			continue;
		if (!any)
			lo = b;
		any = true;
		hi = b;
		if (h->bucket[b] > max)
			max = h->bucket[b];
		total = total + h->bucket[b] < total ? UINT64_MAX :
			total + h->bucket[b];
	}
	fprintf(f, "<figure class=\"hist\" id=\"hist-%s-%s\">\n"
		"<figcaption><b>", d->name, kind);
	esc(f, d->name);
	fputs(" ", f);
	esc(f, what);
	fputs("</b>: ", f);
	if (any && accel_hist_p50_90_99(h, p))
		escf(f, "%llu samples, p50 %s, p90 %s, p99 %s",
		     (unsigned long long)total,
		     accel_fmt_ns(p[0], b1, sizeof(b1)),
		     accel_fmt_ns(p[1], b2, sizeof(b2)),
		     accel_fmt_ns(p[2], b3, sizeof(b3)));
	else
		fputs("no samples", f);
	fprintf(f, "</figcaption>\n<svg width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", SVG_W,
		SVG_H, SVG_W, SVG_H);
	esc(f, d->name);
	fputs(" ", f);
	esc(f, what);
	fputs(" histogram\">\n", f);
	/* the axes */
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" "
		"stroke=\"#1d2330\"/>\n<line x1=\"%d\" y1=\"%.1f\" "
		"x2=\"%d\" y2=\"%.1f\" stroke=\"#1d2330\"/>\n", SVG_ML, SVG_MT,
		SVG_ML, y0, SVG_ML, y0, SVG_W - SVG_MR, y0);
	fprintf(f, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" "
		"transform=\"rotate(-90 14 %.1f)\">samples</text>\n",
		SVG_MT + ph / 2, SVG_MT + ph / 2);
	fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
		"latency (bucket lower bound)</text>\n", SVG_ML + pw / 2,
		SVG_H - 6);
	if (!any) {
		fprintf(f, "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"middle\">no samples</text>\n</svg>\n"
			"</figure>\n", SVG_ML + pw / 2, SVG_MT + ph / 2);
		return;
	}
	lo = lo ? lo - 1 : 0;
	hi = hi + 1 < ACCEL_HIST_BUCKETS ? hi + 1 : hi;
	while (hi - lo + 1 < SVG_MIN_BUCKETS) {
		if (hi + 1 < ACCEL_HIST_BUCKETS)
			hi++;
		else
			lo--;
	}
	nb = hi - lo + 1;
	bw = pw / nb;
	step = nb > 24 ? 3 : nb > 14 ? 2 : 1;
	/* count axis: 0, max/2, max with grid lines */
	for (t = 0; t <= 2; t++) {
		double v = (double)max * t / 2, y = y0 - ph * t / 2;

		if (t)
			fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
				"y2=\"%.1f\" stroke=\"#d0d4dc\"/>\n", SVG_ML,
				y, SVG_W - SVG_MR, y);
		fprintf(f, "<text class=\"ytick\" x=\"%d\" y=\"%.1f\" "
			"text-anchor=\"end\">%s</text>\n", SVG_ML - 4, y + 4,
			accel_fmt_count(v, b1, sizeof(b1)));
	}
	for (b = lo; b <= hi; b++) {
		double x = SVG_ML + bw * (b - lo), cx = x + bw / 2, bh;
		double lb = b ? ldexp(1.0, (int)b) : 0;
		uint64_t n = h->bucket[b];

		if (n) {
			bh = ph * (double)n / (double)max;
			if (bh < 2)
				bh = 2;	/* a small count still shows */
			fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
				"width=\"%.1f\" height=\"%.1f\" fill=\""
				BAR_COLOUR "\"><title>", x + 1, y0 - bh,
				bw - 2 > 1 ? bw - 2 : 1, bh);
			escf(f, "[%s, %s): %llu",
			     accel_fmt_ns(lb, b1, sizeof(b1)),
			     accel_fmt_ns(accel_hist_upper(b), b2, sizeof(b2)),
			     (unsigned long long)n);
			fprintf(f, "</title></rect>\n<text class=\"count\" "
				"x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
				"%s</text>\n", cx, y0 - bh - 3,
				accel_fmt_count((double)n, b3, sizeof(b3)));
		}
		if ((b - lo) % step)
			continue;
		fprintf(f, "<text class=\"xtick\" x=\"%.1f\" y=\"%.1f\" "
			"text-anchor=\"end\" transform=\"rotate(-45 %.1f "
			"%.1f)\">%s</text>\n", cx + 3, y0 + 12, cx + 3, y0 + 12,
			accel_fmt_ns(lb, b1, sizeof(b1)));
	}
	fputs("</svg>\n</figure>\n", f);
}

static void contexts(FILE *f, const struct accel_dev *d)
{
	char b1[ACCEL_FMT_LEN];
	size_t k;

	fprintf(f, "<table class=\"contexts\" id=\"contexts-%s\">\n"
		"<tr><th>PE</th><th>PASID</th><th>PID</th><th>command</th>"
		"<th>state</th><th>kernel</th><th>faults</th><th>TLBIs</th>"
		"<th>IRQs</th><th>work</th><th>bytes</th></tr>\n", d->name);
	for (k = 0; k < d->spa.n && k < HTML_CTX_N; k++) {
		const struct accel_pe *pe = &d->spa.pe[k];

		fputs("<tr class=\"ctx\">", f);
		tdn(f, "%u", pe->pe);
		tdn(f, "%u", pe->pasid);
		tdn(f, "%u", pe->pid);
		td(f, pe->comm);
		td(f, pe->state_str);
		td(f, pe->kernel ? "yes" : "no");
		tdn(f, "%llu", (unsigned long long)pe->faults);
		tdn(f, "%llu", (unsigned long long)pe->tlbis);
		tdn(f, "%llu", (unsigned long long)pe->irqs);
		tdn(f, "%llu", (unsigned long long)pe->work);
		tdn(f, "%s", pe->has_bytes ?
		    accel_fmt_bytes((double)pe->bytes, b1, sizeof(b1)) : "-");
		fputs("</tr>\n", f);
	}
	if (!d->spa.n)
		fputs("<tr><td colspan=\"11\">no contexts</td></tr>\n", f);
	else if (d->spa.n > HTML_CTX_N)
		fprintf(f, "<tr><td class=\"more\" colspan=\"11\">%zu more"
			"</td></tr>\n", d->spa.n - HTML_CTX_N);
	fputs("</table>\n", f);
}

static void device_details(FILE *f, const struct inspect_report *r)
{
	size_t i;

	fputs("<section id=\"latency\">\n<h2>Latency histograms and "
	      "contexts</h2>\n", f);
	for (i = 0; i < r->ndev; i++) {
		const struct accel_dev *d = &r->devs[i];

		fprintf(f, "<section class=\"device\" id=\"dev-%s\">\n<h3>",
			d->name);
		esc(f, d->name);
		fputs(" (", f);
		esc(f, d->info.state_str);
		fputs(")</h3>\n<div class=\"hists\">\n", f);
		hist_svg(f, d, "fault-latency", "fault latency",
			 &d->stats.fault_lat);
		hist_svg(f, d, "tlbi-latency", "TLBI latency",
			 &d->stats.tlbi_lat);
		fputs("</div>\n", f);
		contexts(f, d);
		fputs("</section>\n", f);
	}
	fputs("</section>\n", f);
}

static void offenders(FILE *f, const struct inspect_report *r)
{
	size_t i;

	fputs("<section id=\"offenders\">\n<h2>Top offenders (most faults)"
	      "</h2>\n<table id=\"offender-table\">\n<tr><th>device</th>"
	      "<th>PE</th><th>PASID</th><th>PID</th><th>command</th>"
	      "<th>state</th><th>faults</th><th>pending faults</th>"
	      "<th>work</th></tr>\n", f);
	for (i = 0; i < r->noff && i < HTML_TOP_N; i++) {
		const struct offender *o = &r->offs[i];

		fputs("<tr class=\"offender\">", f);
		td(f, o->d->name);
		tdn(f, "%u", o->pe->pe);
		tdn(f, "%u", o->pe->pasid);
		tdn(f, "%u", o->pe->pid);
		td(f, o->pe->comm);
		td(f, o->pe->state_str);
		tdn(f, "%llu", (unsigned long long)o->pe->faults);
		tdn(f, "%zu", o->pending);
		tdn(f, "%llu", (unsigned long long)o->pe->work);
		fputs("</tr>\n", f);
	}
	if (!r->noff)
		fputs("<tr><td colspan=\"9\">none: no contexts</td></tr>\n", f);
	fputs("</table>\n</section>\n", f);
}

static void faults(FILE *f, const struct inspect_report *r)
{
	char b1[ACCEL_FMT_LEN];
	size_t i, k, nf = 0;

	fputs("<section id=\"faults\">\n<h2>Pending faults</h2>\n"
	      "<table id=\"fault-table\">\n<tr><th>device</th><th>id</th>"
	      "<th>PE</th><th>PASID</th><th>address</th><th>access</th>"
	      "<th>state</th><th>age</th></tr>\n", f);
	for (i = 0; i < r->ndev; i++) {
		const struct accel_dev *d = &r->devs[i];

		for (k = 0; k < d->faults.n; k++, nf++) {
			const struct accel_fault *flt = &d->faults.f[k];

			if (nf >= HTML_FAULTS_N)
				continue;
			fputs("<tr class=\"fault\">", f);
			td(f, d->name);
			tdn(f, "%llu", (unsigned long long)flt->id);
			tdn(f, "%u", flt->pe);
			tdn(f, "%u", flt->pasid);
			fprintf(f, "<td class=\"mono\">0x%llx</td>",
				(unsigned long long)flt->address);
			td(f, accel_access_name(flt->access));
			td(f, flt->state_str);
			tdn(f, "%s", accel_fmt_ns((double)flt->age_ns, b1,
						  sizeof(b1)));
			fputs("</tr>\n", f);
		}
	}
	if (!nf)
		fputs("<tr><td colspan=\"8\">none</td></tr>\n", f);
	else if (nf > HTML_FAULTS_N)
		fprintf(f, "<tr><td class=\"more\" colspan=\"8\">%zu more"
			"</td></tr>\n", nf - HTML_FAULTS_N);
	fputs("</table>\n</section>\n", f);
}

static void page(FILE *f, const struct inspect_report *r)
{
	head(f, r);
	health(f, r);
	devices(f, r);
	device_details(f, r);
	offenders(f, r);
	faults(f, r);
	origin(f, r);
	fputs("<footer>Written by accelctl ", f);
	esc(f, ACCEL_VERSION);
	fputs(" (accelctl inspect --html) from ", f);
	esc(f, r->path);
	fputs(".</footer>\n</body>\n</html>\n", f);
}

int inspect_html_write(const struct inspect_report *r, const char *out,
		       char *msg, size_t size)
{
	char tmp[4200];
	FILE *f;
	int fd, ret = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", out) >=
	    sizeof(tmp)) {
		snprintf(msg, size, "%s: %s", out, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(msg, size, "%s: %s", out, strerror(-ret));
		return ret;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		unlink(tmp);
		snprintf(msg, size, "%s: %s", out, strerror(-ret));
		return ret;
	}
	errno = 0;
	page(f, r);
	if (fflush(f) || ferror(f))
		ret = errno ? -errno : -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, out))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		snprintf(msg, size, "%s: %s", out, strerror(-ret));
	}
	return ret;
}
