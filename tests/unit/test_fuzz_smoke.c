// SPDX-License-Identifier: MIT
/*
 * Unit tests: the fuzzing entry (lib/views_fuzz.c) accepts each fixture
 * view and survives deterministic mutations of them (a quick stand-in for
 * a libFuzzer run; the real harnesses are tests/fuzz/fuzz_*.c).
 */
#include <stdlib.h>

#include "unit.h"

int accel_views_fuzz(const uint8_t *data, size_t size);

static const char *const views[] = {
	"info", "spa", "pasids", "faults", "irqs", "stats",
};

static char *slurp(const char *path, size_t *len)
{
	char *buf;

	assert_int_equal(accel_read_file(path, &buf, len), 0);
	return buf;
}

static void test_fixtures_accepted(void **state)
{
	char path[512];
	unsigned int i;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		size_t len;
		char *buf;

		snprintf(path, sizeof(path), FIXTURES "/busy/afu0/%s",
			 views[i]);
		buf = slurp(path, &len);
		/* at least the view's own parser accepts it */
		assert_true(accel_views_fuzz((const uint8_t *)buf, len) >= 1);
		free(buf);
	}
}

static void test_mutations(void **state)
{
	unsigned int seed = 12345, i, n;
	char path[512];

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		size_t len;
		char *orig;

		snprintf(path, sizeof(path), FIXTURES "/stale_faults/afu0/%s",
			 views[i]);
		orig = slurp(path, &len);
		for (n = 0; n < 2000; n++) {
			size_t cut = len ? (size_t)rand_r(&seed) % (len + 1) : 0;
			char *m = malloc(cut + 1);
			unsigned int k;

			assert_non_null(m);
			memcpy(m, orig, cut);
			for (k = 0; cut && k < 3; k++)
				m[(size_t)rand_r(&seed) % cut] =
					(char)rand_r(&seed);
			/* exact-size allocation: overreads hit ASan/valgrind */
			assert_true(accel_views_fuzz((const uint8_t *)m, cut)
				    >= 0);
			free(m);
		}
		free(orig);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_accepted),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests_name("fuzz_smoke", tests, NULL, NULL);
}
