// SPDX-License-Identifier: MIT
/*
 * Unit tests: the support-bundle writer and its redaction (lib/redact.c,
 * lib/bundle_collect.c, lib/bundle_write.c): a view is redacted by the
 * columns its header names, trace lines by task and key=value fields,
 * /proc status by key and free text by what was learnt; a dump of the
 * fixture system reads back with every section and file the reader
 * expects.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "accel_bundle_write.h"
#include "accel_redact.h"

/* Redact a bundle of the files name[i] = text[i]; r keeps the mapping. */
static void redact(struct accel_redact *r, struct accel_bundle *b,
		   const char *const *files)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	for (i = 0; files[i]; i += 2)
		assert_int_equal(accel_bundle_add(b, files[i], files[i + 1],
						  strlen(files[i + 1])), 0);
	assert_int_equal(accel_redact_bundle(r, b), 0);
}

static const char *file(const struct accel_bundle *b, const char *path)
{
	const struct accel_bundle_file *f = accel_bundle_find(b, path);

	assert_non_null(f);
	assert_int_equal(strlen(f->data), f->len);
	return f->data;
}

/* The pid, comm and address columns are found by the view's header. */
static void test_view_by_header(void **state)
{
	static const char *const files[] = {
		"debugfs/afu0/spa",
		"pe pasid pid comm state kernel\n"
		"0 1 4242 secretwork active 0\n"
		"1 2 4343 other zombie 0\n"
		"2 3 0 [kernel] active 1\n",
		/* the columns in another order: the header decides */
		"debugfs/afu0/odd",
		"comm address pid\n"
		"other 0x7f0000002010 4343\n",
		"debugfs/afu0/faults",
		"id dev pe pasid address access state age_ns\n"
		"41 0 0 1 0x7f0000001000 write pending 52311\n"
		"42 0 0 1 0x7f0000001fff read held 2500000\n",
		/* the ATC's pages: the same pseudonym page as the fault's */
		"debugfs/afu0/atc",
		"set way pasid pe vaddr perm hits age_ms\n"
		"3 0 1 0 0x7f0000001000 rw 255 12\n",
		/* no identity column: left as it is */
		"debugfs/afu0/stats",
		"counter value\npid 4242\n",
		NULL
	};
	struct accel_redact *r = accel_redact_new();
	struct accel_bundle b;

	assert_non_null(r);
	redact(r, &b, files);
	assert_string_equal(file(&b, "debugfs/afu0/spa"),
			    "pe pasid pid comm state kernel\n"
			    "0 1 5000001 comm1 active 0\n"
			    "1 2 5000002 comm2 zombie 0\n"
			    "2 3 0 [kernel] active 1\n");
	assert_string_equal(file(&b, "debugfs/afu0/odd"),
			    "comm address pid\n"
			    "comm2 0x100000000010 5000002\n");
	/* one pseudonym page per real page, the offset kept */
	assert_string_equal(file(&b, "debugfs/afu0/faults"),
			    "id dev pe pasid address access state age_ns\n"
			    "41 0 0 1 0x100000001000 write pending 52311\n"
			    "42 0 0 1 0x100000001fff read held 2500000\n");
	assert_string_equal(file(&b, "debugfs/afu0/atc"),
			    "set way pasid pe vaddr perm hits age_ms\n"
			    "3 0 1 0 0x100000001000 rw 255 12\n");
	assert_string_equal(file(&b, "debugfs/afu0/stats"),
			    "counter value\npid 4242\n");
	accel_bundle_free(&b);
	accel_redact_free(r);
}

/*
 * A row of another length is still rewritten by position, the blanks
 * between fields stay, and a last line without its newline gets none.
 */
static void test_view_odd_rows(void **state)
{
	static const char *const files[] = {
		"debugfs/afu1/spa",
		"pe pid comm\n"
		"0  4242   secretwork\n"
		"1 4343\n"
		"\n"
		"2 4242 secretwork extra 4242",
		NULL
	};
	struct accel_redact *r = accel_redact_new();
	struct accel_bundle b;

	redact(r, &b, files);
	assert_string_equal(file(&b, "debugfs/afu1/spa"),
			    "pe pid comm\n"
			    "0  5000001   comm1\n"
			    "1 5000002\n"
			    "\n"
			    "2 5000001 comm1 extra 4242");
	accel_bundle_free(&b);
	accel_redact_free(r);
}

/* Trace, /proc status, then free text with what the others taught. */
static void test_trace_status_text(void **state)
{
	static const char *const files[] = {
		"trace.txt",
		"# tracer: nop\n"
		"      secretwork-4242    [001] .....    12.345900: fault: "
		"id=41 pasid=1 addr=0x7f0000001000 pid=4242 comm=secretwork\n"
		"           <...>-4343    [000] .....    12.4: tlbi: "
		"start=0x7f0000002000 end=0x7f0000003000\n",
		"proc/4242/status",
		"Name:\tsecretwork\nState:\tS (sleeping)\nTgid:\t4242\n"
		"PPid:\t2\nNSpid:\t4242 7\nVmRSS:\t 1024 kB\n",
		"kmsg.txt",
		"[   13.000000] accelsim: afu0: pe 1 (pid 4242 secretwork) "
		"fault at 0x7f0000001010, 42 pending\n",
		"params/max_pe", "4242\n",
		NULL
	};
	struct accel_redact *r = accel_redact_new();
	struct accel_bundle b;
	char *t;

	redact(r, &b, files);
	assert_string_equal(file(&b, "trace.txt"),
			    "# tracer: nop\n"
			    "      comm1-5000001    [001] .....    12.345900: "
			    "fault: id=41 pasid=1 addr=0x100000000000 "
			    "pid=5000001 comm=comm1\n"
			    "           <...>-5000002    [000] .....    12.4: "
			    "tlbi: start=0x100000001000 end=0x100000002000\n");
	/* the status file is renamed after its pid's pseudonym */
	assert_null(accel_bundle_find(&b, "proc/4242/status"));
	assert_string_equal(file(&b, "proc/5000001/status"),
			    "Name:\tcomm1\nState:\tS (sleeping)\n"
			    "Tgid:\t5000001\nPPid:\t5000003\n"
			    "NSpid:\t5000001 5000004\nVmRSS:\t 1024 kB\n");
	assert_string_equal(file(&b, "kmsg.txt"),
			    "[   13.000000] accelsim: afu0: pe 1 (pid 5000001 "
			    "comm1) fault at 0x100000000010, 42 pending\n");
	/* parameters hold no identity */
	assert_string_equal(file(&b, "params/max_pe"), "4242\n");
	t = accel_redact_text(r, "--pid=4242 secretwork 99");
	assert_string_equal(t, "--pid=5000001 comm1 99");
	free(t);
	accel_bundle_free(&b);
	accel_redact_free(r);
}

/*
 * Free text: a number is a pid only in a pid context, never a timestamp,
 * an hwirq or a count equal to a known pid; the contexts teach pids and
 * comms the views never named.
 */
static void test_text_pid_contexts(void **state)
{
	static const char *const files[] = {
		"debugfs/afu0/spa", "pe pid comm\n0 15 w\n",
		"kmsg.txt",
		"[   15.000000] hwirq 15 count 15 pids 15\n"
		"[   15.1] pid 15 PID: 15 pid=15 /proc/15/status tgid 9\n"
		"[   15.2] late is late; task w:15 blocked, by task x/16.\n"
		"[   15.3] y[17]: segv; comm late, hung[18], z[q]: [19]: 15\n",
		NULL
	};
	struct accel_redact *r = accel_redact_new();
	struct accel_bundle b;
	char *t;

	redact(r, &b, files);
	assert_string_equal(file(&b, "kmsg.txt"),
			    "[   15.000000] hwirq 15 count 15 pids 15\n"
			    "[   15.1] pid 5000001 PID: 5000001 pid=5000001 "
			    "/proc/5000001/status tgid 5000002\n"
			    "[   15.2] comm4 is comm4; task comm1:5000001 "
			    "blocked, by task comm2/5000003.\n"
			    "[   15.3] comm3[5000004]: segv; comm comm4, "
			    "hung[18], z[q]: [19]: 15\n");
	t = accel_redact_text(r, "--since 15 --pid 15");
	assert_string_equal(t, "--since 15 --pid 5000001");
	free(t);
	accel_bundle_free(&b);
	accel_redact_free(r);
}

/* A stack trace's sym+0xOFF/0xSIZE is no address; a kernel address is. */
static void test_text_sym_offsets(void **state)
{
	struct accel_redact *r = accel_redact_new();
	char *t;

	t = accel_redact_text(r, "RIP: 0010:f.isra.0+0x1a/0x40 [m] "
			      "g+0x0/0x80 +0x10 0xffffffffc0a01234 "
			      "ffffffffc0a01fff/0000000000000000 h+0x5");
	assert_string_equal(t, "RIP: 0010:f.isra.0+0x1a/0x40 [m] "
			    "g+0x0/0x80 +0x100000000010 0x100000001234 "
			    "0000100000001fff/0000000000000000 h+0x5");
	free(t);
	accel_redact_free(r);
}

/* The host name, either spelling, any case, is a word of free text. */
static void test_text_host(void **state)
{
	struct accel_redact *r = accel_redact_new();
	char *t;

	assert_string_equal(accel_redact_host(r, "db1.example.com"), "host1");
	assert_string_equal(accel_redact_host(r, "db1.example.com"), "host1");
	t = accel_redact_text(r, "DB1.example.com db1-x db10 xdb1 db1");
	assert_string_equal(t, "host1 host1-x db10 xdb1 host1");
	free(t);
	accel_redact_free(r);
}

/* Private paths and the kernel command line; the map escapes blanks. */
static void test_text_paths_cmdline(void **state)
{
	struct accel_redact *r = accel_redact_new();
	char path[] = "/tmp/accel-map.XXXXXX", *t, *buf;
	size_t len;
	int fd;

	setenv("HOME", "/srv/u", 1);
	t = accel_redact_text(r, "/root /root/a.c:45 /rootx /home/ /home/b "
			      "--root=/srv/u/x,/srv/ux a/root/c (/home/b) "
			      "PATH=/bin:/root/bin Kernel command line: "
			      "ro root=/dev/sda accelsim.max_pe=8 q\n"
			      "next");
	assert_string_equal(t, "path1 path2:45 /rootx /home/ path3 "
			    "--root=path4,/srv/ux a/root/c (path3) "
			    "PATH=/bin:path5 Kernel command line: cmdline1 "
			    "accelsim.max_pe=8\nnext");
	free(t);
	unsetenv("HOME");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(accel_redact_write_map(r, path, "b"), 0);
	assert_int_equal(accel_read_file(path, &buf, &len), 0);
	assert_non_null(strstr(buf, "\npath /srv/u/x path4\n"));
	assert_non_null(strstr(buf, "\ncmdline ro\\040root=/dev/sda\\040"
				    "accelsim.max_pe=8\\040q cmdline1\n"));
	free(buf);
	unlink(path);
	accel_redact_free(r);
}

/* The uids and gids of a status file: uidN and gidN, root kept. */
static void test_status_ids(void **state)
{
	static const char *const files[] = {
		"proc/7/status",
		"Name:\tw\nUid:\t1000\t0\t1000\t33\nGid:\t0 5\n"
		"Groups:\t\nGroups:\t5 1000\nUmask:\t1000\n",
		NULL
	};
	struct accel_redact *r = accel_redact_new();
	struct accel_bundle b;

	redact(r, &b, files);
	assert_string_equal(file(&b, "proc/5000001/status"),
			    "Name:\tcomm1\nUid:\tuid1\t0\tuid1\tuid2\n"
			    "Gid:\t0 gid1\nGroups:\t\nGroups:\tgid1 gid2\n"
			    "Umask:\t1000\n");
	accel_bundle_free(&b);
	accel_redact_free(r);
}

/* The map undoes the redaction, and only its owner reads it. */
static void test_map(void **state)
{
	static const char *const files[] = {
		"debugfs/afu0/spa", "pid comm address\n42 w 0x5123\n", NULL
	};
	struct accel_redact *r = accel_redact_new();
	char path[] = "/tmp/accel-map.XXXXXX", *buf;
	struct accel_bundle b;
	struct stat st;
	size_t len;
	int fd;

	redact(r, &b, files);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	chmod(path, 0644);
	assert_int_equal(accel_redact_write_map(r, path, "b.tar.gz"), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(accel_read_file(path, &buf, &len), 0);
	assert_string_equal(buf,
			    "# accelctl dump --redact: pseudonym map of "
			    "b.tar.gz\n"
			    "# KIND REAL PSEUDONYM (keep private: it undoes "
			    "the redaction)\n"
			    "pid 42 5000001\ncomm w comm1\n"
			    "page 0x5000 0x100000000000\n");
	free(buf);
	unlink(path);
	accel_bundle_free(&b);
	accel_redact_free(r);
}

/* A dump of the fixture system reads back through the reader. */
static void test_dump_reads_back(void **state)
{
	char out[] = "/tmp/accel-dump.XXXXXX", msg[512], *argv[] = {
		"accelctl", "dump", "--redact", NULL
	};
	struct accel_dump_opts o = {
		.root = FIXTURES "/accelctl-sys/debugfs",
		.tracefs = FIXTURES "/accelctl-sys/tracefs",
		.sysfs = "/nonexistent-sysfs",
		.proc = FIXTURES "/accelctl-sys/proc",
		.tool = "accelctl", .argc = 3, .argv = argv,
		.timeout_ms = 5000, .since_s = -1, .redact = true,
	};
	const char *name, *error;
	unsigned int ids[8];
	struct accel_dump d;
	struct accel_bundle b;
	struct accel_err err;
	json_object *cl;
	int k, fd;
	bool ok;

	setenv("ACCEL_KMSG", FIXTURES "/accelctl-sys/kmsg", 1);
	setenv("ACCEL_SYSMODULE", FIXTURES "/accelctl-sys/sysmodule", 1);
	accel_dump_init(&d, &o);
	assert_memory_equal(d.top, ACCEL_BUNDLE_TOP,
			    sizeof(ACCEL_BUNDLE_TOP) - 1);
	for (k = 0; k < ACCEL_SEC_NR; k++)
		accel_dump_collect(&d, k);
	assert_int_equal(accel_dump_redact(&d), 0);
	fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(accel_dump_write(&d, out, msg, sizeof(msg)), 0);
	/* only the sysfs section failed: its root does not exist */
	assert_int_equal(accel_dump_nfailed(&d), 1);
	assert_false(d.sec[ACCEL_SEC_SYSFS].ok);
	assert_string_equal(d.sec[ACCEL_SEC_SYSFS].error,
			    "/nonexistent-sysfs/devices: No such file or "
			    "directory");

	assert_int_equal(accel_bundle_open(out, &b, &err), 0);
	assert_int_equal(b.nfiles, accel_dump_nfiles(&d));
	accel_dump_free(&d);
	assert_int_equal(accel_bundle_devices(&b, ids, 8), 2);
	for (k = 0; accel_bundle_section(&b, (size_t)k, &name, &ok, &error);
	     k++) {
		assert_string_equal(name, accel_bundle_sec_names[k]);
		assert_true(ok == (k != ACCEL_SEC_SYSFS));
	}
	assert_int_equal(k, ACCEL_SEC_NR);
	assert_true(accel_bundle_redacted(&b));
	assert_string_equal(accel_bundle_str(&b, ACCEL_BM_TOOL), "accelctl");
	assert_non_null(accel_bundle_find(&b, ACCEL_BUNDLE_SNAPSHOT));
	assert_non_null(accel_bundle_find(&b, ACCEL_BUNDLE_TRACE));
	assert_non_null(accel_bundle_find(&b, "proc/5000001/status"));
	assert_null(strstr(file(&b, "debugfs/afu0/spa"), "secretwork"));
	assert_null(strstr(file(&b, ACCEL_BUNDLE_KMSG), "secretwork"));
	assert_true(json_object_object_get_ex(b.manifest,
					      ACCEL_BM_COMMAND_LINE, &cl));
	assert_int_equal(json_object_array_length(cl), 3);
	accel_bundle_free(&b);
	unlink(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_view_by_header),
		cmocka_unit_test(test_view_odd_rows),
		cmocka_unit_test(test_trace_status_text),
		cmocka_unit_test(test_text_pid_contexts),
		cmocka_unit_test(test_text_sym_offsets),
		cmocka_unit_test(test_text_host),
		cmocka_unit_test(test_text_paths_cmdline),
		cmocka_unit_test(test_status_ids),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_dump_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
