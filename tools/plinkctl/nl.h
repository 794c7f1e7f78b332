/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink sessions on libmnl: with the plink generic netlink family, and
 * with rtnetlink (for host routes).
 *
 * Every function here reports its own errors: one line on stderr, then a
 * return value of -1.  Reply callbacks (mnl_cb_t) are called once per
 * message of the family; they return MNL_CB_OK to go on, MNL_CB_STOP to
 * stop early, or MNL_CB_ERROR after printing their own one-line error.
 */
#ifndef PLINKCTL_NL_H
#define PLINKCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <libmnl/libmnl.h>

struct plnl {
	struct mnl_socket *sock;
	char *buf;		/* requests are built, replies read, here */
	size_t buflen;
	unsigned int portid;
	unsigned int seq;
	unsigned short family;	/* the plink family's id (generic netlink) */
	bool dump;		/* the request last built is a dump */

	/* How plnl_run() treats an error the kernel answers with: */
	const char *errctx;	/* when set, printed before the message */
	bool quiet;		/* print nothing */
	int ok_errno;		/* this errno (e.g. ESRCH) is no error */
	int err;		/* out: the last request's errno, or 0 */
};

/*
 * Open a NETLINK_GENERIC socket in the current network namespace and look
 * the plink family up.
 */
int plnl_open(struct plnl *nl);

/* Open a NETLINK_ROUTE socket in the current network namespace. */
int plnl_open_route(struct plnl *nl);

void plnl_close(struct plnl *nl);

/*
 * Start a netlink message of @type in the session's buffer, with
 * NLM_F_REQUEST, NLM_F_ACK, @flags and the next sequence number.
 */
struct nlmsghdr *plnl_msg(struct plnl *nl, unsigned short type,
			  unsigned short flags);

/*
 * Start a request for plink command @cmd in the session's buffer; @flags
 * is 0 for a "do" request or NLM_F_DUMP for a dump.  The caller then adds
 * attributes with mnl_attr_put_*().
 */
struct nlmsghdr *plnl_req(struct plnl *nl, unsigned char cmd,
			  unsigned short flags);

/*
 * A request being built by plnl_put*(): attributes that do not fit in the
 * session's buffer are not put, and set @full, for the caller to check
 * before sending the request.
 */
struct plnl_msg {
	struct nlmsghdr *nlh;
	size_t size;		/* the buffer's */
	bool full;
};

/* As plnl_req(), in a struct plnl_msg. */
struct plnl_msg plnl_msg_req(struct plnl *nl, unsigned char cmd,
			     unsigned short flags);

void plnl_put(struct plnl_msg *m, unsigned short type, size_t len,
	      const void *data);
void plnl_put_u8(struct plnl_msg *m, unsigned short type, unsigned char v);
/* @v in host order, put in network order. */
void plnl_put_be16(struct plnl_msg *m, unsigned short type,
		   unsigned short v);
void plnl_put_u32(struct plnl_msg *m, unsigned short type, unsigned int v);
void plnl_put_strz(struct plnl_msg *m, unsigned short type, const char *s);
void plnl_put_flag(struct plnl_msg *m, unsigned short type);
/* A nest; NULL (and @m full) if there is no room. */
struct nlattr *plnl_nest_start(struct plnl_msg *m, unsigned short type);
void plnl_nest_end(struct plnl_msg *m, struct nlattr *nest);

/*
 * Send @req, the request last built, and call @cb with @data on each reply
 * until the kernel's ack (do) or the end of the dump.  Returns 0, or -1 when
 * the kernel refused the request (its extack message, else strerror(), is
 * printed, unless nl->quiet), a dump was interrupted, or @cb failed.
 */
int plnl_run(struct plnl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/* Join the plink multicast group named @group (e.g. PLINK_MCGRP_EVENTS). */
int plnl_join(struct plnl *nl, const char *group);

/*
 * Read once from the socket and call @cb on each message of the plink
 * family found (notifications).  Returns 0, or -1 with errno set (and
 * nothing printed) when the read failed: EINTR, ENOBUFS (messages were
 * lost), ...
 */
int plnl_recv(struct plnl *nl, mnl_cb_t cb, void *data);

/*
 * Check the attributes of a plink message (after its genl header), or of
 * the nest @nest, against @types (indexed by attribute type, up to @max;
 * MNL_TYPE_UNSPEC for attributes to pass over) and point tb[type] at each
 * one (the last one, for attributes that repeat).  MNL_TYPE_BINARY stands
 * for an address: 4 or 16 bytes.  Prints "malformed @what message from the
 * kernel" and returns -1 when an attribute does not fit its type.
 */
int plnl_parse(const struct nlmsghdr *nlh, const char *what,
	       const enum mnl_attr_data_type *types, unsigned int max,
	       const struct nlattr **tb);
int plnl_parse_nested(const struct nlattr *nest, const char *what,
		      const enum mnl_attr_data_type *types, unsigned int max,
		      const struct nlattr **tb);

#endif /* PLINKCTL_NL_H */
