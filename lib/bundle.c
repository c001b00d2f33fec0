// SPDX-License-Identifier: MIT
/*
 * libaccel: reading support bundles (accel_bundle.h) with libarchive.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accel.h"
#include "accel_bundle.h"
#include "accel_events.h"
#include "accel_json.h"

static const char bundle_name[] = "bundle";
/* Length of the debugfs/ folder's prefix. */
#define DEBUGFS_LEN (sizeof(ACCEL_BUNDLE_DEBUGFS) - 1)

/* In the order of enum accel_bundle_sec. */
const char *const accel_bundle_sec_names[ACCEL_SEC_NR] = {
	"debugfs", "snapshot", "kmsg", "trace", "params", "proc", "sysfs",
	"idxd"
};

void accel_bundle_free(struct accel_bundle *b)
{
	size_t i;

	for (i = 0; i < b->nfiles; i++) {
		free(b->files[i].path);
		free(b->files[i].data);
	}
	free(b->files);
	if (b->manifest)
		json_object_put(b->manifest);
	memset(b, 0, sizeof(*b));
}

int accel_bundle_add(struct accel_bundle *b, const char *path,
		     const char *data, size_t len)
{
	struct accel_bundle_file *f;

	if (b->nfiles >= ACCEL_BUNDLE_MAX_FILES)
		return -EFBIG;
	if (b->nfiles == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;

		f = realloc(b->files, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		b->files = f;
		b->cap = cap;
	}
	f = &b->files[b->nfiles];
	f->path = strdup(path);
	f->data = malloc(len + 1);
	if (!f->path || !f->data) {
		free(f->path);
		free(f->data);
		return -ENOMEM;
	}
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	b->nfiles++;
	b->sorted = false;
	return 0;
}

static int cmp_file(const void *a, const void *b)
{
	const struct accel_bundle_file *x = a, *y = b;

	return strcmp(x->path, y->path);
}

const struct accel_bundle_file *accel_bundle_find(const struct accel_bundle *b,
						  const char *path)
{
	struct accel_bundle_file key = { .path = (char *)path };
	size_t i;

	if (b->sorted)
		return b->nfiles ? bsearch(&key, b->files, b->nfiles,
					   sizeof(key), cmp_file) : NULL;
	for (i = 0; i < b->nfiles; i++)
		if (!strcmp(b->files[i].path, path))
			return &b->files[i];
	return NULL;
}

/* A relative path without "." or ".." components or empty ones. */
static bool path_ok(const char *p)
{
	const char *c = p;
	size_t n;

	if (!*p || *p == '/' || strlen(p) > 512)
		return false;
	while (*c) {
		n = strcspn(c, "/");
		if (!n || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += n;
		if (*c == '/' && !*++c)
			return false;
	}
	return true;
}

/*
 * Sort the files read back by path, for accel_bundle_find's binary search
 * (a bundle may hold up to ACCEL_BUNDLE_MAX_FILES entries), and refuse a
 * path that appears twice.
 */
static int sort_files(struct accel_bundle *b, struct accel_err *err)
{
	size_t i;

	if (b->nfiles)
		qsort(b->files, b->nfiles, sizeof(*b->files), cmp_file);
	for (i = 1; i < b->nfiles; i++) {
		if (!strcmp(b->files[i - 1].path, b->files[i].path)) {
			accel_err_set(err, bundle_name, 0, "not an accel "
				      "bundle (duplicate entry '%.100s')",
				      b->files[i].path);
			return -EINVAL;
		}
	}
	b->sorted = true;
	return 0;
}

/* Read the archive's regular files into b, top directory stripped. */
static int read_archive(const void *buf, size_t len, struct accel_bundle *b,
			struct accel_err *err)
{
	struct archive_entry *e;
	size_t total = 0, got;
	struct archive *a;
	char top[256] = "";
	int r, ret = 0;
	bool gz;
	char *data = NULL;

	a = archive_read_new();
	if (!a)
		return -ENOMEM;
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	gz = len >= 2 && ((const unsigned char *)buf)[0] == 0x1f &&
	     ((const unsigned char *)buf)[1] == 0x8b;
	if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK) {
		accel_err_set(err, bundle_name, 0, "%s (%s)", gz ?
			      "truncated or corrupt bundle" :
			      "not an accel bundle", archive_error_string(a));
		archive_read_free(a);
		return gz ? -EPROTO : -EINVAL;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e), *rel;
		la_int64_t size = archive_entry_size(e);
		size_t tl;

		if (!name) {
			ret = -EINVAL;
			accel_err_set(err, bundle_name, 0, "not an accel "
				      "bundle (entry without a name)");
			break;
		}
		rel = strchr(name, '/');
		tl = rel ? (size_t)(rel - name) : strlen(name);
		if (!top[0] && tl && tl < sizeof(top))
			snprintf(top, sizeof(top), "%.*s", (int)tl, name);
		if (!rel || tl != strlen(top) || strncmp(name, top, tl)) {
			if (archive_entry_filetype(e) == AE_IFDIR && !rel)
				continue;
			ret = -EINVAL;
			accel_err_set(err, bundle_name, 0, "not an accel "
				      "bundle (entry '%.100s' outside the top "
				      "directory)", name);
			break;
		}
		rel++;
		if (archive_entry_filetype(e) == AE_IFDIR)
			continue;
		if (archive_entry_filetype(e) != AE_IFREG || !path_ok(rel) ||
		    size < 0) {
			ret = -EINVAL;
			accel_err_set(err, bundle_name, 0, "not an accel "
				      "bundle (bad entry '%.100s')", name);
			break;
		}
		if ((uint64_t)size > ACCEL_BUNDLE_MAX_SIZE - total) {
			ret = -EFBIG;
			accel_err_set(err, bundle_name, 0, "bundle larger than "
				      "%u MiB", ACCEL_BUNDLE_MAX_SIZE >> 20);
			break;
		}
		total += (size_t)size;
		data = malloc((size_t)size + 1);
		if (!data) {
			ret = -ENOMEM;
			break;
		}
		for (got = 0; got < (size_t)size;) {
			la_ssize_t n = archive_read_data(a, data + got,
							 (size_t)size - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got != (size_t)size) {
			ret = -EPROTO;
			accel_err_set(err, bundle_name, 0, "truncated or corrupt "
				      "bundle: %s: %s", rel,
				      archive_error_string(a) ?
				      archive_error_string(a) : "short entry");
			break;
		}
		ret = accel_bundle_add(b, rel, data, got);
		free(data);
		data = NULL;
		if (ret) {
			accel_err_set(err, bundle_name, 0, "%s", strerror(-ret));
			break;
		}
	}
	free(data);
	if (!ret && r != ARCHIVE_EOF) {
		const char *m = archive_error_string(a);

		/* A gzip stream that breaks off is a truncated bundle. */
		if (b->nfiles || gz) {
			ret = -EPROTO;
			accel_err_set(err, bundle_name, 0, "truncated or "
				      "corrupt bundle (%s)", m ? m : "read error");
		} else {
			ret = -EINVAL;
			accel_err_set(err, bundle_name, 0, "not an accel bundle "
				      "(not a tar.gz archive: %s)",
				      m ? m : "read error");
		}
	}
	archive_read_free(a);
	if (!ret)
		ret = sort_files(b, err);
	return ret;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int check_manifest(struct accel_bundle *b, struct accel_err *err)
{
	const struct accel_bundle_file *m, *f;
	json_object *v, *files, *ent, *sz;
	struct json_tokener *tok;
	const char *s, *path;
	size_t i, n;
	int64_t ver;

	m = accel_bundle_find(b, ACCEL_BUNDLE_MANIFEST);
	if (!m) {
		accel_err_set(err, bundle_name, 0, "not an accel bundle (no "
			      "manifest.json)");
		return b->nfiles ? -EPROTO : -EINVAL;
	}
	if (m->len > INT_MAX) {
		accel_err_set(err, bundle_name, 0, "manifest.json too large");
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	b->manifest = json_tokener_parse_ex(tok, m->data, (int)m->len);
	if (json_tokener_get_error(tok) != json_tokener_success &&
	    b->manifest) {
		json_object_put(b->manifest);
		b->manifest = NULL;
	}
	json_tokener_free(tok);
	if (!b->manifest || !json_object_is_type(b->manifest,
						 json_type_object)) {
		accel_err_set(err, bundle_name, 0, "bad manifest.json (not a "
			      "JSON object)");
		return -EINVAL;
	}
	s = jstr(b->manifest, ACCEL_BM_FORMAT);
	if (!s || strcmp(s, ACCEL_BUNDLE_FORMAT)) {
		accel_err_set(err, bundle_name, 0, "not an accel bundle "
			      "(manifest format is not '%s')",
			      ACCEL_BUNDLE_FORMAT);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(b->manifest, ACCEL_BM_FORMAT_VERSION,
				    &v) ||
	    !json_object_is_type(v, json_type_int)) {
		accel_err_set(err, bundle_name, 0, "bad manifest.json (no "
			      "format_version)");
		return -EINVAL;
	}
	ver = json_object_get_int64(v);
	if (ver < 1) {
		accel_err_set(err, bundle_name, 0, "bad manifest.json "
			      "(format_version %lld)", (long long)ver);
		return -EINVAL;
	}
	if (ver > ACCEL_BUNDLE_VERSION) {
		accel_err_set(err, bundle_name, 0, "unsupported bundle format "
			      "version %lld (this tool reads version %d)",
			      (long long)ver, ACCEL_BUNDLE_VERSION);
		return -ENOTSUP;
	}
	b->version = (unsigned int)ver;
	if (!json_object_object_get_ex(b->manifest, ACCEL_BM_FILES, &files) ||
	    !json_object_is_type(files, json_type_array)) {
		accel_err_set(err, bundle_name, 0, "bad manifest.json (no "
			      "file list)");
		return -EINVAL;
	}
	n = json_object_array_length(files);
	for (i = 0; i < n; i++) {
		ent = json_object_array_get_idx(files, i);
		path = json_object_is_type(ent, json_type_object) ?
		       jstr(ent, ACCEL_BM_F_PATH) : NULL;
		if (!path ||
		    !json_object_object_get_ex(ent, ACCEL_BM_F_SIZE, &sz) ||
		    !json_object_is_type(sz, json_type_int)) {
			accel_err_set(err, bundle_name, 0, "bad manifest.json "
				      "(file entry %zu)", i);
			return -EINVAL;
		}
		f = accel_bundle_find(b, path);
		if (!f) {
			accel_err_set(err, bundle_name, 0, "truncated bundle: "
				      "%.200s is missing", path);
			return -EPROTO;
		}
		if ((int64_t)f->len != json_object_get_int64(sz)) {
			accel_err_set(err, bundle_name, 0, "truncated bundle: "
				      "%.200s has %zu bytes, the manifest says "
				      "%lld", path, f->len,
				      (long long)json_object_get_int64(sz));
			return -EPROTO;
		}
	}
	return 0;
}

int accel_bundle_open_mem(const void *buf, size_t len, struct accel_bundle *b,
			  struct accel_err *err)
{
	int ret;

	memset(b, 0, sizeof(*b));
	if (len > ACCEL_BUNDLE_MAX_SIZE) {
		accel_err_set(err, bundle_name, 0, "bundle larger than %u MiB",
			      ACCEL_BUNDLE_MAX_SIZE >> 20);
		return -EFBIG;
	}
	if (!len) {
		accel_err_set(err, bundle_name, 0, "not an accel bundle "
			      "(empty file)");
		return -EINVAL;
	}
	ret = read_archive(buf, len, b, err);
	if (!ret)
		ret = check_manifest(b, err);
	if (ret)
		accel_bundle_free(b);
	return ret;
}

int accel_bundle_open(const char *path, struct accel_bundle *b,
		      struct accel_err *err)
{
	struct stat st;
	size_t got = 0;
	char *buf;
	ssize_t r;
	int fd, ret;

	memset(b, 0, sizeof(*b));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		ret = -errno;
		accel_err_set(err, path, 0, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		accel_err_set(err, path, 0, "not a regular file");
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > ACCEL_BUNDLE_MAX_SIZE) {
		close(fd);
		accel_err_set(err, path, 0, "larger than %u MiB",
			      ACCEL_BUNDLE_MAX_SIZE >> 20);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	ret = accel_bundle_open_mem(buf, got, b, err);
	free(buf);
	if (ret) {
		char msg[sizeof(err->msg)];

		/* "bundle: ..." -> "PATH: ..." */
		snprintf(msg, sizeof(msg), "%s", err->msg +
			 (strncmp(err->msg, "bundle: ", 8) ? 0 : 8));
		accel_err_set(err, path, 0, "%s", msg);
	}
	return ret;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

int accel_bundle_devices(const struct accel_bundle *b, unsigned int *ids,
			 size_t max)
{
	size_t i, n = 0;
	unsigned int id;
	char name[32], canon[32];

	for (i = 0; i < b->nfiles && n < max; i++) {
		const char *p = b->files[i].path;
		const char *s;

		if (strncmp(p, ACCEL_BUNDLE_DEBUGFS, DEBUGFS_LEN))
			continue;
		p += DEBUGFS_LEN;
		s = strchr(p, '/');
		if (strncmp(p, "afu", 3) || !s || strcmp(s, "/info") ||
		    (size_t)(s - p) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(s - p), p);
		if (accel_parse_dev_name(name, &id))
			continue;
		/* Only the driver's own spelling: "afu01" is not afu1. */
		snprintf(canon, sizeof(canon), "afu%u", id);
		if (strcmp(name, canon))
			continue;
		ids[n++] = id;
	}
	qsort(ids, n, sizeof(*ids), cmp_uint);
	return (int)n;
}

/* Parse view i (0 info, 1 spa, ... 5 stats) of a device from f. */
static int parse_view(unsigned int i, const struct accel_bundle_file *f,
		      const char *name, struct accel_dev *d,
		      struct accel_err *err)
{
	switch (i) {
	case 0:
		return accel_parse_info(f->data, f->len, name, &d->info, err);
	case 1:
		return accel_parse_spa(f->data, f->len, name, &d->spa, err);
	case 2:
		return accel_parse_pasids(f->data, f->len, name, &d->pasids,
					  err);
	case 3:
		return accel_parse_faults(f->data, f->len, name, &d->faults,
					  err);
	case 4:
		return accel_parse_irqs(f->data, f->len, name, &d->irqs, err);
	case 6:
		return accel_parse_atc(f->data, f->len, name, &d->atc, err);
	default:
		return accel_parse_stats(f->data, f->len, name, &d->stats, err);
	}
}

/* The six views every bundle has, then atc, which older ones lack. */
static const char *const dev_views[] = {
	"info", "spa", "pasids", "faults", "irqs", "stats", "atc"
};

/* View i of afuID in b, or NULL; name gets "afuID/VIEW". */
static const struct accel_bundle_file *
dev_view(const struct accel_bundle *b, unsigned int id, unsigned int i,
	 char *name, size_t size)
{
	char path[64];

	snprintf(name, size, "afu%u/%s", id, dev_views[i]);
	snprintf(path, sizeof(path), ACCEL_BUNDLE_DEBUGFS "%s", name);
	return accel_bundle_find(b, path);
}

/* The atc view of afuID when the bundle has it: 0, or a parse error. */
static int load_atc(const struct accel_bundle *b, unsigned int id,
		    struct accel_dev *d, struct accel_err *err)
{
	const struct accel_bundle_file *f;
	char name[32];
	int ret;

	f = dev_view(b, id, 6, name, sizeof(name));
	if (!f)
		return 0;
	ret = parse_view(6, f, name, d, err);
	d->has_atc = !ret;
	return ret;
}

int accel_bundle_load_dev(const struct accel_bundle *b, unsigned int id,
			  struct accel_dev *d, struct accel_err *err)
{
	const struct accel_bundle_file *f;
	unsigned int i;
	char name[32];
	int ret = 0;

	memset(d, 0, sizeof(*d));
	d->id = id;
	snprintf(d->name, sizeof(d->name), "afu%u", id);
	for (i = 0; i < 6 && !ret; i++) {
		f = dev_view(b, id, i, name, sizeof(name));
		if (!f) {
			accel_err_set(err, name, 0, "not in the bundle");
			ret = -ENOENT;
			break;
		}
		ret = parse_view(i, f, name, d, err);
	}
	if (!ret)
		ret = load_atc(b, id, d, err);
	if (ret)
		accel_dev_free(d);
	return ret;
}

int accel_bundle_load_dev_partial(const struct accel_bundle *b,
				  unsigned int id, struct accel_dev *d,
				  char *missing, size_t msize,
				  struct accel_err *err)
{
	const struct accel_bundle_file *f;
	struct accel_err e;
	char name[32];
	size_t used = 0;
	unsigned int i;
	int ret;

	memset(d, 0, sizeof(*d));
	d->id = id;
	snprintf(d->name, sizeof(d->name), "afu%u", id);
	if (msize)
		missing[0] = '\0';
	for (i = 0; i < 6; i++) {
		f = dev_view(b, id, i, name, sizeof(name));
		if (f) {
			ret = parse_view(i, f, name, d, &e);
		} else {
			accel_err_set(&e, name, 0, "not in the bundle");
			ret = -ENOENT;
		}
		if (!ret)
			continue;
		if (!i) {
			*err = e;
			accel_dev_free(d);
			return ret;
		}
		d->missing |= 1u << i;	/* ACCEL_MISSING_*, view order */
		if (used < msize) {
			int n = snprintf(missing + used, msize - used, "%s%s",
					 used ? "; " : "", e.msg);

			used += n > 0 ? (size_t)n : 0;
		}
	}
	if (load_atc(b, id, d, &e) && used < msize)
		snprintf(missing + used, msize - used, "%s%s",
			 used ? "; " : "", e.msg);
	return 0;
}

/* mkdir -p for the directories of rel under dir. */
static int make_parents(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	char *s;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	for (s = path + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

int accel_bundle_extract_debugfs(const struct accel_bundle *b, char *dir,
				 size_t size, struct accel_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX];
	size_t i, off;
	int fd, ret = 0;

	if (snprintf(dir, size, "%s/accel-bundle.XXXXXX",
		     tmp && *tmp ? tmp : "/tmp") >= (int)size || !mkdtemp(dir)) {
		accel_err_set(err, "extract", 0, "cannot create a temporary "
			      "directory: %s", strerror(errno));
		return -EIO;
	}
	for (i = 0; i < b->nfiles && !ret; i++) {
		const struct accel_bundle_file *f = &b->files[i];
		const char *rel;

		if (strncmp(f->path, ACCEL_BUNDLE_DEBUGFS, DEBUGFS_LEN))
			continue;
		rel = f->path + DEBUGFS_LEN;
		ret = make_parents(dir, rel);
		if (ret)
			break;
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			ret = -errno;
			break;
		}
		for (off = 0; off < f->len;) {
			ssize_t w = write(fd, f->data + off, f->len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				ret = w < 0 ? -errno : -EIO;
				break;
			}
			off += (size_t)w;
		}
		if (close(fd) && !ret)
			ret = -errno;
	}
	if (ret) {
		accel_err_set(err, "extract", 0, "%s: %s", dir, strerror(-ret));
		accel_bundle_rmtree(dir);
	}
	return ret;
}

int accel_bundle_rmtree(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!lstat(path, &st) && S_ISDIR(st.st_mode))
			accel_bundle_rmtree(path);
		else
			unlink(path);
	}
	closedir(d);
	return rmdir(dir) ? -errno : 0;
}

static json_object *sections(const struct accel_bundle *b)
{
	json_object *s;

	if (!b->manifest ||
	    !json_object_object_get_ex(b->manifest, ACCEL_BM_SECTIONS, &s) ||
	    !json_object_is_type(s, json_type_array))
		return NULL;
	return s;
}

size_t accel_bundle_nsections(const struct accel_bundle *b)
{
	json_object *s = sections(b);

	return s ? json_object_array_length(s) : 0;
}

bool accel_bundle_section(const struct accel_bundle *b, size_t i,
			  const char **name, bool *ok, const char **error)
{
	json_object *s = sections(b), *e;
	const char *st;

	if (!s || i >= json_object_array_length(s))
		return false;
	e = json_object_array_get_idx(s, i);
	if (!json_object_is_type(e, json_type_object))
		return false;
	*name = jstr(e, ACCEL_BM_S_NAME);
	st = jstr(e, ACCEL_BM_S_STATUS);
	*error = jstr(e, ACCEL_BM_S_ERROR);
	if (!*name)
		*name = "?";
	if (!*error)
		*error = "";
	*ok = st && !strcmp(st, "ok");
	return true;
}

const char *accel_bundle_str(const struct accel_bundle *b, const char *key)
{
	return b->manifest ? jstr(b->manifest, key) : NULL;
}

const char *accel_bundle_show(const struct accel_bundle *b, const char *key)
{
	const char *s = accel_bundle_str(b, key);

	return s ? s : "?";
}

bool accel_bundle_redacted(const struct accel_bundle *b)
{
	json_object *r;

	return b->manifest &&
	       json_object_object_get_ex(b->manifest, ACCEL_BM_REDACTED, &r) &&
	       json_object_get_boolean(r);
}

const char *accel_bundle_kernel_release(const struct accel_bundle *b)
{
	json_object *k;
	const char *r = NULL;

	if (b->manifest &&
	    json_object_object_get_ex(b->manifest, ACCEL_BM_KERNEL, &k) &&
	    json_object_is_type(k, json_type_object))
		r = jstr(k, ACCEL_BM_K_RELEASE);
	return r ? r : "?";
}

json_object *accel_bundle_section_json(const char *name, bool ok,
				       const char *error)
{
	json_object *o = json_object_new_object();

	accel_json_str(o, ACCEL_BM_S_NAME, name);
	accel_json_str(o, ACCEL_BM_S_STATUS, ok ? "ok" : "failed");
	if (!ok)
		accel_json_str(o, ACCEL_BM_S_ERROR, error);
	return o;
}

json_object *accel_bundle_sections_json(const struct accel_bundle *b)
{
	json_object *arr = json_object_new_array();
	const char *name, *error;
	size_t i;
	bool ok;

	for (i = 0; accel_bundle_section(b, i, &name, &ok, &error); i++)
		json_object_array_add(arr, accel_bundle_section_json(name, ok,
								     error));
	return arr;
}

int accel_bundle_trace(const struct accel_bundle *b,
		       struct accel_bundle_trace *t)
{
	const struct accel_bundle_file *f;
	const char *l, *end, *nl;
	char line[1024], ev[64];
	size_t i, n;
	double ts;

	memset(t, 0, sizeof(*t));
	if (!json_object_object_get_ex(b->manifest, ACCEL_BM_TRACE_REACH,
				       &t->reach) ||
	    !json_object_is_type(t->reach, json_type_object))
		t->reach = NULL;
	f = accel_bundle_find(b, ACCEL_BUNDLE_TRACE);
	if (!f)
		return -ENOENT;
	end = f->data + f->len;
	for (l = f->data; l < end; l = nl + 1) {
		nl = memchr(l, '\n', (size_t)(end - l));
		if (!nl)
			nl = end;
		n = (size_t)(nl - l);
		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ?
			 n : sizeof(line) - 1), l);
		if (!accel_trace_line(line, ev, sizeof(ev), &ts))
			continue;
		t->total++;
		for (i = 0; i < t->nnames && strcmp(t->ev[i].name, ev); i++)
			;
		if (i == t->nnames && t->nnames < ACCEL_BUNDLE_TRACE_NAMES)
			snprintf(t->ev[t->nnames++].name, sizeof(t->ev[0].name),
				 "%s", ev);
		if (i < t->nnames)
			t->ev[i].count++;
		if (t->ntail == ACCEL_BUNDLE_TRACE_TAIL) {
			memmove(t->tail, t->tail + 1, sizeof(t->tail[0]) *
				(ACCEL_BUNDLE_TRACE_TAIL - 1));
			memmove(t->tail_len, t->tail_len + 1,
				sizeof(t->tail_len[0]) *
				(ACCEL_BUNDLE_TRACE_TAIL - 1));
			t->ntail--;
		}
		t->tail[t->ntail] = l;
		t->tail_len[t->ntail++] = n;
	}
	return 0;
}
