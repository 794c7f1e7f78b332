// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl monitor: print the plink family's events as they come, until
 * SIGINT or SIGTERM (then exit 0).
 *
 *	plinkctl monitor [{ all | endpoint | target }]
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "plinkctl.h"

struct monitor {
	struct pl_ctx *ctx;
	bool endpoints;		/* print endpoint events */
	bool targets;		/* print target events */
	int ret;		/* the exit status, once it is not 0 */
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct monitor *mon = data;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return MNL_CB_OK;
	/* A malformed event is told on stderr; the next ones still come. */
	if (genl->cmd == PLINK_CMD_ENDPOINT_NTF && mon->endpoints)
		endpoint_event(mon->ctx, nlh);
	else if (genl->cmd == PLINK_CMD_TARGET_NTF && mon->targets)
		target_event(mon->ctx, nlh);
	else
		return MNL_CB_OK;

	/* Whoever reads a pipe wants each line at once. */
	if (fflush(stdout) || ferror(stdout)) {
		pl_err("write error: %s", strerror(errno));
		mon->ret = PL_EXIT_USAGE;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Read events until SIGINT or SIGTERM: they are blocked, and read from
 * @sigfd, a signalfd.
 */
static void monitor_loop(struct plnl *nl, struct monitor *mon, int sigfd)
{
	struct pollfd pfd[2] = {
		{ .fd = mnl_socket_get_fd(nl->sock), .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	struct signalfd_siginfo si;

	while (!mon->ret) {
		if (poll(pfd, ARRAY_SIZE(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			pl_err("cannot wait for events: %s", strerror(errno));
			mon->ret = PL_EXIT_USAGE;
			break;
		}
		if (pfd[1].revents) {
			/* Taken, so that unblocking it does not kill us. */
			if (read(sigfd, &si, sizeof(si)) < 0)
				pl_err("cannot read a signal: %s",
				       strerror(errno));
			break;
		}
		if (!pfd[0].revents || !plnl_recv(nl, monitor_cb, mon) ||
		    mon->ret || errno == EINTR || errno == EAGAIN)
			continue;
		if (errno == ENOBUFS) {
			/* The socket overflowed: say so, and go on. */
			pl_err("events were lost: %s", strerror(errno));
			continue;
		}
		pl_err("cannot receive from the kernel: %s", strerror(errno));
		mon->ret = PL_EXIT_KERNEL;
	}
}

static int monitor_run(struct pl_ctx *ctx, struct monitor *mon, int argc,
		       char **argv)
{
	sigset_t sigs, orig;
	struct plnl nl;
	int ret, sigfd;

	if (pl_args_max(argc, argv, 0))
		return PL_EXIT_USAGE;
	mon->ctx = ctx;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	if (plnl_join(&nl, PLINK_MCGRP_EVENTS)) {
		plnl_close(&nl);
		return PL_EXIT_KERNEL;
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, &orig);
	sigfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sigfd < 0) {
		pl_err("cannot wait for signals: %s", strerror(errno));
		mon->ret = PL_EXIT_USAGE;
	} else {
		monitor_loop(&nl, mon, sigfd);
		close(sigfd);
	}

	sigprocmask(SIG_SETMASK, &orig, NULL);
	plnl_close(&nl);
	return mon->ret;
}

static int monitor_all(struct pl_ctx *ctx, int argc, char **argv)
{
	struct monitor mon = { .endpoints = true, .targets = true };

	return monitor_run(ctx, &mon, argc, argv);
}

static int monitor_endpoint(struct pl_ctx *ctx, int argc, char **argv)
{
	struct monitor mon = { .endpoints = true };

	return monitor_run(ctx, &mon, argc, argv);
}

static int monitor_target(struct pl_ctx *ctx, int argc, char **argv)
{
	struct monitor mon = { .targets = true };

	return monitor_run(ctx, &mon, argc, argv);
}

static const struct pl_cmd monitor_cmds[] = {
	{ .name = "all",	.fn = monitor_all },
	{ .name = "endpoint",	.fn = monitor_endpoint },
	{ .name = "target",	.fn = monitor_target },
	{ .name = "help",	.usage = monitor_usage },
};

void monitor_usage(FILE *out)
{
	fputs("  plinkctl monitor [{ all | endpoint | target }]\n", out);
}

int do_monitor(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "monitor", monitor_cmds,
			   ARRAY_SIZE(monitor_cmds), "all", argc, argv);
}
