// SPDX-License-Identifier: GPL-2.0
/*
 * The family's quota handlers: limits-get (do and dump) and limits-set.
 * The owner table and its arithmetic are quota.c's.
 */

#include <linux/capability.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "netlink.h"

static int plink_nl_put_limits(struct sk_buff *skb,
			       const struct plink_owner *o, u32 portid,
			       u32 seq, int flags, struct netlink_callback *cb)
{
	u32 own = 0;
	void *hdr;
	int q;

	/* The limits and their counts are in the order of enum plink_quota. */
	BUILD_BUG_ON(PLINK_A_LIMITS_MAGLEV_SLOTS - PLINK_A_LIMITS_FLOWS !=
		     PLINK_QUOTA_MAGLEV_SLOTS ||
		     PLINK_A_LIMITS_N_MAGLEV_SLOTS - PLINK_A_LIMITS_N_FLOWS !=
		     PLINK_QUOTA_MAGLEV_SLOTS);
	hdr = plink_nl_put_hdr(skb, portid, seq, flags, PLINK_CMD_LIMITS_GET,
			       cb);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PLINK_A_LIMITS_UID, o->uid) ||
	    nla_put_u32(skb, PLINK_A_LIMITS_N_FLOWS,
			atomic_read(&o->nflows)))
		goto cancel;
	for (q = 0; q < PLINK_QUOTA_MAX; q++) {
		own |= o->own[q] << q;
		if (nla_put_u32(skb, PLINK_A_LIMITS_FLOWS + q,
				plink_owner_limit(o, q)))
			goto cancel;
		if (q != PLINK_QUOTA_FLOWS &&
		    nla_put_u32(skb, PLINK_A_LIMITS_N_FLOWS + q, o->used[q]))
			goto cancel;
	}
	if (nla_put_u32(skb, PLINK_A_LIMITS_OWN, own) ||
	    nla_put_u32(skb, PLINK_A_LIMITS_PROBES,
			plink_owner_probe_rate(o)) ||
	    nla_put_u32(skb, PLINK_A_LIMITS_N_PROBES_LIMITED,
			READ_ONCE(o->probes_limited)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * The host administrator (CAP_NET_ADMIN in the initial user namespace) sees
 * every owner's quotas, anyone else only its own uid's.
 */
static bool plink_nl_limits_admin(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_NET_ADMIN);
}

int plink_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PLINK_A_LIMITS_UID];
	struct plink_owner *o, none = {};
	struct sk_buff *msg;
	u32 uid;
	int err;

	uid = attr ? nla_get_u32(attr) : plink_nl_uid(skb);
	if (uid != plink_nl_uid(skb) && !plink_nl_limits_admin(skb)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "only the host administrator sees another uid's limits");
		return -EPERM;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&plink_cfg_lock);
	o = plink_owner_by_uid(uid);
	/* An owner the table lacks owns nothing and has the defaults. */
	none.uid = uid;
	err = plink_nl_put_limits(msg, o ?: &none, info->snd_portid,
				  info->snd_seq, 0, NULL);
	if (o)
		plink_owner_put(o);
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_reply(msg, info, err);
}

/* The owners in the table, under its lock. */
int plink_nl_limits_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct plink_nl_dump_ctx *ctx = plink_nl_dump_ctx(cb);
	bool admin = plink_nl_limits_admin(cb->skb);
	u32 uid = plink_nl_uid(cb->skb);
	struct plink_owner *o;
	unsigned long idx = 0;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	cb->seq = plink_cfg_gen;
	spin_lock_bh(&plink_owner_lock);
	list_for_each_entry(o, &plink_owners, list) {
		if (!admin && o->uid != uid)
			continue;
		if (idx < ctx->idx) {
			idx++;
			continue;
		}
		err = plink_nl_put_limits(skb, o, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		idx++;
	}
	spin_unlock_bh(&plink_owner_lock);
	mutex_unlock(&plink_cfg_lock);
	ctx->idx = idx;
	return plink_nl_dump_done(skb, err);
}

/*
 * GENL_ADMIN_PERM asks for CAP_NET_ADMIN in the initial user namespace; the
 * request must also come from a netns of it, as the host's own tools do.
 */
int plink_nl_limits_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PLINK_A_LIMITS_UID];
	bool set[PLINK_QUOTA_MAX] = {};
	u32 limit[PLINK_QUOTA_MAX] = {};
	struct plink_owner *o;
	int q;

	if (genl_info_net(info)->user_ns != &init_user_ns) {
		NL_SET_ERR_MSG(info->extack,
			       "limits are set only from a netns of the initial user namespace");
		return -EPERM;
	}
	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "missing uid");
		return -EINVAL;
	}
	for (q = 0; q < PLINK_QUOTA_MAX; q++) {
		struct nlattr *l = info->attrs[PLINK_A_LIMITS_FLOWS + q];

		if (l) {
			set[q] = true;
			limit[q] = nla_get_u32(l);
		}
	}
	mutex_lock(&plink_cfg_lock);
	o = plink_owner_get(nla_get_u32(attr));
	if (o) {
		plink_owner_set_limits(o, set, limit,
				       nla_get_flag(info->attrs[PLINK_A_LIMITS_DEFAULT]));
		plink_owner_put(o);
	}
	plink_cfg_gen++;
	mutex_unlock(&plink_cfg_lock);
	return o ? 0 : -ENOMEM;
}
