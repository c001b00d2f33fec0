// SPDX-License-Identifier: MIT
/*
 * libaccel: every in-memory parser (the debugfs views, the inject/ knobs,
 * health.conf and the UAPI event stream) run on one buffer; the
 * mutation smoke test tests/unit/test_fuzz_smoke.c drives it. The
 * libFuzzer harnesses, one per parser, are tests/fuzz/fuzz_*.c
 * ("make fuzz").
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel_health.h"
#include "accel_uapi.h"
#include "accel_views.h"

int accel_views_fuzz(const uint8_t *data, size_t size);

/* Run every parser on data; returns how many accepted it. */
int accel_views_fuzz(const uint8_t *data, size_t size)
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

	ok += !accel_parse_info(d, size, "fuzz", &in, &err);
	if (!accel_parse_spa(d, size, "fuzz", &s, &err)) {
		accel_spa_free(&s);
		ok++;
	}
	if (!accel_parse_pasids(d, size, "fuzz", &p, &err)) {
		accel_pasids_free(&p);
		ok++;
	}
	if (!accel_parse_faults(d, size, "fuzz", &f, &err)) {
		accel_faults_free(&f);
		ok++;
	}
	if (!accel_parse_irqs(d, size, "fuzz", &r, &err)) {
		accel_irqs_free(&r);
		ok++;
	}
	ok += !accel_parse_stats(d, size, "fuzz", &st, &err);
	if (!accel_parse_kctx(d, size, "fuzz", &k, &err)) {
		accel_kctxs_free(&k);
		ok++;
	}
	ok += !accel_parse_knob_u64(d, size, "fuzz", &v, &err);
	ok += !accel_parse_knob_bool(d, size, "fuzz", &b, &err);
	ok += !accel_parse_fail_attach(d, size, "fuzz", &a, &e, &err);
	accel_health_defaults(&h);
	ok += !accel_health_parse_conf(d, size, "fuzz", &h, &err);
	while (accel_event_next(data, size, &off, &ev) == 1)
		;
	return ok;
}
