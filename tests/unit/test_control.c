// SPDX-License-Identifier: MIT
/*
 * Unit tests: the control plane of libaccel (lib/control.c): the paths
 * under the bus, the grammar of every control write, the knob reads, and
 * the cause named for a refusal (lockdown or permissions).
 */
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "accel_control.h"

static char root[64];

/* Make ROOT/devices/afu0/{inject/,kctx} and the bus files, empty. */
static int setup(void **state)
{
	static const char *const files[] = {
		"new_device", "del_device", "devices/afu0/kctx",
		"devices/afu0/inject/fault", "devices/afu0/inject/afu_error",
		"devices/afu0/inject/irq", "devices/afu0/inject/hold_faults",
		"devices/afu0/inject/release_faults",
		"devices/afu0/inject/tlbi_delay_ns",
		"devices/afu0/inject/fault_delay_ns",
		"devices/afu0/inject/fail_attach",
		"devices/afu0/inject/hang_terminate", NULL
	};
	char path[256];
	int i;

	snprintf(root, sizeof(root), "/tmp/accel-control.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(path, sizeof(path), "%s/devices", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/devices/afu0", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/devices/afu0/inject", root);
	mkdir(path, 0755);
	for (i = 0; files[i]; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		f = fopen(path, "w");
		if (!f)
			return -1;
		fclose(f);
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) ? -1 : 0;
}

/*
 * The content of ROOT/rel, which is then emptied: a write to a plain file
 * does not truncate it, as one to a sysfs attribute replaces it.
 */
static const char *content(const char *rel)
{
	static char buf[256];
	char path[256];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_int_equal(truncate(path, 0), 0);
	return buf;
}

static void test_paths(void **state)
{
	char p[64];

	assert_int_equal(accel_ctl_path("/r", -1, "new_device", p, sizeof(p)),
			 0);
	assert_string_equal(p, "/r/new_device");
	assert_int_equal(accel_ctl_path("/r", 3, "inject/irq", p, sizeof(p)),
			 0);
	assert_string_equal(p, "/r/devices/afu3/inject/irq");
	assert_int_equal(accel_ctl_path("/r", 3, "", p, sizeof(p)), 0);
	assert_string_equal(p, "/r/devices/afu3");
	assert_int_equal(accel_ctl_path("/r", 3, "inject/irq", p, 10),
			 -ENAMETOOLONG);
	setenv("ACCEL_SYSFS", "/x", 1);
	assert_string_equal(accel_sysfs_root(NULL), "/x");
	assert_string_equal(accel_sysfs_root("/o"), "/o");
	unsetenv("ACCEL_SYSFS");
	assert_string_equal(accel_sysfs_root(NULL), ACCEL_SYSFS_DEFAULT);
}

static void test_grammar(void **state)
{
	struct accel_ctl_done d;

	assert_int_equal(accel_dev_add(root, 2, 0, 0, &d), 0);
	assert_string_equal(content("new_device"), "2");
	assert_string_equal(d.file, "new_device");
	assert_int_equal(accel_dev_add(root, 7, 8, 16, NULL), 0);
	assert_string_equal(content("new_device"), "7 8 16");
	assert_int_equal(accel_dev_add(root, 7, 0, 16, NULL), -EINVAL);
	assert_int_equal(accel_dev_del(root, 3, NULL), 0);
	assert_string_equal(content("del_device"), "3");

	assert_int_equal(accel_inject_fault(root, 0, 5, 0x7f0000001000ULL,
					    true, &d), 0);
	assert_string_equal(content("devices/afu0/inject/fault"),
			    "5 0x7f0000001000 write");
	assert_string_equal(d.file, "inject/fault");
	assert_string_equal(d.text, "5 0x7f0000001000 write");
	assert_int_equal(accel_inject_afu_error(root, 0, 1, 7, NULL), 0);
	assert_string_equal(content("devices/afu0/inject/afu_error"), "1 7");
	assert_int_equal(accel_inject_irq(root, 0, 2047, NULL), 0);
	assert_string_equal(content("devices/afu0/inject/irq"), "2047");
	assert_int_equal(accel_inject_hold_faults(root, 0, true, NULL), 0);
	assert_string_equal(content("devices/afu0/inject/hold_faults"), "1");
	assert_int_equal(accel_inject_release_faults(root, 0, NULL), 0);
	assert_string_equal(content("devices/afu0/inject/release_faults"),
			    "1");
	assert_int_equal(accel_inject_tlbi_delay(root, 0, 2000000, NULL), 0);
	assert_string_equal(content("devices/afu0/inject/tlbi_delay_ns"),
			    "2000000");
	assert_int_equal(accel_inject_fault_delay(root, 0, 0, NULL), 0);
	assert_string_equal(content("devices/afu0/inject/fault_delay_ns"),
			    "0");
	assert_int_equal(accel_inject_fail_attach(root, 0, 2, 28, NULL), 0);
	assert_string_equal(content("devices/afu0/inject/fail_attach"),
			    "2 28");
	assert_int_equal(accel_inject_hang_terminate(root, 0, false, NULL), 0);
	assert_string_equal(content("devices/afu0/inject/hang_terminate"),
			    "0");

	assert_int_equal(accel_kctx_create(root, 0, 0, NULL), 0);
	assert_string_equal(content("devices/afu0/kctx"), "create");
	assert_int_equal(accel_kctx_create(root, 0, 8192, NULL), 0);
	assert_string_equal(content("devices/afu0/kctx"), "create 8192");
	assert_int_equal(accel_kctx_submit(root, 0, 5, "fill", 0, 0x1000,
					   4096, 0x5a, NULL), 0);
	assert_string_equal(content("devices/afu0/kctx"),
			    "submit 5 fill 0x0 0x1000 4096 90");
	assert_int_equal(accel_kctx_submit(root, 0, 5, "fill 1", 0, 0, 1, 0,
					   NULL), -EINVAL);
	assert_int_equal(accel_kctx_destroy(root, 0, 5, NULL), 0);
	assert_string_equal(content("devices/afu0/kctx"), "destroy 5");
	/* a device without controls */
	assert_int_equal(accel_inject_irq(root, 9, 1, NULL), -ENOENT);
}

static void test_knob_read(void **state)
{
	size_t len;
	char *buf;

	content("devices/afu0/inject/fail_attach");	/* empty it */
	assert_int_equal(accel_inject_fail_attach(root, 0, 1, 5, NULL), 0);
	assert_int_equal(accel_knob_read(root, 0, "fail_attach", &buf, &len),
			 0);
	assert_string_equal(buf, "1 5");
	free(buf);
	assert_int_equal(accel_knob_read(root, 0, "nope", &buf, &len),
			 -ENOENT);
	assert_string_equal(accel_inject_knobs[0], "hold_faults");
}

static const struct accel_inject_act *act(const char *verb)
{
	const struct accel_inject_act *a;

	for (a = accel_inject_acts; a->verb; a++)
		if (!strcmp(a->verb, verb))
			return a;
	fail_msg("no inject action %s", verb);
	return NULL;
}

/* Parse the operands ops (a NULL-terminated list) of verb; why of errors. */
static int parse(const char *verb, struct accel_inject_req *r, char *why,
		 const char *const *ops)
{
	int n = 0;

	while (ops[n])
		n++;
	memset(r, 0, sizeof(*r));
	return accel_inject_parse(act(verb), n, (char *const *)ops, r, why,
				  128);
}

static void test_inject_table(void **state)
{
	struct accel_inject_req r;
	struct accel_ctl_done d;
	char why[128];

	assert_int_equal(parse("fault", &r, why,
			       (const char *[]){ "5", "0x1000", "write", NULL }),
			 0);
	assert_true(r.write);
	assert_int_equal(accel_inject(root, 0, act("fault"), &r, &d), 0);
	assert_string_equal(d.file, "inject/fault");
	assert_string_equal(content("devices/afu0/inject/fault"),
			    "5 0x1000 write");
	assert_int_equal(parse("fault", &r, why,
			       (const char *[]){ "x", "0", NULL }), -EINVAL);
	assert_string_equal(why, "bad PASID 'x'");
	assert_int_equal(parse("fault", &r, why,
			       (const char *[]){ "1", "0", "rw", NULL }),
			 -EINVAL);
	assert_string_equal(why, "bad access 'rw' (read or write)");
	assert_int_equal(parse("hold-faults", &r, why,
			       (const char *[]){ NULL }), 0);
	assert_int_equal(accel_inject(root, 0, act("hold-faults"), &r, &d), 0);
	assert_string_equal(content("devices/afu0/inject/hold_faults"), "1");
	assert_int_equal(parse("tlbi-delay", &r, why,
			       (const char *[]){ "2ms", NULL }), 0);
	assert_int_equal(accel_inject(root, 0, act("tlbi-delay"), &r, &d), 0);
	assert_string_equal(content("devices/afu0/inject/tlbi_delay_ns"),
			    "2000000");
	assert_int_equal(parse("fail-attach", &r, why,
			       (const char *[]){ "2", "ENOMEM", NULL }), 0);
	assert_int_equal(r.u32b, ENOMEM);
	assert_int_equal(parse("fail-attach", &r, why,
			       (const char *[]){ "2", "0", NULL }), -EINVAL);
	assert_string_equal(why, "bad errno '0' (1..133 or a name like EIO)");
	assert_int_equal(parse("hang-terminate", &r, why,
			       (const char *[]){ "maybe", NULL }), -EINVAL);
	assert_string_equal(why, "bad value 'maybe' (on or off)");
	assert_null(act("show")->file);
	assert_int_equal(accel_inject(root, 0, act("show"), &r, &d), -EINVAL);

	assert_int_equal(accel_inject_check(root, 0, act("irq"), why,
					    sizeof(why)), 0);
	assert_int_equal(accel_inject_check(root, 9, act("show"), why,
					    sizeof(why)), -ENOENT);
	assert_string_equal(why, "afu9 has no inject/ directory");
	assert_int_equal(accel_inject_check(root, 0, act("show"), why,
					    sizeof(why)), 0);
}

static void test_bus(void **state)
{
	unsigned int ids[4];
	char hint[128];

	assert_int_equal(accel_bus_devices(root, ids, 4), 1);
	assert_int_equal(ids[0], 0);
	setenv("ACCEL_SYSFS", "/x", 1);
	assert_string_equal(accel_dev_add_hint(hint, sizeof(hint)),
			    "echo 0 > /x/new_device");
	unsetenv("ACCEL_SYSFS");
	assert_string_equal(accel_knob_control("hold_faults", hint,
					       sizeof(hint)),
			    ACCEL_CTL_HOLD_FAULTS);
}

/* Point ACCEL_SECURITYFS at a lockdown file holding text. */
static void lockdown(const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/lockdown", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	setenv("ACCEL_SECURITYFS", root, 1);
}

static void test_refusal(void **state)
{
	char mode[32], why[128];

	lockdown("none [integrity] confidentiality\n");
	assert_int_equal(accel_lockdown_mode(mode, sizeof(mode)), 0);
	assert_string_equal(mode, "integrity");
	assert_string_equal(accel_refusal(-EPERM, why, sizeof(why)),
			    "refused by kernel lockdown (integrity)");
	assert_string_equal(accel_refusal(-ENOENT, why, sizeof(why)),
			    strerror(ENOENT));
	lockdown("[none] integrity confidentiality\n");
	assert_string_equal(accel_refusal(-EPERM, why, sizeof(why)),
			    "permission denied (need root)");
	assert_string_equal(accel_refusal(-EACCES, why, sizeof(why)),
			    "permission denied (need root)");
	lockdown("garbage\n");
	assert_int_equal(accel_lockdown_mode(mode, sizeof(mode)), -EINVAL);
	setenv("ACCEL_SECURITYFS", "/nonexistent", 1);
	assert_int_equal(accel_lockdown_mode(mode, sizeof(mode)), -ENOENT);
	assert_string_equal(accel_refusal(-EPERM, why, sizeof(why)),
			    "permission denied (need root)");
	unsetenv("ACCEL_SECURITYFS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_grammar),
		cmocka_unit_test(test_knob_read),
		cmocka_unit_test(test_inject_table),
		cmocka_unit_test(test_bus),
		cmocka_unit_test(test_refusal),
	};

	return cmocka_run_group_tests_name("control", tests, setup, teardown);
}
