// SPDX-License-Identifier: GPL-2.0
/*
 * accelsim: per-device monotonic counters and log2 latency histograms.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/seq_file.h>

#include "accelsim.h"

static const char * const accelsim_counter_names[ACCELSIM_NR_COUNTERS] = {
	[ACCELSIM_CNT_ATTACHES] = "attaches",
	[ACCELSIM_CNT_DETACHES] = "detaches",
	[ACCELSIM_CNT_FAULTS_RAISED] = "faults_raised",
	[ACCELSIM_CNT_FAULTS_ACKED_RESTART] = "faults_acked_restart",
	[ACCELSIM_CNT_FAULTS_ACKED_ADDRESS_ERROR] = "faults_acked_address_error",
	[ACCELSIM_CNT_TLBIS] = "tlbis",
	[ACCELSIM_CNT_ATC_INVALIDATIONS] = "atc_invalidations",
	[ACCELSIM_CNT_ATC_HITS] = "atc_hits",
	[ACCELSIM_CNT_ATC_MISSES] = "atc_misses",
	[ACCELSIM_CNT_IRQS_FIRED] = "irqs_fired",
	[ACCELSIM_CNT_WORK_SUBMITTED] = "work_submitted",
	[ACCELSIM_CNT_WORK_DONE] = "work_done",
	[ACCELSIM_CNT_WORK_FAILED] = "work_failed",
	[ACCELSIM_CNT_BYTES] = "bytes",
	[ACCELSIM_CNT_AFU_ERRORS] = "afu_errors",
	[ACCELSIM_CNT_EVENTS_DROPPED] = "events_dropped",
};

/*
 * Each update counts in the view's generation after the value: a reader
 * who sees the new generation sees the new value (accelsim_gen_bump()).
 */
static void accelsim_stats_changed(struct accelsim_stats *st)
{
	/* The value before its count, as in accelsim_gen_bump(). */
	smp_mb__before_atomic();
	atomic64_inc(&st->gen);
}

void accelsim_stats_inc(struct accelsim_stats *st, enum accelsim_counter c)
{
	atomic64_inc(&st->cnt[c]);
	accelsim_stats_changed(st);
}

void accelsim_stats_add(struct accelsim_stats *st, enum accelsim_counter c,
			u64 v)
{
	atomic64_add(v, &st->cnt[c]);
	accelsim_stats_changed(st);
}

/* Bucket B counts [2^B, 2^(B+1)) ns; bucket 0 also holds 0 ns. */
void accelsim_stats_hist(struct accelsim_stats *st, atomic64_t *hist, u64 ns)
{
	atomic64_inc(&hist[ns ? ilog2(ns) : 0]);
	accelsim_stats_changed(st);
}

static void accelsim_stats_show_hist(struct seq_file *m, const char *name,
				     atomic64_t *hist)
{
	unsigned int b;
	s64 n;

	for (b = 0; b < ACCELSIM_HIST_BUCKETS; b++) {
		n = atomic64_read(&hist[b]);
		if (n)
			seq_printf(m, "%s %u %lld\n", name, b, n);
	}
}

void accelsim_stats_show(struct seq_file *m, struct accelsim_stats *st)
{
	unsigned int c;

	seq_puts(m, "name bucket value\n");
	for (c = 0; c < ACCELSIM_NR_COUNTERS; c++)
		seq_printf(m, "%s - %lld\n", accelsim_counter_names[c],
			   atomic64_read(&st->cnt[c]));
	accelsim_stats_show_hist(m, "fault_lat_ns", st->fault_lat);
	accelsim_stats_show_hist(m, "tlbi_lat_ns", st->tlbi_lat);
}
