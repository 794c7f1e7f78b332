// SPDX-License-Identifier: GPL-2.0
/*
 * Consumer to provider, in ndo_start_xmit of an endpoint device (BH
 * disabled, under RCU): plink_fwd_xmit() at the bottom.
 *
 * What a consumer sends to its endpoint device is parsed (pkt.c) and
 * looked up by its tuple on the device: a packet of a flow whose endpoint,
 * service and listener still stand goes straight on.  Anything else is
 * matched to an endpoint by its destination address and to a listener by
 * its protocol and port, checked against the endpoint's state and its
 * security group, and given a flow: the consumer's half ends there.  The NLB half
 * opens the flow (a target by weighted Maglev, lb.c, and a SNAT port on an
 * NLB address, flow.c), rewrites the packet to NLB address:port -> target
 * (nat.c) and receives it on the NLB device in the provider's netns.  The
 * two halves meet at plink_flow_open(), and the flow it returns is all the
 * way back needs: see "The packet walk" in Documentation/design.rst.  An
 * ICMP error from the consumer about a flow's packet goes to the target
 * (plink_icmp_fwd()).  Replies come back through rev.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ipv6.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "flow.h"
#include "nat.h"
#include "pkt.h"

/*
 * The endpoint on device @pd whose address is @p's destination, and which
 * of its addresses (*@idx).
 */
static struct plink_endpoint *plink_ep_by_addr(struct plink_dev *pd,
					       const struct plink_pkt *p,
					       int *idx)
{
	struct plink_endpoint *ep;

	list_for_each_entry_rcu(ep, &pd->endpoints, dev_node) {
		*idx = plink_endpoint_addr_index(ep, &p->daddr, p->family);
		if (*idx >= 0)
			return ep;
	}
	return NULL;
}

/* The listener of @p's protocol and destination port. */
static const struct plink_listener *
plink_listener_by_port(const struct plink_service_cfg *cfg,
		       const struct plink_pkt *p)
{
	unsigned int i;

	for (i = 0; i < cfg->nlisteners; i++) {
		if (cfg->listeners[i].proto == p->proto &&
		    cfg->listeners[i].port == p->dport)
			return &cfg->listeners[i];
	}
	return NULL;
}

/*
 * The forward key of a client's packet on device @pd (@quoted: of the
 * packet an ICMP error quotes); @ep NULL: of any of its endpoints.
 */
static void plink_fill_fkey(struct plink_fkey *k, struct plink_dev *pd,
			    struct plink_endpoint *ep,
			    const struct plink_pkt *p, bool quoted)
{
	memset(k, 0, sizeof(*k));
	k->caddr = quoted ? p->daddr : p->saddr;
	k->eaddr = quoted ? p->saddr : p->daddr;
	k->dev = pd;
	k->cport = quoted ? p->dport : p->sport;
	k->eport = quoted ? p->sport : p->dport;
	k->proto = p->proto;
	k->family = p->family;
	k->ep = ep;
	if (ep)
		k->eidx = plink_endpoint_addr_index(ep, &k->eaddr, p->family);
}

/*
 * The NLB half: a new flow for the client's packet, to a target of @svc
 * behind listener @l.  Only a TCP SYN (or any UDP datagram) opens one.
 * Returns the flow, or NULL with *@drop set.
 */
static struct plink_flow *plink_flow_open(struct plink_endpoint *ep,
					  struct plink_service *svc,
					  const struct plink_service_cfg *cfg,
					  const struct plink_listener *l,
					  const struct plink_fkey *k, u32 hash,
					  const struct plink_pkt *p,
					  enum plink_stat *drop)
{
	struct plink_target *t;
	struct plink_flow *f;

	if (p->proto == IPPROTO_TCP &&
	    (p->tcpflags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) != TCPHDR_SYN) {
		*drop = PLINK_STAT_DROP_STATE;
		return NULL;
	}
	t = plink_lb_select(svc, p->family, hash);
	if (!t) {
		*drop = PLINK_STAT_DROP_NO_TARGET;
		return NULL;
	}
	switch (plink_flow_add(&plink_flows, k, hash, t,
			       t->port ?: l->target_port, cfg, &f)) {
	case PLINK_FLOW_OK:
		plink_count_path(ep, svc, t, PLINK_STAT_FLOWS_NEW, 1);
		return f;
	case PLINK_FLOW_EXISTS:
		plink_target_put(t);
		return f;
	case PLINK_FLOW_TABLE_FULL:
		*drop = PLINK_STAT_DROP_TABLE_FULL;
		break;
	case PLINK_FLOW_NO_PORT:
		*drop = PLINK_STAT_DROP_NO_PORT;
		break;
	case PLINK_FLOW_QUOTA:
		*drop = PLINK_STAT_DROP_QUOTA;
		break;
	default:
		*drop = PLINK_STAT_DROP_STATE;
		break;
	}
	plink_target_put(t);
	return NULL;
}

/*
 * An ICMP error from the consumer's side about a packet of a flow (the
 * client's port unreachable, a consumer router's frag-needed): the quoted
 * packet (endpoint address:port -> client) finds the flow on endpoint
 * @ep; both headers are translated as the target's packet and the error
 * goes to the target from the NLB address.  An error from the client that
 * says it is gone closes a UDP flow: the target's datagrams no longer keep
 * it (its next datagram reopens it).  Returns the flow, or NULL.
 */
static struct plink_flow *plink_icmp_fwd(struct sk_buff *skb,
					 struct plink_endpoint *ep,
					 const struct plink_pkt *p)
{
	struct plink_flow *f;
	struct plink_fkey k;
	struct plink_pkt in;
	unsigned int ioff;

	if (!plink_parse_quoted(skb, p, &in, &ioff))
		return NULL;
	/* It quotes what plink sent from an address of @ep's. */
	if (plink_endpoint_addr_index(ep, &in.saddr, in.family) < 0)
		return NULL;
	plink_fill_fkey(&k, ep->dev, ep, &in, true);
	f = plink_flow_lookup_fwd(&plink_flows, &k,
				  plink_flow_fhash(&plink_flows, &k));
	if (!f)
		return NULL;
	plink_nat_icmp(skb, p, &in, ioff, &f->target->addr.inet, f->tport,
		       &f->naddr, f->nport);
	if (f->proto == IPPROTO_UDP && plink_icmp_is_hard(skb, p) &&
	    nf_inet_addr_cmp(&p->saddr, &f->caddr))
		WRITE_ONCE(f->state, PLINK_FLOW_STATE_CLOSED);
	return f;
}

/*
 * Hand a packet for target @t of @svc over to the provider; @rtc: with
 * the route from @t's cache.
 */
static void plink_fwd_deliver(struct sk_buff *skb, struct plink_dev *pd,
			      struct plink_endpoint *ep,
			      struct plink_service *svc, struct plink_target *t,
			      bool rtc)
{
	/* The service's sums are its targets' (stats.c). */
	plink_count_packet(&ep->cnt, PLINK_STAT_FWD_PACKETS, skb->len);
	plink_count_packet(&t->cnt, PLINK_STAT_FWD_PACKETS, skb->len);
	plink_deliver_mark(skb, pd->dev, svc->nlb->dev, READ_ONCE(ep->mark),
			   rtc ? t->rtc : NULL);
}

/*
 * A packet of the consumer's that the parser turned down: count it where
 * it was going (its addresses are known for a fragment or IP options),
 * else against every endpoint of the device.
 */
static void plink_fwd_drop_unparsed(struct sk_buff *skb, struct plink_dev *pd,
				    const struct plink_pkt *p,
				    enum plink_stat drop)
{
	struct plink_endpoint *ep;
	struct plink_service *svc;
	int idx;

	if (drop == PLINK_STAT_DROP_FRAGMENT ||
	    drop == PLINK_STAT_DROP_IP_OPTIONS) {
		ep = plink_ep_by_addr(pd, p, &idx);
		if (ep) {
			plink_count(&ep->cnt, drop, 1);
			svc = READ_ONCE(ep->svc);
			if (svc && !READ_ONCE(svc->dead))
				plink_count(&svc->cnt, drop, 1);
		}
	} else {
		list_for_each_entry_rcu(ep, &pd->endpoints, dev_node)
			plink_count(&ep->cnt, drop, 1);
	}
	dev_core_stats_tx_dropped_inc(pd->dev);
	kfree_skb(skb);
}

/* What the endpoint device's parser drops count as, by verdict. */
static const enum plink_stat plink_fwd_unparsed[] = {
	/* ICMP echo and the like: an endpoint answers nothing. */
	[PLINK_PARSE_OTHER]		= PLINK_STAT_DROP_NO_LISTENER,
	[PLINK_PARSE_MALFORMED]		= PLINK_STAT_DROP_MALFORMED,
	[PLINK_PARSE_FRAGMENT]		= PLINK_STAT_DROP_FRAGMENT,
	[PLINK_PARSE_IP_OPTIONS]	= PLINK_STAT_DROP_IP_OPTIONS,
};

/*
 * Whether flow @f, found by its tuple alone, may pass its client's packet
 * as it is: its endpoint available, its service alive, and its listener
 * there, which it is unless its service has lost a listener since the flow
 * was opened (plink_service_lgen()).  Then *@svcp is its service.  Else
 * the packet takes the whole way (plink_fwd_slow()), which tells why.
 */
static bool plink_fwd_hit(const struct plink_flow *f,
			  struct plink_service **svcp)
{
	const struct plink_endpoint *ep = f->ep;
	const struct plink_service_cfg *cfg;
	struct plink_service *svc;

	svc = READ_ONCE(ep->svc);
	if (READ_ONCE(ep->state) != PLINK_ENDPOINT_STATE_AVAILABLE || !svc ||
	    READ_ONCE(svc->dead))
		return false;
	cfg = rcu_dereference(svc->cfg);
	if (f->lgen != cfg->lgen || cfg->lgen == PLINK_LGEN_ALWAYS)
		return false;
	*svcp = svc;
	return true;
}

/*
 * The endpoint of a client's packet by its destination, if it passes
 * traffic: available, its service alive (*@svcp).  Counts drop-state.
 */
static struct plink_endpoint *plink_fwd_ep(struct plink_dev *pd,
					   const struct plink_pkt *p,
					   struct plink_service **svcp)
{
	struct plink_service *svc;
	struct plink_endpoint *ep;
	int idx;

	ep = plink_ep_by_addr(pd, p, &idx);
	if (!ep)
		return NULL;
	svc = READ_ONCE(ep->svc);
	if (READ_ONCE(ep->state) != PLINK_ENDPOINT_STATE_AVAILABLE || !svc ||
	    READ_ONCE(svc->dead)) {
		plink_count(&ep->cnt, PLINK_STAT_DROP_STATE, 1);
		return NULL;
	}
	*svcp = svc;
	return ep;
}

/*
 * The rest of the consumer's half for a packet that plink_fwd_hit() did
 * not pass (endpoint @ep, service @svc): the listener, then the flow,
 * opened by the NLB half if there is none yet and the security group
 * allows one.  @k and @hash are the packet's key on the device, @f the
 * flow its tuple found (or NULL).  Returns the flow, or NULL with *@drop.
 */
static struct plink_flow *plink_fwd_slow(struct plink_dev *pd,
					 const struct plink_pkt *p,
					 struct plink_endpoint *ep,
					 struct plink_service *svc,
					 struct plink_fkey *k, u32 hash,
					 struct plink_flow *f,
					 enum plink_stat *drop)
{
	const struct plink_service_cfg *cfg = rcu_dereference(svc->cfg);
	const struct plink_listener *l;

	l = plink_listener_by_port(cfg, p);
	if (!l) {
		*drop = PLINK_STAT_DROP_NO_LISTENER;
		return NULL;
	}
	/*
	 * Like a stateful firewall's, a flow the security group allowed goes
	 * on until a narrower group revokes it (endpoint.c).  The tuple found
	 * no flow (none is this endpoint's either), this endpoint's, or a
	 * deleted endpoint's: only then is this one's looked up.
	 */
	k->ep = ep;
	k->eidx = plink_endpoint_addr_index(ep, &k->eaddr, k->family);
	if (f && f->ep != ep)
		f = plink_flow_lookup_fwd(&plink_flows, k, hash);
	if (f)
		return f;
	if (!plink_sg_allows(rcu_dereference(ep->sg), p->family, &p->saddr,
			     p->proto, p->dport)) {
		*drop = PLINK_STAT_DROP_SECURITY_GROUP;
		return NULL;
	}
	f = plink_flow_open(ep, svc, cfg, l, k, hash, p, drop);
	if (!f)
		plink_refuse(pd->dev, p);
	return f;
}

/*
 * Consumer to provider: what the consumer sends on endpoint device @pd.
 * Consumes @skb.  A packet of a flow takes the short way: the flow by its
 * tuple on the device, checked with plink_fwd_hit(); the endpoint, the
 * listener and the security group are looked up only for the rest.
 */
void plink_fwd_xmit(struct sk_buff *skb, struct plink_dev *pd)
{
	struct plink_service *svc = NULL;
	struct plink_endpoint *ep;
	struct plink_flow *f = NULL;
	enum plink_verdict v;
	enum plink_stat drop;
	struct plink_fkey k;
	struct plink_pkt p;
	u32 hash = 0;

	v = plink_parse(skb, &p);
	if (v != PLINK_PARSE_OK && v != PLINK_PARSE_ICMP) {
		plink_fwd_drop_unparsed(skb, pd, &p, plink_fwd_unparsed[v]);
		return;
	}
	if (likely(v == PLINK_PARSE_OK)) {
		plink_fill_fkey(&k, pd, NULL, &p, false);
		hash = plink_flow_fhash(&plink_flows, &k);
		f = plink_flow_lookup_fwd(&plink_flows, &k, hash);
		if (f && plink_fwd_hit(f, &svc)) {
			ep = f->ep;
			goto track;
		}
	}

	/* The consumer's half: endpoint, state, listener, security group. */
	ep = plink_fwd_ep(pd, &p, &svc);
	if (!ep)
		goto drop_unknown;
	if (v == PLINK_PARSE_ICMP) {
		/* Echo requests and the like: an endpoint answers nothing. */
		f = plink_icmp_fwd(skb, ep, &p);
		if (!f || f->target->svc != svc) {
			drop = PLINK_STAT_DROP_NO_LISTENER;
			goto drop;
		}
		plink_count_path(ep, svc, f->target, PLINK_STAT_ICMP_ERRORS, 1);
		plink_fwd_deliver(skb, pd, ep, svc, f->target, true);
		return;
	}
	f = plink_fwd_slow(pd, &p, ep, svc, &k, hash, f, &drop);
	if (!f)
		goto drop;
track:
	plink_flow_track(f, &p, true);
	plink_flow_touch(f);
	if (plink_nat_rewrite(skb, p.l4off, p.proto, p.family, &f->naddr,
			      f->nport, &f->target->addr.inet, f->tport)) {
		drop = PLINK_STAT_DROP_MALFORMED;
		goto drop;
	}
	/* PROXY protocol v2: the header first, the client's bytes after it. */
	if (f->pp_len && plink_ppv2_fwd(skb, f, &p)) {
		drop = PLINK_STAT_DROP_MALFORMED;
		goto drop;
	}
	plink_fwd_deliver(skb, pd, ep, svc, f->target, plink_flow_rtc(f));
	return;

drop:
	plink_count_path(ep, svc, NULL, drop, 1);
drop_unknown:
	dev_core_stats_tx_dropped_inc(pd->dev);
	kfree_skb(skb);
}
