/*
 * Vocabulary: the words a log has used, as a fixed-size Bloom filter,
 * so that a line can be asked how many of its words are new.
 */
#ifndef VOCAB_H
#define VOCAB_H

#include <stdint.h>

struct sbuf;
struct sread;
struct vocab;

/* A vocabulary of 2^bits bits (22: 512 KiB, about 350,000 words). */
struct vocab	*vocab_new(unsigned bits);
void		 vocab_free(struct vocab *);
/* Whether word hash h was added (false positives about 1%). */
int		 vocab_has(const struct vocab *, uint64_t h);
void		 vocab_add(struct vocab *, uint64_t h);
void		 vocab_save(const struct vocab *, struct sbuf *);
int		 vocab_load(struct vocab *, struct sread *);

#endif
