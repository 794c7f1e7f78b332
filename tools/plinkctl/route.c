// SPDX-License-Identifier: GPL-2.0
/*
 * Host routes of service and endpoint addresses; see route.h.
 */

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/rtnetlink.h>

#include "plinkctl.h"
#include "route.h"

void pl_addrs_free(struct pl_addrs *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}

struct pl_addrs_get {
	unsigned int ifindex_type;
	unsigned int addr_type;
	struct pl_addrs *out;
};

static int pl_addrs_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pl_addrs_get *g = data;
	struct pl_addrs *out = g->out;
	const struct nlattr *attr;
	struct pl_addr *v;
	size_t len;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		len = mnl_attr_get_payload_len(attr);
		if (mnl_attr_get_type(attr) == g->ifindex_type &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			out->ifindex = mnl_attr_get_u32(attr);
		} else if (mnl_attr_get_type(attr) == g->addr_type &&
			   (len == 4 || len == 16)) {
			v = realloc(out->v, (out->n + 1) * sizeof(*v));
			if (!v) {
				pl_err("%s", strerror(errno));
				return MNL_CB_ERROR;
			}
			out->v = v;
			pl_addr_set(&v[out->n++], mnl_attr_get_payload(attr),
				    len);
		}
	}
	return MNL_CB_OK;
}

void pl_addrs_get(struct plnl *nl, struct plnl_msg *req,
		  unsigned int ifindex_type, unsigned int addr_type,
		  struct pl_addrs *out)
{
	struct pl_addrs_get g = {
		.ifindex_type = ifindex_type,
		.addr_type = addr_type,
		.out = out,
	};

	memset(out, 0, sizeof(*out));
	if (req->full)
		return;
	nl->quiet = true;
	if (plnl_run(nl, req->nlh, pl_addrs_cb, &g))
		pl_addrs_free(out);
	nl->quiet = false;
}

/* Whether @addr is one of @set's. */
static bool pl_addrs_has(const struct pl_addrs *set,
			 const struct pl_addr *addr)
{
	size_t i;

	for (i = 0; set && i < set->n; i++)
		if (pl_addr_eq(&set->v[i], addr))
			return true;
	return false;
}

/* One RTM_NEWROUTE or RTM_DELROUTE, for @addr on @ifindex. */
static int pl_route(struct plnl *rt, bool add, unsigned int ifindex,
		    const struct pl_addr *addr)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	nlh = plnl_msg(rt, add ? RTM_NEWROUTE : RTM_DELROUTE,
		       add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)addr->family;
	rtm->rtm_dst_len = (unsigned char)(addr->len * 8);
	rtm->rtm_table = RT_TABLE_MAIN;
	if (add) {
		rtm->rtm_protocol = RTPROT_STATIC;
		rtm->rtm_scope = RT_SCOPE_LINK;
		rtm->rtm_type = RTN_UNICAST;
	} else {
		/* Any protocol, scope and type: the route to it on ifindex. */
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	}
	mnl_attr_put(nlh, RTA_DST, addr->len, addr->bytes);
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	return plnl_run(rt, nlh, NULL, NULL);
}

static int pl_routes(bool add, unsigned int ifindex, const struct pl_addr *v,
		     size_t n, const struct pl_addrs *keep, const char *done)
{
	char ctx[256], addr[PL_ADDRSTRLEN], dev[IF_NAMESIZE];
	struct plnl rt;
	int ret = PL_EXIT_OK;
	size_t i;

	if (!n)
		return PL_EXIT_OK;
	if (!if_indextoname(ifindex, dev))
		snprintf(dev, sizeof(dev), "%u", ifindex);
	if (plnl_open_route(&rt))
		return PL_EXIT_KERNEL;
	rt.errctx = ctx;
	rt.ok_errno = add ? 0 : ESRCH;

	for (i = 0; i < n && !ret; i++) {
		if (pl_addrs_has(keep, &v[i]))
			continue;
		snprintf(ctx, sizeof(ctx), "%s, but cannot %s the route to %s dev %s",
			 done, add ? "add" : "remove",
			 pl_addr_fmt(v[i].bytes, v[i].len, addr), dev);
		if (pl_route(&rt, add, ifindex, &v[i]))
			ret = PL_EXIT_KERNEL;
	}
	plnl_close(&rt);
	return ret;
}

int pl_routes_add(unsigned int ifindex, const struct pl_addr *v, size_t n,
		  const char *done)
{
	return pl_routes(true, ifindex, v, n, NULL, done);
}

int pl_routes_del(unsigned int ifindex, const struct pl_addr *v, size_t n,
		  const struct pl_addrs *keep, const char *done)
{
	return pl_routes(false, ifindex, v, n, keep, done);
}
