// SPDX-License-Identifier: GPL-2.0
/* The family's device handlers: dev-get, do and dump. */

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "netlink.h"

static int plink_nl_put_dev(struct sk_buff *skb, const struct plink_dev *pd,
			    u32 portid, u32 seq, int flags,
			    struct netlink_callback *cb)
{
	void *hdr;

	hdr = plink_nl_put_hdr(skb, portid, seq, flags, PLINK_CMD_DEV_GET, cb);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PLINK_A_DEV_IFINDEX, pd->dev->ifindex) ||
	    nla_put_string(skb, PLINK_A_DEV_IFNAME, pd->dev->name) ||
	    nla_put_u32(skb, PLINK_A_DEV_BINDING, READ_ONCE(pd->binding))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int plink_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *ifindex = info->attrs[PLINK_A_DEV_IFINDEX];
	struct nlattr *ifname = info->attrs[PLINK_A_DEV_IFNAME];
	struct plink_dev *pd;
	struct sk_buff *msg;
	int err;

	if (!ifindex && !ifname) {
		NL_SET_ERR_MSG(info->extack, "missing ifindex or ifname");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	pd = plink_nl_parse_dev(genl_info_net(info), ifindex, ifname,
				info->extack);
	if (IS_ERR(pd))
		err = PTR_ERR(pd);
	else
		err = plink_nl_put_dev(msg, pd, info->snd_portid,
				       info->snd_seq, 0, NULL);
	rtnl_unlock();
	return plink_nl_reply(msg, info, err);
}

/*
 * The dump walks the netns's plink devices under RTNL; the cursor counts the
 * devices already sent, and cb->seq (the netns's device list generation)
 * flags a dump that raced with a device being added or removed.
 */
int plink_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct plink_nl_dump_ctx *ctx = plink_nl_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct plink_net *pn = plink_pernet(net);
	unsigned long idx = 0;
	struct plink_dev *pd;
	int err = 0;

	rtnl_lock();
	cb->seq = net->dev_base_seq;
	list_for_each_entry(pd, &pn->devs, list) {
		if (idx < ctx->idx) {
			idx++;
			continue;
		}
		err = plink_nl_put_dev(skb, pd, NETLINK_CB(cb->skb).portid,
				       cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		idx++;
	}
	rtnl_unlock();
	ctx->idx = idx;
	return plink_nl_dump_done(skb, err);
}
