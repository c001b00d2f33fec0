// SPDX-License-Identifier: MIT
/*
 * acceltop: the per-key counts of a device sample (a PASID, or a PE for
 * the debugfs source), found by key through an open-addressing index so a
 * refresh with thousands of contexts stays linear.
 */
#include <stdlib.h>
#include <string.h>

#include "acceltop.h"

static size_t slot_of(uint32_t key, size_t nslot)
{
	/* Fibonacci hashing: PASIDs and PEs are small and dense. */
	return (size_t)((key * 2654435769u) & (nslot - 1));
}

/* Slot of key: its entry (index + 1) or the empty slot to put it in. */
static size_t probe(const struct at_dev_sample *d, uint32_t key)
{
	size_t s = slot_of(key, d->nkslot);

	while (d->kslot[s] && d->keyed[d->kslot[s] - 1].key != key)
		s = (s + 1) & (d->nkslot - 1);
	return s;
}

/* Grow the index to keep it at most half full. 0 or -1. */
static int grow_index(struct at_dev_sample *d)
{
	size_t n = d->nkslot ? d->nkslot * 2 : 64, i;
	uint32_t *slot = calloc(n, sizeof(*slot));

	if (!slot)
		return -1;
	free(d->kslot);
	d->kslot = slot;
	d->nkslot = n;
	for (i = 0; i < d->nkeyed; i++)
		d->kslot[probe(d, d->keyed[i].key)] = (uint32_t)i + 1;
	return 0;
}

struct at_keyed *at_dev_find_key(const struct at_dev_sample *d,
				 uint32_t key)
{
	size_t s;

	if (!d || !d->nkslot)
		return NULL;
	s = probe(d, key);
	return d->kslot[s] ? &d->keyed[d->kslot[s] - 1] : NULL;
}

struct at_keyed *at_dev_key(struct at_dev_sample *d, uint32_t key)
{
	struct at_keyed *k;
	size_t s;

	if (2 * (d->nkeyed + 1) > d->nkslot && grow_index(d))
		return NULL;
	s = probe(d, key);
	if (d->kslot[s])
		return &d->keyed[d->kslot[s] - 1];
	if (d->nkeyed == d->keycap) {
		size_t cap = d->keycap ? d->keycap * 2 : 16;

		k = realloc(d->keyed, cap * sizeof(*k));
		if (!k)
			return NULL;
		d->keyed = k;
		d->keycap = cap;
	}
	k = &d->keyed[d->nkeyed++];
	memset(k, 0, sizeof(*k));
	k->key = key;
	d->kslot[s] = (uint32_t)d->nkeyed;
	return k;
}

void at_dev_keys_free(struct at_dev_sample *d)
{
	free(d->keyed);
	free(d->kslot);
	d->keyed = NULL;
	d->kslot = NULL;
	d->nkeyed = d->keycap = d->nkslot = 0;
}
