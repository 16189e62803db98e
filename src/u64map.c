/*
 * Linear-probing hash table, kept at most 3/4 full, with backward-shift
 * deletion so no tombstones build up in long-running processes.
 */
#include "config.h"

#include <stdlib.h>

#include "u64map.h"
#include "xmalloc.h"

/* Spread small keys (ids, lengths) over the table; cheap for hashes too. */
static inline size_t
u64map_home(const struct u64map *m, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & m->mask;
}

void
u64map_init(struct u64map *m)
{
	m->slot = NULL;
	m->mask = 0;
	m->n = 0;
}

void
u64map_free(struct u64map *m)
{
	free(m->slot);
	u64map_init(m);
}

void *
u64map_get(const struct u64map *m, uint64_t key)
{
	size_t i;

	if (m->slot == NULL)
		return NULL;
	for (i = u64map_home(m, key);; i = (i + 1) & m->mask) {
		if (m->slot[i].val == NULL)
			return NULL;
		if (m->slot[i].key == key)
			return m->slot[i].val;
	}
}

static void
u64map_grow(struct u64map *m)
{
	struct u64map_entry *old = m->slot;
	size_t oldn = old == NULL ? 0 : m->mask + 1, i, j;

	m->mask = oldn == 0 ? 7 : 2 * oldn - 1;
	m->slot = xcalloc(m->mask + 1, sizeof *m->slot);
	for (i = 0; i < oldn; i++) {
		if (old[i].val == NULL)
			continue;
		for (j = u64map_home(m, old[i].key); m->slot[j].val != NULL;
		    j = (j + 1) & m->mask)
			;
		m->slot[j] = old[i];
	}
	free(old);
}

void
u64map_put(struct u64map *m, uint64_t key, void *val)
{
	size_t i;

	if (m->slot == NULL || 4 * (m->n + 1) > 3 * (m->mask + 1))
		u64map_grow(m);
	for (i = u64map_home(m, key);; i = (i + 1) & m->mask) {
		if (m->slot[i].val == NULL) {
			m->slot[i].key = key;
			m->slot[i].val = val;
			m->n++;
			return;
		}
		if (m->slot[i].key == key) {
			m->slot[i].val = val;
			return;
		}
	}
}

void *
u64map_del(struct u64map *m, uint64_t key)
{
	size_t i, j, home;
	void *val;

	if (m->slot == NULL)
		return NULL;
	for (i = u64map_home(m, key);; i = (i + 1) & m->mask) {
		if (m->slot[i].val == NULL)
			return NULL;
		if (m->slot[i].key == key)
			break;
	}
	val = m->slot[i].val;
	/* Pull later entries of the run back into the hole when allowed. */
	for (j = (i + 1) & m->mask; m->slot[j].val != NULL;
	    j = (j + 1) & m->mask) {
		home = u64map_home(m, m->slot[j].key);
		if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i].val = NULL;
	m->n--;
	return val;
}
