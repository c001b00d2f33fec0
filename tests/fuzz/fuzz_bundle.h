/* SPDX-License-Identifier: MIT */
/*
 * What the support-bundle reader promises about a bundle it opened
 * (lib/accel_bundle.h), shared by fuzz_bundle and fuzz_bundle_tar: files
 * NUL-terminated, relative paths without "..", every file of the manifest
 * present with its size, every device loadable partially.
 */
#ifndef ACCEL_FUZZ_BUNDLE_H
#define ACCEL_FUZZ_BUNDLE_H

#include "fuzz.h"

#include "accel.h"
#include "accel_bundle.h"

static inline void fuzz_check_bundle(const struct accel_bundle *b)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	struct accel_err err;
	struct accel_dev d;
	json_object *files;
	char missing[512];
	size_t i;
	int n, j;

	FUZZ_CHECK(b->version >= 1 && b->version <= ACCEL_BUNDLE_VERSION);
	FUZZ_CHECK(b->manifest);
	FUZZ_CHECK(accel_bundle_find(b, "manifest.json"));
	for (i = 0; i < b->nfiles; i++) {
		const struct accel_bundle_file *f = &b->files[i];

		FUZZ_CHECK(f->data[f->len] == '\0');
		FUZZ_CHECK(f->path[0] && f->path[0] != '/');
		FUZZ_CHECK(strncmp(f->path, "../", 3) &&
			   !strstr(f->path, "/../"));
		FUZZ_CHECK(accel_bundle_find(b, f->path) == f);
	}
	/* every file the manifest lists is there, with its size */
	FUZZ_CHECK(json_object_object_get_ex(b->manifest, "files", &files));
	for (i = 0; i < json_object_array_length(files); i++) {
		json_object *e = json_object_array_get_idx(files, i), *v;
		const struct accel_bundle_file *f;

		FUZZ_CHECK(json_object_object_get_ex(e, "path", &v));
		f = accel_bundle_find(b, json_object_get_string(v));
		FUZZ_CHECK(f);
		FUZZ_CHECK(json_object_object_get_ex(e, "size", &v));
		FUZZ_CHECK(json_object_get_int64(v) == (int64_t)f->len);
	}
	n = accel_bundle_devices(b, ids, ACCEL_MAX_DEVS);
	FUZZ_CHECK(n >= 0 && n <= ACCEL_MAX_DEVS);
	for (j = 0; j < n; j++) {
		fuzz_err_init(&err);
		if (!accel_bundle_load_dev_partial(b, ids[j], &d, missing,
						   sizeof(missing), &err)) {
			FUZZ_CSTR(missing);
			accel_dev_free(&d);
		} else {
			FUZZ_CHECK(err.msg[0]);
		}
	}
}
/* Open data as a bundle and check the result, whatever it is. */
static inline void fuzz_open_bundle(const void *data, size_t size)
{
	struct accel_bundle b;
	struct accel_err err;
	int ret;

	fuzz_err_init(&err);
	ret = accel_bundle_open_mem(data, size, &b, &err);
	if (ret) {
		FUZZ_CHECK(ret == -EINVAL || ret == -EPROTO || ret == -ENOTSUP ||
			   ret == -EFBIG || ret == -ENOMEM);
		FUZZ_CHECK(err.msg[0] || ret == -ENOMEM);
		FUZZ_CHECK(!b.nfiles && !b.files && !b.manifest);
		return;
	}
	fuzz_check_bundle(&b);
	accel_bundle_free(&b);
}

/* Open data as a bundle and walk all of it, as the tools do. Returns 0. */
static inline int fuzz_walk_bundle(const uint8_t *data, size_t size)
{
	unsigned int ids[ACCEL_MAX_DEVS];
	struct accel_bundle b;
	struct accel_err err;
	struct accel_dev d;
	const char *n, *e;
	size_t i;
	bool ok;
	int nd, j;

	if (accel_bundle_open_mem(data, size, &b, &err))
		return 0;
	nd = accel_bundle_devices(&b, ids, ACCEL_MAX_DEVS);
	for (j = 0; j < nd; j++)
		if (!accel_bundle_load_dev(&b, ids[j], &d, &err))
			accel_dev_free(&d);
	for (i = 0; accel_bundle_section(&b, i, &n, &ok, &e); i++)
		;
	accel_bundle_str(&b, "tool_version");
	accel_bundle_free(&b);
	return 0;
}

#endif /* ACCEL_FUZZ_BUNDLE_H */
