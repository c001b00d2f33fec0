// SPDX-License-Identifier: MIT
/*
 * Unit tests: every in-memory parser of libaccel (the debugfs views, the
 * inject knobs, health.conf and the UAPI event stream), run on one buffer
 * (accel_views_fuzz), accepts each fixture view and survives deterministic
 * mutations of them (a quick stand-in for a libFuzzer run; the real
 * harnesses, one per parser, are tests/fuzz/fuzz_*.c).
 */
#include <stdlib.h>

#include "accel_health.h"
#include "accel_uapi.h"
#include "unit.h"

/* Bits of accel_views_fuzz()'s result: which parsers accepted the data. */
enum {
	FZ_INFO = 1 << 0, FZ_SPA = 1 << 1, FZ_PASIDS = 1 << 2,
	FZ_FAULTS = 1 << 3, FZ_IRQS = 1 << 4, FZ_STATS = 1 << 5,
	FZ_KCTX = 1 << 6, FZ_OTHER = 1 << 7,
};

/* Run every parser on data; returns the FZ_ bits of those that took it. */
static int accel_views_fuzz(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct accel_health h;
	struct accel_kctxs k;
	struct accel_faults f;
	struct accel_pasids p;
	struct accel_stats st;
	struct accel_event ev;
	struct accel_info in;
	struct accel_irqs r;
	struct accel_spa s;
	struct accel_err err;
	uint32_t a, e;
	size_t off = 0;
	int ok = 0;
	uint64_t v;
	bool b;

	if (!accel_parse_info(d, size, "fuzz", &in, &err))
		ok |= FZ_INFO;
	if (!accel_parse_spa(d, size, "fuzz", &s, &err)) {
		accel_spa_free(&s);
		ok |= FZ_SPA;
	}
	if (!accel_parse_pasids(d, size, "fuzz", &p, &err)) {
		accel_pasids_free(&p);
		ok |= FZ_PASIDS;
	}
	if (!accel_parse_faults(d, size, "fuzz", &f, &err)) {
		accel_faults_free(&f);
		ok |= FZ_FAULTS;
	}
	if (!accel_parse_irqs(d, size, "fuzz", &r, &err)) {
		accel_irqs_free(&r);
		ok |= FZ_IRQS;
	}
	if (!accel_parse_stats(d, size, "fuzz", &st, &err))
		ok |= FZ_STATS;
	if (!accel_parse_kctx(d, size, "fuzz", &k, &err)) {
		accel_kctxs_free(&k);
		ok |= FZ_KCTX;
	}
	if (!accel_parse_knob_u64(d, size, "fuzz", &v, &err) ||
	    !accel_parse_knob_bool(d, size, "fuzz", &b, &err) ||
	    !accel_parse_fail_attach(d, size, "fuzz", &a, &e, &err))
		ok |= FZ_OTHER;
	accel_health_defaults(&h);
	if (!accel_health_parse_conf(d, size, "fuzz", &h, &err))
		ok |= FZ_OTHER;
	while (accel_event_next(data, size, &off, &ev) == 1)
		;
	return ok;
}

static const struct {
	const char *name;
	int bit;	/* its own parser's FZ_ bit */
} views[] = {
	{ "info", FZ_INFO }, { "spa", FZ_SPA }, { "pasids", FZ_PASIDS },
	{ "faults", FZ_FAULTS }, { "irqs", FZ_IRQS }, { "stats", FZ_STATS },
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
			 views[i].name);
		buf = slurp(path, &len);
		/* the view's own parser accepts it */
		assert_true(accel_views_fuzz((const uint8_t *)buf, len) &
			    views[i].bit);
		free(buf);
	}
}

static void test_mutations(void **state)
{
	unsigned int seed = 12345, i, n, rejected;
	char path[512];

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		size_t len;
		char *orig;

		snprintf(path, sizeof(path), FIXTURES "/stale_faults/afu0/%s",
			 views[i].name);
		orig = slurp(path, &len);
		assert_true(accel_views_fuzz((const uint8_t *)orig, len) &
			    views[i].bit);
		rejected = 0;
		for (n = 0; n < 2000; n++) {
			size_t cut = len ? (size_t)rand_r(&seed) % (len + 1) : 0;
			char *m = malloc(cut + 1);
			unsigned int k;

			assert_non_null(m);
			memcpy(m, orig, cut);
			for (k = 0; cut && k < 3; k++)
				m[(size_t)rand_r(&seed) % cut] =
					(char)rand_r(&seed);
			/*
			 * Exact-size allocation: an overread is an ASan or
			 * valgrind error (tests/host/sanitizers.bats).
			 */
			if (!(accel_views_fuzz((const uint8_t *)m, cut) &
			      views[i].bit))
				rejected++;
			free(m);
		}
		/* The view's parser validates: damage is refused. */
		assert_true(rejected > 0);
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
