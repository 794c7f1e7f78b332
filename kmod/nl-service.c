// SPDX-License-Identifier: GPL-2.0
/*
 * The family's service handlers: service-new, -set, -del and -get.  What a
 * caller may see of a service is plink_service_view()'s to say.
 */

#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "flow.h"
#include "maglev.h"
#include "netlink-gen.h"
#include "netlink.h"

/* The service named in the request, of the caller's netns (its provider). */
static struct plink_service *plink_nl_own_service(struct genl_info *info,
						  int type, u32 uid)
{
	return plink_nl_parse_service(info->attrs[type], genl_info_net(info),
				      uid, true, info->extack);
}

static int plink_nl_put_service_new(struct sk_buff *msg,
				    struct genl_info *info,
				    const struct plink_service *svc)
{
	void *hdr;

	hdr = genlmsg_put_reply(msg, info, &plink_nl_family, 0,
				PLINK_CMD_SERVICE_NEW);
	if (!hdr ||
	    nla_put_string(msg, PLINK_A_SERVICE_ID, svc->id) ||
	    nla_put_string(msg, PLINK_A_SERVICE_NAME, svc->name) ||
	    nla_put_u32(msg, PLINK_A_SERVICE_OWNER_UID, svc->owner_uid))
		return -EMSGSIZE;
	genlmsg_end(msg, hdr);
	return 0;
}

int plink_nl_service_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *a_name = info->attrs[PLINK_A_SERVICE_NAME];
	struct net *net = genl_info_net(info);
	struct plink_accepted *accepted = NULL;
	struct plink_service_cfg *cfg;
	struct plink_service *svc;
	char name[PLINK_NAME_LEN];
	unsigned int naccepted;
	struct plink_dev *nlb;
	struct sk_buff *msg;
	int err;

	if (!a_name) {
		NL_SET_ERR_MSG(info->extack, "missing service name");
		return -EINVAL;
	}
	/* The policy lets a reference ("uid:N/NAME") through: up to 79 bytes. */
	if (nla_strscpy(name, a_name, sizeof(name)) < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, a_name,
				    "service name must be 1-63 letters, digits, '.', '-' or '_'");
		return -EINVAL;
	}

	cfg = kzalloc(sizeof(*cfg), PLINK_GFP_TENANT);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!cfg || !msg) {
		NL_SET_ERR_MSG(info->extack, "no memory for the service");
		err = -ENOMEM;
		goto out_free;
	}
	plink_service_cfg_init(cfg);
	err = plink_nl_parse_service_cfg(info, cfg);
	if (!err)
		err = plink_nl_parse_accepted(info, &accepted, &naccepted);
	if (err)
		goto out_free;

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	nlb = plink_nl_parse_dev(net, info->attrs[PLINK_A_SERVICE_IFINDEX],
				 NULL, info->extack);
	if (IS_ERR(nlb))
		err = PTR_ERR(nlb);
	else
		err = plink_service_create(net, nlb, plink_nl_uid(skb), name,
					   cfg, &svc, info->extack);
	if (!err) {
		cfg = NULL;	/* the service's now */
		svc->accepted = accepted;
		svc->naccepted = naccepted;
		accepted = NULL;
		plink_service_adopt(svc);
		err = plink_nl_put_service_new(msg, info, svc);
	}
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	if (err)
		goto out_free;
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	kfree(accepted);
	kfree(cfg);
	return err;
}

/* service-set's reply: how many flows the change reset. */
static int plink_nl_put_service_set(struct sk_buff *msg,
				    struct genl_info *info,
				    const struct plink_service *svc, u32 revoked)
{
	void *hdr;

	hdr = genlmsg_put_reply(msg, info, &plink_nl_family, 0,
				PLINK_CMD_SERVICE_SET);
	if (!hdr ||
	    nla_put_string(msg, PLINK_A_SERVICE_NAME, svc->name) ||
	    nla_put_u32(msg, PLINK_A_SERVICE_REVOKED, revoked))
		return -EMSGSIZE;
	genlmsg_end(msg, hdr);
	return 0;
}

int plink_nl_service_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_service_cfg *cfg;
	struct plink_service *svc;
	struct sk_buff *msg;
	u32 revoked = 0;
	int err;

	if (info->attrs[PLINK_A_SERVICE_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PLINK_A_SERVICE_IFINDEX],
				    "a service's NLB device cannot change");
		return -EOPNOTSUPP;
	}
	cfg = kmalloc(sizeof(*cfg), PLINK_GFP_TENANT);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!cfg || !msg) {
		NL_SET_ERR_MSG(info->extack, "no memory for the service");
		kfree(cfg);
		nlmsg_free(msg);
		return -ENOMEM;
	}

	mutex_lock(&plink_cfg_lock);
	svc = plink_nl_own_service(info, PLINK_A_SERVICE_NAME,
				   plink_nl_uid(skb));
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
		kfree(cfg);
		goto out;
	}
	memcpy(cfg, rcu_dereference_protected(svc->cfg,
					      lockdep_is_held(&plink_cfg_lock)),
	       sizeof(*cfg));
	err = plink_nl_parse_service_cfg(info, cfg);
	if (err) {
		kfree(cfg);
		goto out;
	}
	err = plink_service_replace_cfg(svc, cfg, &revoked, info->extack);
	if (!err) {
		/* It may allow principals or families it did not. */
		plink_service_adopt(svc);
		err = plink_nl_put_service_set(msg, info, svc, revoked);
	}
out:
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_reply(msg, info, err);
}

int plink_nl_service_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_service *svc;
	bool force;
	int err;

	/* Its NLB device's binding may change: RTNL, as for service-new. */
	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	svc = plink_nl_own_service(info, PLINK_A_SERVICE_NAME,
				   plink_nl_uid(skb));
	if (IS_ERR(svc)) {
		err = PTR_ERR(svc);
	} else {
		force = nla_get_flag(info->attrs[PLINK_A_SERVICE_FORCE]);
		/* Without force, no endpoint passes traffic: no flow to reset. */
		if (force)
			plink_flows_reset(NULL, svc, NULL);
		err = plink_service_destroy(svc, force, info->extack);
	}
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	return err;
}

/* A listener; its target port is the provider's business only. */
static int plink_nl_put_listener(struct sk_buff *skb,
				 const struct plink_listener *l,
				 enum plink_view view)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PLINK_A_SERVICE_LISTENER);
	if (!nest ||
	    nla_put_u8(skb, PLINK_A_LISTENER_PROTO, l->proto) ||
	    nla_put_be16(skb, PLINK_A_LISTENER_PORT, l->port) ||
	    (view == PLINK_VIEW_PROVIDER &&
	     nla_put_be16(skb, PLINK_A_LISTENER_TARGET_PORT, l->target_port)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int plink_nl_put_principal(struct sk_buff *skb,
				  const struct plink_principal *p)
{
	char buf[PLINK_PRINCIPAL_LEN];

	if (p->any)
		strscpy(buf, "*", sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "uid:%u", p->uid);
	return nla_put_string(skb, PLINK_A_SERVICE_PRINCIPAL, buf);
}

static int plink_nl_put_health_check(struct sk_buff *skb,
				     const struct plink_health_cfg *hc)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PLINK_A_SERVICE_HEALTH_CHECK);
	if (!nest || nla_put_u32(skb, PLINK_A_HEALTH_CHECK_TYPE, hc->type))
		return -EMSGSIZE;
	if (hc->type != PLINK_HEALTH_CHECK_TYPE_OFF &&
	    (nla_put_be16(skb, PLINK_A_HEALTH_CHECK_PORT, hc->port) ||
	     nla_put_u32(skb, PLINK_A_HEALTH_CHECK_INTERVAL, hc->interval) ||
	     nla_put_u32(skb, PLINK_A_HEALTH_CHECK_TIMEOUT, hc->timeout) ||
	     nla_put_u32(skb, PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD,
			 hc->healthy) ||
	     nla_put_u32(skb, PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD,
			 hc->unhealthy) ||
	     nla_put_u8(skb, PLINK_A_HEALTH_CHECK_PASSIVE, hc->passive)))
		return -EMSGSIZE;
	if (hc->type == PLINK_HEALTH_CHECK_TYPE_HTTP &&
	    (nla_put_string(skb, PLINK_A_HEALTH_CHECK_PATH, hc->path) ||
	     nla_put_string(skb, PLINK_A_HEALTH_CHECK_MATCH, hc->match)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int plink_nl_put_accepted(struct sk_buff *skb, const char *id, u32 uid)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, PLINK_A_SERVICE_ACCEPTED);
	if (!nest || nla_put_string(skb, PLINK_A_ACCEPTED_ID, id) ||
	    nla_put_u32(skb, PLINK_A_ACCEPTED_OWNER_UID, uid))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The endpoints accepted in advance and not created yet (at most
 * PLINK_MAX_ACCEPTED: the endpoints a service has accepted, as many as its
 * consumers made, are in endpoint-get's replies, not here).
 */
static int plink_nl_put_service_accepted(struct sk_buff *skb,
					 const struct plink_service *svc)
{
	unsigned int i;

	for (i = 0; i < svc->naccepted; i++) {
		if (plink_nl_put_accepted(skb, svc->accepted[i].id,
					  svc->accepted[i].uid))
			return -EMSGSIZE;
	}
	return 0;
}

/* What only the provider sees of its service. */
static int plink_nl_put_service_own(struct sk_buff *skb,
				    struct plink_service *svc,
				    const struct plink_service_cfg *cfg)
{
	u64 sum[PLINK_STAT_MAX];
	unsigned int i;

	plink_service_stats_read(svc, sum);

	if (nla_put_u32(skb, PLINK_A_SERVICE_IFINDEX, svc->nlb->dev->ifindex) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_TIMEOUT_TCP, cfg->timeout_tcp) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_TIMEOUT_UDP, cfg->timeout_udp) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_DEREG_DELAY, cfg->dereg_delay) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_MAX_FLOWS, cfg->max_flows) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_STATE, svc->state) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_N_TARGETS, svc->ntargets) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_N_ENDPOINTS, svc->nendpoints) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_MAGLEV_SIZE, cfg->maglev_size) ||
	    nla_put_u8(skb, PLINK_A_SERVICE_FAIL_OPEN, cfg->fail_open) ||
	    nla_put_u8(skb, PLINK_A_SERVICE_RESET_UNHEALTHY,
		       cfg->reset_unhealthy) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_REVOKE, cfg->revoke) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS,
			plink_endpoint_max_flows(cfg)) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_PROXY_PROTOCOL,
			cfg->proxy_protocol) ||
	    plink_nl_put_sums(skb, PLINK_A_SERVICE_STATS, sum,
			      PLINK_STAT_HEALTH_FIRST) ||
	    plink_nl_put_health_check(skb, &cfg->hc))
		return -EMSGSIZE;
	for (i = 0; i < cfg->naddrs; i++) {
		if (plink_nl_put_addr(skb, PLINK_A_SERVICE_ADDR, &cfg->addrs[i]))
			return -EMSGSIZE;
	}
	for (i = 0; i < cfg->nprincipals; i++) {
		if (plink_nl_put_principal(skb, &cfg->principals[i]))
			return -EMSGSIZE;
	}
	return plink_nl_put_service_accepted(skb, svc);
}

static int plink_nl_put_service(struct sk_buff *skb,
				struct plink_service *svc,
				enum plink_view view, u32 portid, u32 seq,
				int flags, struct netlink_callback *cb)
{
	const struct plink_service_cfg *cfg;
	unsigned int i;
	void *hdr;

	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	hdr = plink_nl_put_hdr(skb, portid, seq, flags, PLINK_CMD_SERVICE_GET,
			       cb);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, PLINK_A_SERVICE_ID, svc->id) ||
	    nla_put_string(skb, PLINK_A_SERVICE_NAME, svc->name) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_OWNER_UID, svc->owner_uid) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_ACCEPTANCE, cfg->acceptance))
		goto cancel;
	if (cfg->dns_name[0] &&
	    nla_put_string(skb, PLINK_A_SERVICE_DNS_NAME, cfg->dns_name))
		goto cancel;
	for (i = 0; i < cfg->nlisteners; i++) {
		if (plink_nl_put_listener(skb, &cfg->listeners[i], view))
			goto cancel;
	}
	if (view == PLINK_VIEW_PROVIDER &&
	    plink_nl_put_service_own(skb, svc, cfg))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int plink_nl_service_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PLINK_A_SERVICE_NAME];
	struct net *net = genl_info_net(info);
	u32 uid = plink_nl_uid(skb);
	struct plink_service *svc;
	struct sk_buff *msg;
	int err;

	/* Room for the most of every list, the accepted endpoints with them. */
	msg = genlmsg_new(NLMSG_GOODSIZE + PLINK_MAX_ACCEPTED *
			  nla_total_size(nla_total_size(PLINK_ID_LEN) +
					 nla_total_size(sizeof(u32))),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&plink_cfg_lock);
	/* A service of the caller's netns, or one it may use. */
	svc = plink_nl_parse_service(attr, net, uid, true, NULL);
	if (IS_ERR(svc))
		svc = plink_nl_parse_service(attr, net, uid, false,
					     info->extack);
	if (IS_ERR(svc))
		err = PTR_ERR(svc);
	else
		err = plink_nl_put_service(msg, svc,
					   plink_service_view(svc, net, uid),
					   info->snd_portid, info->snd_seq, 0,
					   NULL);
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_reply(msg, info, err);
}

int plink_nl_service_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct plink_nl_dump_ctx *ctx = plink_nl_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	u32 uid = plink_nl_uid(cb->skb);
	struct plink_service *svc;
	unsigned long idx = 0;
	enum plink_view view;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	cb->seq = plink_cfg_gen;
	list_for_each_entry(svc, &plink_services, list) {
		view = plink_service_view(svc, net, uid);
		if (view == PLINK_VIEW_NONE)
			continue;
		if (idx < ctx->idx) {
			idx++;
			continue;
		}
		err = plink_nl_put_service(skb, svc, view,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		idx++;
	}
	mutex_unlock(&plink_cfg_lock);
	ctx->idx = idx;
	return plink_nl_dump_done(skb, err);
}
