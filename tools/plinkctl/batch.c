// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl [-n NETNS] [-force] -batch { FILE | - }: one plinkctl command a
 * line, as "ip -batch" runs ip commands (what "plinkctl save" writes).
 * Blank lines and words from a '#' on are passed over; a word may be
 * quoted with ' or ".  An error is printed as "FILE:LINE: MESSAGE" (the
 * kernel's extended ACK message where it sent one).  The first error stops
 * the batch, unless -force: then every line runs, and the exit status is
 * still the first error's.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plinkctl.h"

/*
 * Split @line in place into at most @max words at @argv; returns their
 * number, or -1 (after printing) for an unterminated quote or too many.
 */
static int batch_words(char *line, char **argv, int max)
{
	char *r = line, *w;
	int argc = 0;
	char q;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			return argc;
		if (argc == max) {
			pl_err("too many words");
			return -1;
		}
		w = r;
		argv[argc++] = w;
		while (*r && *r != ' ' && *r != '\t' && *r != '\n' &&
		       *r != '\r') {
			if (*r != '"' && *r != '\'') {
				*w++ = *r++;
				continue;
			}
			q = *r++;
			while (*r && *r != q)
				*w++ = *r++;
			if (!*r) {
				pl_err("unterminated quote");
				return -1;
			}
			r++;
		}
		if (*r)
			r++;
		*w = '\0';
	}
}

int pl_batch(struct pl_ctx *ctx, const char *file, bool force)
{
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	int argc, ret, first = PL_EXIT_OK;
	unsigned long lineno = 0;
	char where[4096], **argv;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *in;

	in = strcmp(file, "-") ? fopen(file, "re") : stdin;
	if (!in) {
		pl_err("cannot open \"%s\": %s", file, strerror(errno));
		return PL_EXIT_USAGE;
	}
	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%lu: ", name, lineno);
		pl_err_where = where;
		/* A line of N bytes has at most N / 2 + 1 words. */
		argv = calloc((size_t)len / 2 + 2, sizeof(*argv));
		if (!argv) {
			pl_err("%s", strerror(errno));
			ret = PL_EXIT_USAGE;
		} else {
			argc = batch_words(line, argv, (int)len / 2 + 1);
			ret = argc < 0 ? PL_EXIT_USAGE :
			      argc ? pl_run(ctx, argc, argv) : PL_EXIT_OK;
			free(argv);
		}
		/* What a command printed goes out before the next one runs. */
		fflush(stdout);
		if (ret && !first)
			first = ret;
		if (ret && !force)
			break;
	}
	pl_err_where = "plinkctl: ";
	if (ferror(in) && !first) {
		pl_err("cannot read \"%s\": %s", file, strerror(errno));
		first = PL_EXIT_USAGE;
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return first;
}
