/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the "plink" family's handler files share.  Each nl-*.c holds the
 * handlers of one object: they parse the request (plink_nl_parse_*), call
 * the object's API (service.c, target.c, endpoint.c, quota.c, flow.c),
 * which decides and says why in the extack, and put the reply
 * (plink_nl_put_*).  netlink.c holds the family and these helpers.
 */
#ifndef _PLINK_NETLINK_H
#define _PLINK_NETLINK_H

#include <net/genetlink.h>

#include "compat.h"
#include "plink.h"

extern struct genl_family plink_nl_family;

/**
 * struct plink_nl_dump_ctx - where a dump is, between its calls
 * @idx: objects already sent (devices, services, targets, endpoints or
 *	owners)
 * @bucket: the flow dump's next bucket of the flow table
 * @pos: flows of @bucket already sent, for a bucket sent in parts
 * @svc: the flow dump's service filter (only compared with)
 * @ep: the flow dump's endpoint filter (only compared with)
 * @started: the flow dump has resolved its filter
 *
 * Lives in &netlink_callback.ctx, zeroed by the core before the first call.
 */
struct plink_nl_dump_ctx {
	unsigned long idx;
	unsigned long bucket;
	unsigned long pos;
	const struct plink_service *svc;
	const struct plink_endpoint *ep;
	bool started;
};

static inline struct plink_nl_dump_ctx *
plink_nl_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct plink_nl_dump_ctx) >
		     sizeof_field(struct netlink_callback, ctx));
	return (struct plink_nl_dump_ctx *)cb->ctx;
}

u32 plink_nl_uid(const struct sk_buff *skb);
unsigned int plink_nl_count(const struct genl_info *info, int type);
int plink_nl_parse_addr(const struct nlattr *attr, struct plink_addr *addr,
			struct netlink_ext_ack *extack);
int plink_nl_parse_addrs(const struct genl_info *info, int type,
			 struct plink_addr *addrs, unsigned int *n);
struct plink_dev *plink_nl_parse_dev(struct net *net,
				     const struct nlattr *ifindex,
				     const struct nlattr *ifname,
				     struct netlink_ext_ack *extack);
int plink_nl_parse_service_cfg(const struct genl_info *info,
			       struct plink_service_cfg *cfg);
int plink_nl_parse_accepted(const struct genl_info *info,
			    struct plink_accepted **out, unsigned int *n);
struct plink_service *plink_nl_parse_service(const struct nlattr *attr,
					     const struct net *net, u32 uid,
					     bool provider,
					     struct netlink_ext_ack *extack);
struct plink_endpoint *plink_nl_parse_endpoint(const struct nlattr *attr,
					       const struct net *net,
					       enum plink_view *side,
					       struct netlink_ext_ack *extack);
void *plink_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		       u8 cmd, struct netlink_callback *cb);
int plink_nl_put_addr(struct sk_buff *skb, int type,
		      const struct plink_addr *addr);
int plink_nl_put_stats(struct sk_buff *skb, int type,
		       const struct plink_counted *cnt, int n);
int plink_nl_put_sums(struct sk_buff *skb, int type, const u64 *sum, int n);
int plink_nl_reply(struct sk_buff *msg, struct genl_info *info, int err);
int plink_nl_dump_done(struct sk_buff *skb, int err);

#endif /* _PLINK_NETLINK_H */
