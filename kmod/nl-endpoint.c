// SPDX-License-Identifier: GPL-2.0
/*
 * The family's endpoint handlers: endpoint-new, -accept, -reject, -del and
 * -get, and the endpoint event.  Which side of an endpoint a netns is on,
 * and what that side may do, is plink_endpoint_side()'s to say.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink-gen.h"
#include "netlink.h"

static int plink_nl_parse_rule(const struct nlattr *nest,
			       struct plink_rule *rule,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PLINK_A_RULE_MAX + 1];
	const char *why;
	int err;

	err = nla_parse_nested(tb, PLINK_A_RULE_MAX, nest, plink_rule_nl_policy,
			       extack);
	if (err)
		return err;
	if (!tb[PLINK_A_RULE_PREFIX] || !tb[PLINK_A_RULE_PREFIX_LEN]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "rule needs a prefix and its length");
		return -EINVAL;
	}
	err = plink_nl_parse_addr(tb[PLINK_A_RULE_PREFIX], &rule->prefix,
				  extack);
	if (err)
		return err;
	rule->prefix_len = nla_get_u8(tb[PLINK_A_RULE_PREFIX_LEN]);
	rule->proto = tb[PLINK_A_RULE_PROTO] ?
		      nla_get_u8(tb[PLINK_A_RULE_PROTO]) : 0;
	rule->port_min = tb[PLINK_A_RULE_PORT_MIN] ?
			 be16_to_cpu(nla_get_be16(tb[PLINK_A_RULE_PORT_MIN])) : 0;
	rule->port_max = tb[PLINK_A_RULE_PORT_MAX] ?
			 be16_to_cpu(nla_get_be16(tb[PLINK_A_RULE_PORT_MAX])) :
			 rule->port_min;
	if (rule->proto && !rule->port_min) {
		rule->port_min = 1;
		rule->port_max = 65535;
	}
	err = plink_rule_check(rule, &why);
	if (err)
		plink_set_err(extack, nest, why);
	return err;
}

/* The request's rules, as a security group; NULL for none. */
static struct plink_sg *plink_nl_parse_sg(struct genl_info *info)
{
	unsigned int n = plink_nl_count(info, PLINK_A_ENDPOINT_RULE);
	const struct nlattr *attr;
	struct plink_sg *sg;
	int rem, err;

	if (!n)
		return NULL;
	if (n > PLINK_MAX_RULES) {
		NL_SET_ERR_MSG(info->extack, "too many rules (max 60)");
		return ERR_PTR(-E2BIG);
	}
	sg = plink_sg_alloc(n);
	if (!sg) {
		NL_SET_ERR_MSG(info->extack, "no memory for the endpoint");
		return ERR_PTR(-ENOMEM);
	}
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != PLINK_A_ENDPOINT_RULE)
			continue;
		err = plink_nl_parse_rule(attr, &sg->rules[sg->n],
					  info->extack);
		if (err) {
			kfree(sg);
			return ERR_PTR(err);
		}
		sg->n++;
	}
	return sg;
}

/*
 * A new endpoint with the request's addresses and rules, not yet in the
 * registry.
 */
static struct plink_endpoint *plink_nl_parse_new_endpoint(struct genl_info *info)
{
	const struct nlattr *a_id;
	struct plink_endpoint *ep;
	struct plink_sg *sg;
	int err;

	ep = plink_endpoint_alloc();
	if (!ep) {
		NL_SET_ERR_MSG(info->extack, "no memory for the endpoint");
		return ERR_PTR(-ENOMEM);
	}
	err = plink_nl_parse_addrs(info, PLINK_A_ENDPOINT_ADDR, ep->addrs,
				   &ep->naddrs);
	if (err)
		goto err_free;
	a_id = info->attrs[PLINK_A_ENDPOINT_ID];
	if (a_id && (nla_strscpy(ep->id, a_id, sizeof(ep->id)) < 0 ||
		     !plink_endpoint_id_valid(ep->id))) {
		NL_SET_ERR_MSG_ATTR(info->extack, a_id,
				    "endpoint id must be \"plep-\" and 16 lowercase hex digits");
		err = -EINVAL;
		goto err_free;
	}
	ep->private_dns = !info->attrs[PLINK_A_ENDPOINT_PRIVATE_DNS] ||
			  nla_get_u8(info->attrs[PLINK_A_ENDPOINT_PRIVATE_DNS]);
	sg = plink_nl_parse_sg(info);
	if (IS_ERR(sg)) {
		err = PTR_ERR(sg);
		goto err_free;
	}
	RCU_INIT_POINTER(ep->sg, sg);
	return ep;

err_free:
	plink_endpoint_free(ep);
	return ERR_PTR(err);
}

static int plink_nl_put_rule(struct sk_buff *skb, const struct plink_rule *r)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PLINK_A_ENDPOINT_RULE);
	if (!nest ||
	    plink_nl_put_addr(skb, PLINK_A_RULE_PREFIX, &r->prefix) ||
	    nla_put_u8(skb, PLINK_A_RULE_PREFIX_LEN, r->prefix_len))
		return -EMSGSIZE;
	if (r->proto &&
	    (nla_put_u8(skb, PLINK_A_RULE_PROTO, r->proto) ||
	     nla_put_be16(skb, PLINK_A_RULE_PORT_MIN, htons(r->port_min)) ||
	     nla_put_be16(skb, PLINK_A_RULE_PORT_MAX, htons(r->port_max))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The consumer sees all of its endpoint but its mark; the provider, its
 * mark and not the consumer's netns's addresses and rules.  @revoked: the
 * flows the change an event tells of reset, or NULL.  Under plink_cfg_lock.
 */
static int plink_nl_put_endpoint(struct sk_buff *skb,
				 const struct plink_endpoint *ep,
				 enum plink_view side, u8 cmd, u32 portid,
				 u32 seq, int flags,
				 struct netlink_callback *cb,
				 const u32 *revoked)
{
	const struct plink_sg *sg;
	unsigned int i;
	void *hdr;

	hdr = plink_nl_put_hdr(skb, portid, seq, flags, cmd, cb);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, PLINK_A_ENDPOINT_ID, ep->id) ||
	    nla_put_string(skb, PLINK_A_ENDPOINT_SERVICE, ep->svc_name) ||
	    nla_put_u32(skb, PLINK_A_ENDPOINT_STATE, READ_ONCE(ep->state)) ||
	    nla_put_u32(skb, PLINK_A_ENDPOINT_OWNER_UID, ep->owner_uid) ||
	    nla_put_u32(skb, PLINK_A_ENDPOINT_SERVICE_OWNER, ep->svc_owner) ||
	    plink_nl_put_stats(skb, PLINK_A_ENDPOINT_STATS, &ep->cnt,
			       PLINK_STAT_HEALTH_FIRST))
		goto cancel;
	if (revoked && nla_put_u32(skb, PLINK_A_ENDPOINT_REVOKED, *revoked))
		goto cancel;
	if (side == PLINK_VIEW_PROVIDER &&
	    nla_put_u32(skb, PLINK_A_ENDPOINT_MARK, READ_ONCE(ep->mark)))
		goto cancel;
	if (side != PLINK_VIEW_CONSUMER)
		goto end;
	if (nla_put_u32(skb, PLINK_A_ENDPOINT_IFINDEX, ep->dev->dev->ifindex) ||
	    nla_put_u8(skb, PLINK_A_ENDPOINT_PRIVATE_DNS, ep->private_dns))
		goto cancel;
	for (i = 0; i < ep->naddrs; i++) {
		if (plink_nl_put_addr(skb, PLINK_A_ENDPOINT_ADDR, &ep->addrs[i]))
			goto cancel;
	}
	sg = rcu_dereference_protected(ep->sg,
				       lockdep_is_held(&plink_cfg_lock));
	for (i = 0; sg && i < sg->n; i++) {
		if (plink_nl_put_rule(skb, &sg->rules[i]))
			goto cancel;
	}
end:
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static void plink_nl_endpoint_notify(const struct plink_endpoint *ep,
				     struct net *net, enum plink_view side,
				     const u32 *revoked)
{
	struct sk_buff *msg;

	/* Nobody listens (the common case): nothing to build. */
	if (!genl_has_listeners(&plink_nl_family, net, PLINK_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (plink_nl_put_endpoint(msg, ep, side, PLINK_CMD_ENDPOINT_NTF,
				  0, 0, 0, NULL, revoked)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&plink_nl_family, net, msg, 0,
				PLINK_NLGRP_EVENTS, GFP_KERNEL);
}

static void plink_nl_endpoint_events(const struct plink_endpoint *ep,
				     const u32 *revoked)
{
	plink_nl_endpoint_notify(ep, ep->net, PLINK_VIEW_CONSUMER, revoked);
	if (ep->svc && !net_eq(ep->svc->net, ep->net))
		plink_nl_endpoint_notify(ep, ep->svc->net, PLINK_VIEW_PROVIDER,
					 revoked);
}

void plink_nl_endpoint_event(const struct plink_endpoint *ep)
{
	plink_nl_endpoint_events(ep, NULL);
}

/* An event for the provider only (its own change, the consumer's mark). */
void plink_nl_endpoint_event_provider(const struct plink_endpoint *ep)
{
	if (ep->svc && !net_eq(ep->svc->net, ep->net))
		plink_nl_endpoint_notify(ep, ep->svc->net, PLINK_VIEW_PROVIDER,
					 NULL);
}

/* An event of a change that reset @revoked flows (revoked says so). */
void plink_nl_endpoint_event_revoked(const struct plink_endpoint *ep,
				     u32 revoked)
{
	plink_nl_endpoint_events(ep, &revoked);
}

/*
 * No such service (or none the caller may see): a saved endpoint, with its
 * id and its service as "uid:N/NAME", waits for it in pending-service
 * (plink_endpoint_create_waiting()); anything else is "no such service",
 * as the lookup said.
 */
static int plink_nl_endpoint_new_waiting(struct net *net,
					 struct plink_dev *pd,
					 const struct nlattr *a_svc, u32 uid,
					 struct plink_endpoint *ep,
					 struct netlink_ext_ack *extack)
{
	struct plink_svc_ref r;
	char ref[PLINK_SVC_REF_LEN];

	nla_strscpy(ref, a_svc, sizeof(ref));
	if (!ep->id[0] || plink_svc_ref_parse(&r, ref) ||
	    r.kind != PLINK_SVC_REF_OWNER)
		return -ENOENT;
	/* The lookup's "no such service" goes, or stays if this fails too. */
	extack->_msg = NULL;
	extack->bad_attr = NULL;
	return plink_endpoint_create_waiting(net, pd, r.uid, r.name, uid, ep,
					     extack);
}

int plink_nl_endpoint_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a_svc = info->attrs[PLINK_A_ENDPOINT_SERVICE];
	struct net *net = genl_info_net(info);
	u32 uid = plink_nl_uid(skb);
	struct plink_endpoint *ep;
	struct plink_service *svc;
	struct plink_dev *pd;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!a_svc) {
		NL_SET_ERR_MSG(info->extack, "missing service name");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ep = plink_nl_parse_new_endpoint(info);
	if (IS_ERR(ep)) {
		nlmsg_free(msg);
		return PTR_ERR(ep);
	}

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	pd = plink_nl_parse_dev(net, info->attrs[PLINK_A_ENDPOINT_IFINDEX],
				NULL, info->extack);
	/* A service the caller may not use is one that does not exist. */
	svc = IS_ERR(pd) ? ERR_CAST(pd) :
	      plink_nl_parse_service(a_svc, net, uid, false, info->extack);
	if (!IS_ERR(svc))
		err = plink_endpoint_create(net, pd, svc, uid, ep, info->extack);
	else if (PTR_ERR(svc) == -ENOENT)
		err = plink_nl_endpoint_new_waiting(net, pd, a_svc, uid, ep,
						    info->extack);
	else
		err = PTR_ERR(svc);
	if (!err) {
		hdr = genlmsg_put_reply(msg, info, &plink_nl_family, 0,
					PLINK_CMD_ENDPOINT_NEW);
		if (!hdr || nla_put_string(msg, PLINK_A_ENDPOINT_ID, ep->id) ||
		    nla_put_u32(msg, PLINK_A_ENDPOINT_STATE, ep->state))
			err = -EMSGSIZE;
		else
			genlmsg_end(msg, hdr);
		if (err)
			plink_endpoint_destroy(ep);
		ep = NULL;	/* the registry's now, or already freed */
	}
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	plink_endpoint_free(ep);
	return plink_nl_reply(msg, info, err);
}

/* The reply to endpoint-reject and endpoint-set: the flows reset. */
static int plink_nl_put_revoked(struct sk_buff *msg, struct genl_info *info,
				const struct plink_endpoint *ep, u8 cmd,
				u32 revoked)
{
	void *hdr;

	hdr = genlmsg_put_reply(msg, info, &plink_nl_family, 0, cmd);
	if (!hdr || nla_put_string(msg, PLINK_A_ENDPOINT_ID, ep->id) ||
	    nla_put_u32(msg, PLINK_A_ENDPOINT_REVOKED, revoked))
		return -EMSGSIZE;
	genlmsg_end(msg, hdr);
	return 0;
}

static int plink_nl_endpoint_decide(struct genl_info *info, u32 event)
{
	struct nlattr *attr = info->attrs[PLINK_A_ENDPOINT_ID];
	struct net *net = genl_info_net(info);
	struct plink_endpoint *ep;
	enum plink_view side;
	struct sk_buff *msg;
	u32 revoked = 0;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&plink_cfg_lock);
	ep = plink_nl_parse_endpoint(attr, net, &side, info->extack);
	if (IS_ERR(ep))
		err = PTR_ERR(ep);
	else
		err = plink_endpoint_decide(ep, net, event, &revoked,
					    info->extack);
	if (err == -EPERM)
		NL_SET_BAD_ATTR(info->extack, attr);
	/* Only a rejection revokes: accept's answer stays an ack. */
	if (!err && event == PLINK_EP_REJECT)
		err = plink_nl_put_revoked(msg, info, ep,
					   PLINK_CMD_ENDPOINT_REJECT, revoked);
	else if (!err) {
		nlmsg_free(msg);
		msg = NULL;
	}
	mutex_unlock(&plink_cfg_lock);
	if (!msg)
		return 0;
	return plink_nl_reply(msg, info, err);
}

int plink_nl_endpoint_accept_doit(struct sk_buff *skb, struct genl_info *info)
{
	return plink_nl_endpoint_decide(info, PLINK_EP_ACCEPT);
}

int plink_nl_endpoint_reject_doit(struct sk_buff *skb, struct genl_info *info)
{
	return plink_nl_endpoint_decide(info, PLINK_EP_REJECT);
}

int plink_nl_endpoint_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PLINK_A_ENDPOINT_ID];
	struct net *net = genl_info_net(info);
	struct plink_endpoint *ep;
	enum plink_view side;
	int err;

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	ep = plink_nl_parse_endpoint(attr, net, &side, info->extack);
	if (IS_ERR(ep))
		err = PTR_ERR(ep);
	else
		err = plink_endpoint_remove(ep, net, info->extack);
	if (err == -EPERM)
		NL_SET_BAD_ATTR(info->extack, attr);
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	return err;
}

int plink_nl_endpoint_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_endpoint *ep;
	enum plink_view side;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&plink_cfg_lock);
	ep = plink_nl_parse_endpoint(info->attrs[PLINK_A_ENDPOINT_ID],
				     genl_info_net(info), &side, info->extack);
	if (IS_ERR(ep))
		err = PTR_ERR(ep);
	else
		err = plink_nl_put_endpoint(msg, ep, side,
					    PLINK_CMD_ENDPOINT_GET,
					    info->snd_portid, info->snd_seq,
					    0, NULL, NULL);
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_reply(msg, info, err);
}

/* The caller's netns's endpoints, and the endpoints of its services. */
int plink_nl_endpoint_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct plink_nl_dump_ctx *ctx = plink_nl_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct plink_endpoint *ep;
	unsigned long idx = 0;
	enum plink_view side;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	cb->seq = plink_cfg_gen;
	list_for_each_entry(ep, &plink_endpoints, list) {
		side = plink_endpoint_side(ep, net);
		if (side == PLINK_VIEW_NONE)
			continue;
		if (idx < ctx->idx) {
			idx++;
			continue;
		}
		err = plink_nl_put_endpoint(skb, ep, side,
					    PLINK_CMD_ENDPOINT_GET,
					    NETLINK_CB(cb->skb).portid,
					    cb->nlh->nlmsg_seq, NLM_F_MULTI, cb,
					    NULL);
		if (err)
			break;
		idx++;
	}
	mutex_unlock(&plink_cfg_lock);
	ctx->idx = idx;
	return plink_nl_dump_done(skb, err);
}

/*
 * endpoint-set: the provider sets the mark, the consumer replaces the
 * security group (rule-replace, with the request's rules, if any).
 */
int plink_nl_endpoint_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PLINK_A_ENDPOINT_ID];
	struct nlattr *a_mark = info->attrs[PLINK_A_ENDPOINT_MARK];
	bool set_sg = nla_get_flag(info->attrs[PLINK_A_ENDPOINT_RULE_REPLACE]);
	struct net *net = genl_info_net(info);
	struct plink_endpoint *ep;
	struct plink_sg *sg = NULL;
	enum plink_view side;
	struct sk_buff *msg;
	u32 revoked = 0, mark;
	int err;

	if (!set_sg && plink_nl_count(info, PLINK_A_ENDPOINT_RULE)) {
		NL_SET_ERR_MSG(info->extack,
			       "rules replace the security group: rule-replace is needed");
		return -EINVAL;
	}
	if (!a_mark && !set_sg) {
		NL_SET_ERR_MSG(info->extack, "nothing to change: mark or rules");
		return -EINVAL;
	}
	if (set_sg) {
		sg = plink_nl_parse_sg(info);
		if (IS_ERR(sg))
			return PTR_ERR(sg);
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		kfree(sg);
		return -ENOMEM;
	}
	if (a_mark)
		mark = nla_get_u32(a_mark);

	mutex_lock(&plink_cfg_lock);
	ep = plink_nl_parse_endpoint(attr, net, &side, info->extack);
	if (IS_ERR(ep))
		err = PTR_ERR(ep);
	else
		err = plink_endpoint_set(ep, net, a_mark ? &mark : NULL, &sg,
					 set_sg, &revoked, info->extack);
	/* Which change the caller may not make. */
	if (err == -EPERM)
		NL_SET_BAD_ATTR(info->extack,
				a_mark && side != PLINK_VIEW_PROVIDER ? a_mark :
				info->attrs[PLINK_A_ENDPOINT_RULE_REPLACE]);
	if (!err)
		err = plink_nl_put_revoked(msg, info, ep,
					   PLINK_CMD_ENDPOINT_SET, revoked);
	mutex_unlock(&plink_cfg_lock);
	kfree(sg);
	return plink_nl_reply(msg, info, err);
}
