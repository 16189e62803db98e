/*
 * The configuration file (-c FILE): long options, one a line, read before
 * the command line so that the command line wins.
 */
#ifndef CONFFILE_H
#define CONFFILE_H

#include <stddef.h>
#include <stdio.h>

struct conffile_entry {
	char		*name;		/* a long option, without "--" */
	char		*value;		/* NULL when the line has none */
	unsigned	 line;
};

struct conffile {
	char			*path;
	struct conffile_entry	*entry;
	size_t			 n;
};

/*
 * Read path.  Each line is blank, a comment ('#' first), or an option's
 * long name and its value after whitespace: "threshold 12", "format
 * <Date> <Time> <Content>".  "mask NAME REGEX" is read as the option
 * "mask" with the value "NAME=REGEX".  Returns NULL with *cause set
 * ("FILE: reason" or "FILE:LINE: reason") if the file cannot be read or
 * a line is malformed.  Which names are options is the caller's to say.
 */
struct conffile	*conffile_read(const char *path, char **cause);
/* The same from a stream open for reading, named path in messages; the
 * stream stays the caller's to close. */
struct conffile	*conffile_read_stream(FILE *, const char *path,
		    char **cause);
void		 conffile_free(struct conffile *);

#endif
