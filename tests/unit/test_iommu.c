// SPDX-License-Identifier: MIT
/*
 * Unit tests: Intel IOMMU invalidations (accel_iommu.h): descriptor
 * types, readings' differences per unit and type, the fixture format and
 * the JSON and text output.
 */
#include "unit.h"
#include "accel_iommu.h"
#include "accel_json.h"

static struct accel_iommu_snap *new_snap(void)
{
	struct accel_iommu_snap *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	return s;
}

static void test_types(void **state)
{
	/* The kernel's QI_*_TYPE values (drivers/iommu/intel/iommu.h). */
	assert_string_equal(accel_iommu_type_name(1), "context_cache");
	assert_string_equal(accel_iommu_type_name(2), "iotlb");
	assert_string_equal(accel_iommu_type_name(3), "dev_tlb");
	assert_string_equal(accel_iommu_type_name(4), "iec");
	assert_string_equal(accel_iommu_type_name(5), "wait");
	assert_string_equal(accel_iommu_type_name(6), "pasid_iotlb");
	assert_string_equal(accel_iommu_type_name(7), "pasid_cache");
	assert_string_equal(accel_iommu_type_name(8), "pasid_dev_tlb");
	assert_string_equal(accel_iommu_type_name(9), "page_group_resp");
	assert_string_equal(accel_iommu_type_name(10), "page_stream_resp");
	assert_null(accel_iommu_type_name(0));
	assert_null(accel_iommu_type_name(11));
	assert_null(accel_iommu_type_name(16));
	assert_int_equal(accel_iommu_type_of("pasid_iotlb"), 6);
	assert_int_equal(accel_iommu_type_of("nope"), -1);
	/* The type is qw0's low 4 bits, whatever the rest holds. */
	assert_int_equal(accel_iommu_desc_type(0x0000001000000012ULL), 2);
	assert_int_equal(accel_iommu_desc_type(0xfffffffffffffff6ULL), 6);
	assert_int_equal(accel_iommu_desc_type(0x37), 7);
}

static void test_delta(void **state)
{
	struct accel_iommu_snap *a = new_snap(), *b = new_snap(),
				*d = new_snap();
	struct accel_iommu_unit *u;

	u = accel_iommu_unit_get(b, "dmar1");
	u->descs[2] = 10;
	u->submits[2] = 9;
	u->lat[2].bucket[5] = 9;
	u->lat[2].count = 9;
	u = accel_iommu_unit_get(a, "dmar1");
	u->descs[2] = 25;
	u->submits[2] = 20;
	u->lat_sum_ns[2] = 1000;
	u->lat[2].bucket[5] = 12;
	u->lat[2].bucket[7] = 8;
	u->lat[2].count = 20;
	/* A unit only in the later reading counts from zero. */
	u = accel_iommu_unit_get(a, "dmar0");
	u->descs[4] = 3;
	a->drops = 5;
	b->drops = 2;
	accel_iommu_delta(a, b, d);
	assert_int_equal(d->n, 2);
	assert_string_equal(d->unit[0].name, "dmar0");	/* sorted */
	assert_int_equal(d->unit[0].descs[4], 3);
	assert_string_equal(d->unit[1].name, "dmar1");
	assert_int_equal(d->unit[1].descs[2], 15);
	assert_int_equal(d->unit[1].submits[2], 11);
	assert_int_equal(d->unit[1].lat[2].bucket[5], 3);
	assert_int_equal(d->unit[1].lat[2].bucket[7], 8);
	assert_int_equal(d->unit[1].lat[2].count, 11);
	assert_int_equal(d->drops, 3);
	assert_int_equal(accel_iommu_total(d), 3 + 15 + 11);
	/* The same unit name is one unit. */
	assert_ptr_equal(accel_iommu_unit_get(a, "dmar1"), &a->unit[0]);
	free(a);
	free(b);
	free(d);
}

static void test_full(void **state)
{
	struct accel_iommu_snap *s = new_snap();
	char name[16];
	unsigned int i;

	for (i = 0; i < ACCEL_IOMMU_MAX_UNITS; i++) {
		snprintf(name, sizeof(name), "dmar%u", i);
		assert_non_null(accel_iommu_unit_get(s, name));
	}
	assert_null(accel_iommu_unit_get(s, "dmar999"));
	assert_non_null(accel_iommu_unit_get(s, "dmar3"));
	free(s);
}

static void test_parse(void **state)
{
	struct accel_iommu_snap *s = new_snap();
	char err[128] = "";

	assert_int_equal(accel_iommu_parse("# comment\n"
					   "dmar0 iotlb 400 399 123 10:100,13:299\n"
					   "\n"
					   "dmar0 iec 2 2 0\n", s, err,
					   sizeof(err)), 0);
	assert_true(s->has_lat);
	assert_int_equal(s->n, 1);
	assert_int_equal(s->unit[0].descs[2], 400);
	assert_int_equal(s->unit[0].submits[2], 399);
	assert_int_equal(s->unit[0].lat_sum_ns[2], 123);
	assert_int_equal(s->unit[0].lat[2].bucket[13], 299);
	assert_int_equal(s->unit[0].lat[2].count, 399);
	assert_int_equal(s->unit[0].descs[4], 2);
	assert_int_equal(accel_iommu_parse("nolatency\n", s, err,
					   sizeof(err)), 0);
	assert_false(s->has_lat);
	assert_int_equal(accel_iommu_parse("dmar0 bogus 1 1 1\n", s, err,
					   sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 1: 'dmar0 bogus 1 1 1'");
	assert_int_equal(accel_iommu_parse("x\ndmar0 iotlb 1\n", s, err,
					   sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 1: 'x'");
	assert_int_equal(accel_iommu_parse("dmar0 iotlb 1 1 1 64:1\n", s, err,
					   sizeof(err)), -EINVAL);
	assert_int_equal(accel_iommu_parse("dmar0 iotlb 1 1 1 3:x\n", s, err,
					   sizeof(err)), -EINVAL);
	free(s);
}

static void test_json(void **state)
{
	struct accel_iommu_snap *s = new_snap();
	json_object *o, *root, *parsed, *inv, *v;
	struct accel_iommu_unit *u;
	const char *text;

	u = accel_iommu_unit_get(s, "dmar0");
	u->descs[6] = 8;
	u->submits[6] = 4;
	u->lat_sum_ns[6] = 4000;
	u->lat[6].bucket[9] = 4;
	u->lat[6].count = 4;
	u->descs[1] = 1;	/* no latency: null percentiles */
	s->secs = 2;
	s->has_lat = true;
	o = accel_iommu_json(s, "bpf-btf", "");
	text = json_object_to_json_string(o);
	root = json_tokener_parse(text);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "units", &v));
	assert_int_equal(json_object_array_length(v), 1);
	v = json_object_array_get_idx(v, 0);
	assert_string_equal(json_object_get_string(
		json_object_object_get(v, "device")), "dmar0");
	inv = json_object_object_get(v, "invalidations");
	assert_int_equal(json_object_array_length(inv), 2);
	v = json_object_array_get_idx(inv, 0);
	assert_string_equal(json_object_get_string(
		json_object_object_get(v, "type")), "context_cache");
	assert_true(json_object_object_get_ex(v, "p50_lat_ns", &parsed) &&
		    parsed == NULL);
	v = json_object_array_get_idx(inv, 1);
	assert_string_equal(json_object_get_string(
		json_object_object_get(v, "type")), "pasid_iotlb");
	assert_int_equal(json_object_get_int64(
		json_object_object_get(v, "descriptors")), 8);
	assert_true(json_object_get_double(
		json_object_object_get(v, "descriptors_per_s")) == 4.0);
	assert_int_equal(json_object_get_int64(
		json_object_object_get(v, "submissions")), 4);
	assert_int_equal(json_object_array_length(
		json_object_object_get(v, "latency")), 1);
	json_object_put(root);
	json_object_put(o);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests_name("iommu", tests, NULL, NULL);
}
