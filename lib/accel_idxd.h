/* SPDX-License-Identifier: MIT */
/*
 * libaccel: the topology and state of Intel DSA/IAA devices (the idxd
 * driver), read from the stable sysfs ABI
 * (Documentation/ABI/stable/sysfs-driver-dma-idxd): the devices, groups,
 * work queues and engines under <root>/sys/bus/dsa/devices (dsa0, iax1,
 * group0.0, wq0.1, engine0.2). The root prefix is the one of
 * accel_platform_root(): "" for the running machine, or a fixture tree.
 *
 * Each object keeps the attributes of its kind's table below as the
 * kernel printed them (first line, without its newline). An attribute the
 * kernel lacks (older kernels have no occupancy, driver_name or
 * read_buffers_*) or that cannot be read is absent (NULL), never zero.
 */
#ifndef ACCEL_IDXD_H
#define ACCEL_IDXD_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

enum accel_idxd_kind {
	ACCEL_IDXD_DEV,		/* dsaN, iaxN */
	ACCEL_IDXD_GROUP,	/* groupN.M */
	ACCEL_IDXD_WQ,		/* wqN.M */
	ACCEL_IDXD_ENGINE,	/* engineN.M */
	ACCEL_IDXD_KIND_NR
};

/* The attributes read for each kind: NULL-terminated tables. */
extern const char *const *const accel_idxd_attrs[ACCEL_IDXD_KIND_NR];
/* "device", "group", "wq", "engine" */
extern const char *const accel_idxd_kind_names[ACCEL_IDXD_KIND_NR];

#define ACCEL_IDXD_MAX_ATTRS 32

/* Attribute names the tools ask for by name (the tables hold them all). */
#define ACCEL_IDXD_STATE	"state"
#define ACCEL_IDXD_VERSION	"version"

struct accel_idxd_obj {
	enum accel_idxd_kind kind;
	char name[32];			/* dsa0, wq0.1 */
	unsigned int sub;		/* M of wqN.M (0 for a device) */
	char *val[ACCEL_IDXD_MAX_ATTRS];	/* by table index; NULL: absent */
};

struct accel_idxd_device {
	struct accel_idxd_obj obj;
	unsigned int id;		/* N of dsaN */
	char pci[32];			/* its parent in sysfs, "" if unknown */
	size_t n[ACCEL_IDXD_KIND_NR];	/* groups, wqs, engines (by kind) */
	struct accel_idxd_obj *sub[ACCEL_IDXD_KIND_NR];
};

struct accel_idxd {
	bool has_bus;			/* sys/bus/dsa/devices was listed */
	size_t ndev;
	struct accel_idxd_device *dev;	/* sorted by id */
};

/*
 * Read every idxd device under root. A missing bus is not an error
 * (has_bus false, no device). Returns 0 or -ENOMEM.
 */
int accel_idxd_load(struct accel_idxd *x, const char *root);
void accel_idxd_free(struct accel_idxd *x);

/* o's attribute name, or NULL when o's kind has no such one. */
const char *accel_idxd_get(const struct accel_idxd_obj *o, const char *name);

/*
 * Parse "dsa0", "iax1", "wq0.1", "engine2.3", "group0.0": the kind, N and
 * M (0 for a device). false for any other name.
 */
bool accel_idxd_parse_name(const char *s, enum accel_idxd_kind *kind,
			   unsigned int *dev, unsigned int *sub);

/*
 * JSON: {"devices": [{"name", "pci", "attrs": {...}, "groups": [...],
 * "wqs": [...], "engines": [...]}]}; an attribute that is a decimal
 * integer is a number, others strings; absent attributes are left out.
 */
json_object *accel_idxd_json(const struct accel_idxd *x);

/*
 * The reverse, for a bundle's idxd.json: x from such an object (numbers
 * back to the decimal text the kernel printed; unknown keys ignored;
 * "bus" false or absent with no device: has_bus false). 0, -EINVAL (not
 * the layout above) or -ENOMEM.
 */
int accel_idxd_from_json(json_object *o, struct accel_idxd *x);

struct accel_bundle;
struct accel_err;
/* x from bundle b's idxd.json: 0, -ENOENT (none: an older bundle), ... */
int accel_idxd_bundle_load(const struct accel_bundle *b, struct accel_idxd *x,
			   struct accel_err *err);

#endif /* ACCEL_IDXD_H */
