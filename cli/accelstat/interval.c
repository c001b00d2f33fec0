// SPDX-License-Identifier: MIT
/*
 * accelstat -i SEC [-n COUNT]: per-interval rates and deltas, vmstat
 * style. The first report comes one interval after start and covers that
 * interval; latency percentiles are those of the interval (histogram
 * deltas). The header is repeated every screenful.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "accel_format.h"
#include "accel_json.h"
#include "accelstat.h"

#define F ACCEL_FMT_LEN

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Lines between headers: the terminal height, or 20 when not a tty. */
static unsigned int header_every(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
	    ws.ws_row > 3)
		return ws.ws_row - 1u;
	return 20;
}

static uint64_t delta(uint64_t now, uint64_t prev)
{
	/* A reset (device re-created) restarts from 0. */
	return now >= prev ? now - prev : now;
}

struct rates {
	double faults, restart, aerr, tlbis, irqs, work, fail, bytes;
	uint64_t d_faults, d_aerr, d_work, d_fail;
	bool has_fault, has_tlbi;
	double fault_p99, tlbi_p99;
};

static void compute(const struct accel_dev *now, const struct accel_dev *prev,
		    double secs, struct rates *r)
{
	const uint64_t *c = now->stats.counter;
	const uint64_t *p = prev ? prev->stats.counter : NULL;
	struct accel_hist h;
	double q[3];

#define D(i) (p ? delta(c[i], p[i]) : c[i])
	memset(r, 0, sizeof(*r));
	r->d_faults = D(ACCEL_C_FAULTS_RAISED);
	r->d_aerr = D(ACCEL_C_FAULTS_ACKED_ADDRESS_ERROR);
	r->d_work = D(ACCEL_C_WORK_DONE);
	r->d_fail = D(ACCEL_C_WORK_FAILED);
	r->faults = r->d_faults / secs;
	r->restart = D(ACCEL_C_FAULTS_ACKED_RESTART) / secs;
	r->aerr = r->d_aerr / secs;
	r->tlbis = D(ACCEL_C_TLBIS) / secs;
	r->irqs = D(ACCEL_C_IRQS_FIRED) / secs;
	r->work = r->d_work / secs;
	r->fail = r->d_fail / secs;
	r->bytes = D(ACCEL_C_BYTES) / secs;
#undef D
	if (prev)
		accel_hist_delta(&now->stats.fault_lat,
				 &prev->stats.fault_lat, &h);
	else
		h = now->stats.fault_lat;
	r->has_fault = accel_hist_p50_90_99(&h, q);
	r->fault_p99 = q[2];
	if (prev)
		accel_hist_delta(&now->stats.tlbi_lat, &prev->stats.tlbi_lat,
				 &h);
	else
		h = now->stats.tlbi_lat;
	r->has_tlbi = accel_hist_p50_90_99(&h, q);
	r->tlbi_p99 = q[2];
}

static void header(void)
{
	printf("%-8s %-6s %5s %5s %5s %8s %8s %8s %8s %8s %8s %9s %8s %8s\n",
	       "time", "dev", "ctx", "pasid", "pend", "oldest", "flt/s",
	       "aerr/s", "tlbi/s", "irq/s", "work/s", "bytes/s", "fltp99",
	       "tlbip99");
}

/* Right-align str (units may be UTF-8, µs) in w columns, then sep. */
static void col(const char *str, size_t w, char sep)
{
	size_t n = accel_utf8_width(str);

	while (n++ < w)
		putchar(' ');
	fputs(str, stdout);
	putchar(sep);
}

static void row(const char *tm, const struct accel_dev *d,
		const struct accel_summary *s, const struct rates *r)
{
	char a[F];

	printf("%-8s %-6s %5u %5zu %5u ", tm, d->name, s->spa_used,
	       d->pasids.n, s->faults_pending);
	col(s->faults_pending ?
	    accel_fmt_ns((double)s->oldest_fault_age_ns, a, F) : "-", 8, ' ');
	col(accel_fmt_count(r->faults, a, F), 8, ' ');
	col(accel_fmt_count(r->aerr, a, F), 8, ' ');
	col(accel_fmt_count(r->tlbis, a, F), 8, ' ');
	col(accel_fmt_count(r->irqs, a, F), 8, ' ');
	col(accel_fmt_count(r->work, a, F), 8, ' ');
	col(accel_fmt_bytes(r->bytes, a, F), 9, ' ');
	col(r->has_fault ? accel_fmt_ns(r->fault_p99, a, F) : "-", 8, ' ');
	col(r->has_tlbi ? accel_fmt_ns(r->tlbi_p99, a, F) : "-", 8, '\n');
}

static json_object *json_row(const struct accel_dev *d,
			     const struct accel_summary *s,
			     const struct rates *r)
{
	json_object *o = json_object_new_object();

	accel_json_str(o, "device", d->name);
	accel_json_u64(o, "contexts", s->spa_used);
	accel_json_u64(o, "pasids", d->pasids.n);
	accel_json_u64(o, "pending_faults", s->faults_pending);
	accel_json_u64(o, "oldest_fault_age_ns", s->oldest_fault_age_ns);
	accel_json_u64(o, "faults_raised", r->d_faults);
	accel_json_u64(o, "faults_address_error", r->d_aerr);
	accel_json_u64(o, "work_done", r->d_work);
	accel_json_u64(o, "work_failed", r->d_fail);
	accel_json_double(o, "faults_per_s", r->faults);
	accel_json_double(o, "faults_restart_per_s", r->restart);
	accel_json_double(o, "faults_address_error_per_s", r->aerr);
	accel_json_double(o, "tlbis_per_s", r->tlbis);
	accel_json_double(o, "irqs_per_s", r->irqs);
	accel_json_double(o, "work_done_per_s", r->work);
	accel_json_double(o, "work_failed_per_s", r->fail);
	accel_json_double(o, "bytes_per_s", r->bytes);
	if (r->has_fault)
		accel_json_double(o, "p99_fault_lat_ns", r->fault_p99);
	else
		json_object_object_add(o, "p99_fault_lat_ns", NULL);
	if (r->has_tlbi)
		accel_json_double(o, "p99_tlbi_lat_ns", r->tlbi_p99);
	else
		json_object_object_add(o, "p99_tlbi_lat_ns", NULL);
	return o;
}

static const struct accel_dev *find(const struct stat_snap *s,
				    unsigned int id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->dev[i].id == id)
			return &s->dev[i];
	return NULL;
}

static int load_or_report(const struct stat_opts *o,
			  const struct stat_snap *prev, struct stat_snap *s)
{
	char msg[1024];
	bool missing;
	int ret;

	ret = stat_load_since(o, prev, s, msg, sizeof(msg), &missing);
	if (ret == LOAD_OK)
		return 0;
	stat_err("%s", msg);
	return ret == LOAD_NODRIVER ? EXIT_NODRIVER : EXIT_ERROR;
}

int stat_interval(const struct stat_opts *o)
{
	struct stat_snap prev, cur;
	unsigned int every = header_every(), lines = 0;
	struct sigaction sa;
	struct timespec next;
	double t_prev, t_cur;
	long done = 0;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = load_or_report(o, NULL, &prev);
	if (ret)
		return ret;
	t_prev = cli_now_s();
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop && (!o->count || done < o->count)) {
		char tm[16];
		time_t wall;
		size_t i;
		json_object *top = NULL, *devs = NULL;

		next.tv_sec += (time_t)o->interval;
		next.tv_nsec += (long)((o->interval - floor(o->interval)) *
				       1e9);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (!stop && clock_nanosleep(CLOCK_MONOTONIC,
						TIMER_ABSTIME, &next, NULL) ==
		       EINTR)
			;
		if (stop)
			break;
		ret = load_or_report(o, &prev, &cur);
		if (ret) {
			stat_snap_free(&prev);
			return ret;
		}
		t_cur = cli_now_s();
		wall = time(NULL);
		strftime(tm, sizeof(tm), "%H:%M:%S", localtime(&wall));
		if (o->json) {
			top = json_object_new_object();
			accel_json_u64(top, "schema_version",
				       ACCEL_JSON_SCHEMA_VERSION);
			accel_json_u64(top, "time_unix_s", (uint64_t)wall);
			accel_json_double(top, "interval_s", t_cur - t_prev);
			devs = json_object_new_array();
			json_object_object_add(top, "devices", devs);
		} else if (lines % every == 0) {
			header();
			lines++;
		}
		for (i = 0; i < cur.n; i++) {
			struct rates r;

			compute(&cur.dev[i], find(&prev, cur.dev[i].id),
				t_cur - t_prev, &r);
			if (o->json) {
				json_object_array_add(devs,
					json_row(&cur.dev[i], &cur.sum[i], &r));
			} else {
				if (lines % every == 0) {
					header();
					lines++;
				}
				row(tm, &cur.dev[i], &cur.sum[i], &r);
				lines++;
			}
		}
		if (o->json) {
			accel_json_print(stdout, top, false);
			json_object_put(top);
		}
		fflush(stdout);
		stat_snap_free(&prev);
		prev = cur;
		t_prev = t_cur;
		done++;
	}
	stat_snap_free(&prev);
	if (getenv("ACCEL_DEBUG_READS")) {
		struct accel_dev_reads r;

		accel_dev_reads(&r);
		fprintf(stderr, "accelstat: reads gen %lu info %lu spa %lu "
			"pasids %lu faults %lu irqs %lu stats %lu atc %lu\n",
			r.gen, r.info, r.spa, r.pasids, r.faults, r.irqs,
			r.stats, r.atc);
	}
	return cli_stdout_flush("accelstat");
}
