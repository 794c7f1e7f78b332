// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl: configure plink, PrivateLink-style endpoint services between
 * network namespaces.  iproute2-style: plinkctl [OPTIONS] OBJECT COMMAND.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "plinkctl.h"

#define NETNS_RUN_DIR	"/run/netns"

static void usage(FILE *out);
static int do_help(struct pl_ctx *ctx, int argc, char **argv);

/* To add an object: its file, its do_ and _usage in plinkctl.h, a line here. */
static const struct pl_cmd objects[] = {
	{ .name = "dev",	.fn = do_dev,	.usage = dev_usage },
	{ .name = "help",	.fn = do_help,	.usage = usage },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage: plinkctl [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]\n"
	      "       plinkctl help [OBJECT]\n"
	      "OPTIONS:\n"
	      "  -j, --json          print JSON\n"
	      "  -n, --netns NETNS   act inside network namespace NETNS\n"
	      "  -V, --version       print the version and exit\n"
	      "  -h, --help          print this help and exit\n"
	      "OBJECTS:\n", out);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (objects[i].fn != do_help)
			objects[i].usage(out);
}

/*
 * The entry of @tab named @word exactly, else the only one whose name
 * starts with @word; NULL (with *@ambiguous set when several do) if none.
 */
static const struct pl_cmd *pl_lookup(const struct pl_cmd *tab, size_t n,
				      const char *word, bool *ambiguous)
{
	const struct pl_cmd *found = NULL;
	size_t len = strlen(word), i;

	*ambiguous = false;
	if (!len)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!strcmp(tab[i].name, word))
			return &tab[i];
		if (strncmp(tab[i].name, word, len))
			continue;
		if (found)
			*ambiguous = true;
		found = &tab[i];
	}
	return *ambiguous ? NULL : found;
}

int pl_dispatch(struct pl_ctx *ctx, const char *object,
		const struct pl_cmd *cmds, size_t ncmds, const char *dflt,
		int argc, char **argv)
{
	const char *word = argc > 0 ? argv[0] : dflt;
	const struct pl_cmd *cmd;
	bool ambiguous;

	cmd = pl_lookup(cmds, ncmds, word, &ambiguous);
	if (!cmd) {
		pl_err("%s command \"%s\" for \"%s\", try \"plinkctl %s help\"",
		       ambiguous ? "ambiguous" : "unknown", word, object,
		       object);
		return PL_EXIT_USAGE;
	}
	if (argc > 0) {
		argc--;
		argv++;
	}
	return cmd->fn(ctx, argc, argv);
}

static int pl_enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, len;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		pl_err("invalid netns name \"%s\"", name);
		return -1;
	}
	len = snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		pl_err("cannot open netns \"%s\": %s", name,
		       strerror(ENAMETOOLONG));
		return -1;
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pl_err("cannot open netns \"%s\": %s", name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		pl_err("cannot enter netns \"%s\": %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int pl_open(struct pl_ctx *ctx, struct plnl *nl)
{
	if (ctx->netns && pl_enter_netns(ctx->netns))
		return PL_EXIT_USAGE;
	if (plnl_open(nl))
		return PL_EXIT_KERNEL;
	return PL_EXIT_OK;
}

/* plinkctl help [OBJECT] */
static int do_help(struct pl_ctx *ctx, int argc, char **argv)
{
	const struct pl_cmd *obj;
	bool ambiguous;

	(void)ctx;
	if (argc > 1) {
		pl_err("unexpected argument \"%s\"", argv[1]);
		return PL_EXIT_USAGE;
	}
	if (!argc) {
		usage(stdout);
		return PL_EXIT_OK;
	}
	obj = pl_lookup(objects, ARRAY_SIZE(objects), argv[0], &ambiguous);
	if (!obj) {
		pl_err("%s object \"%s\", try \"plinkctl help\"",
		       ambiguous ? "ambiguous" : "unknown", argv[0]);
		return PL_EXIT_USAGE;
	}
	obj->usage(stdout);
	return PL_EXIT_OK;
}

/* Flush stdout: a failed write turns a success into a failure. */
static int pl_exit(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		pl_err("write error: %s", strerror(errno));
		if (!status)
			status = PL_EXIT_USAGE;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct pl_ctx ctx = { 0 };
	const struct pl_cmd *obj;
	bool ambiguous;
	const char *opt;
	int i;

	for (i = 1; i < argc; i++) {
		opt = argv[i];
		if (opt[0] != '-' || !opt[1])
			break;
		if (!strcmp(opt, "--")) {
			i++;
			break;
		}

		if (!strcmp(opt, "-V") || !strcmp(opt, "--version")) {
			printf("plinkctl %s\n", PLINKCTL_VERSION);
			return pl_exit(PL_EXIT_OK);
		}
		if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage(stdout);
			return pl_exit(PL_EXIT_OK);
		}
		if (!strcmp(opt, "-j") || !strcmp(opt, "--json")) {
			ctx.json = true;
			continue;
		}
		if (!strcmp(opt, "-n") || !strcmp(opt, "--netns")) {
			if (++i == argc) {
				pl_err("option \"%s\" needs an argument", opt);
				return PL_EXIT_USAGE;
			}
			ctx.netns = argv[i];
			continue;
		}
		if (!strncmp(opt, "--netns=", 8)) {
			ctx.netns = opt + 8;
			continue;
		}
		pl_err("unknown option \"%s\", try \"plinkctl help\"", opt);
		return PL_EXIT_USAGE;
	}

	if (i == argc) {
		pl_err("missing object, try \"plinkctl help\"");
		return PL_EXIT_USAGE;
	}
	obj = pl_lookup(objects, ARRAY_SIZE(objects), argv[i], &ambiguous);
	if (!obj) {
		pl_err("%s object \"%s\", try \"plinkctl help\"",
		       ambiguous ? "ambiguous" : "unknown", argv[i]);
		return PL_EXIT_USAGE;
	}
	i++;
	return pl_exit(obj->fn(&ctx, argc - i, argv + i));
}
