// SPDX-License-Identifier: MIT
/*
 * Unit tests: accelctl monitor's events (lib/monitor.c). Records are built
 * against format files, read by name through libtraceevent: the driver's
 * own fault format (tests/fixtures/tracefs-events), and the formats of
 * iommu:io_page_fault and intel_iommu:prq_report as Linux 6.1 prints them
 * (written from their TP_STRUCT__entry in include/trace/events/iommu.h and
 * drivers/iommu/intel/trace.h, not recorded). The DMAR lines are the
 * kernel's format (drivers/iommu/intel/dmar.c, dmar_fault_do_one).
 */
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "unit.h"
#include "accel_monitor.h"

static const char io_page_fault_fmt[] =
"name: io_page_fault\n"
"ID: 700\n"
"format:\n"
"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
"\n"
"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:1;\n"
"\tfield:__data_loc char[] driver;\toffset:12;\tsize:4;\tsigned:1;\n"
"\tfield:u64 iova;\toffset:16;\tsize:8;\tsigned:0;\n"
"\tfield:int flags;\toffset:24;\tsize:4;\tsigned:1;\n"
"\n"
"print fmt: \"IOMMU:%s %s iova=0x%016llx flags=0x%04x\", __get_str(driver), "
"__get_str(device), REC->iova, REC->flags\n";

static const char prq_report_fmt[] =
"name: prq_report\n"
"ID: 701\n"
"format:\n"
"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
"\n"
"\tfield:u64 dw0;\toffset:8;\tsize:8;\tsigned:0;\n"
"\tfield:u64 dw1;\toffset:16;\tsize:8;\tsigned:0;\n"
"\tfield:u64 dw2;\toffset:24;\tsize:8;\tsigned:0;\n"
"\tfield:u64 dw3;\toffset:32;\tsize:8;\tsigned:0;\n"
"\tfield:unsigned long seq;\toffset:40;\tsize:8;\tsigned:0;\n"
"\tfield:__data_loc char[] iommu;\toffset:48;\tsize:4;\tsigned:1;\n"
"\tfield:__data_loc char[] dev;\toffset:52;\tsize:4;\tsigned:1;\n"
"\tfield:__data_loc char[] buff;\toffset:56;\tsize:4;\tsigned:1;\n"
"\n"
"print fmt: \"%s/%s seq# %ld\", __get_str(iommu), __get_str(dev), "
"REC->seq\n";

static const struct accel_mon_event *find(const char *sys, const char *ev)
{
	size_t i;

	for (i = 0; i < accel_mon_nevents; i++)
		if (!strcmp(accel_mon_events[i].system, sys) &&
		    !strcmp(accel_mon_events[i].event, ev))
			return &accel_mon_events[i];
	fail_msg("no event %s:%s", sys, ev);
	return NULL;
}

static struct tep_event *parse(struct tep_handle *tep, const char *fmt,
			       size_t len, const char *sys, const char *name)
{
	assert_int_equal(tep_parse_event(tep, fmt, len, sys), 0);
	return tep_find_event_by_name(tep, sys, name);
}

static const char *get(json_object *o, const char *path)
{
	json_object *v = o;
	char key[64];
	const char *p = path, *dot;

	while (v && *p) {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s",
			 (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		if (!json_object_object_get_ex(v, key, &v))
			return NULL;
		p = dot ? dot + 1 : "";
	}
	return v ? json_object_get_string(v) : NULL;
}

static void put32(unsigned char *d, size_t off, uint32_t v)
{
	memcpy(d + off, &v, 4);
}

static void put64(unsigned char *d, size_t off, uint64_t v)
{
	memcpy(d + off, &v, 8);
}

/* A __data_loc: offset in the low 16 bits, length in the high. */
static size_t dyn(unsigned char *d, size_t loc, size_t at, const char *s)
{
	size_t n = strlen(s) + 1;

	put32(d, loc, (uint32_t)(n << 16 | at));
	memcpy(d + at, s, n);
	return at + n;
}

static void test_accelsim_fault(void **state)
{
	struct tep_handle *tep = tep_alloc();
	unsigned char d[48] = { 0 };
	struct tep_record r = { .ts = 12000000123ULL, .data = d, .size = 48 };
	struct tep_event *e;
	json_object *o;
	char *fmt;
	size_t len;

	assert_int_equal(accel_read_file(FIXTURES "/tracefs-events/events/"
					 "accelsim/fault/format", &fmt, &len),
			 0);
	e = parse(tep, fmt, len, "accelsim", "fault");
	assert_non_null(e);
	put64(d, 8, 77);		/* id */
	put32(d, 16, 2);		/* dev */
	put32(d, 20, 5);		/* pe */
	put32(d, 24, 42);		/* pasid */
	put64(d, 32, 0x7f0000001000ULL);
	put32(d, 40, 1);		/* access */
	o = accel_mon_record(find("accelsim", "fault"), e, &r);
	assert_string_equal(get(o, "ts"), "12.000000123");
	assert_string_equal(get(o, "source"), "accelsim");
	assert_string_equal(get(o, "event"), "fault");
	assert_string_equal(get(o, "kind"), "fault");
	assert_string_equal(get(o, "device"), "afu2");
	assert_string_equal(get(o, "pasid"), "42");
	assert_string_equal(get(o, "address"), "0x7f0000001000");
	assert_string_equal(get(o, "fields.id"), "77");
	assert_string_equal(get(o, "fields.pe"), "5");
	assert_string_equal(get(o, "fields.access"), "1");
	assert_null(get(o, "fields.common_pid"));
	json_object_put(o);
	free(fmt);
	tep_free(tep);
}

static void test_io_page_fault(void **state)
{
	struct tep_handle *tep = tep_alloc();
	unsigned char d[64] = { 0 };
	struct tep_record r = { .ts = 5, .data = d, .size = 64 };
	struct tep_event *e;
	json_object *o;
	size_t at;

	e = parse(tep, io_page_fault_fmt, sizeof(io_page_fault_fmt) - 1,
		  "iommu", "io_page_fault");
	assert_non_null(e);
	at = dyn(d, 8, 28, "0000:00:03.0");
	dyn(d, 12, at, "edu");
	put64(d, 16, 0xdead0000ULL);
	put32(d, 24, (uint32_t)-2);
	o = accel_mon_record(find("iommu", "io_page_fault"), e, &r);
	assert_string_equal(get(o, "device"), "0000:00:03.0");
	assert_string_equal(get(o, "address"), "0xdead0000");
	assert_null(get(o, "pasid"));
	assert_string_equal(get(o, "fields.driver"), "edu");
	assert_string_equal(get(o, "fields.flags"), "-2");
	assert_string_equal(get(o, "ts"), "0.000000005");
	json_object_put(o);
	tep_free(tep);
}

static void test_prq_report(void **state)
{
	struct tep_handle *tep = tep_alloc();
	unsigned char d[96];
	struct tep_record r = { .ts = 1, .data = d, .size = 96 };
	struct tep_event *e;
	json_object *o;
	size_t at;

	memset(d, 0xff, sizeof(d));	/* buff: unwritten scratch */
	memset(d, 0, 56);
	e = parse(tep, prq_report_fmt, sizeof(prq_report_fmt) - 1,
		  "intel_iommu", "prq_report");
	assert_non_null(e);
	/* rid 00:03.0, PASID present, PASID 0x1234; page 0x5000, read. */
	put64(d, 8, (0x1234ULL << 32) | (0x0018ULL << 16) | (1ULL << 8) | 1);
	put64(d, 16, 0x5000ULL | 1);
	put64(d, 40, 9);
	at = dyn(d, 48, 60, "dmar0");
	at = dyn(d, 52, at, "0000:00:03.0");
	put32(d, 56, (uint32_t)(8 << 16 | at));
	o = accel_mon_record(find("intel_iommu", "prq_report"), e, &r);
	assert_string_equal(get(o, "device"), "0000:00:03.0");
	assert_string_equal(get(o, "pasid"), "4660");
	assert_string_equal(get(o, "address"), "0x5000");
	assert_string_equal(get(o, "fields.iommu"), "dmar0");
	assert_string_equal(get(o, "fields.seq"), "9");
	assert_null(get(o, "fields.buff"));
	json_object_put(o);
	/* Without PASID-present, no pasid. */
	put64(d, 8, (0x1234ULL << 32) | (0x0018ULL << 16) | 1);
	o = accel_mon_record(find("intel_iommu", "prq_report"), e, &r);
	assert_null(get(o, "pasid"));
	json_object_put(o);
	tep_free(tep);
}

#define KMSG(s) accel_mon_kmsg(s, sizeof(s) - 1)

static void test_kmsg_dmar(void **state)
{
	json_object *o;

	o = KMSG("3,812,5123456,-;DMAR: [DMA Read NO_PASID] Request device "
		 "[00:03.0] fault addr 0x12345000 [fault reason 0x06] PTE "
		 "Read access is not set\n");
	assert_non_null(o);
	assert_string_equal(get(o, "source"), "kmsg");
	assert_string_equal(get(o, "event"), "dmar_fault");
	assert_string_equal(get(o, "ts"), "5.123456000");
	assert_string_equal(get(o, "device"), "00:03.0");
	assert_string_equal(get(o, "address"), "0x12345000");
	assert_string_equal(get(o, "access"), "Read");
	assert_string_equal(get(o, "reason"), "6");
	assert_string_equal(get(o, "reason_text"),
			    "PTE Read access is not set");
	assert_null(get(o, "pasid"));
	json_object_put(o);
	o = KMSG("3,813,6000000,-;DMAR: [DMA Write PASID 0x2a] Request device "
		 "[3a:00.1] fault addr 0xffff0000 [fault reason 0x05] PTE "
		 "Write access is not set");
	assert_non_null(o);
	assert_string_equal(get(o, "pasid"), "42");
	assert_string_equal(get(o, "device"), "3a:00.1");
	assert_string_equal(get(o, "access"), "Write");
	json_object_put(o);
	/* Not fault lines, or not the kernel's. */
	assert_null(KMSG("6,814,6000001,-;DMAR: DRHD: handling fault status "
			 "reg 2"));
	assert_null(KMSG("6,815,6000002,-;DMAR: IOMMU enabled"));
	assert_null(KMSG("11,816,6000003,-;DMAR: [DMA Read NO_PASID] Request "
			 "device [00:03.0] fault addr 0x1000 [fault reason "
			 "0x06] PTE Read access is not set"));
	assert_null(KMSG("garbage"));
}

static void test_lists(void **state)
{
	const struct accel_mon_event *f = find("accelsim", "fault");
	const struct accel_mon_event *q = find("intel_iommu", "qi_submit");
	char bad[32];

	assert_true(accel_mon_wanted(f, NULL, false));
	assert_true(accel_mon_wanted(f, "accelsim", false));
	assert_true(accel_mon_wanted(f, "kmsg,fault", false));
	assert_true(accel_mon_wanted(f, "accelsim:fault", false));
	assert_false(accel_mon_wanted(f, "accelsim:fault_ack", false));
	assert_false(accel_mon_wanted(f, "iommu", false));
	/* Invalidations are opt-in, even when named. */
	assert_false(accel_mon_wanted(q, NULL, false));
	assert_false(accel_mon_wanted(q, "qi_submit", false));
	assert_true(accel_mon_wanted(q, "qi_submit", true));
	assert_true(accel_mon_kmsg_wanted(NULL));
	assert_true(accel_mon_kmsg_wanted("iommu,kmsg"));
	assert_false(accel_mon_kmsg_wanted("iommu"));
	assert_int_equal(accel_mon_check_list("iommu,kmsg,accelsim:fault",
					      bad, sizeof(bad)), 0);
	assert_int_equal(accel_mon_check_list("iommu,nope", bad, sizeof(bad)),
			 -EINVAL);
	assert_string_equal(bad, "nope");
	assert_int_equal(accel_mon_check_list("iommu:fault", bad, sizeof(bad)),
			 -EINVAL);
	assert_string_equal(bad, "iommu:fault");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accelsim_fault),
		cmocka_unit_test(test_io_page_fault),
		cmocka_unit_test(test_prq_report),
		cmocka_unit_test(test_kmsg_dmar),
		cmocka_unit_test(test_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
