/* SPDX-License-Identifier: GPL-2.0 */
/*
 * plinkctl: what main() and the per-object files share.
 *
 * An object (dev, and later service, target, endpoint, ...) is a file with
 * a do_OBJECT() entry point and an OBJECT_usage() text, listed in the object
 * table in plinkctl.c.  do_OBJECT() hands its words to pl_dispatch() with a
 * table of its own commands.
 */
#ifndef PLINKCTL_H
#define PLINKCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "nl.h"

#ifndef PLINKCTL_VERSION
#define PLINKCTL_VERSION "0.1"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses, as ip(8) has them. */
#define PL_EXIT_OK	0
#define PL_EXIT_USAGE	1	/* bad command line, or a local failure */
#define PL_EXIT_KERNEL	2	/* the kernel refused, or netlink failed */

/* One line on stderr: "plinkctl: " and the message. */
#define pl_err(fmt, ...) \
	fprintf(stderr, "plinkctl: " fmt "\n", ##__VA_ARGS__)

/* The global options. */
struct pl_ctx {
	bool json;		/* -j: JSON output */
	const char *netns;	/* -n: act inside /run/netns/NETNS */
};

/*
 * An entry of an object or command table.  @fn gets the words after the
 * object or command and returns an exit status; @usage (objects only)
 * prints the object's part of the usage text.
 */
struct pl_cmd {
	const char *name;
	int (*fn)(struct pl_ctx *ctx, int argc, char **argv);
	void (*usage)(FILE *out);
};

/*
 * Run the command of @object named by argv[0] (an exact name or a unique
 * prefix of one), or @dflt when there are no words left.
 */
int pl_dispatch(struct pl_ctx *ctx, const char *object,
		const struct pl_cmd *cmds, size_t ncmds, const char *dflt,
		int argc, char **argv);

/*
 * Enter the -n netns, if any, and open a session with the plink family.
 * Returns 0, or the exit status to give up with (the error is printed).
 */
int pl_open(struct pl_ctx *ctx, struct plnl *nl);

/* dev.c */
int do_dev(struct pl_ctx *ctx, int argc, char **argv);
void dev_usage(FILE *out);

#endif /* PLINKCTL_H */
