// SPDX-License-Identifier: MIT
/*
 * acceltop: the per-key counts of a device sample (its PASIDs, and its
 * contexts keyed by PE and PASID), found by key through an open-addressing
 * index so a refresh with thousands of contexts stays linear.
 */
#include <stdlib.h>
#include <string.h>

#include "acceltop.h"

static size_t slot_of(uint64_t key, size_t nslot)
{
	/* Fibonacci hashing: PASIDs and PEs are small and dense. */
	uint64_t h = (key ^ (key >> 29)) * 0x9e3779b97f4a7c15ull;

	return (size_t)((h >> 32) & (nslot - 1));
}

/* Slot of key: its entry (index + 1) or the empty slot to put it in. */
static size_t probe(const struct at_keytab *d, uint64_t key)
{
	size_t s = slot_of(key, d->nslot);

	while (d->slot[s] && d->keyed[d->slot[s] - 1].key != key)
		s = (s + 1) & (d->nslot - 1);
	return s;
}

/* Grow the index to keep it at most half full. 0 or -1. */
static int grow_index(struct at_keytab *d)
{
	size_t n = d->nslot ? d->nslot * 2 : 64, i;
	uint32_t *slot = calloc(n, sizeof(*slot));

	if (!slot)
		return -1;
	free(d->slot);
	d->slot = slot;
	d->nslot = n;
	for (i = 0; i < d->n; i++)
		d->slot[probe(d, d->keyed[i].key)] = (uint32_t)i + 1;
	return 0;
}

struct at_keyed *at_find_key(const struct at_keytab *d,
				 uint64_t key)
{
	size_t s;

	if (!d || !d->nslot)
		return NULL;
	s = probe(d, key);
	return d->slot[s] ? &d->keyed[d->slot[s] - 1] : NULL;
}

struct at_keyed *at_key(struct at_keytab *d, uint64_t key)
{
	struct at_keyed *k;
	size_t s;

	if (2 * (d->n + 1) > d->nslot && grow_index(d))
		return NULL;
	s = probe(d, key);
	if (d->slot[s])
		return &d->keyed[d->slot[s] - 1];
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;

		k = realloc(d->keyed, cap * sizeof(*k));
		if (!k)
			return NULL;
		d->keyed = k;
		d->cap = cap;
	}
	k = &d->keyed[d->n++];
	memset(k, 0, sizeof(*k));
	k->key = key;
	d->slot[s] = (uint32_t)d->n;
	return k;
}

void at_keys_free(struct at_keytab *d)
{
	free(d->keyed);
	free(d->slot);
	d->keyed = NULL;
	d->slot = NULL;
	d->n = d->cap = d->nslot = 0;
}
