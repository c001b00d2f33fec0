// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the support-bundle reader (lib/bundle.c) on archives
 * that are always well formed, so the fuzzer explores the entries, the
 * manifest and the views rather than tar checksums and deflate. The input
 * is one flag byte, then NUL-separated path and content pairs:
 *
 *   FLAGS PATH \0 DATA \0 PATH \0 DATA ...
 *
 * FLAGS: bit 0 gzip the archive, bit 1 lead with the top directory's own
 * entry, bit 2 make the last path a directory, bit 3 a symlink.
 * The archive is written with libarchive (pax) and opened with
 * accel_bundle_open_mem; what it promises is checked as in fuzz_bundle.
 */
#include <archive.h>
#include <archive_entry.h>

#include "fuzz_bundle.h"

#define MAX_ENTRIES 64

struct rec {
	const char *s;
	size_t len;
};

/* Next NUL-terminated (or last) piece of [*p, end). */
static struct rec next_piece(const char **p, const char *end)
{
	const char *nul = memchr(*p, '\0', (size_t)(end - *p));
	struct rec r = { *p, nul ? (size_t)(nul - *p) : (size_t)(end - *p) };

	*p = nul ? nul + 1 : end;
	return r;
}

static int add_entry(struct archive *a, struct archive_entry *e,
		     const struct rec *path, const struct rec *data,
		     unsigned int type)
{
	char name[1024];

	if (path->len >= sizeof(name))
		return -1;
	memcpy(name, path->s, path->len);
	name[path->len] = '\0';
	archive_entry_clear(e);
	archive_entry_set_pathname(e, name);
	archive_entry_set_mtime(e, 0, 0);
	if (type == AE_IFDIR) {
		archive_entry_set_filetype(e, AE_IFDIR);
		archive_entry_set_perm(e, 0755);
		return archive_write_header(a, e) == ARCHIVE_OK ? 0 : -1;
	}
	if (type == AE_IFLNK) {
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_perm(e, 0777);
		archive_entry_set_symlink(e, "manifest.json");
		return archive_write_header(a, e) == ARCHIVE_OK ? 0 : -1;
	}
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_size(e, (la_int64_t)data->len);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		return -1;
	if (data->len &&
	    archive_write_data(a, data->s, data->len) != (la_ssize_t)data->len)
		return -1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	struct rec path[MAX_ENTRIES], body[MAX_ENTRIES];
	size_t n = 0, i, cap, used = 0;
	struct archive_entry *e;
	struct archive *a;
	unsigned int flags;
	char *out;
	int ok = 0;

	if (!size)
		return 0;
	flags = data[0];
	while (p < end && n < MAX_ENTRIES) {
		path[n] = next_piece(&p, end);
		body[n] = next_piece(&p, end);
		n++;
	}
	/* the pax headers of long names and the padding, per entry */
	cap = 2 * size + (n + 2) * 4096 + 4096;
	out = malloc(cap);
	a = archive_write_new();
	e = archive_entry_new();
	if (!out || !a || !e)
		goto out;
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    ((flags & 1) && archive_write_add_filter_gzip(a) != ARCHIVE_OK) ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open_memory(a, out, cap, &used) != ARCHIVE_OK)
		goto out;
	if ((flags & 2) && n) {
		const char *slash = memchr(path[0].s, '/', path[0].len);
		struct rec top = { path[0].s, slash ? (size_t)(slash - path[0].s) :
				   path[0].len };

		if (add_entry(a, e, &top, &top, AE_IFDIR))
			goto out;
	}
	for (i = 0; i < n; i++) {
		unsigned int type = AE_IFREG;

		if (i == n - 1 && (flags & 4))
			type = AE_IFDIR;
		else if (i == n - 1 && (flags & 8))
			type = AE_IFLNK;
		if (add_entry(a, e, &path[i], &body[i], type))
			goto out;
	}
	ok = archive_write_close(a) == ARCHIVE_OK;
out:
	if (a)
		archive_write_free(a);
	if (e)
		archive_entry_free(e);
	if (ok) {
		FUZZ_CHECK(used <= cap);
		FUZZ_CHECK(fuzz_walk_bundle((const uint8_t *)out, used) == 0);
		fuzz_open_bundle(out, used);
	}
	free(out);
	return 0;
}
