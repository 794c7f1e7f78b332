// SPDX-License-Identifier: GPL-2.0
/*
 * The family's target handlers: target-add, -set, -del and -get, and the
 * target event.  Targets are their provider's: only the service's netns
 * names them.
 */

#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "netlink.h"

/* @old_health: in an event, the health before (else U32_MAX). */
static int plink_nl_put_target(struct sk_buff *skb,
			       const struct plink_service *svc,
			       const struct plink_target *t, u8 cmd,
			       u32 old_health, u32 portid, u32 seq, int flags,
			       struct netlink_callback *cb)
{
	const struct plink_service_cfg *cfg;
	u32 health, reason;
	void *hdr;

	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	health = plink_target_health_shown(cfg, t, &reason);
	hdr = plink_nl_put_hdr(skb, portid, seq, flags, cmd, cb);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, PLINK_A_TARGET_SERVICE, svc->name) ||
	    plink_nl_put_addr(skb, PLINK_A_TARGET_ADDR, &t->addr) ||
	    nla_put_be16(skb, PLINK_A_TARGET_PORT, t->port) ||
	    nla_put_u32(skb, PLINK_A_TARGET_WEIGHT, t->weight) ||
	    nla_put_u32(skb, PLINK_A_TARGET_HEALTH, health) ||
	    nla_put_u32(skb, PLINK_A_TARGET_REASON, reason) ||
	    (old_health != U32_MAX &&
	     nla_put_u32(skb, PLINK_A_TARGET_OLD_HEALTH, old_health)) ||
	    (t->zone[0] && nla_put_string(skb, PLINK_A_TARGET_ZONE, t->zone)) ||
	    plink_nl_put_stats(skb, PLINK_A_TARGET_STATS, &t->cnt,
			       PLINK_STAT_MAX)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* @t's health changed from @old_health: tell the service's netns. */
void plink_nl_target_event(const struct plink_service *svc,
			   const struct plink_target *t, u32 old_health)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&plink_nl_family, svc->net, PLINK_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (plink_nl_put_target(msg, svc, t, PLINK_CMD_TARGET_NTF, old_health,
				0, 0, 0, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&plink_nl_family, svc->net, msg, 0,
				PLINK_NLGRP_EVENTS, GFP_KERNEL);
}

/* The request's service (the caller's own), target address and port. */
static struct plink_service *plink_nl_parse_target_key(struct genl_info *info,
						       u32 uid,
						       struct plink_addr *addr,
						       __be16 *port)
{
	struct nlattr *a_addr = info->attrs[PLINK_A_TARGET_ADDR];
	struct plink_service *svc;
	int err;

	svc = plink_nl_parse_service(info->attrs[PLINK_A_TARGET_SERVICE],
				     genl_info_net(info), uid, true,
				     info->extack);
	if (IS_ERR(svc))
		return svc;
	if (!a_addr) {
		NL_SET_ERR_MSG(info->extack, "missing target address");
		return ERR_PTR(-EINVAL);
	}
	err = plink_nl_parse_addr(a_addr, addr, info->extack);
	if (err)
		return ERR_PTR(err);
	*port = info->attrs[PLINK_A_TARGET_PORT] ?
		nla_get_be16(info->attrs[PLINK_A_TARGET_PORT]) : 0;
	return svc;
}

/*
 * The target named by the request, of a service of the caller's netns; its
 * service in @svcp.
 */
static struct plink_target *plink_nl_parse_target(struct genl_info *info,
						  u32 uid,
						  struct plink_service **svcp)
{
	struct plink_service *svc;
	struct plink_target *t;
	struct plink_addr addr;
	__be16 port;

	svc = plink_nl_parse_target_key(info, uid, &addr, &port);
	if (IS_ERR(svc))
		return ERR_CAST(svc);
	t = plink_target_by_addr(svc, &addr, port);
	if (!t) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PLINK_A_TARGET_ADDR],
				    "no such target");
		return ERR_PTR(-ENOENT);
	}
	*svcp = svc;
	return t;
}

static int plink_nl_parse_target_update(const struct genl_info *info,
					struct plink_target_update *upd)
{
	struct nlattr *weight = info->attrs[PLINK_A_TARGET_WEIGHT];
	struct nlattr *health = info->attrs[PLINK_A_TARGET_HEALTH];
	struct nlattr *zone = info->attrs[PLINK_A_TARGET_ZONE];

	memset(upd, 0, sizeof(*upd));
	upd->set_weight = !!weight;
	upd->set_health = !!health;
	upd->set_zone = !!zone;
	if (weight)
		upd->weight = nla_get_u32(weight);
	if (health) {
		upd->health = nla_get_u32(health);
		upd->reason = upd->health == PLINK_HEALTH_DRAINING ?
			      PLINK_HEALTH_REASON_DEREGISTRATION :
			      PLINK_HEALTH_REASON_MANUAL;
		if (upd->health == PLINK_HEALTH_UNUSED) {
			NL_SET_ERR_MSG_ATTR(info->extack, health,
					    "health \"unused\" is shown, not set");
			return -EINVAL;
		}
	}
	if (zone)
		nla_strscpy(upd->zone, zone, sizeof(upd->zone));
	return 0;
}

int plink_nl_target_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_target_update upd;
	struct plink_service *svc;
	struct plink_target *t;
	struct plink_addr addr;
	__be16 port;
	int err;

	err = plink_nl_parse_target_update(info, &upd);
	if (err)
		return err;
	mutex_lock(&plink_cfg_lock);
	svc = plink_nl_parse_target_key(info, plink_nl_uid(skb), &addr, &port);
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		goto out;
	}
	t = plink_target_alloc(&addr, port, &upd);
	if (!t) {
		NL_SET_ERR_MSG(info->extack, "no memory for the target");
		err = -ENOMEM;
		goto out;
	}
	err = plink_target_add(svc, t, info->extack);
	if (err)
		kfree(t);
out:
	mutex_unlock(&plink_cfg_lock);
	return err;
}

int plink_nl_target_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_target_update upd;
	struct plink_service *svc;
	struct plink_target *t;
	int err;

	err = plink_nl_parse_target_update(info, &upd);
	if (err)
		return err;
	mutex_lock(&plink_cfg_lock);
	t = plink_nl_parse_target(info, plink_nl_uid(skb), &svc);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
	} else {
		/* It wins until a check's result changes it again. */
		if (upd.set_health)
			plink_health_manual(t);
		err = plink_target_set(svc, t, &upd, info->extack);
	}
	mutex_unlock(&plink_cfg_lock);
	return err;
}

int plink_nl_target_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_service *svc;
	struct plink_target *t;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	t = plink_nl_parse_target(info, plink_nl_uid(skb), &svc);
	if (IS_ERR(t))
		err = PTR_ERR(t);
	else
		plink_target_del(svc, t);
	mutex_unlock(&plink_cfg_lock);
	return err;
}

int plink_nl_target_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_service *svc;
	struct plink_target *t;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&plink_cfg_lock);
	t = plink_nl_parse_target(info, plink_nl_uid(skb), &svc);
	if (IS_ERR(t))
		err = PTR_ERR(t);
	else
		err = plink_nl_put_target(msg, svc, t, PLINK_CMD_TARGET_GET,
					  U32_MAX, info->snd_portid, info->snd_seq, 0,
					  NULL);
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_reply(msg, info, err);
}

/* Targets of the caller's netns's services (of one, with a service name). */
int plink_nl_target_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct plink_nl_dump_ctx *ctx = plink_nl_dump_ctx(cb);
	struct nlattr **attrs = plink_dump_attrs(cb);
	struct plink_service *svc, *only = NULL;
	struct net *net = sock_net(skb->sk);
	unsigned long idx = 0;
	struct plink_target *t;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	if (attrs[PLINK_A_TARGET_SERVICE]) {
		only = plink_nl_parse_service(attrs[PLINK_A_TARGET_SERVICE],
					      net, plink_nl_uid(cb->skb), true,
					      cb->extack);
		if (IS_ERR(only)) {
			mutex_unlock(&plink_cfg_lock);
			return PTR_ERR(only);
		}
	}
	cb->seq = plink_cfg_gen;
	list_for_each_entry(svc, &plink_services, list) {
		if (!net_eq(svc->net, net) || (only && svc != only))
			continue;
		list_for_each_entry(t, &svc->targets, list) {
			if (idx < ctx->idx) {
				idx++;
				continue;
			}
			err = plink_nl_put_target(skb, svc, t,
						  PLINK_CMD_TARGET_GET, U32_MAX,
						  NETLINK_CB(cb->skb).portid,
						  cb->nlh->nlmsg_seq,
						  NLM_F_MULTI, cb);
			if (err)
				goto out;
			idx++;
		}
	}
out:
	mutex_unlock(&plink_cfg_lock);
	ctx->idx = idx;
	return plink_nl_dump_done(skb, err);
}
