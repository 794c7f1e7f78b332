// SPDX-License-Identifier: GPL-2.0
/*
 * The "plink" generic netlink family.  Its operations and attribute policies
 * are generated from Documentation/netlink/specs/plink.yaml into
 * netlink-gen.[ch]; this file implements them.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "compat.h"
#include "netlink-gen.h"
#include "plink.h"

static struct genl_family plink_nl_family;

static int plink_nl_fill_dev(struct sk_buff *skb, const struct plink_dev *pd,
			     u32 portid, u32 seq, int flags,
			     struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &plink_nl_family, flags,
			  PLINK_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, PLINK_A_DEV_IFINDEX, pd->dev->ifindex) ||
	    nla_put_string(skb, PLINK_A_DEV_IFNAME, pd->dev->name) ||
	    nla_put_u32(skb, PLINK_A_DEV_BINDING, READ_ONCE(pd->binding))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Find the plink device named by PLINK_A_DEV_IFINDEX or PLINK_A_DEV_IFNAME
 * in @net.  Called under RTNL; errors are reported through @info's extack.
 */
static struct plink_dev *plink_nl_dev_lookup(struct net *net,
					     struct genl_info *info)
{
	struct nlattr *a_ifindex = info->attrs[PLINK_A_DEV_IFINDEX];
	struct nlattr *a_ifname = info->attrs[PLINK_A_DEV_IFNAME];
	struct net_device *dev;
	struct nlattr *attr;

	if (a_ifindex) {
		attr = a_ifindex;
		dev = __dev_get_by_index(net, nla_get_u32(a_ifindex));
		if (dev && a_ifname && nla_strcmp(a_ifname, dev->name)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a_ifname,
					    "ifname and ifindex name different devices");
			return ERR_PTR(-EINVAL);
		}
	} else if (a_ifname) {
		char name[IFNAMSIZ];

		attr = a_ifname;
		nla_strscpy(name, a_ifname, sizeof(name));
		dev = __dev_get_by_name(net, name);
	} else {
		NL_SET_ERR_MSG(info->extack, "missing ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}

	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!netif_is_plink(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "not a plink device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return netdev_priv(dev);
}

int plink_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct plink_dev *pd;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	pd = plink_nl_dev_lookup(net, info);
	if (IS_ERR(pd))
		err = PTR_ERR(pd);
	else
		err = plink_nl_fill_dev(msg, pd, info->snd_portid,
					info->snd_seq, 0, NULL);
	rtnl_unlock();

	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * The dump walks the netns's plink devices under RTNL; cb->args[0] counts the
 * devices already sent, and cb->seq (the netns's device list generation) flags
 * a dump that raced with a device being added or removed.
 */
int plink_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct plink_net *pn = plink_pernet(net);
	unsigned long skip = cb->args[0], idx = 0;
	struct plink_dev *pd;
	int err = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	list_for_each_entry(pd, &pn->devs, list) {
		if (idx++ < skip)
			continue;
		err = plink_nl_fill_dev(skb, pd, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err) {
			idx--;
			break;
		}
	}
	rtnl_unlock();

	cb->args[0] = idx;
	/* A full skb ends this part of the dump; the core calls us again. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static struct genl_family plink_nl_family __ro_after_init = {
	.name		= PLINK_FAMILY_NAME,
	.version	= PLINK_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= plink_nl_ops,
	.n_ops		= ARRAY_SIZE(plink_nl_ops),
	.resv_start_op	= PLINK_CMD_MAX + 1,
};

int __init plink_genl_init(void)
{
	return genl_register_family(&plink_nl_family);
}

void plink_genl_exit(void)
{
	genl_unregister_family(&plink_nl_family);
}
