// SPDX-License-Identifier: GPL-2.0
/*
 * Provider to consumer, in ndo_start_xmit of an NLB device (BH disabled,
 * under RCU): plink_rev_xmit() at the bottom.
 *
 * The provider routes its NLB addresses to the NLB device, so what its
 * targets send back leaves through it.  Only packets of a flow that fwd.c
 * opened go back, found by their reverse key (target address:port -> NLB
 * address:SNAT port on this device), rewritten to endpoint address:port ->
 * client (nat.c) and received on the consumer's device.  ICMP errors go
 * back when the packet they quote belongs to a flow (plink_icmp_rev()).
 * Nothing from the provider opens a flow: everything else is dropped and
 * counted on the service that owns the destination address.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/tcp.h>

#include "flow.h"
#include "nat.h"
#include "pkt.h"

/* The service on NLB device @pd that owns NLB address @addr. */
static struct plink_service *
plink_service_by_addr(struct plink_dev *pd, const union nf_inet_addr *addr,
		      u8 family)
{
	struct plink_service *svc;
	unsigned int i;

	list_for_each_entry_rcu(svc, &pd->services, dev_node) {
		const struct plink_service_cfg *cfg = rcu_dereference(svc->cfg);

		for (i = 0; i < cfg->naddrs; i++) {
			const struct plink_addr *a = &cfg->addrs[i];

			if (a->family == family &&
			    nf_inet_addr_cmp(&a->inet, addr))
				return svc;
		}
	}
	return NULL;
}

/*
 * The reverse key of a packet a target sent, or (@quoted) of the packet an
 * ICMP error quotes, which went the other way.
 */
static void plink_fill_rkey(struct plink_rkey *k, struct plink_dev *pd,
			    const struct plink_pkt *p, bool quoted)
{
	memset(k, 0, sizeof(*k));
	k->taddr = quoted ? p->daddr : p->saddr;
	k->naddr = quoted ? p->saddr : p->daddr;
	k->nlb = pd;
	k->tport = quoted ? p->dport : p->sport;
	k->nport = quoted ? p->sport : p->dport;
	k->proto = p->proto;
	k->family = p->family;
}

/*
 * An ICMP error from the provider's side about a flow's packet: the quoted
 * packet (NLB address:SNAT port -> target:port) finds the flow; both
 * headers are translated and the error goes to the client from the
 * endpoint address.  Returns the flow, or NULL.
 */
static struct plink_flow *plink_icmp_rev(struct sk_buff *skb,
					 struct plink_dev *pd,
					 const struct plink_pkt *p)
{
	struct plink_pkt in;
	struct plink_flow *f;
	struct plink_rkey k;
	unsigned int ioff;

	if (!plink_parse_quoted(skb, p, &in, &ioff))
		return NULL;
	plink_fill_rkey(&k, pd, &in, true);
	f = plink_flow_lookup_rev(&plink_flows, &k);
	if (!f)
		return NULL;
	if (f->pp_len)
		plink_ppv2_icmp_rev(skb, f, &in);
	plink_nat_icmp(skb, p, &in, ioff, &f->caddr, f->cport,
		       plink_flow_eaddr(f), f->eport);
	return f;
}

/*
 * Passive health: how the target answered a flow's SYN.  A RST fails, a
 * SYN-ACK passes (ICMP errors are seen above, unanswered SYNs by the GC).
 */
static void plink_rev_passive(struct plink_flow *f, const struct plink_pkt *p)
{
	if (READ_ONCE(f->state) != PLINK_FLOW_STATE_SYN)
		return;
	if (p->tcpflags & TCPHDR_RST)
		plink_health_passive(f->target, PLINK_STAT_PASSIVE_SYN_RST);
	else if ((p->tcpflags & (TCPHDR_SYN | TCPHDR_ACK)) ==
		 (TCPHDR_SYN | TCPHDR_ACK))
		plink_health_passive_ok(f->target);
}

/* What the NLB device's drops count as, by parser verdict. */
static const enum plink_stat plink_rev_unparsed[] = {
	[PLINK_PARSE_OTHER]		= PLINK_STAT_DROP_NO_FLOW,
	[PLINK_PARSE_MALFORMED]		= PLINK_STAT_DROP_MALFORMED,
	[PLINK_PARSE_FRAGMENT]		= PLINK_STAT_DROP_FRAGMENT,
	[PLINK_PARSE_IP_OPTIONS]	= PLINK_STAT_DROP_IP_OPTIONS,
};

/*
 * Hand a packet of @f over to the consumer, with the consumer's route
 * from @ep's cache for the SYN-ACK (its SYN_SENT socket has none for
 * early demux to hand over); not for UDP, whose clients connect their
 * sockets (glibc's resolver, socat): early demux hands theirs over
 * without the reference a cached route takes.
 */
static void plink_rev_deliver(struct sk_buff *skb, struct plink_dev *pd,
			      struct plink_endpoint *ep, struct plink_flow *f)
{
	/* The service's sums are its targets' (stats.c). */
	plink_count_packet(&ep->cnt, PLINK_STAT_REV_PACKETS, skb->len);
	plink_count_packet(&f->target->cnt, PLINK_STAT_REV_PACKETS, skb->len);
	plink_deliver_mark(skb, pd->dev, ep->dev->dev, 0,
			   f->proto == IPPROTO_TCP && plink_flow_rtc(f) ?
			   ep->rtc : NULL);
}

/*
 * Provider to consumer: what the provider sends on NLB device @pd.
 * Consumes @skb.
 */
void plink_rev_xmit(struct sk_buff *skb, struct plink_dev *pd)
{
	struct plink_endpoint *ep;
	struct plink_service *svc;
	enum plink_verdict v;
	struct plink_flow *f;
	struct plink_rkey k;
	struct plink_pkt p;
	bool icmp = false;

	v = plink_parse(skb, &p);
	if (v == PLINK_PARSE_ICMP) {
		f = plink_icmp_rev(skb, pd, &p);
		icmp = true;
	} else if (v == PLINK_PARSE_OK) {
		plink_fill_rkey(&k, pd, &p, false);
		f = plink_flow_lookup_rev(&plink_flows, &k);
	} else {
		/* Counted on the service its destination names, if known. */
		svc = p.family ? plink_service_by_addr(pd, &p.daddr, p.family) :
				 NULL;
		if (svc)
			plink_count(&svc->cnt, plink_rev_unparsed[v], 1);
		goto drop;
	}
	if (!f || READ_ONCE(f->target->svc->dead)) {
		svc = plink_service_by_addr(pd, &p.daddr, p.family);
		if (svc)
			plink_count(&svc->cnt, PLINK_STAT_DROP_NO_FLOW, 1);
		goto drop;
	}
	ep = f->ep;
	svc = f->target->svc;
	if (READ_ONCE(ep->state) != PLINK_ENDPOINT_STATE_AVAILABLE ||
	    (f->proto == IPPROTO_UDP && !icmp &&
	     READ_ONCE(f->state) == PLINK_FLOW_STATE_CLOSED)) {
		/* A closed UDP flow: the client has gone, let it expire. */
		plink_count_path(ep, svc, NULL, PLINK_STAT_DROP_STATE, 1);
		goto drop;
	}
	plink_flow_touch(f);
	if (icmp) {
		if (plink_icmp_is_hard(skb, &p))
			plink_health_passive(f->target,
					     PLINK_STAT_PASSIVE_ICMP_UNREACH);
		plink_count_path(ep, svc, f->target, PLINK_STAT_ICMP_ERRORS, 1);
	} else {
		if (f->proto == IPPROTO_TCP)
			plink_rev_passive(f, &p);
		/* PROXY protocol v2: ACKs back on the client's side. */
		if (f->pp_len && plink_ppv2_rev(skb, f, &p)) {
			plink_count_path(ep, svc, f->target,
					 PLINK_STAT_DROP_MALFORMED, 1);
			goto drop;
		}
		plink_flow_track(f, &p, false);
		if (plink_nat_rewrite(skb, p.l4off, p.proto, p.family,
				      plink_flow_eaddr(f), f->eport, &f->caddr,
				      f->cport)) {
			plink_count_path(ep, svc, f->target,
					 PLINK_STAT_DROP_MALFORMED, 1);
			goto drop;
		}
	}
	plink_rev_deliver(skb, pd, ep, f);
	return;

drop:
	dev_core_stats_tx_dropped_inc(pd->dev);
	kfree_skb(skb);
}
