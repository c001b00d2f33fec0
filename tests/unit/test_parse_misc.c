// SPDX-License-Identifier: MIT
/*
 * Unit tests: the "kctx", "atc" and "gen" views, the inject/ knob read-backs, and the column
 * tables of the row views.
 */
#include "unit.h"
#include "parse_table.h"

static void test_kctx(void **state)
{
	struct accel_kctxs ks;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_kctx,
		"pe size\n5 1048576\n6 67108864\n", &ks, &err), 0);
	assert_int_equal(ks.n, 2);
	assert_int_equal(ks.k[0].pe, 5);
	assert_int_equal(ks.k[1].size, 67108864);
	accel_kctxs_free(&ks);
	assert_int_equal(PARSE(accel_parse_kctx, "pe size\n", &ks, &err), 0);
	assert_int_equal(ks.n, 0);
	assert_int_equal(PARSE(accel_parse_kctx, "pe size\n5 1M\n", &ks,
			       &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad size '1M'");
	assert_int_equal(PARSE(accel_parse_kctx, "pe\n5\n", &ks, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: missing column 'size' in header "
		   "(unknown format?)");
}

static void test_atc(void **state)
{
	struct accel_atc a;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_atc,
		"set way pasid pe vaddr perm hits age_ms\n"
		"3 0 1 0 0x7f12a4001000 rw 255 12\n"
		"3 1 2 1 0x1000 r- 0 4000\n", &a, &err), 0);
	assert_int_equal(a.n, 2);
	assert_int_equal(a.e[0].set, 3);
	assert_int_equal(a.e[0].vaddr, 0x7f12a4001000ULL);
	assert_string_equal(a.e[0].perm, "rw");
	assert_int_equal(a.e[0].hits, 255);
	assert_int_equal(a.e[1].way, 1);
	assert_int_equal(a.e[1].pe, 1);
	assert_string_equal(a.e[1].perm, "r-");
	assert_int_equal(a.e[1].age_ms, 4000);
	accel_atc_free(&a);
	assert_int_equal(PARSE(accel_parse_atc,
		"set way pasid pe vaddr perm hits age_ms\n"
		"3 0 1 0 0x1000 -w 0 0\n", &a, &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad perm '-w' (r- or rw)");
	assert_int_equal(PARSE(accel_parse_atc,
		"set way pasid pe vaddr perm hits age_ms\n"
		"3 0 1 0 4096 rw 0 0\n", &a, &err), -EINVAL);
}

static void test_gen(void **state)
{
	struct accel_gen g, h;
	struct accel_err err;

	assert_int_equal(PARSE(accel_parse_gen,
		"view gen\ninfo 7\nspa 1000000000123\npasids 3\nfaults 4\n"
		"irqs 5\natc 6\nkctx 8\nstats 18446744073709551615\n"
		"later 9\n", &g, &err), 0);
	assert_int_equal(g.has, (1u << ACCEL_GEN_NR) - 1);
	assert_int_equal(g.gen[ACCEL_GEN_INFO], 7);
	assert_int_equal(g.gen[ACCEL_GEN_SPA], 1000000000123ULL);
	assert_int_equal(g.gen[ACCEL_GEN_KCTX], 8);
	assert_true(g.gen[ACCEL_GEN_STATS] == UINT64_MAX);
	h = g;
	assert_true(accel_gen_same(&g, &h, ACCEL_GEN_SPA));
	h.gen[ACCEL_GEN_SPA]++;
	assert_false(accel_gen_same(&g, &h, ACCEL_GEN_SPA));
	assert_true(accel_gen_same(&g, &h, ACCEL_GEN_INFO));
	/* A view without a count is never the same: it is always read. */
	assert_int_equal(PARSE(accel_parse_gen, "view gen\nspa 5\n", &g,
			       &err), 0);
	assert_int_equal(g.has, 1u << ACCEL_GEN_SPA);
	h = g;
	assert_true(accel_gen_same(&g, &h, ACCEL_GEN_SPA));
	assert_false(accel_gen_same(&g, &h, ACCEL_GEN_INFO));
	memset(&h, 0, sizeof(h));
	assert_false(accel_gen_same(&g, &h, ACCEL_GEN_SPA));
	/* Errors leave it empty. */
	assert_int_equal(PARSE(accel_parse_gen, "view gen\nspa 5\nspa 6\n",
			       &g, &err), -EINVAL);
	assert_err(&err, "afu0/view:3: view spa twice");
	assert_int_equal(g.has, 0);
	assert_int_equal(PARSE(accel_parse_gen, "view gen\nspa -1\n", &g,
			       &err), -EINVAL);
	assert_err(&err, "afu0/view:2: bad gen '-1'");
	assert_int_equal(PARSE(accel_parse_gen, "view gen\nspa 5", &g, &err),
			 -EINVAL);
	assert_int_equal(PARSE(accel_parse_gen, "view\nspa\n", &g, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: missing column 'gen' in header "
		   "(unknown format?)");
}

static void test_knob_u64(void **state)
{
	struct accel_err err;
	uint64_t v = 0;

	assert_int_equal(PARSE(accel_parse_knob_u64, "250000\n", &v, &err),
			 0);
	assert_int_equal(v, 250000);
	assert_int_equal(PARSE(accel_parse_knob_u64, "abc\n", &v, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: bad value 'abc'");
	assert_int_equal(PARSE(accel_parse_knob_u64, "1 2\n", &v, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: expected 1 value, got 2");
	assert_int_equal(PARSE(accel_parse_knob_u64, "1\n2\n", &v, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: extra data after the value");
	assert_int_equal(PARSE(accel_parse_knob_u64, "", &v, &err), -EINVAL);
	assert_err(&err, "afu0/view: empty file (no header line)");
	assert_int_equal(PARSE(accel_parse_knob_u64, "12", &v, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: truncated line (no newline at end)");
}

static void test_knob_bool(void **state)
{
	struct accel_err err;
	bool b = false;

	assert_int_equal(PARSE(accel_parse_knob_bool, "1\n", &b, &err), 0);
	assert_true(b);
	assert_int_equal(PARSE(accel_parse_knob_bool, "0\n", &b, &err), 0);
	assert_false(b);
	assert_int_equal(PARSE(accel_parse_knob_bool, "2\n", &b, &err),
			 -EINVAL);
	assert_err(&err, "afu0/view:1: bad flag (0 or 1)");
}

static void test_fail_attach(void **state)
{
	struct accel_err err;
	uint32_t n = 0, e = 0;

	assert_int_equal(accel_parse_fail_attach("3 12\n", 5, "fa", &n, &e,
						 &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e, 12);
	assert_int_equal(accel_parse_fail_attach("3 134\n", 6, "fa", &n, &e,
						 &err), -EINVAL);
	assert_err(&err, "fa:1: bad errno '134' (0..133)");
	assert_int_equal(accel_parse_fail_attach("3\n", 2, "fa", &n, &e,
						 &err), -EINVAL);
	assert_err(&err, "fa:1: expected 2 values, got 1");
}

/*
 * Every column of every row view fits its field: the parser writes and
 * json_rows.c reads the field through a pointer of the column's type.
 */
static void test_view_columns(void **state)
{
	static const struct ptab_view *const views[] = {
		&ptab_spa_view, &ptab_pasids_view, &ptab_faults_view,
		&ptab_irqs_view, &ptab_kctx_view, &ptab_atc_view,
	};
	static const size_t size[] = {
		[PTAB_U32] = sizeof(uint32_t), [PTAB_U64] = sizeof(uint64_t),
		[PTAB_HEX64] = sizeof(uint64_t), [PTAB_FLAG] = sizeof(bool),
		[PTAB_ACCESS] = sizeof(enum accel_access),
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(views); i++) {
		assert_in_range(views[i]->ncols, 1, PTAB_MAX_COLS);
		for (j = 0; j < views[i]->ncols; j++) {
			const struct ptab_col *c = &views[i]->cols[j];

			assert_true(c->off + c->size <= views[i]->size);
			if (c->type == PTAB_STR || c->type == PTAB_STATE)
				assert_true(c->size > 1);
			else
				assert_int_equal(c->size, size[c->type]);
			if (c->type == PTAB_STATE) {
				assert_true(c->state + sizeof(int) <=
					    views[i]->size);
				assert_string_equal(c->names[0], "unknown");
			}
			if (c->has)
				assert_true(c->name[0] == '?');
		}
	}
	/* The state enums are stored as an int. */
	assert_int_equal(sizeof(enum accel_pe_state), sizeof(int));
	assert_int_equal(sizeof(enum accel_pasid_state), sizeof(int));
	assert_int_equal(sizeof(enum accel_fault_state), sizeof(int));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kctx),
		cmocka_unit_test(test_atc),
		cmocka_unit_test(test_gen),
		cmocka_unit_test(test_knob_u64),
		cmocka_unit_test(test_knob_bool),
		cmocka_unit_test(test_fail_attach),
		cmocka_unit_test(test_view_columns),
	};

	return cmocka_run_group_tests_name("parse_misc", tests, NULL, NULL);
}
