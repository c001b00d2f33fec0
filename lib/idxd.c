// SPDX-License-Identifier: MIT
/*
 * libaccel: idxd (Intel DSA/IAA) devices, groups, work queues and engines
 * from the stable sysfs ABI, read under a root prefix.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel_bundle.h"
#include "accel_idxd.h"
#include "accel_json.h"
#include "accel_platform.h"
#include "accel_views.h"

/* Attribute names of Documentation/ABI/stable/sysfs-driver-dma-idxd. */
static const char *const dev_attrs[] = {
	"state", "version", "pasid_enabled", "max_groups", "max_work_queues",
	"max_work_queues_size", "max_engines", "max_batch_size",
	"max_transfer_size", "max_read_buffers", "read_buffer_limit",
	"clients", "numa_node", "cdev_major", "configurable", "cmd_status",
	"op_cap", NULL
};

static const char *const group_attrs[] = {
	"engines", "work_queues", "read_buffers_allowed",
	"read_buffers_reserved", "use_read_buffer_limit", "traffic_class_a",
	"traffic_class_b", "desc_progress_limit", "batch_progress_limit", NULL
};

static const char *const wq_attrs[] = {
	"state", "mode", "type", "name", "size", "occupancy", "clients",
	"group_id", "priority", "block_on_fault", "threshold",
	"max_batch_size", "max_transfer_size", "ats_disable",
	"enqcmds_retries", "op_config", "driver_name", "cdev_minor", NULL
};

static const char *const engine_attrs[] = {
	"group_id", NULL
};

const char *const *const accel_idxd_attrs[ACCEL_IDXD_KIND_NR] = {
	[ACCEL_IDXD_DEV] = dev_attrs,
	[ACCEL_IDXD_GROUP] = group_attrs,
	[ACCEL_IDXD_WQ] = wq_attrs,
	[ACCEL_IDXD_ENGINE] = engine_attrs,
};

const char *const accel_idxd_kind_names[ACCEL_IDXD_KIND_NR] = {
	"device", "group", "wq", "engine"
};

static const char *const json_arrays[ACCEL_IDXD_KIND_NR] = {
	NULL, "groups", "wqs", "engines"
};

static bool parse_uint(const char *s, unsigned int *v, const char **end)
{
	unsigned long n = 0;

	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		n = n * 10 + (unsigned long)(*s++ - '0');
		if (n > UINT_MAX)
			return false;
	}
	*v = (unsigned int)n;
	*end = s;
	return true;
}

bool accel_idxd_parse_name(const char *s, enum accel_idxd_kind *kind,
			   unsigned int *dev, unsigned int *sub)
{
	static const struct {
		const char *pre;
		enum accel_idxd_kind kind;
	} pres[] = {
		{ "dsa", ACCEL_IDXD_DEV }, { "iax", ACCEL_IDXD_DEV },
		{ "group", ACCEL_IDXD_GROUP }, { "wq", ACCEL_IDXD_WQ },
		{ "engine", ACCEL_IDXD_ENGINE },
	};
	const char *p;
	size_t i, l;

	for (i = 0; i < sizeof(pres) / sizeof(pres[0]); i++) {
		l = strlen(pres[i].pre);
		if (strncmp(s, pres[i].pre, l))
			continue;
		if (!parse_uint(s + l, dev, &p))
			return false;
		*kind = pres[i].kind;
		*sub = 0;
		if (*kind == ACCEL_IDXD_DEV)
			return !*p;
		return *p == '.' && parse_uint(p + 1, sub, &p) && !*p;
	}
	return false;
}

/* The first line of path, without its newline; NULL when unreadable. */
static char *read_attr(const char *path, int *err)
{
	size_t len;
	char *buf;
	int ret;

	ret = accel_read_file(path, &buf, &len);
	if (ret) {
		if (ret == -ENOMEM)
			*err = ret;
		return NULL;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static int load_obj(struct accel_idxd_obj *o, const char *dir)
{
	const char *const *a = accel_idxd_attrs[o->kind];
	char path[PATH_MAX + 64];
	int err = 0;
	size_t i;

	for (i = 0; a[i] && i < ACCEL_IDXD_MAX_ATTRS; i++) {
		if (snprintf(path, sizeof(path), "%s/%s/%s", dir, o->name,
			     a[i]) >= (int)sizeof(path))
			continue;
		o->val[i] = read_attr(path, &err);
	}
	return err;
}

static void free_obj(struct accel_idxd_obj *o)
{
	size_t i;

	for (i = 0; i < ACCEL_IDXD_MAX_ATTRS; i++)
		free(o->val[i]);
}

/* .../0000:6a:01.0/dsa0: the PCI function is the link's parent. */
static void dev_parent(const char *dir, const char *name, char *out,
		       size_t size)
{
	char path[PATH_MAX + 64], target[PATH_MAX];
	char *s, *base;
	ssize_t len;

	out[0] = '\0';
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return;
	len = readlink(path, target, sizeof(target) - 1);
	if (len <= 0)
		return;
	target[len] = '\0';
	s = strrchr(target, '/');
	if (!s)
		return;
	*s = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) < size && strcmp(base, ".."))
		memcpy(out, base, strlen(base) + 1);
}

static struct accel_idxd_device *find_dev(struct accel_idxd *x,
					  unsigned int id)
{
	size_t i;

	for (i = 0; i < x->ndev; i++)
		if (x->dev[i].id == id)
			return &x->dev[i];
	return NULL;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct accel_idxd_device *p = a, *q = b;

	return (p->id > q->id) - (p->id < q->id);
}

static int cmp_obj(const void *a, const void *b)
{
	const struct accel_idxd_obj *p = a, *q = b;

	return (p->sub > q->sub) - (p->sub < q->sub);
}

static int add_sub(struct accel_idxd *x, const char *dir, const char *name,
		   enum accel_idxd_kind kind, unsigned int id, unsigned int sub)
{
	struct accel_idxd_device *d = find_dev(x, id);
	struct accel_idxd_obj *v, *o;

	if (!d)		/* a queue whose device is gone: skip it */
		return 0;
	v = realloc(d->sub[kind], (d->n[kind] + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	d->sub[kind] = v;
	o = &v[d->n[kind]++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->sub = sub;
	memcpy(o->name, name, strlen(name) + 1);	/* length checked */
	return load_obj(o, dir);
}

int accel_idxd_load(struct accel_idxd *x, const char *root)
{
	enum accel_idxd_kind kind;
	unsigned int id, sub;
	struct dirent **ents;
	char dir[PATH_MAX];
	int n, i, pass, ret = 0;
	size_t j, k;

	memset(x, 0, sizeof(*x));
	if (snprintf(dir, sizeof(dir), "%s%s", root ? root : "",
		     ACCEL_PLATFORM_IDXD) >= (int)sizeof(dir))
		return 0;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return errno == ENOMEM ? -ENOMEM : 0;
	x->has_bus = true;
	/* Devices first, so the second pass finds each one's owner. */
	for (pass = 0; pass < 2 && !ret; pass++) {
		for (i = 0; i < n && !ret; i++) {
			const char *name = ents[i]->d_name;
			struct accel_idxd_device *d, *nd;

			if (strlen(name) >= sizeof(d->obj.name) ||
			    !accel_idxd_parse_name(name, &kind, &id, &sub))
				continue;
			if (pass && kind != ACCEL_IDXD_DEV) {
				ret = add_sub(x, dir, name, kind, id, sub);
				continue;
			}
			if (pass || kind != ACCEL_IDXD_DEV || find_dev(x, id))
				continue;
			nd = realloc(x->dev, (x->ndev + 1) * sizeof(*nd));
			if (!nd) {
				ret = -ENOMEM;
				break;
			}
			x->dev = nd;
			d = &nd[x->ndev++];
			memset(d, 0, sizeof(*d));
			d->id = id;
			d->obj.kind = ACCEL_IDXD_DEV;
			/* length checked above */
			memcpy(d->obj.name, name, strlen(name) + 1);
			dev_parent(dir, name, d->pci, sizeof(d->pci));
			ret = load_obj(&d->obj, dir);
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	if (x->dev)
		qsort(x->dev, x->ndev, sizeof(*x->dev), cmp_dev);
	for (j = 0; j < x->ndev; j++)
		for (k = 0; k < ACCEL_IDXD_KIND_NR; k++)
			if (x->dev[j].sub[k])
				qsort(x->dev[j].sub[k], x->dev[j].n[k],
				      sizeof(*x->dev[j].sub[k]), cmp_obj);
	if (ret)
		accel_idxd_free(x);
	return ret;
}

void accel_idxd_free(struct accel_idxd *x)
{
	size_t i, j, k;

	for (i = 0; i < x->ndev; i++) {
		free_obj(&x->dev[i].obj);
		for (k = 0; k < ACCEL_IDXD_KIND_NR; k++) {
			for (j = 0; j < x->dev[i].n[k]; j++)
				free_obj(&x->dev[i].sub[k][j]);
			free(x->dev[i].sub[k]);
		}
	}
	free(x->dev);
	memset(x, 0, sizeof(*x));
}

const char *accel_idxd_get(const struct accel_idxd_obj *o, const char *name)
{
	const char *const *a = accel_idxd_attrs[o->kind];
	size_t i;

	for (i = 0; a[i] && i < ACCEL_IDXD_MAX_ATTRS; i++)
		if (!strcmp(a[i], name))
			return o->val[i];
	return NULL;
}

/*
 * A decimal integer (the kernel's %u/%d/%llu) becomes a JSON number, but
 * for "name", which the administrator chooses: always a string.
 */
static json_object *attr_json(const char *key, const char *v)
{
	const char *p = v;
	unsigned long long u;
	char *end;

	if (!strcmp(key, "name"))
		return json_object_new_string(v);
	if (*p == '-')
		p++;
	if (*p >= '0' && *p <= '9' && (p[0] != '0' || !p[1])) {
		errno = 0;
		if (*v == '-') {
			long long s = strtoll(v, &end, 10);

			if (!errno && !*end)
				return json_object_new_int64(s);
		} else {
			u = strtoull(v, &end, 10);
			if (!errno && !*end)
				return json_object_new_uint64(u);
		}
	}
	return json_object_new_string(v);
}

static json_object *obj_json(const struct accel_idxd_obj *o)
{
	const char *const *a = accel_idxd_attrs[o->kind];
	json_object *j = json_object_new_object();
	json_object *attrs = json_object_new_object();
	size_t i;

	accel_json_str(j, "name", o->name);
	for (i = 0; a[i] && i < ACCEL_IDXD_MAX_ATTRS; i++)
		if (o->val[i])
			json_object_object_add_ex(attrs, a[i],
						  attr_json(a[i], o->val[i]),
						  JSON_C_OBJECT_KEY_IS_CONSTANT);
	json_object_object_add_ex(j, "attrs", attrs,
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
	return j;
}

json_object *accel_idxd_json(const struct accel_idxd *x)
{
	json_object *top = json_object_new_object();
	json_object *devs = json_object_new_array();
	size_t i, j, k;

	for (i = 0; i < x->ndev; i++) {
		const struct accel_idxd_device *d = &x->dev[i];
		json_object *o = obj_json(&d->obj);

		accel_json_str(o, "pci", d->pci);
		for (k = ACCEL_IDXD_GROUP; k < ACCEL_IDXD_KIND_NR; k++) {
			json_object *arr = json_object_new_array();

			for (j = 0; j < d->n[k]; j++)
				json_object_array_add(arr,
						      obj_json(&d->sub[k][j]));
			json_object_object_add_ex(o, json_arrays[k], arr,
						  JSON_C_OBJECT_KEY_IS_CONSTANT);
		}
		json_object_array_add(devs, o);
	}
	json_object_object_add_ex(top, "devices", devs,
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
	return top;
}

static int attr_from_json(struct accel_idxd_obj *o, const char *key,
			  json_object *v)
{
	const char *const *a = accel_idxd_attrs[o->kind];
	char num[32];
	const char *s;
	size_t i;

	for (i = 0; a[i] && strcmp(a[i], key); i++)
		;
	if (!a[i] || i >= ACCEL_IDXD_MAX_ATTRS || o->val[i])
		return 0;	/* not one of ours (a newer writer), or a dup */
	switch (json_object_get_type(v)) {
	case json_type_string:
		s = json_object_get_string(v);
		break;
	case json_type_int:
		if (json_object_get_int64(v) < 0)
			snprintf(num, sizeof(num), "%lld", (long long)
				 json_object_get_int64(v));
		else
			snprintf(num, sizeof(num), "%llu", (unsigned long long)
				 json_object_get_uint64(v));
		s = num;
		break;
	default:
		return -EINVAL;
	}
	o->val[i] = strdup(s);
	return o->val[i] ? 0 : -ENOMEM;
}

static int obj_from_json(json_object *j, enum accel_idxd_kind kind,
			 struct accel_idxd_obj *o, unsigned int *id)
{
	json_object *name, *attrs;
	enum accel_idxd_kind k;
	int ret;

	memset(o, 0, sizeof(*o));
	o->kind = kind;
	if (!json_object_is_type(j, json_type_object) ||
	    !json_object_object_get_ex(j, "name", &name) ||
	    !json_object_is_type(name, json_type_string) ||
	    strlen(json_object_get_string(name)) >= sizeof(o->name) ||
	    !accel_idxd_parse_name(json_object_get_string(name), &k, id,
				   &o->sub) || k != kind)
		return -EINVAL;
	/* length checked above */
	memcpy(o->name, json_object_get_string(name),
	       strlen(json_object_get_string(name)) + 1);
	if (!json_object_object_get_ex(j, "attrs", &attrs))
		return 0;
	if (!json_object_is_type(attrs, json_type_object))
		return -EINVAL;
	json_object_object_foreach(attrs, key, v) {
		ret = attr_from_json(o, key, v);
		if (ret)
			return ret;
	}
	return 0;
}

static int dev_from_json(json_object *j, struct accel_idxd_device *d)
{
	json_object *pci, *arr;
	unsigned int id;
	size_t k, i, n;
	int ret;

	ret = obj_from_json(j, ACCEL_IDXD_DEV, &d->obj, &d->id);
	if (ret)
		return ret;
	if (json_object_object_get_ex(j, "pci", &pci)) {
		if (!json_object_is_type(pci, json_type_string))
			return -EINVAL;
		if (snprintf(d->pci, sizeof(d->pci), "%s",
			     json_object_get_string(pci)) >= (int)sizeof(d->pci))
			return -EINVAL;
	}
	for (k = ACCEL_IDXD_GROUP; k < ACCEL_IDXD_KIND_NR; k++) {
		if (!json_object_object_get_ex(j, json_arrays[k], &arr))
			continue;
		if (!json_object_is_type(arr, json_type_array))
			return -EINVAL;
		n = json_object_array_length(arr);
		if (!n)
			continue;
		d->sub[k] = calloc(n, sizeof(*d->sub[k]));
		if (!d->sub[k])
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			ret = obj_from_json(json_object_array_get_idx(arr, i),
					    k, &d->sub[k][d->n[k]], &id);
			/* count it first: it may hold strings to free */
			d->n[k]++;
			if (ret)
				return ret;
			if (id != d->id)
				return -EINVAL;
		}
	}
	return 0;
}

int accel_idxd_from_json(json_object *o, struct accel_idxd *x)
{
	json_object *devs, *bus;
	size_t i, n;
	int ret = 0;

	memset(x, 0, sizeof(*x));
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "devices", &devs) ||
	    !json_object_is_type(devs, json_type_array))
		return -EINVAL;
	n = json_object_array_length(devs);
	x->has_bus = n > 0;
	if (json_object_object_get_ex(o, "bus", &bus)) {
		if (!json_object_is_type(bus, json_type_boolean))
			return -EINVAL;
		x->has_bus = x->has_bus || json_object_get_boolean(bus);
	}
	if (n) {
		x->dev = calloc(n, sizeof(*x->dev));
		if (!x->dev)
			return -ENOMEM;
	}
	for (i = 0; i < n && !ret; i++) {
		ret = dev_from_json(json_object_array_get_idx(devs, i),
				    &x->dev[x->ndev]);
		x->ndev++;
	}
	if (ret)
		accel_idxd_free(x);
	return ret;
}

int accel_idxd_bundle_load(const struct accel_bundle *b, struct accel_idxd *x,
			   struct accel_err *err)
{
	const struct accel_bundle_file *f;
	json_tokener *tok;
	json_object *o;
	int ret;

	memset(x, 0, sizeof(*x));
	f = accel_bundle_find(b, ACCEL_BUNDLE_IDXD);
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "%s: not in the bundle "
			 "(taken by an older accelctl)", ACCEL_BUNDLE_IDXD);
		return -ENOENT;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, f->data, (int)f->len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != f->len) {
		ret = -EINVAL;
	} else {
		ret = accel_idxd_from_json(o, x);
	}
	json_object_put(o);
	json_tokener_free(tok);
	if (ret)
		snprintf(err->msg, sizeof(err->msg), "%s: %s",
			 ACCEL_BUNDLE_IDXD, ret == -ENOMEM ? "out of memory" :
			 "not an idxd topology");
	return ret;
}
