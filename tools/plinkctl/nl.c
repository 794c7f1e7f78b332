// SPDX-License-Identifier: GPL-2.0
/*
 * A generic netlink session with the plink family; see nl.h.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
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

#define PLNL_INTR	"dump was interrupted, try again"

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
 * TLVs, if any, start @off bytes into its payload, as @nl asks: after its
 * errctx, or not at all, or not as an error if it is its ok_errno.
 * @enoent, when set, is the message for an ENOENT that has no extack
 * message.
 */
static int plnl_report(struct plnl *nl, const struct nlmsghdr *nlh, int err,
		       size_t off, const char *enoent)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const char *msg = NULL;

	nl->err = -err;
	if (nl->ok_errno && -err == nl->ok_errno)
		return 0;
	if (nl->quiet)
		return -1;

	off = MNL_ALIGN(off);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && off < len)
		msg = plnl_extack_msg((const char *)mnl_nlmsg_get_payload(nlh) +
				      off, len - off);

	if (!msg || !*msg)
		msg = err == -ENOENT && enoent ? enoent : strerror(-err);
	if (nl->errctx)
		pl_err("%s: %s", nl->errctx, msg);
	else
		pl_err("%s", msg);
	return -1;
}

/*
 * An NLMSG_ERROR: 0 for an ack, else report the error.  Without
 * NETLINK_CAP_ACK (NLM_F_CAPPED clear) the kernel echoes the request's
 * payload after struct nlmsgerr, and the extack TLVs follow that.
 */
static int plnl_error(struct plnl *nl, const struct nlmsghdr *nlh,
		      const char *enoent)
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
	return plnl_report(nl, nlh, e->error, off, enoent);
}

/* An NLMSG_DONE: its payload is an int error, then the extack TLVs. */
static int plnl_done(struct plnl *nl, const struct nlmsghdr *nlh,
		     const char *enoent)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return 0;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (!err)
		return 0;
	return plnl_report(nl, nlh, err, sizeof(err), enoent);
}

/* Report a failure of the session itself, as @nl asks (see plnl_report). */
static int plnl_fail(struct plnl *nl, const char *what, int err)
{
	nl->err = err ? err : EIO;
	if (nl->quiet)
		return -1;
	if (nl->errctx && err)
		pl_err("%s: %s: %s", nl->errctx, what, strerror(err));
	else if (nl->errctx)
		pl_err("%s: %s", nl->errctx, what);
	else if (err)
		pl_err("%s: %s", what, strerror(err));
	else
		pl_err("%s", what);
	return -1;
}

/*
 * Send @req, then read replies until its ack or the end of its dump, and
 * call @cb on each message of the family.
 */
static int plnl_talk(struct plnl *nl, const struct nlmsghdr *req,
		     mnl_cb_t cb, void *data, const char *enoent)
{
	bool dump = nl->dump;
	unsigned int seq = req->nlmsg_seq;
	const struct nlmsghdr *nlh;
	bool intr = false;
	int ret, len;

	nl->err = 0;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return plnl_fail(nl, "cannot send to the kernel", errno);

	for (;;) {
		len = (int)mnl_socket_recvfrom(nl->sock, nl->buf, nl->buflen);
		if (len < 0)
			return plnl_fail(nl, "cannot receive from the kernel",
					 errno);

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
				return plnl_fail(nl, strerror(ENOBUFS), 0);
			case NLMSG_ERROR:
				if (plnl_error(nl, nlh, enoent))
					return -1;
				if (dump)
					continue;
				return 0;
			case NLMSG_DONE:
				if (plnl_done(nl, nlh, enoent))
					return -1;
				if (dump && intr)
					return plnl_fail(nl, PLNL_INTR, 0);
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

struct nlmsghdr *plnl_msg(struct plnl *nl, unsigned short type,
			  unsigned short flags)
{
	struct nlmsghdr *nlh;

	/* libmnl leaves attribute padding as it finds it: start clean. */
	memset(nl->buf, 0, nl->buflen);
	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	nl->dump = false;
	return nlh;
}

static struct nlmsghdr *plnl_put_hdr(struct plnl *nl, unsigned short type,
				     unsigned char cmd, unsigned char version,
				     unsigned short flags)
{
	struct nlmsghdr *nlh = plnl_msg(nl, type, flags);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* What a CTRL_CMD_GETFAMILY reply is searched for. */
struct plnl_family {
	unsigned short id;		/* out: the family's id */
	const char *group;		/* a multicast group's name, or NULL */
	unsigned int group_id;		/* out: its id, 0 if not found */
};

static int plnl_group_cb(const struct nlattr *grp, struct plnl_family *fam)
{
	const struct nlattr *attr;
	const char *name = NULL;
	unsigned int id = 0;

	mnl_attr_for_each_nested(attr, grp) {
		if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			name = mnl_attr_get_str(attr);
		else if (mnl_attr_get_type(attr) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			id = mnl_attr_get_u32(attr);
	}
	if (name && !strcmp(name, fam->group))
		fam->group_id = id;
	return MNL_CB_OK;
}

static int plnl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct plnl_family *fam = data;
	const struct nlattr *attr, *grp;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
				fam->id = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (!fam->group ||
			    mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
				break;
			mnl_attr_for_each_nested(grp, attr)
				if (mnl_attr_validate(grp, MNL_TYPE_NESTED) >= 0)
					plnl_group_cb(grp, fam);
			break;
		}
	}
	return MNL_CB_OK;
}

/* Ask the kernel about the plink family: its id, and @fam->group's id. */
static int plnl_resolve(struct plnl *nl, struct plnl_family *fam)
{
	struct nlmsghdr *nlh;

	nlh = plnl_put_hdr(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PLINK_FAMILY_NAME);

	if (plnl_talk(nl, nlh, plnl_family_cb, fam, PLNL_NOFAMILY))
		return -1;
	if (!fam->id) {
		pl_err("%s", PLNL_NOFAMILY);
		return -1;
	}
	return 0;
}

/* Open a netlink socket of @bus into @nl; on failure @nl is closed. */
static int plnl_socket(struct plnl *nl, int bus)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->buflen = PLNL_BUFLEN;
	nl->buf = malloc(nl->buflen);
	if (!nl->buf) {
		pl_err("%s", strerror(errno));
		return -1;
	}

	nl->sock = mnl_socket_open(bus);
	if (!nl->sock) {
		pl_err("cannot open a netlink socket: %s", strerror(errno));
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
		pl_err("cannot bind a netlink socket: %s", strerror(errno));
		goto err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return 0;

err:
	plnl_close(nl);
	return -1;
}

int plnl_open(struct plnl *nl)
{
	struct plnl_family fam = { 0 };

	if (plnl_socket(nl, NETLINK_GENERIC))
		return -1;
	if (plnl_resolve(nl, &fam)) {
		plnl_close(nl);
		return -1;
	}
	nl->family = fam.id;
	return 0;
}

int plnl_open_route(struct plnl *nl)
{
	return plnl_socket(nl, NETLINK_ROUTE);
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
	struct nlmsghdr *nlh;

	nlh = plnl_put_hdr(nl, nl->family, cmd, PLINK_FAMILY_VERSION, flags);
	/*
	 * Not (flags & NLM_F_DUMP): its bits are those of NLM_F_REPLACE and
	 * NLM_F_EXCL in "new" requests.
	 */
	nl->dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	return nlh;
}

struct plnl_msg plnl_msg_req(struct plnl *nl, unsigned char cmd,
			     unsigned short flags)
{
	struct plnl_msg m = {
		.nlh = plnl_req(nl, cmd, flags),
		.size = nl->buflen,
	};

	return m;
}

void plnl_put(struct plnl_msg *m, unsigned short type, size_t len,
	      const void *data)
{
	if (!m->full && !mnl_attr_put_check(m->nlh, m->size, type, len, data))
		m->full = true;
}

void plnl_put_u8(struct plnl_msg *m, unsigned short type, unsigned char v)
{
	plnl_put(m, type, sizeof(v), &v);
}

void plnl_put_be16(struct plnl_msg *m, unsigned short type,
		   unsigned short v)
{
	unsigned short be = htons(v);

	plnl_put(m, type, sizeof(be), &be);
}

void plnl_put_u32(struct plnl_msg *m, unsigned short type, unsigned int v)
{
	unsigned int u = v;

	plnl_put(m, type, sizeof(u), &u);
}

void plnl_put_strz(struct plnl_msg *m, unsigned short type, const char *s)
{
	plnl_put(m, type, strlen(s) + 1, s);
}

void plnl_put_flag(struct plnl_msg *m, unsigned short type)
{
	plnl_put(m, type, 0, "");
}

struct nlattr *plnl_nest_start(struct plnl_msg *m, unsigned short type)
{
	struct nlattr *nest = NULL;

	if (!m->full)
		nest = mnl_attr_nest_start_check(m->nlh, m->size, type);
	if (!nest)
		m->full = true;
	return nest;
}

void plnl_nest_end(struct plnl_msg *m, struct nlattr *nest)
{
	if (nest && !m->full)
		mnl_attr_nest_end(m->nlh, nest);
}

int plnl_run(struct plnl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	return plnl_talk(nl, req, cb, data, NULL);
}

int plnl_join(struct plnl *nl, const char *group)
{
	struct plnl_family fam = { .group = group };

	if (plnl_resolve(nl, &fam))
		return -1;
	if (!fam.group_id) {
		pl_err("the plink family has no multicast group \"%s\"", group);
		return -1;
	}
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &fam.group_id, sizeof(fam.group_id)) < 0) {
		pl_err("cannot join multicast group \"%s\": %s", group,
		       strerror(errno));
		return -1;
	}
	return 0;
}

int plnl_recv(struct plnl *nl, mnl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh;
	int len;

	len = (int)mnl_socket_recvfrom(nl->sock, nl->buf, nl->buflen);
	if (len < 0)
		return -1;
	for (nlh = (const struct nlmsghdr *)nl->buf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type != nl->family)
			continue;
		if (cb(nlh, data) == MNL_CB_ERROR) {
			errno = EPROTO;
			return -1;
		}
	}
	return 0;
}

/* What plnl_attr_cb() checks attributes against, and where it puts them. */
struct plnl_policy {
	const enum mnl_attr_data_type *types;
	unsigned int max;
	const struct nlattr **tb;
};

static int plnl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct plnl_policy *pol = data;
	unsigned int type = mnl_attr_get_type(attr);
	enum mnl_attr_data_type t;
	size_t len;

	if (type > pol->max || pol->types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;	/* newer than this tool */
	t = pol->types[type];
	if (mnl_attr_validate(attr, t) < 0)
		return MNL_CB_ERROR;
	len = mnl_attr_get_payload_len(attr);
	if (t == MNL_TYPE_BINARY && len != 4 && len != 16)
		return MNL_CB_ERROR;
	pol->tb[type] = attr;
	return MNL_CB_OK;
}

int plnl_parse(const struct nlmsghdr *nlh, const char *what,
	       const enum mnl_attr_data_type *types, unsigned int max,
	       const struct nlattr **tb)
{
	struct plnl_policy pol = { .types = types, .max = max, .tb = tb };

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), plnl_attr_cb,
			   &pol) != MNL_CB_OK) {
		pl_err("malformed %s message from the kernel", what);
		return -1;
	}
	return 0;
}

int plnl_parse_nested(const struct nlattr *nest, const char *what,
		      const enum mnl_attr_data_type *types, unsigned int max,
		      const struct nlattr **tb)
{
	struct plnl_policy pol = { .types = types, .max = max, .tb = tb };

	if (mnl_attr_parse_nested(nest, plnl_attr_cb, &pol) != MNL_CB_OK) {
		pl_err("malformed %s message from the kernel", what);
		return -1;
	}
	return 0;
}
