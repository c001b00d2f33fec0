// SPDX-License-Identifier: MIT
/* Unit tests: debugfs root discovery and device listing. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "accel.h"

static void test_root_precedence(void **state)
{
	unsetenv("ACCEL_DEBUGFS");
	assert_string_equal(accel_debugfs_root(NULL), ACCEL_DEBUGFS_DEFAULT);
	setenv("ACCEL_DEBUGFS", "/env/root", 1);
	assert_string_equal(accel_debugfs_root(NULL), "/env/root");
	assert_string_equal(accel_debugfs_root(""), "/env/root");
	assert_string_equal(accel_debugfs_root("/opt"), "/opt");
	unsetenv("ACCEL_DEBUGFS");
	unsetenv("ACCEL_TRACEFS");
	assert_string_equal(accel_tracefs_root(NULL), ACCEL_TRACEFS_DEFAULT);
	setenv("ACCEL_TRACEFS", "/t", 1);
	assert_string_equal(accel_tracefs_root(NULL), "/t");
	assert_string_equal(accel_tracefs_root("/x"), "/x");
	unsetenv("ACCEL_TRACEFS");
}

static void test_list(void **state)
{
	unsigned int ids[8];

	assert_int_equal(accel_list_devices(FIXTURES "/multi", ids, 8), 3);
	assert_int_equal(ids[0], 0);
	assert_int_equal(ids[1], 1);
	assert_int_equal(ids[2], 3);
	assert_int_equal(accel_list_devices(FIXTURES "/nodevices", ids, 8),
			 0);
	assert_int_equal(accel_list_devices(FIXTURES "/multi", ids, 2), 2);
	assert_int_equal(accel_list_devices("/nonexistent", ids, 8), -ENOENT);
}

static void test_dev_name(void **state)
{
	unsigned int id = 99;

	assert_int_equal(accel_parse_dev_name("afu3", &id), 0);
	assert_int_equal(id, 3);
	assert_int_equal(accel_parse_dev_name("12", &id), 0);
	assert_int_equal(id, 12);
	assert_int_equal(accel_parse_dev_name("afu", &id), -EINVAL);
	assert_int_equal(accel_parse_dev_name("afu-1", &id), -EINVAL);
	assert_int_equal(accel_parse_dev_name("gpu0", &id), -EINVAL);
	assert_int_equal(accel_parse_dev_name("3x", &id), -EINVAL);
	assert_int_equal(accel_parse_dev_name("99999999999", &id), -EINVAL);
	assert_int_equal(accel_parse_dev_name(NULL, &id), -EINVAL);
}

static void test_root_hint(void **state)
{
	char tmpl[] = "/tmp/accel-hint-XXXXXX", path[128], hint[256];

	assert_non_null(mkdtemp(tmpl));
	/* empty parent: debugfs not mounted */
	snprintf(path, sizeof(path), "%s/accelsim", tmpl);
	assert_int_equal(accel_root_hint(path, ENOENT, hint, sizeof(hint)),
			 0);
	assert_non_null(strstr(hint, "debugfs not mounted"));
	assert_non_null(strstr(hint, "mount -t debugfs none"));
	/* parent with entries: module not loaded */
	snprintf(path, sizeof(path), "%s/other", tmpl);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/accelsim/", tmpl);
	assert_int_equal(accel_root_hint(path, ENOENT, hint, sizeof(hint)),
			 1);
	assert_non_null(strstr(hint, "modprobe accelsim"));
	assert_int_equal(accel_root_hint(path, EACCES, hint, sizeof(hint)),
			 0);
	assert_non_null(strstr(hint, "permission denied"));
	snprintf(path, sizeof(path), "%s/other", tmpl);
	rmdir(path);
	rmdir(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_precedence),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_dev_name),
		cmocka_unit_test(test_root_hint),
	};

	return cmocka_run_group_tests_name("discover", tests, NULL, NULL);
}
