/*
 * An open-addressing hash table from 64-bit keys (hashes, ids) to
 * pointers.  Keys are already well mixed (XXH3 output or small ids run
 * through a mixer), so a probe is one multiply and a few compares.
 */
#ifndef U64MAP_H
#define U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map_entry {
	uint64_t	 key;
	void		*val;		/* NULL: the slot is empty */
};

struct u64map {
	struct u64map_entry	*slot;
	size_t			 mask;	/* slots - 1; 0 before first insert */
	size_t			 n;
};

void	 u64map_init(struct u64map *);
void	 u64map_free(struct u64map *);
/* The value stored for key, or NULL. */
void	*u64map_get(const struct u64map *, uint64_t key);
/* Store val (not NULL) for key, replacing any value. */
void	 u64map_put(struct u64map *, uint64_t key, void *val);
/* Remove key; returns what it held, or NULL. */
void	*u64map_del(struct u64map *, uint64_t key);

#endif
