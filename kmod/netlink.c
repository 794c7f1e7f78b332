// SPDX-License-Identifier: GPL-2.0
/*
 * The "plink" generic netlink family.  Its operations and attribute policies
 * are generated from Documentation/netlink/specs/plink.yaml into
 * netlink-gen.[ch], ranges included; the handlers are in nl-*.c, one file
 * per object.  This file holds the family and what the handlers share:
 * parsing request attributes, putting replies, ending dumps.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "netlink.h"

/* The requester's principal: its uid in the initial user namespace. */
u32 plink_nl_uid(const struct sk_buff *skb)
{
	return from_kuid_munged(&init_user_ns, NETLINK_CB(skb).creds.uid);
}

/* How many @type attributes the request holds (multi-attr lists). */
unsigned int plink_nl_count(const struct genl_info *info, int type)
{
	const struct nlattr *attr;
	unsigned int n = 0;
	int rem;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem)
		n += nla_type(attr) == type;
	return n;
}

int plink_nl_parse_addr(const struct nlattr *attr, struct plink_addr *addr,
			struct netlink_ext_ack *extack)
{
	if (plink_addr_from_bytes(addr, nla_data(attr), nla_len(attr))) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	return 0;
}

/* Every @type attribute of the request, at most PLINK_MAX_ADDRS. */
int plink_nl_parse_addrs(const struct genl_info *info, int type,
			 struct plink_addr *addrs, unsigned int *n)
{
	const struct nlattr *attr;
	int rem, err;

	*n = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != type)
			continue;
		if (*n >= PLINK_MAX_ADDRS) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many addresses");
			return -E2BIG;
		}
		err = plink_nl_parse_addr(attr, &addrs[*n], info->extack);
		if (err)
			return err;
		(*n)++;
	}
	return 0;
}

/*
 * The plink device of @net named by @ifindex or, without it, by @ifname
 * (either may be NULL).  Under RTNL.
 */
struct plink_dev *plink_nl_parse_dev(struct net *net,
				     const struct nlattr *ifindex,
				     const struct nlattr *ifname,
				     struct netlink_ext_ack *extack)
{
	const struct nlattr *attr = ifindex ?: ifname;
	struct net_device *dev;

	ASSERT_RTNL();
	if (ifindex) {
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
		if (dev && ifname && nla_strcmp(ifname, dev->name)) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "ifname and ifindex name different devices");
			return ERR_PTR(-EINVAL);
		}
	} else if (ifname) {
		char name[IFNAMSIZ];

		nla_strscpy(name, ifname, sizeof(name));
		dev = __dev_get_by_name(net, name);
	} else {
		NL_SET_ERR_MSG(extack, "missing device (ifindex)");
		return ERR_PTR(-EINVAL);
	}

	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!netif_is_plink(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a plink device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

/*
 * The service @attr names, as principal @uid in @net may see it: of @net
 * (@provider), or one it may use (plink_service_by_ref()).
 */
struct plink_service *plink_nl_parse_service(const struct nlattr *attr,
					     const struct net *net, u32 uid,
					     bool provider,
					     struct netlink_ext_ack *extack)
{
	char ref[PLINK_SVC_REF_LEN];
	struct plink_service *svc;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "missing service name");
		return ERR_PTR(-EINVAL);
	}
	nla_strscpy(ref, attr, sizeof(ref));
	svc = plink_service_by_ref(ref, net, uid, provider, extack);
	if (IS_ERR(svc))
		NL_SET_BAD_ATTR(extack, attr);
	return svc;
}

/*
 * The endpoint @attr names, if @net is on one of its sides (in @side,
 * plink_endpoint_side()); to any other netns it does not exist.
 */
struct plink_endpoint *plink_nl_parse_endpoint(const struct nlattr *attr,
					       const struct net *net,
					       enum plink_view *side,
					       struct netlink_ext_ack *extack)
{
	struct plink_endpoint *ep;
	char id[PLINK_ID_LEN];

	lockdep_assert_held(&plink_cfg_lock);
	if (!attr) {
		NL_SET_ERR_MSG(extack, "missing endpoint id");
		return ERR_PTR(-EINVAL);
	}
	nla_strscpy(id, attr, sizeof(id));
	ep = plink_endpoint_by_id(id);
	*side = ep ? plink_endpoint_side(ep, net) : PLINK_VIEW_NONE;
	if (*side == PLINK_VIEW_NONE) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such endpoint");
		return ERR_PTR(-ENOENT);
	}
	return ep;
}

/* A message's header; a dump's (@cb) is checked for consistency. */
void *plink_nl_put_hdr(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		       u8 cmd, struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &plink_nl_family, flags, cmd);
	if (hdr && cb)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

int plink_nl_put_addr(struct sk_buff *skb, int type,
		      const struct plink_addr *addr)
{
	if (addr->family == AF_INET)
		return nla_put_in_addr(skb, type, addr->ip);
	return nla_put_in6_addr(skb, type, &addr->in6);
}

/*
 * The counters of an endpoint, a service or a target, as a nest: the first
 * @n of those before PLINK_STAT_HEALTH_END (PLINK_STAT_HEALTH_FIRST for the
 * first two, PLINK_STAT_MAX for a target) and every one after it.
 */
int plink_nl_put_stats(struct sk_buff *skb, int type,
		       const struct plink_counted *cnt, int n)
{
	u64 sum[PLINK_STAT_MAX];

	plink_stats_read(cnt, sum);
	return plink_nl_put_sums(skb, type, sum, n);
}

/* plink_nl_put_stats() of counters already summed, @sum[PLINK_STAT_MAX]. */
int plink_nl_put_sums(struct sk_buff *skb, int type, const u64 *sum, int n)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < PLINK_STAT_MAX; i++) {
		if (i >= n && i < PLINK_STAT_HEALTH_END)
			continue;
		if (nla_put_u64_64bit(skb, PLINK_A_STATS_FWD_PACKETS + i, sum[i],
				      PLINK_A_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Send the reply @msg, or free it and return @err. */
int plink_nl_reply(struct sk_buff *msg, struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * End one call of a dump whose cursor is saved: a full skb (-EMSGSIZE with
 * something in it) means the core calls again.
 */
int plink_nl_dump_done(struct sk_buff *skb, int err)
{
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static const struct genl_multicast_group plink_nl_groups[] = {
	[PLINK_NLGRP_EVENTS] = { .name = PLINK_MCGRP_EVENTS, },
};

struct genl_family plink_nl_family __ro_after_init = {
	.name		= PLINK_FAMILY_NAME,
	.version	= PLINK_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= plink_nl_ops,
	.n_ops		= ARRAY_SIZE(plink_nl_ops),
	.resv_start_op	= PLINK_CMD_MAX + 1,
	.mcgrps		= plink_nl_groups,
	.n_mcgrps	= ARRAY_SIZE(plink_nl_groups),
};

int __init plink_genl_init(void)
{
	return genl_register_family(&plink_nl_family);
}

void plink_genl_exit(void)
{
	genl_unregister_family(&plink_nl_family);
}
