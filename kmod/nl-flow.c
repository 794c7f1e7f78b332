// SPDX-License-Identifier: GPL-2.0
/*
 * The family's flow handlers: flow-get (do and dump) and flow-flush.  A
 * netns sees the flows plink_flow_visible() lets it, each side its own
 * addresses only.
 */

#include <linux/sched.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "flow.h"
#include "netlink-gen.h"
#include "netlink.h"

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
static int plink_nl_put_flow(struct sk_buff *skb, const struct plink_flow *f,
			     const struct net *net, u32 portid, u32 seq,
			     int flags)
{
	const struct plink_target *t = f->target;
	u32 now = (u32)jiffies;
	void *hdr;

	hdr = plink_nl_put_hdr(skb, portid, seq, flags, PLINK_CMD_FLOW_GET,
			       NULL);
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
	    nla_put_u32(skb, PLINK_A_FLOW_OWNER_UID, f->ep->owner_uid))
		goto cancel;
	if (net_eq(f->ep->net, net) &&
	    (plink_nl_put_inaddr(skb, PLINK_A_FLOW_CLIENT_ADDR, &f->caddr,
				 f->family) ||
	     nla_put_be16(skb, PLINK_A_FLOW_CLIENT_PORT, f->cport) ||
	     plink_nl_put_inaddr(skb, PLINK_A_FLOW_ENDPOINT_ADDR, plink_flow_eaddr(f),
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

/* A flow @ff's netns may see, of @ff's service and endpoint if given. */
static bool plink_flow_filter_match(const struct plink_flow *f,
				    const struct plink_flow_filter *ff)
{
	return plink_flow_visible(f, ff->net) &&
	       (!ff->svc || f->target->svc == ff->svc) &&
	       (!ff->ep || f->ep == ff->ep);
}

/*
 * The service or endpoint a flow request names, if the caller may see it:
 * a service of its netns, an endpoint of its netns or of its services.
 */
static int plink_nl_parse_flow_filter(struct nlattr **attrs, struct net *net,
				      u32 uid, struct plink_flow_filter *ff,
				      struct netlink_ext_ack *extack)
{
	struct plink_service *svc;
	struct plink_endpoint *ep;
	enum plink_view side;

	lockdep_assert_held(&plink_cfg_lock);
	memset(ff, 0, sizeof(*ff));
	ff->net = net;
	if (attrs[PLINK_A_FLOW_SERVICE]) {
		svc = plink_nl_parse_service(attrs[PLINK_A_FLOW_SERVICE], net,
					     uid, true, extack);
		if (IS_ERR(svc))
			return PTR_ERR(svc);
		ff->svc = svc;
	}
	if (attrs[PLINK_A_FLOW_ENDPOINT]) {
		ep = plink_nl_parse_endpoint(attrs[PLINK_A_FLOW_ENDPOINT], net,
					     &side, extack);
		if (IS_ERR(ep))
			return PTR_ERR(ep);
		ff->ep = ep;
	}
	return 0;
}

static int plink_nl_parse_port(struct genl_info *info, int type, __be16 *port)
{
	if (!info->attrs[type]) {
		NL_SET_ERR_MSG(info->extack, "missing port");
		return -EINVAL;
	}
	*port = nla_get_be16(info->attrs[type]);
	return 0;
}

/* The flow key of a flow-get request: the consumer's addressing. */
static int plink_nl_parse_fkey(struct genl_info *info, struct plink_fkey *k)
{
	struct plink_addr c, e;
	int err;

	if (!info->attrs[PLINK_A_FLOW_ENDPOINT] ||
	    !info->attrs[PLINK_A_FLOW_PROTO] ||
	    !info->attrs[PLINK_A_FLOW_CLIENT_ADDR] ||
	    !info->attrs[PLINK_A_FLOW_ENDPOINT_ADDR]) {
		NL_SET_ERR_MSG(info->extack,
			       "a flow is named by endpoint, proto, client and endpoint address and port");
		return -EINVAL;
	}
	memset(k, 0, sizeof(*k));
	err = plink_nl_parse_addr(info->attrs[PLINK_A_FLOW_CLIENT_ADDR], &c,
				  info->extack) ?:
	      plink_nl_parse_addr(info->attrs[PLINK_A_FLOW_ENDPOINT_ADDR], &e,
				  info->extack) ?:
	      plink_nl_parse_port(info, PLINK_A_FLOW_CLIENT_PORT, &k->cport) ?:
	      plink_nl_parse_port(info, PLINK_A_FLOW_ENDPOINT_PORT, &k->eport);
	if (err)
		return err;
	if (c.family != e.family) {
		NL_SET_ERR_MSG(info->extack,
			       "client and endpoint addresses differ in family");
		return -EINVAL;
	}
	k->caddr.in6 = c.in6;
	k->eaddr.in6 = e.in6;
	k->proto = nla_get_u8(info->attrs[PLINK_A_FLOW_PROTO]);
	k->family = c.family;
	return 0;
}

/*
 * The reverse key of a provider's flow-get: the NLB and target addressing
 * a target sees of a connection (its peer and its own), on @svc's NLB.
 */
static int plink_nl_parse_rkey(struct genl_info *info,
			       const struct plink_service *svc,
			       struct plink_rkey *k)
{
	struct plink_addr n, t;
	int err;

	if (!info->attrs[PLINK_A_FLOW_PROTO] ||
	    !info->attrs[PLINK_A_FLOW_TARGET_ADDR]) {
		NL_SET_ERR_MSG(info->extack,
			       "a provider names a flow by service, proto, NLB and target address and port");
		return -EINVAL;
	}
	memset(k, 0, sizeof(*k));
	err = plink_nl_parse_addr(info->attrs[PLINK_A_FLOW_NLB_ADDR], &n,
				  info->extack) ?:
	      plink_nl_parse_addr(info->attrs[PLINK_A_FLOW_TARGET_ADDR], &t,
				  info->extack) ?:
	      plink_nl_parse_port(info, PLINK_A_FLOW_NLB_PORT, &k->nport) ?:
	      plink_nl_parse_port(info, PLINK_A_FLOW_TARGET_PORT, &k->tport);
	if (err)
		return err;
	if (n.family != t.family) {
		NL_SET_ERR_MSG(info->extack,
			       "NLB and target addresses differ in family");
		return -EINVAL;
	}
	k->naddr.in6 = n.in6;
	k->taddr.in6 = t.in6;
	k->nlb = svc->nlb;
	k->proto = nla_get_u8(info->attrs[PLINK_A_FLOW_PROTO]);
	k->family = n.family;
	return 0;
}

/*
 * flow-get in a service's netns: which endpoint, and whose, is behind the
 * connection a target sees (from NLB address:port to its own).
 */
static int plink_nl_flow_get_rev(struct genl_info *info, struct net *net,
				 const struct plink_flow_filter *ff,
				 struct sk_buff *msg)
{
	struct plink_flow *f;
	struct plink_rkey k;
	int err;

	/* The filter named a service of @net's own, if any. */
	if (!ff->svc) {
		NL_SET_ERR_MSG(info->extack,
			       "a provider names a flow by service, proto, NLB and target address and port");
		return -EINVAL;
	}
	err = plink_nl_parse_rkey(info, ff->svc, &k);
	if (err)
		return err;
	rcu_read_lock();
	f = plink_flow_lookup_rev(&plink_flows, &k);
	if (f && plink_flow_filter_match(f, ff)) {
		err = plink_nl_put_flow(msg, f, net, info->snd_portid,
					info->snd_seq, 0);
	} else {
		NL_SET_ERR_MSG(info->extack, "no such flow");
		err = -ENOENT;
	}
	rcu_read_unlock();
	return err;
}

int plink_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct plink_flow_filter ff;
	struct plink_flow *f;
	struct plink_fkey k;
	bool rev = info->attrs[PLINK_A_FLOW_NLB_ADDR];
	struct sk_buff *msg;
	int err, idx;

	if (!rev) {
		err = plink_nl_parse_fkey(info, &k);
		if (err)
			return err;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&plink_cfg_lock);
	err = plink_nl_parse_flow_filter(info->attrs, net, plink_nl_uid(skb),
					 &ff, info->extack);
	if (err)
		goto out;
	if (rev) {
		err = plink_nl_flow_get_rev(info, net, &ff, msg);
		goto out;
	}
	k.ep = ff.ep;
	k.dev = ff.ep->dev;
	idx = plink_endpoint_addr_index(ff.ep, &k.eaddr, k.family);
	k.eidx = idx;
	rcu_read_lock();
	f = idx < 0 ? NULL :
	    plink_flow_lookup_fwd(&plink_flows, &k,
				  plink_flow_fhash(&plink_flows, &k));
	/*
	 * The key is the consumer's addressing, which its provider never
	 * sees: only the endpoint's netns may ask, and to anyone else every
	 * flow is "no such flow", whether it exists or not.
	 */
	if (f && net_eq(ff.ep->net, net) && plink_flow_filter_match(f, &ff)) {
		err = plink_nl_put_flow(msg, f, net, info->snd_portid,
					info->snd_seq, 0);
	} else {
		NL_SET_ERR_MSG(info->extack, "no such flow");
		err = -ENOENT;
	}
	rcu_read_unlock();
out:
	mutex_unlock(&plink_cfg_lock);
	return plink_nl_reply(msg, info, err);
}

#define PLINK_DUMP_CHUNK	256	/* buckets per RCU read-side section */

/*
 * Send the flows of buckets from the cursor's on, a chunk of buckets per
 * RCU read-side section.  A call sends whole buckets, and takes back a
 * bucket that does not fit, so the next call sends it again from its start
 * and no flow goes twice (flows added at a chain's head would shift a
 * position in the chain).  Only a bucket with more flows than an empty skb
 * holds is sent in parts, by position.
 */
static int plink_nl_dump_flows(struct sk_buff *skb, struct netlink_callback *cb,
			       const struct plink_flow_filter *ff)
{
	struct plink_nl_dump_ctx *ctx = plink_nl_dump_ctx(cb);
	struct plink_flow_table *ft = &plink_flows;
	unsigned long b = ctx->bucket, pos = ctx->pos, end;
	int err = 0;

	while (b <= ft->mask && !err) {
		end = min_t(unsigned long, b + PLINK_DUMP_CHUNK, ft->mask + 1);
		rcu_read_lock();
		for (; b < end; b++, pos = 0) {
			unsigned int mark = skb->len;
			struct plink_flow *f;
			unsigned long i = 0;

			for (f = rcu_dereference(ft->fb[b]); f;
			     f = rcu_dereference(f->fnext)) {
				if (i++ < pos || !plink_flow_filter_match(f, ff))
					continue;
				err = plink_nl_put_flow(skb, f, ff->net,
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
	ctx->bucket = b;
	ctx->pos = pos;
	return err;
}

/*
 * The flow dump walks the flow table's buckets under RCU alone, never under
 * plink_cfg_lock: the table is global, and a dump from any netns must not
 * hold up another's configuration.  A netns with no service and no
 * endpoint sees no flow: its dump ends at once.  The filter is resolved
 * once, at the first call; its objects are only compared with, never
 * dereferenced.
 */
int plink_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct plink_nl_dump_ctx *ctx = plink_nl_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct plink_net *pn = plink_pernet(net);
	struct plink_flow_filter ff;
	int err;

	if (!ctx->started) {
		struct nlattr **attrs = plink_dump_attrs(cb);

		if (attrs[PLINK_A_FLOW_SERVICE] || attrs[PLINK_A_FLOW_ENDPOINT]) {
			mutex_lock(&plink_cfg_lock);
			err = plink_nl_parse_flow_filter(attrs, net,
							 plink_nl_uid(cb->skb),
							 &ff, cb->extack);
			mutex_unlock(&plink_cfg_lock);
			if (err)
				return err;
			ctx->svc = ff.svc;
			ctx->ep = ff.ep;
		}
		ctx->started = true;
	}
	/* Flows are seen through a service or an endpoint of this netns. */
	if (!READ_ONCE(pn->nservices) && !READ_ONCE(pn->nendpoints))
		return 0;
	ff.net = net;
	ff.svc = ctx->svc;
	ff.ep = ctx->ep;
	err = plink_nl_dump_flows(skb, cb, &ff);
	return plink_nl_dump_done(skb, err);
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
	err = plink_nl_parse_flow_filter(info->attrs, genl_info_net(info),
					 plink_nl_uid(skb), &ff, info->extack);
	mutex_unlock(&plink_cfg_lock);
	if (err)
		return err;
	plink_flow_scan(&plink_flows, &pos, plink_flows.mask + 1,
			plink_flow_flush_match, &ff);
	return 0;
}
