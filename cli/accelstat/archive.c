// SPDX-License-Identifier: MIT
/*
 * accelstat: libarchive, loaded on first use. Only --bundle reads an
 * archive, and linking libarchive pulls a dozen shared libraries into
 * every start-up (libxml2, ICU, libstdc++, the compressors): under the
 * test guest's TCG that was 70 ms of an 80 ms accelstat --version, a
 * third of a 4096-context accelstat --json (figure 6 of bench/README.md).
 * These are the libarchive calls of libaccel's bundle reader, each
 * resolved with dlopen() and dlsym() the first time it runs.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include <archive.h>
#include <archive_entry.h>

#include "accelstat.h"

static void *lib;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void open_lib(void)
{
	lib = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		lib = dlopen("libarchive.so", RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		stat_err("cannot load libarchive: %s", dlerror());
}

/* The address of libarchive's function name, or NULL. */
static void *sym(const char *name)
{
	pthread_once(&once, open_lib);
	return lib ? dlsym(lib, name) : NULL;
}

/*
 * NAME(ARGS) returning RET (FAIL when libarchive is missing), calling the
 * library's NAME with CALL.
 */
#define LAZY(ret, name, fail, params, call)				\
ret name params								\
{									\
	static ret (*fn) params;					\
									\
	if (!fn)							\
		*(void **)&fn = sym(#name);				\
	if (!fn)							\
		return fail;						\
	return fn call;							\
}

LAZY(struct archive *, archive_read_new, NULL, (void), ())
LAZY(int, archive_read_free, ARCHIVE_FATAL, (struct archive *a), (a))
LAZY(int, archive_read_support_filter_gzip, ARCHIVE_FATAL,
     (struct archive *a), (a))
LAZY(int, archive_read_support_format_tar, ARCHIVE_FATAL,
     (struct archive *a), (a))
LAZY(int, archive_read_open_memory, ARCHIVE_FATAL,
     (struct archive *a, const void *buf, size_t size), (a, buf, size))
LAZY(int, archive_read_next_header, ARCHIVE_FATAL,
     (struct archive *a, struct archive_entry **e), (a, e))
LAZY(la_ssize_t, archive_read_data, ARCHIVE_FATAL,
     (struct archive *a, void *buf, size_t size), (a, buf, size))
LAZY(const char *, archive_error_string, "libarchive missing",
     (struct archive *a), (a))
LAZY(const char *, archive_entry_pathname, NULL,
     (struct archive_entry *e), (e))
LAZY(la_int64_t, archive_entry_size, 0, (struct archive_entry *e), (e))
LAZY(__LA_MODE_T, archive_entry_filetype, 0, (struct archive_entry *e), (e))
