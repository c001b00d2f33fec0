// SPDX-License-Identifier: MIT
/*
 * acceltop: the ncurses screen. A header per device, one row per context
 * (or PASID, or process: the g key), a histogram panel and latency sparklines. The collector thread samples;
 * this thread only waits on the keyboard and the collector's pipe, so keys
 * are handled at once whatever the source is doing. The terminal is
 * restored on every exit path, SIGINT and SIGTERM included.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "acceltop.h"
#include "accel_format.h"

enum {
	C_TITLE = 1,
	C_WARN,
	C_THEAD,
	C_SEL,
	C_PAUSE,
	C_BAR,
	C_BAR2,
};

struct ring {
	double f[AT_HISTORY], t[AT_HISTORY];	/* p99 ns, NAN = none */
	unsigned int n;
};

struct ui {
	const struct at_opts *o;
	struct at_source *src;
	struct at_collector *col;
	struct at_view v;
	bool have_view, paused, help, hist, color, utf8;
	enum at_sort sort;
	bool reverse;
	enum at_group group;
	char filter[64];
	bool editing;
	char edit[64];
	int dev_sel;			/* -1: all devices */
	bool dev_picked;		/* -d's device selected once */
	struct at_row *rows;		/* shown rows, sorted */
	size_t nrows;
	size_t sel, top;
	/* keeps the selection on a row */
	uint32_t sel_dev_id, sel_pe, sel_pasid, sel_pid;
	bool sel_valid;
	struct ring *rings[ACCEL_MAX_DEVS];
	char fallback[600];
};

static bool curses_on;

static void restore_terminal(void)
{
	if (curses_on && !isendwin())
		endwin();
	curses_on = false;
}

static int attr(struct ui *u, int pair, int mono)
{
	return u->color ? (int)COLOR_PAIR(pair) : mono;
}

static void put(int y, int x, int a, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(int y, int x, int a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (y >= LINES || x >= COLS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	attron(a);
	mvaddnstr(y, x, buf, COLS - x);
	attroff(a);
}

static const char *lat(const struct at_lat *l, bool p99, char *b, size_t n)
{
	if (!l->valid)
		return "-";
	return accel_fmt_ns(p99 ? l->p99 : l->p50, b, n);
}

static void ring_push(struct ui *u, const struct at_dev_view *d)
{
	struct ring *r;

	if (d->id >= ACCEL_MAX_DEVS)
		return;
	if (!u->rings[d->id])
		u->rings[d->id] = calloc(1, sizeof(struct ring));
	r = u->rings[d->id];
	if (!r)
		return;
	if (r->n == AT_HISTORY) {
		memmove(r->f, r->f + 1, (AT_HISTORY - 1) * sizeof(double));
		memmove(r->t, r->t + 1, (AT_HISTORY - 1) * sizeof(double));
		r->n--;
	}
	r->f[r->n] = d->fig.fault.valid ? d->fig.fault.p99 : NAN;
	r->t[r->n] = d->fig.tlbi.valid ? d->fig.tlbi.p99 : NAN;
	r->n++;
}

/* Rebuild the shown rows from the view: device, filter, sort. */
static void rebuild_rows(struct ui *u)
{
	size_t i, j, n = 0;

	/* -d DEV: select it once it shows; 'd' moves on from there. */
	for (i = 0; u->o->has_device && !u->dev_picked && i < u->v.ndev; i++)
		if (u->v.dev[i].id == u->o->device) {
			u->dev_sel = (int)i;
			u->dev_picked = true;
		}
	free(u->rows);
	u->rows = NULL;
	u->nrows = 0;
	for (i = 0; i < u->v.ndev; i++) {
		at_dev_rows(&u->v.dev[i], u->group, &j);
		n += j;
	}
	u->rows = calloc(n ? n : 1, sizeof(*u->rows));
	if (!u->rows)
		return;
	for (i = 0; i < u->v.ndev; i++) {
		const struct at_row *rows;
		size_t nr;

		if (u->dev_sel >= 0 && (size_t)u->dev_sel != i)
			continue;
		rows = at_dev_rows(&u->v.dev[i], u->group, &nr);
		for (j = 0; j < nr; j++)
			if (at_row_match(&rows[j], u->filter))
				u->rows[u->nrows++] = rows[j];
	}
	at_rows_sort(u->rows, u->nrows, u->sort, u->reverse);
	if (u->sel_valid) {
		for (i = 0; i < u->nrows; i++)
			if (u->v.dev[u->rows[i].dev].id == u->sel_dev_id &&
			    u->rows[i].pe == u->sel_pe &&
			    u->rows[i].pasid == u->sel_pasid &&
			    u->rows[i].pid == u->sel_pid) {
				u->sel = i;
				break;
			}
	}
	if (u->sel >= u->nrows)
		u->sel = u->nrows ? u->nrows - 1 : 0;
}

static void remember_sel(struct ui *u)
{
	u->sel_valid = u->sel < u->nrows;
	if (u->sel_valid) {
		u->sel_dev_id = u->v.dev[u->rows[u->sel].dev].id;
		u->sel_pe = u->rows[u->sel].pe;
		u->sel_pasid = u->rows[u->sel].pasid;
		u->sel_pid = u->rows[u->sel].pid;
	}
}

static int draw_header(struct ui *u, int y)
{
	char a[ACCEL_FMT_LEN], b[ACCEL_FMT_LEN], c[ACCEL_FMT_LEN],
	     d4[ACCEL_FMT_LEN], hit[16];
	size_t i;

	move(y, 0);
	clrtoeol();
	put(y, 0, attr(u, C_TITLE, A_BOLD) | A_BOLD,
	    "acceltop %s  source: %s  interval %.1fs  refresh %lu  sort: %s%s"
	    "  rows: %s", ACCEL_VERSION, at_source_name(u->src->kind),
	    u->o->delay, u->v.refresh, at_sort_names[u->sort],
	    u->reverse ? " (rev)" : "", at_group_names[u->group]);
	if (u->filter[0])
		printw("  filter: %s", u->filter);
	if (u->dev_sel >= 0 && (size_t)u->dev_sel < u->v.ndev)
		printw("  device: %s", u->v.dev[u->dev_sel].name);
	if (u->paused) {
		const char *m = " PAUSED ";

		if (COLS > (int)strlen(m))
			put(y, COLS - strlen(m), attr(u, C_PAUSE, A_REVERSE) |
			    A_BOLD, "%s", m);
	}
	y++;
	if (u->fallback[0])
		put(y++, 0, attr(u, C_WARN, A_BOLD), "fallback: %s",
		    u->fallback);
	if (u->v.note[0])
		put(y++, 0, attr(u, C_WARN, A_BOLD), "note: %s", u->v.note);
	if (!u->have_view) {
		put(y++, 0, 0, "collecting...");
		return y;
	}
	if (!u->v.ndev)
		put(y++, 0, attr(u, C_WARN, A_BOLD), "no accelsim devices");
	for (i = 0; i < u->v.ndev; i++) {
		const struct at_dev_view *d = &u->v.dev[i];
		const struct at_figures *df = &d->fig;

		if (u->dev_sel >= 0 && (size_t)u->dev_sel != i)
			continue;
		if (d->have_info)
			put(y, 0, A_BOLD, "%-6s %-8s contexts %u/%u  PASIDs %u"
			    "  pending faults %u  IRQ/s %.1f  MB/s %.2f",
			    d->name, d->info.state_str, d->info.contexts,
			    d->info.max_pe, d->info.pasids,
			    d->info.pending_faults, df->irqs_s, df->mb_s);
		else
			put(y, 0, A_BOLD, "%-6s %s", d->name, d->err);
		y++;
		if (d->has_atc_hit)
			snprintf(hit, sizeof(hit), "%.1f%%", d->atc_hit_pct);
		else
			snprintf(hit, sizeof(hit), "-");
		put(y++, 0, 0, "       faults/s %-8.1f p50 %-8s p99 %-8s  "
		    "TLBI/s %-8.1f p50 %-8s p99 %-8s  ATC hit %s",
		    df->faults_s, lat(&df->fault, false, a, sizeof(a)),
		    lat(&df->fault, true, b, sizeof(b)), df->tlbis_s,
		    lat(&df->tlbi, false, c, sizeof(c)),
		    lat(&df->tlbi, true, d4, sizeof(d4)), hit);
	}
	return y;
}

#define ROW_FMT "%-6s %5s %7s %7s %-15.15s %9s %9s %9s %9s %8s %8s %-11s"

static void draw_table(struct ui *u, int y, int h)
{
	static const char *const col1[AT_GROUP_NR] = { "PE", "CTXS", "CTXS" };
	static const char *const col2[AT_GROUP_NR] = {
		"PASID", "PASID", "PASIDS"
	};
	static const char *const none[AT_GROUP_NR] = {
		"no contexts", "no PASIDs", "no processes"
	};
	char f[6][ACCEL_FMT_LEN], pe[16], pasid[16], pid[16];
	size_t i;
	int line;

	attron(attr(u, C_THEAD, A_REVERSE));
	mvhline(y, 0, ' ', COLS);
	put(y, 0, attr(u, C_THEAD, A_REVERSE), ROW_FMT, "DEV", col1[u->group],
	    col2[u->group], "PID", "COMM", "FAULT/s", "FAULT.P99", "TLBI/s",
	    "TLBI.P99", "IRQ/s", "MB/s", "STATE");
	attroff(attr(u, C_THEAD, A_REVERSE));
	y++;
	h--;
	if (h <= 0)
		return;
	if (u->sel < u->top)
		u->top = u->sel;
	if (u->sel >= u->top + h)
		u->top = u->sel - h + 1;
	for (i = u->top, line = 0; i < u->nrows && line < h; i++, line++) {
		const struct at_row *r = &u->rows[i];
		const struct at_figures *rf = r->fig;
		int a = i == u->sel ? attr(u, C_SEL, A_REVERSE) : 0;

		snprintf(pe, sizeof(pe), "%u", u->group == AT_GROUP_CONTEXT ?
			 r->pe : r->nctx);
		if (u->group == AT_GROUP_PROCESS)
			snprintf(pasid, sizeof(pasid), "%u", r->npasid);
		else if (r->pasid == AT_NONE)
			snprintf(pasid, sizeof(pasid), "-");
		else
			snprintf(pasid, sizeof(pasid), "%u", r->pasid);
		snprintf(pid, sizeof(pid), "%u", r->pid);
		snprintf(f[0], sizeof(f[0]), "%.1f", rf->faults_s);
		snprintf(f[1], sizeof(f[1]), "%.1f", r->tfig->tlbis_s);
		snprintf(f[2], sizeof(f[2]), "%.1f", rf->irqs_s);
		snprintf(f[3], sizeof(f[3]), "%.2f", rf->mb_s);
		if (a) {
			attron(a);
			mvhline(y + line, 0, ' ', COLS);
			attroff(a);
		}
		put(y + line, 0, a, ROW_FMT, u->v.dev[r->dev].name, pe, pasid,
		    pid, r->comm[0] ? r->comm : "-", f[0],
		    lat(&rf->fault, true, f[4], sizeof(f[4])), f[1],
		    lat(&r->tfig->tlbi, true, f[5], sizeof(f[5])), f[2], f[3],
		    r->state);
	}
	if (!u->nrows && u->have_view)
		put(y, 0, 0, "%s", u->filter[0] ? "no row matches the filter"
		    : none[u->group]);
}

static void sparkline(struct ui *u, int y, int x, int w, const double *v,
		      unsigned int n)
{
	static const char *const blocks[] = {
		"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
		"\u2587", "\u2588"
	};
	static const char ascii[] = "_.-:=+*#";
	double lo = INFINITY, hi = 0;
	unsigned int i, first;

	if (w <= 0)
		return;
	first = n > (unsigned int)w ? n - w : 0;
	for (i = first; i < n; i++)
		if (!isnan(v[i]) && v[i] > 0) {
			lo = fmin(lo, log2(v[i]));
			hi = fmax(hi, log2(v[i]));
		}
	move(y, x);
	for (i = first; i < n; i++) {
		int lvl;

		if (isnan(v[i]) || v[i] <= 0 || !isfinite(lo)) {
			addch(' ');
			continue;
		}
		lvl = hi > lo ? (int)((log2(v[i]) - lo) / (hi - lo) * 7 + 0.5)
			: 3;
		if (u->utf8)
			addstr(blocks[lvl]);
		else
			addch(ascii[lvl]);
	}
}

static void draw_hist(struct ui *u, int y, int x, int w, int h,
		      const char *title, const struct accel_hist *hg, int bar)
{
	char lo[ACCEL_FMT_LEN], hi[ACCEL_FMT_LEN];
	int b, first = -1, last = -1, line = 0, barw;
	uint64_t max = 0;

	put(y, x, A_BOLD, "%.*s", w, title);
	for (b = 0; b < ACCEL_HIST_BUCKETS; b++)
		if (hg->bucket[b]) {
			if (first < 0)
				first = b;
			last = b;
			if (hg->bucket[b] > max)
				max = hg->bucket[b];
		}
	if (first < 0) {
		put(y + 1, x, 0, "no samples");
		return;
	}
	/* Show the top h-1 buckets if they do not all fit. */
	if (last - first + 1 > h - 1)
		first = last - (h - 2);
	barw = w - 28;
	for (b = first; b <= last && line < h - 1; b++, line++) {
		int n = barw > 0 ? (int)((double)hg->bucket[b] * barw / max) : 0;

		accel_fmt_ns(b ? (double)(1ull << b) : 0, lo, sizeof(lo));
		accel_fmt_ns(accel_hist_upper(b), hi, sizeof(hi));
		put(y + 1 + line, x, 0, "%7s-%-7s %10llu ", lo, hi,
		    (unsigned long long)hg->bucket[b]);
		if (n > 0) {
			attron(attr(u, bar, A_REVERSE));
			mvhline(y + 1 + line, x + 27, ' ', n);
			attroff(attr(u, bar, A_REVERSE));
		}
	}
}

static void draw_panel(struct ui *u, int y, int h)
{
	const struct at_counts *c = NULL, *tc = NULL;
	const struct at_dev_view *d = NULL;
	const struct ring *r;
	char title[128];
	int w = COLS / 2;

	if (!u->have_view || h < 4)
		return;
	if (u->sel < u->nrows) {
		d = &u->v.dev[u->rows[u->sel].dev];
		if (u->v.has_ctx_lat) {
			const struct at_row *sr = &u->rows[u->sel];

			c = sr->total;
			tc = sr->ttotal;
			if (u->group == AT_GROUP_CONTEXT)
				snprintf(title, sizeof(title),
					 "%s pe %u pasid %u", d->name, sr->pe,
					 sr->pasid);
			else if (u->group == AT_GROUP_PASID)
				snprintf(title, sizeof(title),
					 "%s pasid %u", d->name, sr->pasid);
			else
				snprintf(title, sizeof(title), "%s pid %u",
					 d->name, sr->pid);
		}
	} else if (u->dev_sel >= 0 && (size_t)u->dev_sel < u->v.ndev) {
		d = &u->v.dev[u->dev_sel];
	} else if (u->v.ndev) {
		d = &u->v.dev[0];
	}
	if (!d)
		return;
	if (!c) {
		c = tc = &d->total;
		snprintf(title, sizeof(title), "%s", d->name);
	}
	mvhline(y, 0, ACS_HLINE, COLS);
	put(y, 2, A_BOLD, " histograms since start: %s ", title);
	y++;
	h--;
	r = d->id < ACCEL_MAX_DEVS ? u->rings[d->id] : NULL;
	if (r && h > 4) {
		put(y, 0, 0, "%s fault p99 ", d->name);
		sparkline(u, y, 18, COLS - 18, r->f, r->n);
		put(y + 1, 0, 0, "%s TLBI p99  ", d->name);
		sparkline(u, y + 1, 18, COLS - 18, r->t, r->n);
		y += 2;
		h -= 2;
	}
	snprintf(title, sizeof(title), "fault latency (%llu)",
		 (unsigned long long)c->fault_lat.count);
	draw_hist(u, y, 0, w - 1, h, title, &c->fault_lat, C_BAR);
	snprintf(title, sizeof(title), "TLBI latency (%llu)",
		 (unsigned long long)tc->tlbi_lat.count);
	draw_hist(u, y, w, COLS - w, h, title, &tc->tlbi_lat, C_BAR2);
}

static void draw_help(struct ui *u)
{
	static const char *const lines[] = {
		"acceltop keys",
		"",
		"  Up/Down, PgUp/PgDn, Home/End   move the selection",
		"  s, F6        sort by the next column",
		"  r            reverse the sort order",
		"  /            filter (comm, state, pid, pasid or pe); Enter",
		"               applies, Esc cancels, empty clears",
		"  d            pick the device: all, afu0, afu1, ...",
		"  g            rows: contexts, PASIDs, processes",
		"  H            show or hide the histogram panel",
		"  p, space     pause or resume the display",
		"  h, ?, F1     this help",
		"  q, F10, Esc  quit",
		"",
		"The histogram panel shows the selected row (the device",
		"with the debugfs source) since acceltop started; the",
		"sparklines the device's per-refresh p99 latencies. A",
		"context's TLBI figures are its PASID's: TLBIs carry no PE.",
		"",
		"Press any key to return.",
	};
	int i, n = sizeof(lines) / sizeof(lines[0]);
	int h = n + 2, w = 66, y = (LINES - h) / 2, x = (COLS - w) / 2;
	WINDOW *win;

	if (y < 0)
		y = 0;
	if (x < 0)
		x = 0;
	win = newwin(h < LINES ? h : LINES, w < COLS ? w : COLS, y, x);
	if (!win)
		return;
	werase(win);
	box(win, 0, 0);
	for (i = 0; i < n && i + 1 < getmaxy(win) - 1; i++)
		mvwaddnstr(win, i + 1, 2, lines[i], getmaxx(win) - 4);
	wnoutrefresh(win);
	delwin(win);
}

static void draw(struct ui *u)
{
	int y, panel = 0, foot = LINES - 1, iommu = at_iommu_height();

	erase();
	if (iommu && foot - iommu > 8) {
		foot -= iommu;
		at_iommu_draw(foot);
	}
	y = draw_header(u, 0);
	y++;
	if (u->hist && LINES - y > 16)
		panel = (LINES - y) / 2 < 16 ? (LINES - y) / 2 : 16;
	draw_table(u, y, foot - y - panel);
	if (panel)
		draw_panel(u, foot - panel, panel);
	foot = LINES - 1;
	if (u->editing) {
		put(foot, 0, A_BOLD, "filter: %s", u->edit);
		curs_set(1);
	} else {
		curs_set(0);
		put(foot, 0, attr(u, C_THEAD, A_REVERSE),
		    "h Help  s Sort  r Reverse  / Filter  d Device  g Group  "
		    "H Hist  p Pause  q Quit");
	}
	wnoutrefresh(stdscr);
	if (u->help)
		draw_help(u);
	doupdate();
}

static bool edit_key(struct ui *u, int ch)
{
	size_t l = strlen(u->edit);

	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		memcpy(u->filter, u->edit, sizeof(u->filter));
		u->editing = false;
		u->sel = 0;
		u->sel_valid = false;
		rebuild_rows(u);
		break;
	case 27:
		u->editing = false;
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (l)
			u->edit[l - 1] = '\0';
		break;
	default:
		if (ch >= 32 && ch < 127 && l + 1 < sizeof(u->edit)) {
			u->edit[l] = ch;
			u->edit[l + 1] = '\0';
		}
		break;
	}
	return true;
}

/* Handle a key; false to quit. */
static bool key(struct ui *u, int ch)
{
	if (u->editing)
		return edit_key(u, ch);
	if (u->help) {
		u->help = false;
		return ch != 'q' && ch != KEY_F(10);
	}
	switch (ch) {
	case 'q':
	case KEY_F(10):
	case 27:
		return false;
	case KEY_UP:
		if (u->sel)
			u->sel--;
		break;
	case KEY_DOWN:
		if (u->sel + 1 < u->nrows)
			u->sel++;
		break;
	case KEY_PPAGE:
		u->sel = u->sel > 10 ? u->sel - 10 : 0;
		break;
	case KEY_NPAGE:
		u->sel = u->sel + 10 < u->nrows ? u->sel + 10 :
			 (u->nrows ? u->nrows - 1 : 0);
		break;
	case KEY_HOME:
		u->sel = 0;
		break;
	case KEY_END:
		u->sel = u->nrows ? u->nrows - 1 : 0;
		break;
	case 's':
	case KEY_F(6):
		u->sort = (u->sort + 1) % AT_SORT_NR;
		break;
	case 'r':
		u->reverse = !u->reverse;
		break;
	case '/':
		u->editing = true;
		memcpy(u->edit, u->filter, sizeof(u->edit));
		break;
	case 'h':
	case '?':
	case KEY_F(1):
		u->help = true;
		break;
	case 'p':
	case ' ':
		u->paused = !u->paused;
		if (!u->paused && at_collector_take(u->col, &u->v)) {
			size_t i;

			u->have_view = true;
			for (i = 0; i < u->v.ndev; i++)
				ring_push(u, &u->v.dev[i]);
		}
		break;
	case 'd':
		if (u->v.ndev) {
			u->dev_sel++;
			if ((size_t)u->dev_sel >= u->v.ndev)
				u->dev_sel = -1;
			u->sel = 0;
			u->sel_valid = false;
		}
		break;
	case 'g':
		u->group = (u->group + 1) % AT_GROUP_NR;
		u->sel = 0;
		u->sel_valid = false;
		break;
	case 'H':
		u->hist = !u->hist;
		break;
	case KEY_RESIZE:
		break;
	default:
		return true;
	}
	if (ch != KEY_UP && ch != KEY_DOWN && ch != KEY_PPAGE &&
	    ch != KEY_NPAGE && ch != KEY_HOME && ch != KEY_END)
		rebuild_rows(u);
	remember_sel(u);
	return true;
}

static void init_colors(struct ui *u)
{
	if (!u->color || !has_colors()) {
		u->color = false;
		return;
	}
	start_color();
	use_default_colors();
	init_pair(C_TITLE, COLOR_CYAN, -1);
	init_pair(C_WARN, COLOR_YELLOW, -1);
	init_pair(C_THEAD, COLOR_BLACK, COLOR_GREEN);
	init_pair(C_SEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_PAUSE, COLOR_WHITE, COLOR_RED);
	init_pair(C_BAR, COLOR_BLACK, COLOR_BLUE);
	init_pair(C_BAR2, COLOR_BLACK, COLOR_MAGENTA);
}

int at_run_ui(struct at_source *src, const struct at_opts *o)
{
	struct ui u = { 0 };
	unsigned long shown = 0;
	int notify = -1;
	const char *l;
	size_t i;

	u.o = o;
	u.src = src;
	u.color = o->color;
	u.hist = true;
	u.sort = o->sort;
	u.reverse = o->reverse;
	u.group = o->group;
	u.dev_sel = -1;
	if (o->filter)
		snprintf(u.filter, sizeof(u.filter), "%s", o->filter);
	if (src->why[0])
		snprintf(u.fallback, sizeof(u.fallback), "using %s: %s",
			 at_source_name(src->kind), src->why);
	setlocale(LC_ALL, "");
	l = setlocale(LC_CTYPE, NULL);
	u.utf8 = MB_CUR_MAX > 1 && l && (strstr(l, "UTF-8") ||
					 strstr(l, "utf8"));

	u.col = at_collector_start(src, o->delay, &notify);
	if (!u.col) {
		fprintf(stderr, "acceltop: cannot start the collector: %s\n",
			strerror(errno));
		return EXIT_ERROR;
	}
	set_escdelay(25);
	if (!initscr()) {
		at_collector_stop(u.col);
		fprintf(stderr, "acceltop: cannot initialise the terminal\n");
		return EXIT_ERROR;
	}
	curses_on = true;
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	init_colors(&u);
	draw(&u);

	while (!at_quit) {
		struct pollfd fds[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = notify, .events = POLLIN },
		};
		bool redraw = false;
		int ch;

		if (poll(fds, 2, 500) < 0 && errno != EINTR)
			break;
		if (fds[1].revents & POLLIN) {
			char buf[64];

			while (read(notify, buf, sizeof(buf)) > 0)
				;
			if (!u.paused && at_collector_take(u.col, &u.v)) {
				at_iommu_sample(cli_now_s());
				u.have_view = true;
				for (i = 0; i < u.v.ndev; i++)
					ring_push(&u, &u.v.dev[i]);
				rebuild_rows(&u);
				remember_sel(&u);
				shown++;
				redraw = true;
			}
		}
		while ((ch = getch()) != ERR) {
			if (!key(&u, ch)) {
				at_quit = -1;
				break;
			}
			/* Repaint all after a key, as after a resize. */
			clearok(curscr, TRUE);
			redraw = true;
		}
		if (redraw || (fds[0].revents & POLLIN))
			draw(&u);
		if (o->count && shown >= (unsigned long)o->count)
			break;
	}
	restore_terminal();
	at_collector_stop(u.col);
	at_view_free(&u.v);
	free(u.rows);
	for (i = 0; i < ACCEL_MAX_DEVS; i++)
		free(u.rings[i]);
	return EXIT_OK;
}
