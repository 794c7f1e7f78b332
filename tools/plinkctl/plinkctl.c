// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl: configure plink, PrivateLink-style endpoint services between
 * network namespaces.  iproute2-style: plinkctl [OPTIONS] OBJECT COMMAND.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "plinkctl.h"

static void usage(FILE *out);
static int do_help(struct pl_ctx *ctx, int argc, char **argv);

/* To add an object: its file, its do_ and _usage in plinkctl.h, a line here. */
static const struct pl_cmd objects[] = {
	{ .name = "dev",	.fn = do_dev,	.usage = dev_usage },
	{ .name = "service",	.fn = do_service, .usage = service_usage },
	{ .name = "target",	.fn = do_target, .usage = target_usage },
	{ .name = "endpoint",	.fn = do_endpoint, .usage = endpoint_usage },
	{ .name = "monitor",	.fn = do_monitor, .usage = monitor_usage },
	/* "s" stays service's. */
	{ .name = "stats",	.fn = do_stats,	.usage = stats_usage, .min = 2 },
	{ .name = "flow",	.fn = do_flow,	.usage = flow_usage },
	{ .name = "limits",	.fn = do_limits, .usage = limits_usage },
	/* "s" stays service's, "sa" is save. */
	{ .name = "save",	.fn = do_save,	.usage = save_usage, .min = 2 },
	/* "m" stays monitor's. */
	{ .name = "metrics",	.fn = do_metrics, .usage = metrics_usage, .min = 2 },
	/* "d" stays dev's. */
	{ .name = "dns",	.fn = do_dns,	.usage = dns_usage, .min = 2 },
	{ .name = "help",	.fn = do_help,	.usage = usage },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage: plinkctl [OPTIONS] OBJECT [COMMAND [ARGUMENTS]]\n"
	      "       plinkctl help [OBJECT]\n"
	      "OPTIONS:\n"
	      "  -j, --json          print JSON\n"
	      "  -p, --pretty        print JSON, indented (implies -j)\n"
	      "  -s, --stats         show: the counters of each object too\n"
	      "  -d, --details       stats: every counter, not only those above 0\n"
	      "  -n, --netns NETNS   act inside network namespace NETNS\n"
	      "  -batch FILE         run the commands of FILE ('-': stdin)\n"
	      "  -force              with -batch: go on after an error\n"
	      "  -V, --version       print the version and exit\n"
	      "  -h, --help          print this help and exit\n"
	      "OBJECTS:\n", out);
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (objects[i].fn != do_help)
			objects[i].usage(out);
}

/* plinkctl help [OBJECT] */
static int do_help(struct pl_ctx *ctx, int argc, char **argv)
{
	const struct pl_cmd *obj;

	(void)ctx;
	if (pl_args_max(argc, argv, 1))
		return PL_EXIT_USAGE;
	if (!argc) {
		usage(stdout);
		return PL_EXIT_OK;
	}
	obj = pl_lookup(objects, ARRAY_SIZE(objects), argv[0]);
	if (!obj) {
		pl_err("unknown object \"%s\", try \"plinkctl help\"",
		       argv[0]);
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

int pl_run(struct pl_ctx *ctx, int argc, char **argv)
{
	const struct pl_cmd *obj;

	obj = pl_lookup(objects, ARRAY_SIZE(objects), argv[0]);
	if (!obj) {
		pl_err("unknown object \"%s\", try \"plinkctl help\"",
		       argv[0]);
		return PL_EXIT_USAGE;
	}
	return obj->fn(ctx, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	struct pl_ctx ctx = { 0 };
	const char *opt, *batch = NULL;
	bool force = false;
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
		if (!strcmp(opt, "-p") || !strcmp(opt, "--pretty")) {
			ctx.json = true;
			pl_json_pretty = true;
			continue;
		}
		if (!strcmp(opt, "-s") || !strcmp(opt, "--stats")) {
			ctx.stats = true;
			continue;
		}
		if (!strcmp(opt, "-d") || !strcmp(opt, "--details")) {
			ctx.details = true;
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
		if (!strcmp(opt, "-batch") || !strcmp(opt, "--batch")) {
			if (++i == argc) {
				pl_err("option \"%s\" needs an argument", opt);
				return PL_EXIT_USAGE;
			}
			batch = argv[i];
			continue;
		}
		if (!strcmp(opt, "-force") || !strcmp(opt, "--force")) {
			force = true;
			continue;
		}
		pl_err("unknown option \"%s\", try \"plinkctl help\"", opt);
		return PL_EXIT_USAGE;
	}

	if (batch) {
		if (i != argc) {
			pl_err("-batch takes no command line, \"%s\" is one",
			       argv[i]);
			return PL_EXIT_USAGE;
		}
		return pl_exit(pl_batch(&ctx, batch, force));
	}
	if (force) {
		pl_err("option \"-force\" goes with -batch");
		return PL_EXIT_USAGE;
	}
	/* As ip(8): a bare plinkctl prints the usage, and fails. */
	if (i == argc) {
		usage(stderr);
		return PL_EXIT_USAGE;
	}
	return pl_exit(pl_run(&ctx, argc - i, argv + i));
}
