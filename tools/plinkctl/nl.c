// SPDX-License-Identifier: GPL-2.0
/*
 * A generic netlink session with the plink family; see nl.h.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/plink.h>

#include "nl.h"
#include "plinkctl.h"

/*
 * Large enough for any message the kernel puts in a dump: it sizes its
 * dump skbs from our receive buffer, up to 32 KiB.
 */
#define PLNL_BUFLEN	32768

#define PLNL_NOFAMILY \
	"generic netlink family \"plink\" not found (is the plink module loaded?)"

/* The string of the NLMSGERR_ATTR_MSG attribute in @len bytes at @tlvs. */
static const char *plnl_extack_msg(const void *tlvs, size_t len)
{
	const struct nlattr *attr;

	mnl_attr_for_each_payload(tlvs, len) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			return mnl_attr_get_str(attr);
	}
	return NULL;
}

/*
 * Report the error @err (a negative errno) carried by @nlh, whose extack
 * TLVs, if any, start @off bytes into its payload.  @enoent, when set, is
 * the message for an ENOENT that has no extack message.
 */
static int plnl_report(const struct nlmsghdr *nlh, int err, size_t off,
		       const char *enoent)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const char *msg = NULL;

	off = MNL_ALIGN(off);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		msg = plnl_extack_msg((const char *)mnl_nlmsg_get_payload(nlh) +
				      off, len - off);

	if (msg && *msg)
		pl_err("%s", msg);
	else if (err == -ENOENT && enoent)
		pl_err("%s", enoent);
	else
		pl_err("%s", strerror(-err));
	return -1;
}

/*
 * An NLMSG_ERROR: 0 for an ack, else report the error.  Without
 * NETLINK_CAP_ACK (NLM_F_CAPPED clear) the kernel echoes the request's
 * payload after struct nlmsgerr, and the extack TLVs follow that.
 */
static int plnl_error(const struct nlmsghdr *nlh, const char *enoent)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		pl_err("truncated error message from the kernel");
		return -1;
	}
	if (!e->error)
		return 0;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(e->msg))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	return plnl_report(nlh, e->error, off, enoent);
}

/* An NLMSG_DONE: its payload is an int error, then the extack TLVs. */
static int plnl_done(const struct nlmsghdr *nlh, const char *enoent)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (!err)
		return 0;
	return plnl_report(nlh, err, sizeof(err), enoent);
}

/*
 * Send @req, then read replies until its ack or the end of its dump, and
 * call @cb on each message of the family.
 */
static int plnl_talk(struct plnl *nl, const struct nlmsghdr *req,
		     mnl_cb_t cb, void *data, const char *enoent)
{
	bool dump = req->nlmsg_flags & NLM_F_DUMP;
	unsigned int seq = req->nlmsg_seq;
	const struct nlmsghdr *nlh;
	bool intr = false;
	int ret, len;

	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0) {
		pl_err("cannot send to the kernel: %s", strerror(errno));
		return -1;
	}

	for (;;) {
		len = (int)mnl_socket_recvfrom(nl->sock, nl->buf, nl->buflen);
		if (len < 0) {
			pl_err("cannot receive from the kernel: %s",
			       strerror(errno));
			return -1;
		}

		for (nlh = (const struct nlmsghdr *)nl->buf;
		     mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != seq ||
			    !mnl_nlmsg_portid_ok(nlh, nl->portid))
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;

			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_OVERRUN:
				pl_err("%s", strerror(ENOBUFS));
				return -1;
			case NLMSG_ERROR:
				if (plnl_error(nlh, enoent))
					return -1;
				if (dump)
					continue;
				return 0;
			case NLMSG_DONE:
				if (plnl_done(nlh, enoent))
					return -1;
				if (dump && intr) {
					pl_err("dump was interrupted, try again");
					return -1;
				}
				return 0;
			}

			ret = cb ? cb(nlh, data) : MNL_CB_OK;
			if (ret == MNL_CB_ERROR)
				return -1;
			if (ret == MNL_CB_STOP)
				return 0;
		}
	}
}

static struct nlmsghdr *plnl_put_hdr(struct plnl *nl, unsigned short type,
				     unsigned char cmd, unsigned char version,
				     unsigned short flags)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	/* libmnl leaves attribute padding as it finds it: start clean. */
	memset(nl->buf, 0, nl->buflen);
	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static int plnl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	unsigned short *id = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			*id = mnl_attr_get_u16(attr);
	}
	return MNL_CB_OK;
}

static int plnl_resolve(struct plnl *nl)
{
	struct nlmsghdr *nlh;

	nlh = plnl_put_hdr(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PLINK_FAMILY_NAME);

	nl->family = 0;
	if (plnl_talk(nl, nlh, plnl_family_cb, &nl->family, PLNL_NOFAMILY))
		return -1;
	if (!nl->family) {
		pl_err("%s", PLNL_NOFAMILY);
		return -1;
	}
	return 0;
}

int plnl_open(struct plnl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->buflen = PLNL_BUFLEN;
	nl->buf = malloc(nl->buflen);
	if (!nl->buf) {
		pl_err("%s", strerror(errno));
		return -1;
	}

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		pl_err("cannot open a generic netlink socket: %s",
		       strerror(errno));
		goto err;
	}
	/*
	 * Extended acks carry the kernel's error messages; capped acks do not
	 * echo our request back.  Both are best effort: without them errors
	 * are still reported, as strerror() text.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));

	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		pl_err("cannot bind the generic netlink socket: %s",
		       strerror(errno));
		goto err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);

	if (plnl_resolve(nl))
		goto err;
	return 0;

err:
	plnl_close(nl);
	return -1;
}

void plnl_close(struct plnl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
	memset(nl, 0, sizeof(*nl));
}

struct nlmsghdr *plnl_req(struct plnl *nl, unsigned char cmd,
			  unsigned short flags)
{
	return plnl_put_hdr(nl, nl->family, cmd, PLINK_FAMILY_VERSION, flags);
}

int plnl_run(struct plnl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	return plnl_talk(nl, req, cb, data, NULL);
}
