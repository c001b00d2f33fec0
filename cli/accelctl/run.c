// SPDX-License-Identifier: MIT
/*
 * accelctl run: options, the contexts (threads, or processes with --fork),
 * the progress bar, and the final report: throughput, faults and TLBIs of
 * the run's own PEs (SPA rows) and of the device (stats deltas), IRQs,
 * errors, integrity and submit-to-completion latency percentiles.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accel_format.h"
#include "accel_json.h"
#include "accel_uapi.h"
#include "accel_views.h"
#include "accelctl.h"
#include "ctx.h"
#include "run.h"

#define RUN_MAX_CONTEXTS 512

enum {
	OPT_CHUNK = 0x100,
	OPT_OP,
	OPT_WINDOW,
	OPT_FRESH,
	OPT_CHURN,
	OPT_IRQ,
	OPT_FORK,
};

static const struct argp_option run_options[] = {
	{ "device", 'd', "DEV", 0, "device (default afu0)", 0 },
	{ "contexts", 'c', "N", 0, "contexts (default 1), one fd each", 0 },
	{ "op", OPT_OP, "OP", 0, "copy, fill, compare or touch (default copy)",
	  0 },
	{ "size", 's', "SIZE", 0, "bytes per iteration, split across the "
	  "contexts (K/M/G suffixes; default 1M)", 0 },
	{ "chunk", OPT_CHUNK, "SIZE", 0, "bytes per descriptor (default 256K)",
	  0 },
	{ "window", OPT_WINDOW, "N", 0, "descriptors in flight per context "
	  "(default 16)", 0 },
	{ "fresh", OPT_FRESH, NULL, 0, "never-touched memory each iteration, "
	  "so every page the device writes faults", 0 },
	{ "churn", OPT_CHURN, NULL, 0, "munmap and remap the destination after "
	  "each iteration (drives TLBIs)", 0 },
	{ "irq", OPT_IRQ, NULL, 0, "completion IRQs on eventfds (IRQ_ALLOC, "
	  "IRQ_SET_FD)", 0 },
	{ "fork", OPT_FORK, NULL, 0, "one process per context (own PASID); "
	  "default: threads of this process (one PASID)", 0 },
	{ "iterations", 'n', "N", 0, "iterations per context (default 1)", 0 },
	{ "duration", 't', "SEC", 0, "run for SEC seconds instead", 0 },
	{ 0 }
};

static const char *const op_names[] = {
	[ACCELSIM_OP_COPY] = "copy", [ACCELSIM_OP_FILL] = "fill",
	[ACCELSIM_OP_COMPARE] = "compare", [ACCELSIM_OP_TOUCH] = "touch",
};

static error_t run_opt(int key, char *arg, struct argp_state *state)
{
	struct run_cfg *cfg = state->input;
	uint32_t i;

	switch (key) {
	case 'd':
		if (ctl_parse_dev(arg, &cfg->dev))
			goto bad;
		break;
	case 'c':
		if (ctl_parse_u32(arg, &cfg->contexts) || !cfg->contexts ||
		    cfg->contexts > RUN_MAX_CONTEXTS)
			goto bad;
		break;
	case OPT_OP:
		for (i = ACCELSIM_OP_COPY; i <= ACCELSIM_OP_TOUCH; i++)
			if (!strcmp(arg, op_names[i]))
				break;
		if (i > ACCELSIM_OP_TOUCH)
			goto bad;
		cfg->op = i;
		break;
	case 's':
		if (ctl_parse_size(arg, &cfg->size) || !cfg->size ||
		    cfg->size > (64ull << 30))
			goto bad;
		break;
	case OPT_CHUNK:
		if (ctl_parse_size(arg, &cfg->chunk) || cfg->chunk < 1 ||
		    cfg->chunk > ACCELSIM_MAX_LEN)
			goto bad;
		break;
	case OPT_WINDOW:
		if (ctl_parse_u32(arg, &cfg->window) || !cfg->window ||
		    cfg->window > 1024)
			goto bad;
		break;
	case OPT_FRESH:
		cfg->fresh = true;
		break;
	case OPT_CHURN:
		cfg->churn = true;
		break;
	case OPT_IRQ:
		cfg->irq = true;
		break;
	case OPT_FORK:
		cfg->fork = true;
		break;
	case 'n':
		if (ctl_parse_u64(arg, &cfg->iterations) || !cfg->iterations)
			goto bad;
		break;
	case 't':
		if (ctl_parse_seconds(arg, &cfg->duration) || !cfg->duration)
			goto bad;
		break;
	default:
		return cli_arg_default(key, state);
	}
	return 0;
bad:
	for (i = 0; run_options[i].name; i++)
		if (run_options[i].key == key)
			break;
	return cli_arg_error(state, "bad value '%s' for --%s", arg,
			     run_options[i].name ? run_options[i].name : "?");
}

static const struct argp run_argp = CTL_LEAF_ARGP(run_options, run_opt, NULL,
	"Attach contexts to a device and drive a workload, checking the data. "
	"Exit 4 on a data mismatch, 1 on other errors.");

struct run_state {
	struct run_cfg cfg;
	struct run_progress *prog;
	struct run_result **res;
	size_t res_size;
};

struct thread_arg {
	struct run_state *st;
	unsigned int idx;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;

	run_context(&a->st->cfg, a->idx, a->st->prog, a->st->res[a->idx]);
	return NULL;
}

/* SIGINT/SIGTERM stop the run after the current iteration, with a report. */
static struct run_progress *run_prog;

static void on_stop(int sig)
{
	if (run_prog)
		atomic_store(&run_prog->stop, 1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

struct totals {
	uint64_t work, bytes, errors, mismatches, iterations, churns;
	uint64_t irqs_expected, irqs_received;
	uint64_t spa_faults, spa_tlbis, spa_irqs;
	bool spa_ok;
	uint64_t nlat, *lat;
	double p[4];		/* p50 p90 p99 max */
	bool stats_ok;
	struct accel_stats before, after;
	double elapsed;
	int fatal;
	const char *fatal_msg;
};

static uint64_t delta(const struct totals *t, enum accel_counter c)
{
	return t->after.counter[c] - t->before.counter[c];
}

/* Sum the SPA rows of the run's PEs while the contexts are attached. */
static void spa_sum(struct run_state *st, struct totals *t)
{
	struct accel_spa spa = { 0 };
	struct accel_err err;
	uint32_t i;
	size_t j;

	if (ctx_load_spa(st->cfg.dev, &spa, &err))
		return;
	t->spa_ok = true;
	for (i = 0; i < st->cfg.contexts; i++) {
		const struct run_result *r = st->res[i];

		if (!r->attached)
			continue;
		for (j = 0; j < spa.n; j++)
			if (spa.pe[j].pe == r->pe && spa.pe[j].pasid == r->pasid) {
				t->spa_faults += spa.pe[j].faults;
				t->spa_tlbis += spa.pe[j].tlbis;
				t->spa_irqs += spa.pe[j].irqs;
			}
	}
	accel_spa_free(&spa);
}

static void sum(struct run_state *st, struct totals *t)
{
	uint32_t i;
	uint64_t k;

	for (i = 0; i < st->cfg.contexts; i++) {
		const struct run_result *r = st->res[i];

		t->work += r->work;
		t->bytes += r->bytes;
		t->errors += r->errors;
		t->mismatches += r->mismatches;
		t->iterations += r->iterations;
		t->churns += r->churns;
		t->irqs_expected += r->irqs_expected;
		t->irqs_received += r->irqs_received;
		t->nlat += r->nlat;
		if (r->fatal && !t->fatal) {
			t->fatal = r->fatal;
			t->fatal_msg = r->fatal_msg;
		}
	}
	t->lat = malloc((t->nlat + 1) * sizeof(*t->lat));
	if (!t->lat) {
		t->nlat = 0;
		return;
	}
	for (i = 0, k = 0; i < st->cfg.contexts; i++) {
		memcpy(t->lat + k, st->res[i]->lat,
		       st->res[i]->nlat * sizeof(*t->lat));
		k += st->res[i]->nlat;
	}
	qsort(t->lat, t->nlat, sizeof(*t->lat), cmp_u64);
	if (t->nlat) {
		static const double pct[3] = { 50, 90, 99 };

		for (i = 0; i < 3; i++) {
			k = (uint64_t)ceil(pct[i] / 100 * (double)t->nlat);
			t->p[i] = (double)t->lat[k ? k - 1 : 0];
		}
		t->p[3] = (double)t->lat[t->nlat - 1];
	}
}

static int report(struct run_state *st, struct totals *t)
{
	const struct run_cfg *c = &st->cfg;
	char b1[ACCEL_FMT_LEN], b2[ACCEL_FMT_LEN], b3[ACCEL_FMT_LEN];
	char b4[ACCEL_FMT_LEN];
	double secs = t->elapsed > 0 ? t->elapsed : 1e-9;
	uint32_t i;

	if (ctl.json) {
		json_object *j = json_object_new_object(), *o, *arr;

		ctl_json_dev(j, c->dev);
		accel_json_u64(j, "contexts", c->contexts);
		accel_json_str(j, "mode", c->fork ? "processes" : "threads");
		accel_json_str(j, "op", op_names[c->op]);
		accel_json_u64(j, "size_bytes", c->size);
		accel_json_u64(j, "chunk_bytes", c->chunk);
		json_object_object_add(j, "fresh",
				       json_object_new_boolean(c->fresh));
		json_object_object_add(j, "churn",
				       json_object_new_boolean(c->churn));
		accel_json_u64(j, "iterations", t->iterations);
		accel_json_double(j, "elapsed_s", t->elapsed);
		accel_json_u64(j, "bytes", t->bytes);
		accel_json_double(j, "bytes_per_s", (double)t->bytes / secs);
		accel_json_u64(j, "work_done", t->work);
		accel_json_double(j, "work_done_per_s", (double)t->work / secs);
		accel_json_u64(j, "errors", t->errors);
		accel_json_u64(j, "mismatches", t->mismatches);
		accel_json_str(j, "integrity", t->mismatches ? "mismatch" :
			       "ok");
		accel_json_u64(j, "churns", t->churns);
		if (t->spa_ok) {
			accel_json_u64(j, "faults", t->spa_faults);
			accel_json_u64(j, "tlbis", t->spa_tlbis);
		} else {
			json_object_object_add(j, "faults", NULL);
			json_object_object_add(j, "tlbis", NULL);
		}
		if (c->irq) {
			o = json_object_new_object();
			accel_json_u64(o, "expected", t->irqs_expected);
			accel_json_u64(o, "received", t->irqs_received);
			json_object_object_add(j, "irqs", o);
		}
		if (t->stats_ok) {
			o = json_object_new_object();
			for (i = 0; i < ACCEL_C_NR; i++)
				accel_json_u64(o, accel_counter_names[i],
					       delta(t, i));
			json_object_object_add(j, "device_stats_delta", o);
		}
		o = json_object_new_object();
		accel_json_u64(o, "samples", t->nlat);
		if (t->nlat) {
			accel_json_double(o, "p50_ns", t->p[0]);
			accel_json_double(o, "p90_ns", t->p[1]);
			accel_json_double(o, "p99_ns", t->p[2]);
			accel_json_double(o, "max_ns", t->p[3]);
		}
		json_object_object_add(j, "latency", o);
		arr = json_object_new_array();
		for (i = 0; i < c->contexts; i++) {
			if (!st->res[i]->attached)
				continue;
			o = json_object_new_object();
			accel_json_u64(o, "pasid", st->res[i]->pasid);
			accel_json_u64(o, "pe", st->res[i]->pe);
			json_object_array_add(arr, o);
		}
		json_object_object_add(j, "pes", arr);
		if (t->fatal)
			accel_json_str(j, "error", t->fatal_msg);
		return ctl_json_emit(j);
	}
	printf("run: %u context(s) (%s) on afu%u, op %s, %s per iteration, "
	       "%llu iteration(s) in %.2fs\n", c->contexts,
	       c->fork ? "processes" : "threads", c->dev, op_names[c->op],
	       accel_fmt_bytes((double)c->size, b1, sizeof(b1)),
	       (unsigned long long)t->iterations, t->elapsed);
	printf("  bytes     %s (%s/s)\n",
	       accel_fmt_bytes((double)t->bytes, b1, sizeof(b1)),
	       accel_fmt_bytes((double)t->bytes / secs, b2, sizeof(b2)));
	printf("  work      %llu descriptors (%s/s)\n",
	       (unsigned long long)t->work,
	       accel_fmt_count((double)t->work / secs, b1, sizeof(b1)));
	if (t->spa_ok)
		printf("  faults    %llu (this run's PEs)\n  tlbis     %llu "
		       "(this run's PEs)\n", (unsigned long long)t->spa_faults,
		       (unsigned long long)t->spa_tlbis);
	if (t->stats_ok)
		printf("  device    faults_raised +%llu, tlbis +%llu, "
		       "irqs_fired +%llu, work_done +%llu, work_failed +%llu\n",
		       (unsigned long long)delta(t, ACCEL_C_FAULTS_RAISED),
		       (unsigned long long)delta(t, ACCEL_C_TLBIS),
		       (unsigned long long)delta(t, ACCEL_C_IRQS_FIRED),
		       (unsigned long long)delta(t, ACCEL_C_WORK_DONE),
		       (unsigned long long)delta(t, ACCEL_C_WORK_FAILED));
	if (c->churn)
		printf("  churn     %llu munmap+remap cycles\n",
		       (unsigned long long)t->churns);
	if (c->irq)
		printf("  irqs      %llu received of %llu expected\n",
		       (unsigned long long)t->irqs_received,
		       (unsigned long long)t->irqs_expected);
	printf("  errors    %llu\n", (unsigned long long)t->errors);
	printf("  integrity %s (%llu mismatches)\n",
	       t->mismatches ? "MISMATCH" : "ok",
	       (unsigned long long)t->mismatches);
	if (t->nlat)
		printf("  latency   p50 %s  p90 %s  p99 %s  max %s (%llu "
		       "samples)\n", accel_fmt_ns(t->p[0], b1, sizeof(b1)),
		       accel_fmt_ns(t->p[1], b2, sizeof(b2)),
		       accel_fmt_ns(t->p[2], b3, sizeof(b3)),
		       accel_fmt_ns(t->p[3], b4, sizeof(b4)),
		       (unsigned long long)t->nlat);
	for (i = 0; i < c->contexts; i++)
		if (st->res[i]->fatal)
			fprintf(stderr, "accelctl: %s\n", st->res[i]->fatal_msg);
	return fflush(stdout) ? EXIT_ERROR : EXIT_OK;
}

static void show_progress(struct run_state *st, uint64_t t0)
{
	const struct run_cfg *c = &st->cfg;
	double el = (double)(cli_now_ns() - t0) / 1e9, frac;
	char b[ACCEL_FMT_LEN], extra[96];
	uint64_t bytes = atomic_load(&st->prog->bytes);

	if (c->duration > 0)
		frac = el / c->duration;
	else
		frac = (double)atomic_load(&st->prog->iterations) /
		       ((double)c->iterations * c->contexts);
	snprintf(extra, sizeof(extra), "%s/s  %.1fs",
		 accel_fmt_bytes(el > 0 ? (double)bytes / el : 0, b,
				 sizeof(b)), el);
	ctl_progress("run", frac, extra);
}

int cmd_run(int argc, char **argv)
{
	struct run_state st = { .cfg = {
		.contexts = 1, .op = ACCELSIM_OP_COPY, .size = 1 << 20,
		.chunk = 256 << 10, .window = 16,
	} };
	pthread_t threads[RUN_MAX_CONTEXTS];
	struct thread_arg targs[RUN_MAX_CONTEXTS];
	pid_t pids[RUN_MAX_CONTEXTS];
	struct totals t = { 0 };
	size_t shared_size;
	uint64_t t0;
	char *shared;
	uint32_t i;
	int ret, rc;

	ret = ctl_parse(&run_argp, "run", argc, argv, NULL, &st.cfg);
	if (ret)
		return ret;
	if (st.cfg.iterations && st.cfg.duration > 0)
		return ctl_usage_err("run", "--iterations and --duration are "
				     "exclusive");
	if (!st.cfg.iterations && st.cfg.duration <= 0)
		st.cfg.iterations = 1;
	if (st.cfg.size / st.cfg.contexts == 0)
		return ctl_usage_err("run", "--size is smaller than one byte "
				     "per context");

	/* Results live in shared memory so forked contexts can fill them. */
	st.res_size = sizeof(struct run_result) + RUN_MAX_LAT * sizeof(uint64_t);
	shared_size = sizeof(*st.prog) + st.res_size * st.cfg.contexts;
	shared = mmap(NULL, shared_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	st.res = calloc(st.cfg.contexts, sizeof(*st.res));
	if (shared == MAP_FAILED || !st.res)
		return ctl_fail(EXIT_ERROR, "out of memory");
	st.prog = (struct run_progress *)shared;
	for (i = 0; i < st.cfg.contexts; i++)
		st.res[i] = (struct run_result *)(shared + sizeof(*st.prog) +
						  st.res_size * i);
	t.stats_ok = !accel_load_stats(ctl.root, st.cfg.dev, &t.before,
					 NULL);
	run_prog = st.prog;
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);

	t0 = cli_now_ns();
	for (i = 0; i < st.cfg.contexts; i++) {
		if (st.cfg.fork) {
			fflush(NULL);
			pids[i] = fork();
			if (pids[i] == 0) {
				/* The parent stops the children through prog. */
				signal(SIGINT, SIG_IGN);
				signal(SIGTERM, SIG_DFL);
				run_context(&st.cfg, i, st.prog, st.res[i]);
				_exit(0);
			}
			if (pids[i] < 0) {
				st.res[i]->fatal = -errno;
				snprintf(st.res[i]->fatal_msg,
					 sizeof(st.res[i]->fatal_msg),
					 "fork: %s", strerror(errno));
				atomic_fetch_add(&st.prog->done, 1);
			}
			continue;
		}
		targs[i].st = &st;
		targs[i].idx = i;
		if (pthread_create(&threads[i], NULL, thread_main, &targs[i])) {
			st.res[i]->fatal = -EAGAIN;
			snprintf(st.res[i]->fatal_msg,
				 sizeof(st.res[i]->fatal_msg),
				 "cannot create thread %u", i);
			threads[i] = 0;
			atomic_fetch_add(&st.prog->done, 1);
		}
	}
	while (atomic_load(&st.prog->done) < (int)st.cfg.contexts) {
		if (st.cfg.duration > 0 &&
		    (double)(cli_now_ns() - t0) / 1e9 >= st.cfg.duration)
			atomic_store(&st.prog->stop, 1);
		show_progress(&st, t0);
		usleep(100000);
	}
	t.elapsed = (double)(cli_now_ns() - t0) / 1e9;
	ctl_progress_done();
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* Every context is still attached: read its SPA row and the stats. */
	spa_sum(&st, &t);
	if (t.stats_ok)
		t.stats_ok = !accel_load_stats(ctl.root, st.cfg.dev,
						 &t.after, NULL);
	atomic_store(&st.prog->release, 1);
	for (i = 0; i < st.cfg.contexts; i++) {
		if (st.cfg.fork && pids[i] > 0)
			waitpid(pids[i], NULL, 0);
		else if (!st.cfg.fork && threads[i])
			pthread_join(threads[i], NULL);
	}
	sum(&st, &t);
	for (i = 0; i < st.cfg.contexts && !st.res[i]->attached; i++)
		;
	if (i == st.cfg.contexts) {
		/* Nothing ran: one error line, not an empty report. */
		rc = ctl_fail(t.fatal == -ENOENT ? EXIT_NODRIVER : EXIT_ERROR,
			      "%s", t.fatal_msg ? t.fatal_msg : "no context");
		free(t.lat);
		free(st.res);
		munmap(shared, shared_size);
		return rc;
	}
	rc = report(&st, &t);
	if (t.mismatches)
		rc = EXIT_MISMATCH;
	else if (t.fatal == -ENOENT && !rc)
		rc = EXIT_NODRIVER;
	else if ((t.fatal || t.errors) && !rc)
		rc = EXIT_ERROR;
	free(t.lat);
	free(st.res);
	munmap(shared, shared_size);
	return rc;
}
