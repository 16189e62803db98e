/*
 * A JSON record's members besides its message, time, level and source:
 * the values a structured log carries in fields of their own (a status,
 * a latency), each named by its key.  Views into the line.
 */
#ifndef MEMBERS_H
#define MEMBERS_H

#include <stddef.h>

#define MEMBERS_MAX	16	/* members of one record looked at */

struct record_members {
	size_t		 n;
	struct {
		const char	*key;
		size_t		 keylen;
		const char	*val;
		size_t		 vallen;
	}		 m[MEMBERS_MAX];
};

#endif
