// SPDX-License-Identifier: GPL-2.0
/*
 * The "plink" generic netlink family.  Its operations and attribute policies
 * are generated from Documentation/netlink/specs/plink.yaml into
 * netlink-gen.[ch]; this file implements them.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "compat.h"
#include "flow.h"
#include "maglev.h"
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
 * End one part of a dump that has sent objects up to @idx: a full skb
 * (-EMSGSIZE with something in it) means the core calls again.
 */
static int plink_nl_dump_done(struct sk_buff *skb, struct netlink_callback *cb,
			      unsigned long idx, int err)
{
	cb->args[0] = idx;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
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

	return plink_nl_dump_done(skb, cb, idx, err);
}

/* ---- common helpers ----------------------------------------------------- */

/* The requester's principal: its uid in the initial user namespace. */
static u32 plink_nl_uid(const struct sk_buff *skb)
{
	return from_kuid_munged(&init_user_ns, NETLINK_CB(skb).creds.uid);
}

static int plink_nl_put_addr(struct sk_buff *skb, int type,
			     const struct plink_addr *addr)
{
	if (addr->family == AF_INET)
		return nla_put_in_addr(skb, type, addr->ip);
	return nla_put_in6_addr(skb, type, &addr->in6);
}

/* The counters of an endpoint, a service or a target, as a nest. */
static int plink_nl_put_stats(struct sk_buff *skb, int type,
			      const struct plink_counted *cnt)
{
	u64 sum[PLINK_STAT_MAX];
	struct nlattr *nest;
	int i;

	plink_stats_read(cnt, sum);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < PLINK_STAT_MAX; i++) {
		if (nla_put_u64_64bit(skb, PLINK_A_STATS_FWD_PACKETS + i, sum[i],
				      PLINK_A_STATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int plink_nl_get_addr(const struct nlattr *attr, struct plink_addr *addr,
			     struct netlink_ext_ack *extack)
{
	if (plink_addr_from_bytes(addr, nla_data(attr), nla_len(attr))) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	return 0;
}

/* Every @type attribute of the request, at most @max of them, into @addrs. */
static int plink_nl_get_addrs(struct genl_info *info, int type,
			      struct plink_addr *addrs, unsigned int *n,
			      struct netlink_ext_ack *extack)
{
	const struct nlattr *attr;
	int rem, err;

	*n = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != type)
			continue;
		if (*n >= PLINK_MAX_ADDRS) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "too many addresses");
			return -E2BIG;
		}
		err = plink_nl_get_addr(attr, &addrs[*n], extack);
		if (err)
			return err;
		(*n)++;
	}
	return 0;
}

static bool plink_nl_has(struct genl_info *info, int type)
{
	const struct nlattr *attr;
	int rem;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) == type)
			return true;
	}
	return false;
}

/* The plink device @ifindex of @net, under RTNL. */
static struct plink_dev *plink_nl_get_dev(struct net *net, struct nlattr *attr,
					  struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (!attr) {
		NL_SET_ERR_MSG(extack, "missing device (ifindex)");
		return ERR_PTR(-EINVAL);
	}
	dev = __dev_get_by_index(net, nla_get_u32(attr));
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

static struct genl_family plink_nl_family;

/* ---- services ------------------------------------------------------------ */

static int plink_nl_get_listener(const struct nlattr *nest,
				 struct plink_listener *l,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PLINK_A_LISTENER_MAX + 1];
	int err;

	err = nla_parse_nested(tb, PLINK_A_LISTENER_MAX, nest,
			       plink_listener_nl_policy, extack);
	if (err)
		return err;
	if (!tb[PLINK_A_LISTENER_PROTO] || !tb[PLINK_A_LISTENER_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "listener needs a protocol and a port");
		return -EINVAL;
	}
	l->proto = nla_get_u8(tb[PLINK_A_LISTENER_PROTO]);
	if (l->proto != IPPROTO_TCP && l->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PLINK_A_LISTENER_PROTO],
				    "listener protocol must be tcp or udp");
		return -EINVAL;
	}
	l->port = nla_get_be16(tb[PLINK_A_LISTENER_PORT]);
	l->target_port = tb[PLINK_A_LISTENER_TARGET_PORT] ?
			 nla_get_be16(tb[PLINK_A_LISTENER_TARGET_PORT]) :
			 l->port;
	return 0;
}

static int plink_nl_get_u32_range(struct genl_info *info, int type, u32 min,
				  u32 max, u32 *val, const char *what)
{
	struct nlattr *attr = info->attrs[type];

	if (!attr)
		return 0;
	if (nla_get_u32(attr) < min || nla_get_u32(attr) > max) {
		plink_set_err(info->extack, attr, what);
		return -ERANGE;
	}
	*val = nla_get_u32(attr);
	return 0;
}

/* Apply the request's service attributes to @cfg (a copy, or defaults). */
static int plink_nl_parse_service_cfg(struct genl_info *info,
				      struct plink_service_cfg *cfg)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *attr;
	int rem, err;

	if (plink_nl_has(info, PLINK_A_SERVICE_ADDR)) {
		err = plink_nl_get_addrs(info, PLINK_A_SERVICE_ADDR, cfg->addrs,
					 &cfg->naddrs, extack);
		if (err)
			return err;
	}
	if (plink_nl_has(info, PLINK_A_SERVICE_LISTENER)) {
		cfg->nlisteners = 0;
		nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
			if (nla_type(attr) != PLINK_A_SERVICE_LISTENER)
				continue;
			if (cfg->nlisteners >= PLINK_MAX_LISTENERS) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "too many listeners (max 50)");
				return -E2BIG;
			}
			err = plink_nl_get_listener(attr,
						    &cfg->listeners[cfg->nlisteners],
						    extack);
			if (err)
				return err;
			cfg->nlisteners++;
		}
	}
	if (plink_nl_has(info, PLINK_A_SERVICE_PRINCIPAL)) {
		cfg->nprincipals = 0;
		nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
			char buf[PLINK_PRINCIPAL_LEN];

			if (nla_type(attr) != PLINK_A_SERVICE_PRINCIPAL)
				continue;
			if (cfg->nprincipals >= PLINK_MAX_PRINCIPALS) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "too many principals (max 64)");
				return -E2BIG;
			}
			nla_strscpy(buf, attr, sizeof(buf));
			if (plink_principal_parse(&cfg->principals[cfg->nprincipals],
						  buf)) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "principal must be \"uid:N\" or \"*\"");
				return -EINVAL;
			}
			cfg->nprincipals++;
		}
	}
	if (info->attrs[PLINK_A_SERVICE_ACCEPTANCE])
		cfg->acceptance = nla_get_u32(info->attrs[PLINK_A_SERVICE_ACCEPTANCE]);
	if (info->attrs[PLINK_A_SERVICE_FAIL_OPEN])
		cfg->fail_open = nla_get_u8(info->attrs[PLINK_A_SERVICE_FAIL_OPEN]);
	if (info->attrs[PLINK_A_SERVICE_RESET_UNHEALTHY])
		cfg->reset_unhealthy =
			nla_get_u8(info->attrs[PLINK_A_SERVICE_RESET_UNHEALTHY]);
	attr = info->attrs[PLINK_A_SERVICE_MAGLEV_SIZE];
	if (attr) {
		u32 m = nla_get_u32(attr);

		if (m < PLINK_MAGLEV_MIN_SIZE || !plink_maglev_size_valid(m)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "Maglev table size must be a prime from 251 to 65537");
			return -EINVAL;
		}
		cfg->maglev_size = m;
	}

	return plink_nl_get_u32_range(info, PLINK_A_SERVICE_TIMEOUT_TCP,
				      PLINK_TIMEOUT_MIN, PLINK_TIMEOUT_MAX,
				      &cfg->timeout_tcp,
				      "TCP idle timeout must be 60-6000 s") ?:
	       plink_nl_get_u32_range(info, PLINK_A_SERVICE_TIMEOUT_UDP,
				      PLINK_TIMEOUT_MIN, PLINK_TIMEOUT_MAX,
				      &cfg->timeout_udp,
				      "UDP idle timeout must be 60-6000 s") ?:
	       plink_nl_get_u32_range(info, PLINK_A_SERVICE_DEREG_DELAY, 0,
				      PLINK_DEREG_DELAY_MAX, &cfg->dereg_delay,
				      "deregistration delay must be 0-3600 s") ?:
	       plink_nl_get_u32_range(info, PLINK_A_SERVICE_MAX_FLOWS, 1,
				      PLINK_MAX_FLOWS_LIMIT, &cfg->max_flows,
				      "max-flows must be 1-4194304") ?:
	       plink_nl_get_u32_range(info, PLINK_A_SERVICE_MAX_FLOWS, 1,
				      plink_flows_max(), &cfg->max_flows,
				      "max-flows is above the global flow table (max_flows)") ?:
	       plink_nl_get_u32_range(info, PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS,
				      0, PLINK_MAX_FLOWS_LIMIT,
				      &cfg->endpoint_max_flows,
				      "endpoint-max-flows must be 0-4194304");
}

/*
 * What @net may see of @svc: everything of its own services; of another
 * netns's service, if @uid may use it, its id, name, owner,
 * listeners and acceptance.
 */
enum { PLINK_VIEW_NONE, PLINK_VIEW_CONSUMER, PLINK_VIEW_PROVIDER };

static int plink_service_view(const struct plink_service *svc,
			      const struct net *net, u32 uid)
{
	const struct plink_service_cfg *cfg;

	if (net_eq(svc->net, net))
		return PLINK_VIEW_PROVIDER;
	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	if (plink_principal_allows(cfg->principals, cfg->nprincipals, uid))
		return PLINK_VIEW_CONSUMER;
	return PLINK_VIEW_NONE;
}

/* A bare @name of a provider: the one service of that name in @net. */
static struct plink_service *plink_nl_local_service(const struct net *net,
						    const char *name,
						    const struct nlattr *attr,
						    struct netlink_ext_ack *extack)
{
	struct plink_service *svc, *found = NULL;

	list_for_each_entry(svc, &plink_services, list) {
		if (!net_eq(svc->net, net) || strcmp(svc->name, name))
			continue;
		if (found) {
			/* The caller's netns holds both: no secret here. */
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "several owners have a service of this name here: name it uid:N/NAME");
			return ERR_PTR(-EINVAL);
		}
		found = svc;
	}
	return found;
}

/*
 * The service that @attr names ("plsvc-ID", "uid:N/NAME" or "NAME"), as
 * principal @uid in @net may see it.
 *
 * A provider (@provider) names a service of its own netns; a bare NAME is
 * its own uid's NAME there or, failing that, the only service of that name
 * in the netns.  A consumer names any service it may use; a bare NAME is
 * its own uid's NAME if there is one, else uid 0's (the host
 * administrator's), and nothing else: another owner's NAME can neither
 * shadow nor capture it.  A service the caller may not see gets the same
 * answer as one that does not exist.
 */
static struct plink_service *
plink_nl_service_lookup(const struct nlattr *attr, const struct net *net,
			u32 uid, bool provider, struct netlink_ext_ack *extack)
{
	struct plink_service *svc = NULL;
	char buf[PLINK_SVC_REF_LEN];
	struct plink_svc_ref ref;

	lockdep_assert_held(&plink_cfg_lock);
	if (!attr) {
		NL_SET_ERR_MSG(extack, "missing service name");
		return ERR_PTR(-EINVAL);
	}
	nla_strscpy(buf, attr, sizeof(buf));
	if (plink_svc_ref_parse(&ref, buf))
		goto noent;

	switch (ref.kind) {
	case PLINK_SVC_REF_ID:
		svc = plink_service_find_id(ref.name);
		break;
	case PLINK_SVC_REF_OWNER:
		svc = plink_service_find(ref.uid, ref.name);
		break;
	case PLINK_SVC_REF_NAME:
		svc = plink_service_find(uid, ref.name);
		if (provider && (!svc || !net_eq(svc->net, net)))
			svc = plink_nl_local_service(net, ref.name, attr,
						     extack);
		else if (!provider && !svc)
			svc = plink_service_find(0, ref.name);
		if (IS_ERR(svc))
			return svc;
		break;
	}
	if (svc && (provider ? net_eq(svc->net, net) :
		    plink_service_view(svc, net, uid) != PLINK_VIEW_NONE))
		return svc;
noent:
	NL_SET_ERR_MSG_ATTR(extack, attr, "no such service");
	return ERR_PTR(-ENOENT);
}

/* The service named in the request, of the caller's netns (its provider). */
static struct plink_service *plink_nl_own_service(struct genl_info *info,
						  int type, u32 uid)
{
	return plink_nl_service_lookup(info->attrs[type], genl_info_net(info),
				       uid, true, info->extack);
}

int plink_nl_service_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct plink_service_cfg *cfg;
	struct plink_service *svc;
	char name[PLINK_NAME_LEN];
	struct plink_dev *nlb;
	struct sk_buff *msg;
	void *hdr;
	int err;

	if (!info->attrs[PLINK_A_SERVICE_NAME]) {
		NL_SET_ERR_MSG(info->extack, "missing service name");
		return -EINVAL;
	}
	/* The policy lets a reference ("uid:N/NAME") through: up to 79 bytes. */
	if (nla_strscpy(name, info->attrs[PLINK_A_SERVICE_NAME],
			sizeof(name)) < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PLINK_A_SERVICE_NAME],
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
	if (err)
		goto out_free;

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	nlb = plink_nl_get_dev(net, info->attrs[PLINK_A_SERVICE_IFINDEX],
			       info->extack);
	if (IS_ERR(nlb))
		err = PTR_ERR(nlb);
	else
		err = plink_service_create(net, nlb, plink_nl_uid(skb), name,
					   cfg, &svc, info->extack);
	if (!err) {
		cfg = NULL;	/* the service's now */
		hdr = genlmsg_put_reply(msg, info, &plink_nl_family, 0,
					PLINK_CMD_SERVICE_NEW);
		if (!hdr ||
		    nla_put_string(msg, PLINK_A_SERVICE_ID, svc->id) ||
		    nla_put_string(msg, PLINK_A_SERVICE_NAME, svc->name) ||
		    nla_put_u32(msg, PLINK_A_SERVICE_OWNER_UID, svc->owner_uid))
			err = -EMSGSIZE;
		else
			genlmsg_end(msg, hdr);
	}
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	if (err)
		goto out_free;
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	kfree(cfg);
	return err;
}

int plink_nl_service_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_service_cfg *cfg;
	struct plink_service *svc;
	int err;

	if (info->attrs[PLINK_A_SERVICE_IFINDEX]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PLINK_A_SERVICE_IFINDEX],
				    "a service's NLB device cannot change");
		return -EOPNOTSUPP;
	}
	cfg = kmalloc(sizeof(*cfg), PLINK_GFP_TENANT);
	if (!cfg) {
		NL_SET_ERR_MSG(info->extack, "no memory for the service");
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
	err = plink_service_replace_cfg(svc, cfg, info->extack);
out:
	mutex_unlock(&plink_cfg_lock);
	return err;
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
				 const struct plink_listener *l, int view)
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

static int plink_nl_fill_service(struct sk_buff *skb,
				 const struct plink_service *svc, int view,
				 u32 portid, u32 seq, int flags,
				 struct netlink_callback *cb)
{
	const struct plink_service_cfg *cfg;
	unsigned int i;
	void *hdr;

	cfg = rcu_dereference_protected(svc->cfg,
					lockdep_is_held(&plink_cfg_lock));
	hdr = genlmsg_put(skb, portid, seq, &plink_nl_family, flags,
			  PLINK_CMD_SERVICE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_string(skb, PLINK_A_SERVICE_ID, svc->id) ||
	    nla_put_string(skb, PLINK_A_SERVICE_NAME, svc->name) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_OWNER_UID, svc->owner_uid) ||
	    nla_put_u32(skb, PLINK_A_SERVICE_ACCEPTANCE, cfg->acceptance))
		goto cancel;
	for (i = 0; i < cfg->nlisteners; i++) {
		if (plink_nl_put_listener(skb, &cfg->listeners[i], view))
			goto cancel;
	}
	if (view != PLINK_VIEW_PROVIDER)
		goto end;

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
	    nla_put_u32(skb, PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS,
			plink_endpoint_max_flows(cfg)) ||
	    plink_nl_put_stats(skb, PLINK_A_SERVICE_STATS, &svc->cnt))
		goto cancel;
	for (i = 0; i < cfg->naddrs; i++) {
		if (plink_nl_put_addr(skb, PLINK_A_SERVICE_ADDR, &cfg->addrs[i]))
			goto cancel;
	}
	for (i = 0; i < cfg->nprincipals; i++) {
		if (plink_nl_put_principal(skb, &cfg->principals[i]))
			goto cancel;
	}
end:
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

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&plink_cfg_lock);
	/* A service of the caller's netns, or one it may use. */
	svc = plink_nl_service_lookup(attr, net, uid, true, NULL);
	if (IS_ERR(svc))
		svc = plink_nl_service_lookup(attr, net, uid, false,
					      info->extack);
	if (IS_ERR(svc))
		err = PTR_ERR(svc);
	else
		err = plink_nl_fill_service(msg, svc,
					    plink_service_view(svc, net, uid),
					    info->snd_portid, info->snd_seq, 0,
					    NULL);
	mutex_unlock(&plink_cfg_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

int plink_nl_service_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	u32 uid = plink_nl_uid(cb->skb);
	unsigned long skip = cb->args[0], idx = 0;
	struct plink_service *svc;
	int view, err = 0;

	mutex_lock(&plink_cfg_lock);
	cb->seq = plink_cfg_gen;
	list_for_each_entry(svc, &plink_services, list) {
		view = plink_service_view(svc, net, uid);
		if (view == PLINK_VIEW_NONE)
			continue;
		if (idx++ < skip)
			continue;
		err = plink_nl_fill_service(skb, svc, view,
					    NETLINK_CB(cb->skb).portid,
					    cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err) {
			idx--;
			break;
		}
	}
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_dump_done(skb, cb, idx, err);
}

/* ---- targets ------------------------------------------------------------- */

static int plink_nl_fill_target(struct sk_buff *skb,
				const struct plink_service *svc,
				const struct plink_target *t, u8 cmd,
				u32 portid, u32 seq, int flags,
				struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &plink_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, PLINK_A_TARGET_SERVICE, svc->name) ||
	    plink_nl_put_addr(skb, PLINK_A_TARGET_ADDR, &t->addr) ||
	    nla_put_be16(skb, PLINK_A_TARGET_PORT, t->port) ||
	    nla_put_u32(skb, PLINK_A_TARGET_WEIGHT, t->weight) ||
	    nla_put_u32(skb, PLINK_A_TARGET_HEALTH, t->health) ||
	    (t->zone[0] && nla_put_string(skb, PLINK_A_TARGET_ZONE, t->zone)) ||
	    plink_nl_put_stats(skb, PLINK_A_TARGET_STATS, &t->cnt)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

void plink_nl_target_event(const struct plink_service *svc,
			   const struct plink_target *t)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (plink_nl_fill_target(msg, svc, t, PLINK_CMD_TARGET_NTF, 0, 0, 0,
				 NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&plink_nl_family, svc->net, msg, 0,
				PLINK_NLGRP_EVENTS, GFP_KERNEL);
}

/* The request's service (caller's own), target address and port. */
static struct plink_service *plink_nl_target_key(struct genl_info *info,
						 u32 uid,
						 struct plink_addr *addr,
						 __be16 *port)
{
	struct nlattr *a_addr = info->attrs[PLINK_A_TARGET_ADDR];
	struct plink_service *svc;
	int err;

	svc = plink_nl_own_service(info, PLINK_A_TARGET_SERVICE, uid);
	if (IS_ERR(svc))
		return svc;
	if (!a_addr) {
		NL_SET_ERR_MSG(info->extack, "missing target address");
		return ERR_PTR(-EINVAL);
	}
	err = plink_nl_get_addr(a_addr, addr, info->extack);
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
static struct plink_target *plink_nl_find_target(struct genl_info *info,
						 u32 uid,
						 struct plink_service **svcp)
{
	struct plink_service *svc;
	struct plink_target *t;
	struct plink_addr addr;
	__be16 port;

	svc = plink_nl_target_key(info, uid, &addr, &port);
	if (IS_ERR(svc))
		return ERR_CAST(svc);
	t = plink_target_find(svc, &addr, port);
	if (!t) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PLINK_A_TARGET_ADDR],
				    "no such target");
		return ERR_PTR(-ENOENT);
	}
	*svcp = svc;
	return t;
}

/*
 * Weight and health are single words: datapath readers see the old value or
 * the new one.  (The zone is for display only.)
 */
static void plink_nl_target_apply(struct genl_info *info,
				  struct plink_target *t)
{
	if (info->attrs[PLINK_A_TARGET_WEIGHT])
		WRITE_ONCE(t->weight,
			   nla_get_u32(info->attrs[PLINK_A_TARGET_WEIGHT]));
	if (info->attrs[PLINK_A_TARGET_HEALTH])
		WRITE_ONCE(t->health,
			   nla_get_u32(info->attrs[PLINK_A_TARGET_HEALTH]));
	if (info->attrs[PLINK_A_TARGET_ZONE])
		nla_strscpy(t->zone, info->attrs[PLINK_A_TARGET_ZONE],
			    sizeof(t->zone));
}

int plink_nl_target_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_service *svc;
	struct plink_target *t;
	int err;

	t = kzalloc(sizeof(*t), PLINK_GFP_TENANT);
	if (!t) {
		NL_SET_ERR_MSG(info->extack, "no memory for the target");
		return -ENOMEM;
	}
	t->weight = 1;
	t->health = PLINK_HEALTH_INITIAL;
	plink_nl_target_apply(info, t);

	mutex_lock(&plink_cfg_lock);
	svc = plink_nl_target_key(info, plink_nl_uid(skb), &t->addr, &t->port);
	err = IS_ERR(svc) ? PTR_ERR(svc) : plink_target_add(svc, t, info->extack);
	mutex_unlock(&plink_cfg_lock);
	if (err)
		kfree(t);
	return err;
}

int plink_nl_target_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_service *svc;
	struct plink_target *t;
	u32 health, weight;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	t = plink_nl_find_target(info, plink_nl_uid(skb), &svc);
	if (IS_ERR(t)) {
		err = PTR_ERR(t);
		goto out;
	}
	health = t->health;
	weight = t->weight;
	plink_nl_target_apply(info, t);
	if (plink_lb_update(svc)) {
		NL_SET_ERR_MSG(info->extack,
			       "no memory for the service's Maglev table");
		WRITE_ONCE(t->health, health);
		WRITE_ONCE(t->weight, weight);
		err = -ENOMEM;
		goto out;
	}
	plink_cfg_gen++;
	if (t->health != health)
		plink_nl_target_event(svc, t);
out:
	mutex_unlock(&plink_cfg_lock);
	return err;
}

int plink_nl_target_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_service *svc;
	struct plink_target *t;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	t = plink_nl_find_target(info, plink_nl_uid(skb), &svc);
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
	t = plink_nl_find_target(info, plink_nl_uid(skb), &svc);
	if (IS_ERR(t))
		err = PTR_ERR(t);
	else
		err = plink_nl_fill_target(msg, svc, t, PLINK_CMD_TARGET_GET,
					   info->snd_portid, info->snd_seq, 0,
					   NULL);
	mutex_unlock(&plink_cfg_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Targets of the caller's netns's services (of one, with a service name). */
int plink_nl_target_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = plink_dump_attrs(cb);
	struct net *net = sock_net(skb->sk);
	unsigned long skip = cb->args[0], idx = 0;
	struct plink_service *svc, *only = NULL;
	struct plink_target *t;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	if (attrs[PLINK_A_TARGET_SERVICE]) {
		only = plink_nl_service_lookup(attrs[PLINK_A_TARGET_SERVICE],
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
			if (idx++ < skip)
				continue;
			err = plink_nl_fill_target(skb, svc, t,
						   PLINK_CMD_TARGET_GET,
						   NETLINK_CB(cb->skb).portid,
						   cb->nlh->nlmsg_seq,
						   NLM_F_MULTI, cb);
			if (err) {
				idx--;
				goto out;
			}
		}
	}
out:
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_dump_done(skb, cb, idx, err);
}

/* ---- endpoints ----------------------------------------------------------- */

static int plink_nl_get_rule(const struct nlattr *nest, struct plink_rule *rule,
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
	err = plink_nl_get_addr(tb[PLINK_A_RULE_PREFIX], &rule->prefix, extack);
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

static int plink_nl_get_rules(struct genl_info *info, struct plink_endpoint *ep)
{
	const struct nlattr *attr;
	unsigned int n = 0;
	int rem, err;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem)
		n += nla_type(attr) == PLINK_A_ENDPOINT_RULE;
	if (!n)
		return 0;
	if (n > PLINK_MAX_RULES) {
		NL_SET_ERR_MSG(info->extack, "too many rules (max 60)");
		return -E2BIG;
	}
	ep->rules = kcalloc(n, sizeof(*ep->rules), PLINK_GFP_TENANT);
	if (!ep->rules) {
		NL_SET_ERR_MSG(info->extack, "no memory for the endpoint's rules");
		return -ENOMEM;
	}
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != PLINK_A_ENDPOINT_RULE)
			continue;
		err = plink_nl_get_rule(attr, &ep->rules[ep->nrules],
					info->extack);
		if (err)
			return err;
		ep->nrules++;
	}
	return 0;
}

/* The consumer sees all of its endpoint; the provider, not its netns's. */
static int plink_nl_fill_endpoint(struct sk_buff *skb,
				  const struct plink_endpoint *ep, bool consumer,
				  u8 cmd, u32 portid, u32 seq, int flags,
				  struct netlink_callback *cb)
{
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &plink_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, PLINK_A_ENDPOINT_ID, ep->id) ||
	    nla_put_string(skb, PLINK_A_ENDPOINT_SERVICE, ep->svc_name) ||
	    nla_put_u32(skb, PLINK_A_ENDPOINT_STATE, READ_ONCE(ep->state)) ||
	    nla_put_u32(skb, PLINK_A_ENDPOINT_OWNER_UID, ep->owner_uid) ||
	    nla_put_u32(skb, PLINK_A_ENDPOINT_SERVICE_OWNER, ep->svc_owner) ||
	    plink_nl_put_stats(skb, PLINK_A_ENDPOINT_STATS, &ep->cnt))
		goto cancel;
	if (!consumer)
		goto end;
	if (nla_put_u32(skb, PLINK_A_ENDPOINT_IFINDEX, ep->dev->dev->ifindex))
		goto cancel;
	for (i = 0; i < ep->naddrs; i++) {
		if (plink_nl_put_addr(skb, PLINK_A_ENDPOINT_ADDR, &ep->addrs[i]))
			goto cancel;
	}
	for (i = 0; i < ep->nrules; i++) {
		const struct plink_rule *r = &ep->rules[i];
		struct nlattr *nest;

		nest = nla_nest_start(skb, PLINK_A_ENDPOINT_RULE);
		if (!nest ||
		    plink_nl_put_addr(skb, PLINK_A_RULE_PREFIX, &r->prefix) ||
		    nla_put_u8(skb, PLINK_A_RULE_PREFIX_LEN, r->prefix_len))
			goto cancel;
		if (r->proto &&
		    (nla_put_u8(skb, PLINK_A_RULE_PROTO, r->proto) ||
		     nla_put_be16(skb, PLINK_A_RULE_PORT_MIN, htons(r->port_min)) ||
		     nla_put_be16(skb, PLINK_A_RULE_PORT_MAX, htons(r->port_max))))
			goto cancel;
		nla_nest_end(skb, nest);
	}
end:
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static void plink_nl_endpoint_notify(const struct plink_endpoint *ep,
				     struct net *net, bool consumer)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (plink_nl_fill_endpoint(msg, ep, consumer, PLINK_CMD_ENDPOINT_NTF,
				   0, 0, 0, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&plink_nl_family, net, msg, 0,
				PLINK_NLGRP_EVENTS, GFP_KERNEL);
}

void plink_nl_endpoint_event(const struct plink_endpoint *ep)
{
	plink_nl_endpoint_notify(ep, ep->net, true);
	if (ep->svc && !net_eq(ep->svc->net, ep->net))
		plink_nl_endpoint_notify(ep, ep->svc->net, false);
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

	ep = kzalloc(sizeof(*ep), PLINK_GFP_TENANT);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!ep || !msg) {
		NL_SET_ERR_MSG(info->extack, "no memory for the endpoint");
		err = -ENOMEM;
		goto out_free;
	}
	err = plink_nl_get_addrs(info, PLINK_A_ENDPOINT_ADDR, ep->addrs,
				 &ep->naddrs, info->extack) ?:
	      plink_nl_get_rules(info, ep);
	if (err)
		goto out_free;

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	pd = plink_nl_get_dev(net, info->attrs[PLINK_A_ENDPOINT_IFINDEX],
			      info->extack);
	/* A service the caller may not use is one that does not exist. */
	svc = IS_ERR(pd) ? ERR_CAST(pd) :
	      plink_nl_service_lookup(a_svc, net, uid, false, info->extack);
	if (IS_ERR(svc))
		err = PTR_ERR(svc);
	else
		err = plink_endpoint_create(net, pd, svc, uid, ep, info->extack);
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
	if (err)
		goto out_free;
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	if (ep)
		kfree(ep->rules);
	kfree(ep);
	return err;
}

/* The request's endpoint, if the caller's netns is on one of its sides. */
static struct plink_endpoint *plink_nl_endpoint(struct genl_info *info,
						bool *consumer)
{
	struct nlattr *attr = info->attrs[PLINK_A_ENDPOINT_ID];
	struct net *net = genl_info_net(info);
	struct plink_endpoint *ep;
	char id[PLINK_ID_LEN];

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "missing endpoint id");
		return ERR_PTR(-EINVAL);
	}
	nla_strscpy(id, attr, sizeof(id));
	ep = plink_endpoint_find(id);
	if (ep && net_eq(ep->net, net)) {
		*consumer = true;
		return ep;
	}
	if (ep && ep->svc && net_eq(ep->svc->net, net)) {
		*consumer = false;
		return ep;
	}
	NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such endpoint");
	return ERR_PTR(-ENOENT);
}

static int plink_nl_endpoint_decide(struct genl_info *info, u32 event)
{
	struct plink_endpoint *ep;
	bool consumer;
	int err;

	mutex_lock(&plink_cfg_lock);
	ep = plink_nl_endpoint(info, &consumer);
	if (IS_ERR(ep)) {
		err = PTR_ERR(ep);
	} else if (!ep->svc || !net_eq(ep->svc->net, genl_info_net(info))) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PLINK_A_ENDPOINT_ID],
				    "only the service's provider can accept or reject an endpoint");
		err = -EPERM;
	} else {
		err = plink_endpoint_set_state(ep, event, info->extack);
	}
	mutex_unlock(&plink_cfg_lock);
	return err;
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
	struct plink_endpoint *ep;
	bool consumer;
	int err = 0;

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	ep = plink_nl_endpoint(info, &consumer);
	if (IS_ERR(ep)) {
		err = PTR_ERR(ep);
	} else if (!consumer) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PLINK_A_ENDPOINT_ID],
				    "only the endpoint's consumer can delete it");
		err = -EPERM;
	} else {
		plink_flows_reset(ep, NULL, NULL);
		plink_endpoint_destroy(ep);
	}
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	return err;
}

int plink_nl_endpoint_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_endpoint *ep;
	struct sk_buff *msg;
	bool consumer;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&plink_cfg_lock);
	ep = plink_nl_endpoint(info, &consumer);
	if (IS_ERR(ep))
		err = PTR_ERR(ep);
	else
		err = plink_nl_fill_endpoint(msg, ep, consumer,
					     PLINK_CMD_ENDPOINT_GET,
					     info->snd_portid, info->snd_seq,
					     0, NULL);
	mutex_unlock(&plink_cfg_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* The caller's netns's endpoints, and the endpoints of its services. */
int plink_nl_endpoint_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	unsigned long skip = cb->args[0], idx = 0;
	struct plink_endpoint *ep;
	bool consumer;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	cb->seq = plink_cfg_gen;
	list_for_each_entry(ep, &plink_endpoints, list) {
		consumer = net_eq(ep->net, net);
		if (!consumer && !(ep->svc && net_eq(ep->svc->net, net)))
			continue;
		if (idx++ < skip)
			continue;
		err = plink_nl_fill_endpoint(skb, ep, consumer,
					     PLINK_CMD_ENDPOINT_GET,
					     NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err) {
			idx--;
			break;
		}
	}
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_dump_done(skb, cb, idx, err);
}

/* ---- flows --------------------------------------------------------------- */

static int plink_nl_put_inaddr(struct sk_buff *skb, int type,
			       const union nf_inet_addr *in, u8 family)
{
	struct plink_addr a;

	plink_flow_to_addr(&a, in, family);
	return plink_nl_put_addr(skb, type, &a);
}

/*
 * A flow as its consumer sees it (client and endpoint sides) and as its
 * provider does (NLB and target sides); each sees only its own addresses.
 */
static int plink_nl_fill_flow(struct sk_buff *skb, const struct plink_flow *f,
			      const struct net *net, u32 portid, u32 seq,
			      int flags)
{
	const struct plink_target *t = f->target;
	u32 now = (u32)jiffies;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &plink_nl_family, flags,
			  PLINK_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, PLINK_A_FLOW_SERVICE, t->svc->name) ||
	    nla_put_string(skb, PLINK_A_FLOW_ENDPOINT, f->ep->id) ||
	    nla_put_u8(skb, PLINK_A_FLOW_PROTO, f->proto) ||
	    nla_put_u32(skb, PLINK_A_FLOW_STATE, READ_ONCE(f->state)) ||
	    nla_put_u32(skb, PLINK_A_FLOW_AGE_MS,
			jiffies_to_msecs(now - f->created)) ||
	    nla_put_u32(skb, PLINK_A_FLOW_IDLE_MS,
			jiffies_to_msecs(now - READ_ONCE(f->last))) ||
	    nla_put_u64_64bit(skb, PLINK_A_FLOW_PACKETS, READ_ONCE(f->packets),
			      PLINK_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, PLINK_A_FLOW_BYTES, READ_ONCE(f->bytes),
			      PLINK_A_FLOW_PAD))
		goto cancel;
	if (net_eq(f->ep->net, net) &&
	    (plink_nl_put_inaddr(skb, PLINK_A_FLOW_CLIENT_ADDR, &f->caddr,
				 f->family) ||
	     nla_put_be16(skb, PLINK_A_FLOW_CLIENT_PORT, f->cport) ||
	     plink_nl_put_inaddr(skb, PLINK_A_FLOW_ENDPOINT_ADDR, &f->eaddr,
				 f->family) ||
	     nla_put_be16(skb, PLINK_A_FLOW_ENDPOINT_PORT, f->eport)))
		goto cancel;
	if (net_eq(t->svc->net, net) &&
	    (plink_nl_put_inaddr(skb, PLINK_A_FLOW_NLB_ADDR, &f->naddr,
				 f->family) ||
	     nla_put_be16(skb, PLINK_A_FLOW_NLB_PORT, f->nport) ||
	     plink_nl_put_addr(skb, PLINK_A_FLOW_TARGET_ADDR, &t->addr) ||
	     nla_put_be16(skb, PLINK_A_FLOW_TARGET_PORT, f->tport)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Which flows a request is about. */
struct plink_flow_filter {
	const struct net *net;
	const struct plink_service *svc;
	const struct plink_endpoint *ep;
};

/* A live flow that @ff's netns may see (as consumer or provider). */
static bool plink_flow_filter_match(const struct plink_flow *f,
				    const struct plink_flow_filter *ff)
{
	const struct plink_service *svc = f->target->svc;

	if (READ_ONCE(svc->dead) ||
	    READ_ONCE(f->ep->state) != PLINK_ENDPOINT_STATE_AVAILABLE)
		return false;
	if (!net_eq(f->ep->net, ff->net) && !net_eq(svc->net, ff->net))
		return false;
	return (!ff->svc || svc == ff->svc) && (!ff->ep || f->ep == ff->ep);
}

/*
 * The service or endpoint a flow request names, if the caller may see it:
 * a service of its netns, an endpoint of its netns or of its services.
 */
static int plink_nl_flow_filter(struct nlattr **attrs, struct net *net,
				u32 uid, struct plink_flow_filter *ff,
				struct netlink_ext_ack *extack)
{
	struct plink_service *svc;
	struct nlattr *attr;
	char name[PLINK_NAME_LEN];

	lockdep_assert_held(&plink_cfg_lock);
	memset(ff, 0, sizeof(*ff));
	ff->net = net;
	attr = attrs[PLINK_A_FLOW_SERVICE];
	if (attr) {
		svc = plink_nl_service_lookup(attr, net, uid, true, extack);
		if (IS_ERR(svc))
			return PTR_ERR(svc);
		ff->svc = svc;
	}
	attr = attrs[PLINK_A_FLOW_ENDPOINT];
	if (attr) {
		nla_strscpy(name, attr, sizeof(name));
		ff->ep = plink_endpoint_find(name);
		if (!ff->ep || !(net_eq(ff->ep->net, net) ||
				 (ff->ep->svc && net_eq(ff->ep->svc->net, net)))) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "no such endpoint");
			return -ENOENT;
		}
	}
	return 0;
}

static int plink_nl_get_port(struct genl_info *info, int type, __be16 *port)
{
	if (!info->attrs[type]) {
		NL_SET_ERR_MSG(info->extack, "missing port");
		return -EINVAL;
	}
	*port = nla_get_be16(info->attrs[type]);
	return 0;
}

int plink_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct plink_flow_filter ff;
	struct plink_addr c, e;
	struct plink_flow *f;
	struct plink_fkey k;
	struct sk_buff *msg;
	u8 proto;
	int err;

	if (!info->attrs[PLINK_A_FLOW_ENDPOINT] ||
	    !info->attrs[PLINK_A_FLOW_PROTO] ||
	    !info->attrs[PLINK_A_FLOW_CLIENT_ADDR] ||
	    !info->attrs[PLINK_A_FLOW_ENDPOINT_ADDR]) {
		NL_SET_ERR_MSG(info->extack,
			       "a flow is named by endpoint, proto, client and endpoint address and port");
		return -EINVAL;
	}
	proto = nla_get_u8(info->attrs[PLINK_A_FLOW_PROTO]);
	memset(&k, 0, sizeof(k));
	err = plink_nl_get_addr(info->attrs[PLINK_A_FLOW_CLIENT_ADDR], &c,
				info->extack) ?:
	      plink_nl_get_addr(info->attrs[PLINK_A_FLOW_ENDPOINT_ADDR], &e,
				info->extack) ?:
	      plink_nl_get_port(info, PLINK_A_FLOW_CLIENT_PORT, &k.cport) ?:
	      plink_nl_get_port(info, PLINK_A_FLOW_ENDPOINT_PORT, &k.eport);
	if (err)
		return err;
	if (c.family != e.family) {
		NL_SET_ERR_MSG(info->extack,
			       "client and endpoint addresses differ in family");
		return -EINVAL;
	}
	k.caddr.in6 = c.in6;
	k.eaddr.in6 = e.in6;
	k.proto = proto;
	k.family = c.family;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&plink_cfg_lock);
	err = plink_nl_flow_filter(info->attrs, net, plink_nl_uid(skb), &ff,
				   info->extack);
	if (err)
		goto out;
	k.ep = ff.ep;
	rcu_read_lock();
	f = plink_flow_lookup_fwd(&plink_flows, &k,
				  plink_flow_fhash(&plink_flows, &k));
	/*
	 * The key is the consumer's addressing, which its provider never
	 * sees: only the endpoint's netns may ask, and to anyone else every
	 * flow is "no such flow", whether it exists or not.
	 */
	if (f && net_eq(ff.ep->net, net) && plink_flow_filter_match(f, &ff)) {
		err = plink_nl_fill_flow(msg, f, net, info->snd_portid,
					 info->snd_seq, 0);
	} else {
		NL_SET_ERR_MSG(info->extack, "no such flow");
		err = -ENOENT;
	}
	rcu_read_unlock();
out:
	mutex_unlock(&plink_cfg_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * The flow dump walks the flow table's buckets under RCU alone, a chunk of
 * buckets per read-side section, and never under plink_cfg_lock: the
 * table is global, and a dump from any netns must not hold up another's
 * configuration.  A netns with no service and no endpoint sees no flow:
 * its dump ends at once.
 *
 * The cursor is a bucket, cb->args[0]: a call sends whole buckets, and
 * takes back a bucket that does not fit, so the next call sends it again
 * from its start and no flow goes twice (flows added at a chain's head
 * would shift a position in the chain).  Only a bucket with more flows
 * than an empty skb holds is sent in parts, by position (cb->args[1]).
 * The filter is resolved once, at the first call (cb->args[2..4]); its
 * objects are only compared with, never dereferenced.
 */
#define PLINK_DUMP_CHUNK	256	/* buckets per RCU read-side section */

enum {
	PLINK_DUMP_BUCKET,
	PLINK_DUMP_POS,
	PLINK_DUMP_SVC,
	PLINK_DUMP_EP,
	PLINK_DUMP_STARTED,
};

int plink_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct plink_flow_table *ft = &plink_flows;
	struct net *net = sock_net(skb->sk);
	struct plink_net *pn = plink_pernet(net);
	unsigned long b = cb->args[PLINK_DUMP_BUCKET];
	unsigned long pos = cb->args[PLINK_DUMP_POS];
	struct plink_flow_filter ff;
	unsigned long end;
	int err = 0;

	if (!cb->args[PLINK_DUMP_STARTED]) {
		struct nlattr **attrs = plink_dump_attrs(cb);

		if (attrs[PLINK_A_FLOW_SERVICE] || attrs[PLINK_A_FLOW_ENDPOINT]) {
			mutex_lock(&plink_cfg_lock);
			err = plink_nl_flow_filter(attrs, net,
						   plink_nl_uid(cb->skb), &ff,
						   cb->extack);
			mutex_unlock(&plink_cfg_lock);
			if (err)
				return err;
			cb->args[PLINK_DUMP_SVC] = (unsigned long)ff.svc;
			cb->args[PLINK_DUMP_EP] = (unsigned long)ff.ep;
		}
		cb->args[PLINK_DUMP_STARTED] = 1;
	}
	/* Flows are seen through a service or an endpoint of this netns. */
	if (!READ_ONCE(pn->nservices) && !READ_ONCE(pn->nendpoints))
		return 0;
	memset(&ff, 0, sizeof(ff));
	ff.net = net;
	ff.svc = (const struct plink_service *)cb->args[PLINK_DUMP_SVC];
	ff.ep = (const struct plink_endpoint *)cb->args[PLINK_DUMP_EP];

	while (b <= ft->mask && !err) {
		end = min_t(unsigned long, b + PLINK_DUMP_CHUNK, ft->mask + 1);
		rcu_read_lock();
		for (; b < end; b++, pos = 0) {
			unsigned int mark = skb->len;
			struct plink_flow *f;
			unsigned long i = 0;

			for (f = rcu_dereference(ft->fb[b]); f;
			     f = rcu_dereference(f->fnext)) {
				if (i++ < pos || !plink_flow_filter_match(f, &ff))
					continue;
				err = plink_nl_fill_flow(skb, f, net,
							 NETLINK_CB(cb->skb).portid,
							 cb->nlh->nlmsg_seq,
							 NLM_F_MULTI);
				if (err)
					break;
			}
			if (!err)
				continue;
			if (mark) {
				/* The next call sends this bucket whole. */
				nlmsg_trim(skb, skb->data + mark);
				pos = 0;
			} else {
				pos = i - 1;
			}
			break;
		}
		rcu_read_unlock();
		cond_resched();
	}
	cb->args[PLINK_DUMP_BUCKET] = b;
	cb->args[PLINK_DUMP_POS] = pos;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static bool plink_flow_flush_match(struct plink_flow *f, void *arg)
{
	if (!plink_flow_filter_match(f, arg))
		return false;
	f->reset = 1;
	return true;
}

/*
 * As the dump does, the flush resolves its filter under plink_cfg_lock and
 * walks the global table without it: a flush of a big table from one
 * netns must not hold up another's configuration.  The filter's objects
 * are only compared with, and a flow must belong to the caller's netns.
 */
int plink_nl_flow_flush_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct plink_flow_filter ff;
	u32 pos = 0;
	int err;

	mutex_lock(&plink_cfg_lock);
	err = plink_nl_flow_filter(info->attrs, genl_info_net(info),
				   plink_nl_uid(skb), &ff, info->extack);
	mutex_unlock(&plink_cfg_lock);
	if (err)
		return err;
	plink_flow_scan(&plink_flows, &pos, plink_flows.mask + 1,
			plink_flow_flush_match, &ff);
	return 0;
}

/* ---- limits --------------------------------------------------------------- */

static int plink_nl_fill_limits(struct sk_buff *skb,
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
	hdr = genlmsg_put(skb, portid, seq, &plink_nl_family, flags,
			  PLINK_CMD_LIMITS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
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
	if (nla_put_u32(skb, PLINK_A_LIMITS_OWN, own))
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
	o = plink_owner_find(uid);
	/* An owner the table lacks owns nothing and has the defaults. */
	none.uid = uid;
	err = plink_nl_fill_limits(msg, o ?: &none, info->snd_portid,
				   info->snd_seq, 0, NULL);
	if (o)
		plink_owner_put(o);
	mutex_unlock(&plink_cfg_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* The owners in the table, under its lock; cb->args[0] counts those sent. */
int plink_nl_limits_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	bool admin = plink_nl_limits_admin(cb->skb);
	unsigned long skip = cb->args[0], idx = 0;
	u32 uid = plink_nl_uid(cb->skb);
	struct plink_owner *o;
	int err = 0;

	mutex_lock(&plink_cfg_lock);
	cb->seq = plink_cfg_gen;
	spin_lock_bh(&plink_owner_lock);
	list_for_each_entry(o, &plink_owners, list) {
		if (!admin && o->uid != uid)
			continue;
		if (idx++ < skip)
			continue;
		err = plink_nl_fill_limits(skb, o, NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err) {
			idx--;
			break;
		}
	}
	spin_unlock_bh(&plink_owner_lock);
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_dump_done(skb, cb, idx, err);
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

/* ---- the family ---------------------------------------------------------- */

static const struct genl_multicast_group plink_nl_groups[] = {
	[PLINK_NLGRP_EVENTS] = { .name = PLINK_MCGRP_EVENTS, },
};

static struct genl_family plink_nl_family __ro_after_init = {
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
