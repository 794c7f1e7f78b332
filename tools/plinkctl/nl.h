/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A generic netlink session with the plink family, on libmnl.
 *
 * Every function here reports its own errors: one line on stderr, then a
 * return value of -1.  Reply callbacks (mnl_cb_t) are called once per
 * message of the family; they return MNL_CB_OK to go on, MNL_CB_STOP to
 * stop early, or MNL_CB_ERROR after printing their own one-line error.
 */
#ifndef PLINKCTL_NL_H
#define PLINKCTL_NL_H

#include <stddef.h>
#include <libmnl/libmnl.h>

struct plnl {
	struct mnl_socket *sock;
	char *buf;		/* requests are built, replies read, here */
	size_t buflen;
	unsigned int portid;
	unsigned int seq;
	unsigned short family;	/* the plink family's id */
};

/*
 * Open a NETLINK_GENERIC socket in the current network namespace and look
 * the plink family up.
 */
int plnl_open(struct plnl *nl);
void plnl_close(struct plnl *nl);

/*
 * Start a request for plink command @cmd in the session's buffer; @flags
 * is 0 for a "do" request or NLM_F_DUMP for a dump.  The caller then adds
 * attributes with mnl_attr_put_*().
 */
struct nlmsghdr *plnl_req(struct plnl *nl, unsigned char cmd,
			  unsigned short flags);

/*
 * Send @req and call @cb with @data on each reply until the kernel's ack
 * (do) or the end of the dump.  Returns 0, or -1 when the kernel refused the
 * request (its extack message, else strerror(), is printed), a dump was
 * interrupted, or @cb failed.
 */
int plnl_run(struct plnl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data);

#endif /* PLINKCTL_NL_H */
