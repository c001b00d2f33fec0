// SPDX-License-Identifier: MIT
/*
 * Unit tests: the running driver's tracepoint formats checked against the
 * record layout the BPF programs read (lib/accel_events.h), on format files
 * the driver printed (tests/fixtures/tracefs-events).
 */
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "accel_events.h"

#define EVENTS FIXTURES "/tracefs-events"

static const char *const events[] = {
	"fault", "fault_ack", "tlbi_start", "tlbi_done", "irq_fire",
	"work_submit", "work_done", "pasid_free",
};

static void test_driver_formats_match(void **state)
{
	char why[160];
	unsigned int i;

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		why[0] = '\0';
		assert_int_equal(accel_event_check(EVENTS, events[i], why,
						   sizeof(why)),
				 ACCEL_EVENT_OK);
		assert_string_equal(why, "");
	}
}

static void test_missing_event(void **state)
{
	char why[160] = "";

	assert_int_equal(accel_event_check(EVENTS, "no_such_event", why,
					   sizeof(why)), ACCEL_EVENT_MISSING);
	assert_int_equal(accel_event_check("/nonexistent", "fault", why,
					   sizeof(why)), ACCEL_EVENT_MISSING);
}

/* A copy of the fault format with the pasid field moved by 4 bytes. */
static void test_moved_field(void **state)
{
	char dir[] = "/tmp/accel-events.XXXXXX", cmd[512], why[160] = "";

	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/events/accelsim/fault && "
		 "sed 's/pasid;\\toffset:24;/pasid;\\toffset:28;/' "
		 "%s/events/accelsim/fault/format "
		 ">%s/events/accelsim/fault/format", dir, EVENTS, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(accel_event_check(dir, "fault", why, sizeof(why)),
			 ACCEL_EVENT_CHANGED);
	assert_string_equal(why, "accelsim/fault: field pasid is not at "
			    "offset 24 size 4");
	snprintf(cmd, sizeof(cmd), "echo garbage >%s/events/accelsim/fault/"
		 "format", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(accel_event_check(dir, "fault", why, sizeof(why)),
			 ACCEL_EVENT_CHANGED);
	/* a format that cannot be read (here a directory: EISDIR) */
	snprintf(cmd, sizeof(cmd), "rm %s/events/accelsim/fault/format && "
		 "mkdir %s/events/accelsim/fault/format", dir, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(accel_event_check(dir, "fault", why, sizeof(why)),
			 ACCEL_EVENT_UNREADABLE);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_driver_formats_match),
		cmocka_unit_test(test_missing_event),
		cmocka_unit_test(test_moved_field),
	};

	return cmocka_run_group_tests_name("events", tests, NULL, NULL);
}
