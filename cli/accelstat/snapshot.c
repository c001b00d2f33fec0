// SPDX-License-Identifier: MIT
/*
 * accelstat: the snapshot, as a summary per device, as tables (-c -p -f
 * -q) or as JSON.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accel_format.h"
#include "accel_json.h"
#include "accelstat.h"

#define F ACCEL_FMT_LEN

static void print_latency(const char *what, bool has, uint64_t samples,
			  double p50, double p90, double p99)
{
	char a[F], b[F], c[F];

	if (!has) {
		printf("  %-9s no samples\n", what);
		return;
	}
	printf("  %-9s p50 %s  p90 %s  p99 %s  (%llu samples)\n", what,
	       accel_fmt_ns(p50, a, F), accel_fmt_ns(p90, b, F),
	       accel_fmt_ns(p99, c, F), (unsigned long long)samples);
}

static void print_counters(const struct accel_stats *st)
{
	unsigned int i, col = 0;
	char item[80];

	for (i = 0; i < ACCEL_C_NR; i++) {
		int len = snprintf(item, sizeof(item), "%s %llu",
				   accel_counter_names[i],
				   (unsigned long long)st->counter[i]);

		if (col && col + 2 + (unsigned int)len > 66) {
			printf(",\n");
			col = 0;
		}
		printf("%s%s", col ? ", " : (i ? "            " :
		       "  counters  "), item);
		col += (col ? 2 : 0) + (unsigned int)len;
	}
	printf("\n");
}

static void print_summary(const struct accel_dev *d,
			  const struct accel_summary *s)
{
	const struct accel_info *in = &d->info;
	char a[F];

	printf("%s: %s, driver %s, max_pe %u, pasid_bits %u, irq_budget %u, "
	       "atc_entries %u\n", d->name, in->state_str, in->version,
	       in->max_pe, in->pasid_bits, in->irq_budget, in->atc_entries);
	printf("  %-9s %u/%u used (%.1f%%), %u zombie%s, %u kernel\n", "spa",
	       s->spa_used, in->max_pe, s->spa_used_pct, s->zombies,
	       s->zombies == 1 ? "" : "s", s->kernel_contexts);
	printf("  %-9s %u live, %u draining, %u free-pending\n", "pasids",
	       s->pasids_live, s->pasids_draining, s->pasids_free_pending);
	printf("  %-9s %u pending (%u held)", "faults", s->faults_pending,
	       s->faults_held);
	if (s->faults_pending)
		printf(", oldest %s",
		       accel_fmt_ns((double)s->oldest_fault_age_ns, a, F));
	printf("; %llu acked, %.1f%% address_error\n",
	       (unsigned long long)s->faults_acked, s->fault_error_pct);
	printf("  %-9s %u/%u used (%.1f%%)\n", "irqs", s->irqs_used,
	       in->irq_budget, s->irq_used_pct);
	if (d->has_atc) {
		printf("  %-9s %u/%u used (%.1f%%), hit rate ", "atc",
		       s->atc_used, in->atc_entries, s->atc_used_pct);
		if (s->has_atc_hits)
			printf("%.1f%%\n", s->atc_hit_pct);
		else
			printf("- (no lookup)\n");
	}
	print_counters(&d->stats);
	print_latency("fault lat", s->has_fault_lat, d->stats.fault_lat.count,
		      s->fault_p50_ns, s->fault_p90_ns, s->fault_p99_ns);
	print_latency("tlbi lat", s->has_tlbi_lat, d->stats.tlbi_lat.count,
		      s->tlbi_p50_ns, s->tlbi_p90_ns, s->tlbi_p99_ns);
}

static void table_contexts(const struct stat_snap *s)
{
	char b[F];
	size_t i, j;

	printf("%-6s %5s %7s %7s %-16s %-11s %3s %10s %10s %10s %10s %9s\n",
	       "DEV", "PE", "PASID", "PID", "COMM", "STATE", "K", "FAULTS",
	       "TLBIS", "IRQS", "WORK", "BYTES");
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->dev[i].spa.n; j++) {
			const struct accel_pe *p = &s->dev[i].spa.pe[j];

			printf("%-6s %5u %7u %7u %-16s %-11s %3u %10llu "
			       "%10llu %10llu %10llu %9s\n", s->dev[i].name,
			       p->pe, p->pasid, p->pid, p->comm, p->state_str,
			       p->kernel, (unsigned long long)p->faults,
			       (unsigned long long)p->tlbis,
			       (unsigned long long)p->irqs,
			       (unsigned long long)p->work,
			       p->has_bytes ? accel_fmt_bytes((double)p->bytes,
							      b, F) : "-");
		}
}

static void table_pasids(const struct stat_snap *s)
{
	size_t i, j;

	printf("%-6s %7s %7s %5s %11s %-12s %s\n", "DEV", "PASID", "PID",
	       "REFS", "OUTSTANDING", "STATE", "KIND");
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->dev[i].pasids.n; j++) {
			const struct accel_pasid *p = &s->dev[i].pasids.p[j];

			printf("%-6s %7u %7u %5u %11llu %-12s %s\n",
			       s->dev[i].name, p->pasid, p->pid, p->refs,
			       (unsigned long long)p->outstanding,
			       p->state_str, p->has_kind ? p->kind : "-");
		}
}

/* Right-align a UTF-8 string in width columns. */
static void print_right(const char *str, size_t width)
{
	size_t w = accel_utf8_width(str);

	while (w++ < width)
		putchar(' ');
	fputs(str, stdout);
}

static void table_faults(const struct stat_snap *s)
{
	char a[F];
	size_t i, j;

	printf("%-6s %10s %5s %7s %-18s %-6s %-9s %9s\n", "DEV", "ID", "PE",
	       "PASID", "ADDRESS", "ACCESS", "STATE", "AGE");
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->dev[i].faults.n; j++) {
			const struct accel_fault *f = &s->dev[i].faults.f[j];

			printf("%-6s %10llu %5u %7u 0x%-16llx %-6s %-9s ",
			       s->dev[i].name, (unsigned long long)f->id,
			       f->pe, f->pasid,
			       (unsigned long long)f->address,
			       accel_access_name(f->access), f->state_str);
			print_right(accel_fmt_ns((double)f->age_ns, a, F), 9);
			putchar('\n');
		}
}

static void table_irqs(const struct stat_snap *s)
{
	size_t i, j;

	printf("%-6s %5s %7s %6s %6s %8s %10s\n", "DEV", "PE", "PASID",
	       "HWIRQ", "COUNT", "EVENTFDS", "FIRED");
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->dev[i].irqs.n; j++) {
			const struct accel_irq *r = &s->dev[i].irqs.r[j];

			printf("%-6s %5u %7u %6u %6u %8u %10llu\n",
			       s->dev[i].name, r->pe, r->pasid, r->hwirq,
			       r->count, r->eventfds,
			       (unsigned long long)r->fired);
		}
}

static void table_atc(const struct stat_snap *s)
{
	char a[F];
	size_t i, j;

	printf("%-6s %4s %3s %7s %5s %-18s %-4s %10s %9s\n", "DEV", "SET",
	       "WAY", "PASID", "PE", "VADDR", "PERM", "HITS", "AGE");
	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->dev[i].atc.n; j++) {
			const struct accel_atc_entry *e = &s->dev[i].atc.e[j];

			printf("%-6s %4u %3u %7u %5u 0x%-16llx %-4s %10u ",
			       s->dev[i].name, e->set, e->way, e->pasid, e->pe,
			       (unsigned long long)e->vaddr, e->perm, e->hits);
			print_right(accel_fmt_ns((double)e->age_ms * 1e6, a,
						 F), 9);
			putchar('\n');
		}
}

static int snapshot_json(const struct stat_opts *o, const struct stat_snap *s)
{
	json_object *top = json_object_new_object(), *devs;
	int ret;
	size_t i;

	accel_json_u64(top, "schema_version", ACCEL_JSON_SCHEMA_VERSION);
	accel_json_str(top, "tool", "accelstat");
	accel_json_str(top, "version", ACCEL_VERSION);
	accel_json_str(top, "root", o->root);
	accel_json_u64(top, "time_unix_s", (uint64_t)time(NULL));
	devs = json_object_new_array();
	for (i = 0; i < s->n; i++) {
		json_object *d = accel_json_dev(&s->dev[i], &s->sum[i]);

		if (o->atc)
			accel_json_atc(d, &s->dev[i]);
		json_object_array_add(devs, d);
	}
	json_object_object_add(top, "devices", devs);
	ret = accel_json_print(stdout, top, true);
	json_object_put(top);
	return ret;
}

/* print(s) if wanted, after a blank line when a table came before. */
static void table(bool wanted, void (*print)(const struct stat_snap *s),
		  const struct stat_snap *s, bool *sep)
{
	if (!wanted)
		return;
	if (*sep)
		putchar('\n');
	print(s);
	*sep = true;
}

int stat_snapshot(const struct stat_opts *o, const struct stat_snap *s)
{
	bool tables = o->contexts || o->pasids || o->faults || o->irqs ||
		      o->atc;
	bool sep = false;
	size_t i;

	if (o->json && snapshot_json(o, s))
		return cli_stdout_flush("accelstat") ?: EXIT_ERROR;
	if (o->json)
		return cli_stdout_flush("accelstat");
	if (!tables) {
		if (!s->n)
			printf("no accelsim devices under %s\n", o->root);
		for (i = 0; i < s->n; i++) {
			if (i)
				putchar('\n');
			print_summary(&s->dev[i], &s->sum[i]);
		}
	}
	table(o->contexts, table_contexts, s, &sep);
	table(o->pasids, table_pasids, s, &sep);
	table(o->faults, table_faults, s, &sep);
	table(o->irqs, table_irqs, s, &sep);
	table(o->atc, table_atc, s, &sep);
	return cli_stdout_flush("accelstat");
}
