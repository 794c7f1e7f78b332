// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath, in ndo_start_xmit (BH disabled, under RCU).
 *
 * Consumer to provider: what a consumer sends to its endpoint device is
 * parsed, matched to an endpoint address and a listener, checked against the
 * endpoint's state and rules, given a flow (a target by weighted Maglev and
 * a SNAT port on an NLB address), rewritten to NLB address:port -> target,
 * and received on the NLB device in the provider's netns.
 *
 * Provider to consumer: what the provider routes to an NLB address leaves
 * through the NLB device; only packets of a flow (and ICMP errors about
 * one) go back, rewritten to endpoint address -> client, and are received
 * on the consumer's device.  Everything else is dropped and counted.
 *
 * IP fragments are dropped and counted (drop-fragment): the devices send
 * with a large GSO size and locally generated datagrams over the MTU are
 * the only source; see Documentation/plink.rst.  So are IPv4 packets with
 * options (drop-ip-options), both ways: routers fill Record Route and
 * Timestamp options in, and a TCP target echoes them, so they would carry
 * one side's addresses to the other.  IPv6 extension headers are skipped
 * (hop-by-hop and destination options are the receiver's to process),
 * except a routing header with segments left, which would route the packet
 * on to addresses one side chose in the other's netns: drop-ip-options.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "flow.h"
#include "nat.h"
#include "pkt.h"
#include "plink.h"

/*
 * Whether the IPv6 packet at skb->data (extension headers already checked
 * by ipv6_skip_exthdr()) has a routing header with segments left: it names
 * the addresses the packet is to visit after its destination, which plink
 * rewrites; they would be one side's addresses routed in the other's netns.
 * Hop-by-hop and destination options, and a routing header with no
 * segments left, are the receiver's business and pass.
 */
static bool plink_ipv6_srcrt(struct sk_buff *skb)
{
	struct ipv6_rt_hdr _rt;
	const struct ipv6_rt_hdr *rt;
	unsigned int off = 0;

	if (ipv6_find_hdr(skb, &off, NEXTHDR_ROUTING, NULL, NULL) < 0)
		return false;
	rt = skb_header_pointer(skb, off, sizeof(_rt), &_rt);
	return !rt || rt->segments_left;
}

/*
 * The L3 header at skb->data, linear and sane; sets family, proto, l4off.
 * The addresses are set for every verdict but MALFORMED, and family when
 * they are.
 */
static enum plink_verdict plink_parse_l3(struct sk_buff *skb,
					 struct plink_pkt *p)
{
	memset(p, 0, sizeof(*p));
	skb_reset_network_header(skb);
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph;
		unsigned int ihl, len;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return PLINK_PARSE_MALFORMED;
		iph = ip_hdr(skb);
		ihl = iph->ihl * 4;
		if (iph->version != 4 || ihl < sizeof(*iph) ||
		    !pskb_may_pull(skb, ihl))
			return PLINK_PARSE_MALFORMED;
		iph = ip_hdr(skb);
		len = ntohs(iph->tot_len);
		if (len < ihl || len > skb->len || pskb_trim_rcsum(skb, len))
			return PLINK_PARSE_MALFORMED;
		iph = ip_hdr(skb);
		p->family = AF_INET;
		p->proto = iph->protocol;
		p->l4off = ihl;
		p->saddr.ip = iph->saddr;
		p->daddr.ip = iph->daddr;
		if (ip_is_fragment(iph))
			return PLINK_PARSE_FRAGMENT;
		if (ihl != sizeof(*iph))
			return PLINK_PARSE_IP_OPTIONS;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6;
		__be16 frag_off = 0;
		unsigned int len;
		u8 nexthdr;
		int off;

		if (!pskb_may_pull(skb, sizeof(*ip6)))
			return PLINK_PARSE_MALFORMED;
		ip6 = ipv6_hdr(skb);
		len = sizeof(*ip6) + ntohs(ip6->payload_len);
		if (ip6->version != 6 || len > skb->len ||
		    pskb_trim_rcsum(skb, len))
			return PLINK_PARSE_MALFORMED;
		ip6 = ipv6_hdr(skb);
		p->family = AF_INET6;
		p->saddr.in6 = ip6->saddr;
		p->daddr.in6 = ip6->daddr;
		nexthdr = ip6->nexthdr;
		off = ipv6_skip_exthdr(skb, sizeof(*ip6), &nexthdr, &frag_off);
		if (off < 0)
			return PLINK_PARSE_MALFORMED;
		if (frag_off)
			return PLINK_PARSE_FRAGMENT;
		p->proto = nexthdr;
		p->l4off = off;
		if (off != sizeof(*ip6) && plink_ipv6_srcrt(skb))
			return PLINK_PARSE_IP_OPTIONS;
	} else {
		return PLINK_PARSE_MALFORMED;
	}
	return PLINK_PARSE_OK;
}

/* The TCP or UDP header at @off: ports, and for TCP flags and sequence. */
static enum plink_verdict plink_parse_l4(struct sk_buff *skb,
					 unsigned int off, u8 proto,
					 struct plink_pkt *p)
{
	if (proto == IPPROTO_TCP) {
		const struct tcphdr *th;

		if (!pskb_may_pull(skb, off + sizeof(*th)))
			return PLINK_PARSE_MALFORMED;
		th = (const struct tcphdr *)(skb->data + off);
		if (th->doff < sizeof(*th) / 4 ||
		    skb->len < off + th->doff * 4)
			return PLINK_PARSE_MALFORMED;
		p->sport = th->source;
		p->dport = th->dest;
		p->tcpflags = tcp_flag_byte(th);
		p->seq = ntohl(th->seq);
		p->ack = ntohl(th->ack_seq);
		p->seglen = skb->len - off - th->doff * 4 + th->syn + th->fin;
	} else if (proto == IPPROTO_UDP) {
		const struct udphdr *uh;

		if (!pskb_may_pull(skb, off + sizeof(*uh)))
			return PLINK_PARSE_MALFORMED;
		uh = (const struct udphdr *)(skb->data + off);
		/* The receiver would drop it; a shorter length is padding. */
		if (ntohs(uh->len) < sizeof(*uh) ||
		    ntohs(uh->len) > skb->len - off)
			return PLINK_PARSE_MALFORMED;
		p->sport = uh->source;
		p->dport = uh->dest;
	} else if ((p->family == AF_INET && proto == IPPROTO_ICMP) ||
		   (p->family == AF_INET6 && proto == IPPROTO_ICMPV6)) {
		return PLINK_PARSE_ICMP;
	} else {
		return PLINK_PARSE_OTHER;
	}
	return PLINK_PARSE_OK;
}

/* Parse the packet at skb->data (see Documentation/plink.rst). */
VISIBLE_IF_KUNIT enum plink_verdict plink_parse(struct sk_buff *skb,
						struct plink_pkt *p)
{
	enum plink_verdict v = plink_parse_l3(skb, p);

	if (v != PLINK_PARSE_OK)
		return v;
	return plink_parse_l4(skb, p->l4off, p->proto, p);
}
EXPORT_SYMBOL_IF_KUNIT(plink_parse);

static void plink_hostport(struct plink_hostport *hp,
			   const union plink_inaddr *addr, u8 family,
			   __be16 port)
{
	plink_flow_to_addr(&hp->addr, addr, family);
	hp->port = port;
}

/* Count a packet against every object that has a say in it. */
static void plink_count3(struct plink_endpoint *ep, struct plink_service *svc,
			 struct plink_target *t, enum plink_stat s, u64 n)
{
	if (ep)
		plink_count(&ep->cnt, s, n);
	if (svc)
		plink_count(&svc->cnt, s, n);
	if (t)
		plink_count(&t->cnt, s, n);
}

/*
 * Receive @skb on @to as if it came off a wire, like veth: scrubbed of
 * everything that belongs to the sender's netns.  Consumes @skb.  @from is
 * NULL for what plink itself sends (a RST); @to may have gone down since
 * the caller looked, and such a drop is then counted on @to.
 */
VISIBLE_IF_KUNIT void plink_deliver(struct sk_buff *skb,
				    struct net_device *from,
				    struct net_device *to)
{
	unsigned int len = skb->len;

	if (unlikely(!netif_running(to))) {
		if (from)
			dev_core_stats_tx_dropped_inc(from);
		else
			dev_core_stats_rx_dropped_inc(to);
		kfree_skb(skb);
		return;
	}
	skb_scrub_packet(skb, !from || !net_eq(dev_net(from), dev_net(to)));
	skb->dev = to;
	skb->pkt_type = PACKET_HOST;
	skb->priority = 0;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	if (from)
		dev_sw_netstats_tx_add(from, 1, len);
	if (likely(netif_rx(skb) == NET_RX_SUCCESS))
		dev_sw_netstats_rx_add(to, len);
	else
		dev_core_stats_rx_dropped_inc(to);
}
EXPORT_SYMBOL_IF_KUNIT(plink_deliver);

/* A TCP RST from @saddr:@sport to @daddr:@dport, received on @to. */
static void plink_send_rst(struct net_device *to, u8 family,
			   const union plink_inaddr *saddr,
			   const union plink_inaddr *daddr,
			   __be16 sport, __be16 dport, u32 seq, u32 ack_seq,
			   bool ack)
{
	unsigned int hlen = family == AF_INET ? sizeof(struct iphdr) :
						sizeof(struct ipv6hdr);
	struct sk_buff *skb;
	struct tcphdr *th;

	if (!netif_running(to))
		return;
	skb = alloc_skb(LL_MAX_HEADER + hlen + sizeof(*th), GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	if (family == AF_INET) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(hlen + sizeof(*th));
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = saddr->ip;
		iph->daddr = daddr->ip;
		ip_send_check(iph);
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6 = skb_put_zero(skb, sizeof(*ip6));

		ip6_flow_hdr(ip6, 0, 0);
		ip6->payload_len = htons(sizeof(*th));
		ip6->nexthdr = IPPROTO_TCP;
		ip6->hop_limit = 64;
		ip6->saddr = saddr->in6;
		ip6->daddr = daddr->in6;
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_set_transport_header(skb, hlen);
	th = skb_put_zero(skb, sizeof(*th));
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack_seq);
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	th->ack = ack;
	if (family == AF_INET)
		th->check = tcp_v4_check(sizeof(*th), saddr->ip, daddr->ip,
					 csum_partial(th, sizeof(*th), 0));
	else
		th->check = tcp_v6_check(sizeof(*th), &saddr->in6, &daddr->in6,
					 csum_partial(th, sizeof(*th), 0));
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	plink_deliver(skb, NULL, to);
}

/* Refuse a client's TCP packet with a RST, as a host with no socket does. */
static void plink_refuse(struct net_device *dev, const struct plink_pkt *p)
{
	if (p->proto != IPPROTO_TCP || (p->tcpflags & TCPHDR_RST))
		return;
	if (p->tcpflags & TCPHDR_ACK)
		plink_send_rst(dev, p->family, &p->daddr, &p->saddr, p->dport,
			       p->sport, p->ack, 0, false);
	else
		plink_send_rst(dev, p->family, &p->daddr, &p->saddr, p->dport,
			       p->sport, 0, p->seq + p->seglen, true);
}

/*
 * End a TCP flow on both sides (GC and flush; under RCU, with BH disabled:
 * it updates per-CPU counters).
 */
void plink_flow_reset(struct plink_flow *f)
{
	struct plink_target *t = f->target;
	struct plink_service *svc = t->svc;
	struct plink_endpoint *ep = f->ep;

	lockdep_assert_in_softirq();

	if (f->proto != IPPROTO_TCP ||
	    READ_ONCE(f->state) == PLINK_FLOW_STATE_CLOSED)
		return;
	if (READ_ONCE(ep->state) == PLINK_ENDPOINT_STATE_AVAILABLE &&
	    READ_ONCE(f->state) != PLINK_FLOW_STATE_SYN)
		plink_send_rst(ep->dev->dev, f->family, &f->eaddr, &f->caddr,
			       f->eport, f->cport, READ_ONCE(f->tseq), 0, false);
	if (!READ_ONCE(svc->dead)) {
		union plink_inaddr taddr = { .in6 = t->addr.in6 };

		plink_send_rst(svc->nlb->dev, f->family, &f->naddr, &taddr,
			       f->nport, f->tport, READ_ONCE(f->cseq), 0,
			       false);
	}
	plink_count3(ep, svc, t, PLINK_STAT_FLOWS_RESET, 1);
}

static void plink_flow_touch(struct plink_flow *f, unsigned int len)
{
	u32 now = (u32)jiffies;

	if (READ_ONCE(f->last) != now)
		WRITE_ONCE(f->last, now);
	/* Per flow, for display: concurrent updates may lose a count. */
	WRITE_ONCE(f->packets, f->packets + 1);
	WRITE_ONCE(f->bytes, f->bytes + len);
}

static bool plink_addr_match(const struct plink_addr *a,
			     const union plink_inaddr *in, u8 family)
{
	return a->family == family && ipv6_addr_equal(&a->in6, &in->in6);
}

static struct plink_endpoint *plink_ep_find(struct plink_dev *pd,
					    const struct plink_pkt *p)
{
	struct plink_endpoint *ep;
	unsigned int i;

	list_for_each_entry_rcu(ep, &pd->endpoints, dev_node) {
		for (i = 0; i < ep->naddrs; i++) {
			if (plink_addr_match(&ep->addrs[i], &p->daddr,
					     p->family))
				return ep;
		}
	}
	return NULL;
}

static const struct plink_listener *
plink_listener_find(const struct plink_service_cfg *cfg,
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

static bool plink_rule_allows(const struct plink_rule *r,
			      const struct plink_pkt *p)
{
	u16 port = ntohs(p->dport);

	if (r->prefix.family != p->family)
		return false;
	if (p->family == AF_INET) {
		if (r->prefix_len &&
		    (p->saddr.ip ^ r->prefix.ip) &
		    htonl(~0U << (32 - r->prefix_len)))
			return false;
	} else if (!ipv6_prefix_equal(&p->saddr.in6, &r->prefix.in6,
				      r->prefix_len)) {
		return false;
	}
	if (!r->proto)
		return true;
	return r->proto == p->proto &&
	       (!r->port_min || (port >= r->port_min && port <= r->port_max));
}

static bool plink_sg_allows(const struct plink_endpoint *ep,
			    const struct plink_pkt *p)
{
	unsigned int i;

	if (!ep->nrules)
		return true;
	for (i = 0; i < ep->nrules; i++) {
		if (plink_rule_allows(&ep->rules[i], p))
			return true;
	}
	return false;
}

/*
 * TCP state and sequence numbers (see plink_flow_tcp_track()).  A reset
 * uses each side's next sequence number, not the other side's last ACK
 * number, which lags what it has received by a delayed ACK: its RST would
 * only draw a challenge ACK.
 */
static void plink_flow_track(struct plink_flow *f, const struct plink_pkt *p,
			     bool fwd)
{
	if (p->proto != IPPROTO_TCP) {
		/* The client is back (see plink_icmp_fwd()). */
		if (fwd && READ_ONCE(f->state) == PLINK_FLOW_STATE_CLOSED)
			WRITE_ONCE(f->state, PLINK_FLOW_STATE_UDP);
		return;
	}
	plink_flow_tcp_track(f, fwd, p->tcpflags, p->seq, p->seq + p->seglen,
			     p->ack);
}

/*
 * A new flow for the client's packet: only a TCP SYN (or any UDP datagram)
 * opens one.  Returns the flow, or NULL with *@drop set.
 */
static struct plink_flow *plink_flow_open(struct plink_endpoint *ep,
					  struct plink_service *svc,
					  const struct plink_service_cfg *cfg,
					  const struct plink_listener *l,
					  const struct plink_fkey *k, u32 hash,
					  const struct plink_pkt *p,
					  enum plink_stat *drop)
{
	struct plink_lb *lb;
	struct plink_target *t;
	struct plink_flow *f;

	if (p->proto == IPPROTO_TCP &&
	    (p->tcpflags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) != TCPHDR_SYN) {
		*drop = PLINK_STAT_DROP_STATE;
		return NULL;
	}
	lb = rcu_dereference(svc->lb[plink_lb_index(p->family)]);
	if (!lb) {
		*drop = PLINK_STAT_DROP_NO_TARGET;
		return NULL;
	}
	t = lb->targets[lb->table[hash % lb->m]];
	if (!refcount_inc_not_zero(&t->ref)) {
		*drop = PLINK_STAT_DROP_NO_TARGET;
		return NULL;
	}
	if (READ_ONCE(t->removed)) {
		*drop = PLINK_STAT_DROP_NO_TARGET;
		goto put;
	}
	switch (plink_flow_add(&plink_flows, k, hash, t,
			       t->port ?: l->target_port, cfg, &f)) {
	case PLINK_FLOW_OK:
		plink_count3(ep, svc, t, PLINK_STAT_FLOWS_NEW, 1);
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
put:
	plink_target_put(t);
	return NULL;
}

/* The service of an NLB device that owns NLB address @addr. */
static struct plink_service *plink_svc_find(struct plink_dev *pd,
					    const union plink_inaddr *addr,
					    u8 family)
{
	struct plink_service *svc;
	unsigned int i;

	list_for_each_entry_rcu(svc, &pd->services, dev_node) {
		const struct plink_service_cfg *cfg = rcu_dereference(svc->cfg);

		for (i = 0; i < cfg->naddrs; i++) {
			if (plink_addr_match(&cfg->addrs[i], addr, family))
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

static void plink_csum_addr(__sum16 *sum, const union plink_inaddr *from,
			    const union plink_inaddr *to, u8 family)
{
	unsigned int i, n = family == AF_INET ? 1 : 4;

	for (i = 0; i < n; i++)
		csum_replace4(sum, from->in6.s6_addr32[i], to->in6.s6_addr32[i]);
}

/*
 * Rewrite the header an ICMP error quotes (at @ioff, its L4 header at
 * @in->l4off) to @saddr:@sport -> @daddr:@dport; its L4 checksum is fixed
 * where quoted.
 */
static void plink_icmp_inner(struct sk_buff *skb, const struct plink_pkt *in,
			     unsigned int ioff,
			     const union plink_inaddr *saddr, __be16 sport,
			     const union plink_inaddr *daddr, __be16 dport)
{
	unsigned int avail = skb->len - in->l4off;
	__sum16 *check = NULL;
	__be16 *ports = (__be16 *)(skb->data + in->l4off);

	if (in->proto == IPPROTO_TCP && avail >= 18)
		check = &((struct tcphdr *)ports)->check;
	else if (in->proto == IPPROTO_UDP && avail >= 8 &&
		 ((struct udphdr *)ports)->check)
		check = &((struct udphdr *)ports)->check;
	if (check) {
		plink_csum_addr(check, &in->saddr, saddr, in->family);
		plink_csum_addr(check, &in->daddr, daddr, in->family);
		csum_replace2(check, ports[0], sport);
		csum_replace2(check, ports[1], dport);
		if (in->proto == IPPROTO_UDP && !*check)
			*check = CSUM_MANGLED_0;
	}
	ports[0] = sport;
	ports[1] = dport;
	if (in->family == AF_INET) {
		struct iphdr *iph = (struct iphdr *)(skb->data + ioff);

		iph->saddr = saddr->ip;
		iph->daddr = daddr->ip;
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(skb->data + ioff);

		ip6->saddr = saddr->in6;
		ip6->daddr = daddr->in6;
	}
}

static bool plink_icmp_is_error(u8 family, u8 type)
{
	if (family == AF_INET)
		return type == ICMP_DEST_UNREACH || type == ICMP_TIME_EXCEEDED ||
		       type == ICMP_PARAMETERPROB;
	return type == ICMPV6_DEST_UNREACH || type == ICMPV6_PKT_TOOBIG ||
	       type == ICMPV6_TIME_EXCEED || type == ICMPV6_PARAMPROB;
}

/*
 * The packet an ICMP error at @p->l4off quotes, in @in (its L3 header at
 * *@ioff); @skb is made linear and writable.  Returns false when @skb is
 * no ICMP error about a TCP or UDP packet plink could have sent.
 */
static bool plink_icmp_quoted(struct sk_buff *skb, const struct plink_pkt *p,
			      struct plink_pkt *in, unsigned int *ioff)
{
	unsigned int off = p->l4off + 8;

	if (skb_linearize(skb) || skb_ensure_writable(skb, skb->len) ||
	    skb->len < off)
		return false;
	if (!plink_icmp_is_error(p->family, skb->data[p->l4off]))
		return false;

	memset(in, 0, sizeof(*in));
	in->family = p->family;
	if (p->family == AF_INET) {
		const struct iphdr *iph = (const struct iphdr *)(skb->data + off);

		/* What plink sent had no options: this cannot be ours. */
		if (skb->len < off + sizeof(*iph) || iph->version != 4 ||
		    iph->ihl != 5 || skb->len < off + sizeof(*iph) + 8 ||
		    ip_is_fragment(iph))
			return false;
		in->proto = iph->protocol;
		in->saddr.ip = iph->saddr;
		in->daddr.ip = iph->daddr;
		in->l4off = off + sizeof(*iph);
	} else {
		const struct ipv6hdr *ip6 = (const struct ipv6hdr *)(skb->data + off);
		__be16 frag_off = 0;
		u8 nexthdr;
		int l4off;

		if (skb->len < off + sizeof(*ip6) || ip6->version != 6)
			return false;
		in->saddr.in6 = ip6->saddr;
		in->daddr.in6 = ip6->daddr;
		nexthdr = ip6->nexthdr;
		l4off = ipv6_skip_exthdr(skb, off + sizeof(*ip6), &nexthdr,
					 &frag_off);
		if (l4off < 0 || frag_off || skb->len < l4off + 8)
			return false;
		in->proto = nexthdr;
		in->l4off = l4off;
	}
	if (in->proto != IPPROTO_TCP && in->proto != IPPROTO_UDP)
		return false;
	in->sport = ((__be16 *)(skb->data + in->l4off))[0];
	in->dport = ((__be16 *)(skb->data + in->l4off))[1];
	*ioff = off;
	return true;
}

/* Readdress the ICMP error's outer header and redo its checksum. */
static void plink_icmp_outer(struct sk_buff *skb, const struct plink_pkt *p,
			     const union plink_inaddr *saddr,
			     const union plink_inaddr *daddr)
{
	unsigned int len = skb->len - p->l4off;
	u8 *icmp = skb->data + p->l4off;

	if (p->family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);
		struct icmphdr *ih = (struct icmphdr *)icmp;

		iph->saddr = saddr->ip;
		iph->daddr = daddr->ip;
		ip_send_check(iph);
		ih->checksum = 0;
		ih->checksum = csum_fold(skb_checksum(skb, p->l4off, len, 0));
	} else {
		struct ipv6hdr *ip6 = ipv6_hdr(skb);
		struct icmp6hdr *ih = (struct icmp6hdr *)icmp;

		ip6->saddr = saddr->in6;
		ip6->daddr = daddr->in6;
		ih->icmp6_cksum = 0;
		ih->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len,
						  IPPROTO_ICMPV6,
						  skb_checksum(skb, p->l4off,
							       len, 0));
	}
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * An ICMP error from the provider's side about a flow's packet: the quoted
 * packet (NLB address:SNAT port -> target:port) finds the flow; both
 * headers are translated and the error goes to the client from the
 * endpoint address.  Returns the flow, or NULL.
 */
static struct plink_flow *plink_icmp_xlate(struct sk_buff *skb,
					   struct plink_dev *pd,
					   const struct plink_pkt *p)
{
	struct plink_pkt in;
	struct plink_flow *f;
	struct plink_rkey k;
	unsigned int ioff;

	if (!plink_icmp_quoted(skb, p, &in, &ioff))
		return NULL;
	plink_fill_rkey(&k, pd, &in, true);
	f = plink_flow_lookup_rev(&plink_flows, &k);
	if (!f)
		return NULL;
	plink_icmp_inner(skb, &in, ioff, &f->caddr, f->cport, &f->eaddr,
			 f->eport);
	plink_icmp_outer(skb, p, &f->eaddr, &f->caddr);
	return f;
}

/* An ICMP error that reports the receiver gone, not a path's trouble. */
static bool plink_icmp_is_hard(const struct sk_buff *skb,
			       const struct plink_pkt *p)
{
	const u8 *icmp = skb->data + p->l4off;

	if (p->family == AF_INET)
		return icmp[0] == ICMP_DEST_UNREACH && icmp[1] != ICMP_FRAG_NEEDED;
	return icmp[0] == ICMPV6_DEST_UNREACH;
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
	union plink_inaddr taddr;
	struct plink_flow *f;
	struct plink_fkey k;
	struct plink_pkt in;
	unsigned int ioff;

	if (!plink_icmp_quoted(skb, p, &in, &ioff))
		return NULL;
	memset(&k, 0, sizeof(k));
	k.caddr = in.daddr;
	k.eaddr = in.saddr;
	k.ep = ep;
	k.cport = in.dport;
	k.eport = in.sport;
	k.proto = in.proto;
	k.family = in.family;
	f = plink_flow_lookup_fwd(&plink_flows, &k,
				  plink_flow_fhash(&plink_flows, &k));
	if (!f)
		return NULL;
	memset(&taddr, 0, sizeof(taddr));
	taddr.in6 = f->target->addr.in6;
	plink_icmp_inner(skb, &in, ioff, &taddr, f->tport, &f->naddr,
			 f->nport);
	plink_icmp_outer(skb, p, &f->naddr, &taddr);
	if (f->proto == IPPROTO_UDP && plink_icmp_is_hard(skb, p) &&
	    ipv6_addr_equal(&p->saddr.in6, &f->caddr.in6))
		WRITE_ONCE(f->state, PLINK_FLOW_STATE_CLOSED);
	return f;
}

/* Consumer to provider, on an endpoint device. */
static void plink_ep_xmit(struct sk_buff *skb, struct plink_dev *pd)
{
	struct plink_hostport src, dst;
	const struct plink_service_cfg *cfg;
	const struct plink_listener *l;
	enum plink_stat drop;
	struct plink_endpoint *ep;
	struct plink_service *svc;
	struct plink_target *t;
	struct plink_flow *f;
	struct plink_fkey k;
	struct plink_pkt p;
	bool icmp = false;
	u32 hash;

	switch (plink_parse(skb, &p)) {
	case PLINK_PARSE_OK:
		break;
	case PLINK_PARSE_ICMP:
		icmp = true;
		break;
	case PLINK_PARSE_MALFORMED:
		drop = PLINK_STAT_DROP_MALFORMED;
		goto drop_dev;
	case PLINK_PARSE_FRAGMENT:
		drop = PLINK_STAT_DROP_FRAGMENT;
		goto drop_addr;
	case PLINK_PARSE_IP_OPTIONS:
		drop = PLINK_STAT_DROP_IP_OPTIONS;
drop_addr:
		/* The addresses are known: count it where it was going. */
		ep = plink_ep_find(pd, &p);
		if (!ep)
			goto drop_unknown;
		plink_count(&ep->cnt, drop, 1);
		svc = READ_ONCE(ep->svc);
		if (svc && !READ_ONCE(svc->dead))
			plink_count(&svc->cnt, drop, 1);
		goto drop_unknown;
	default:
		/* ICMP echo and the like: an endpoint answers nothing. */
		drop = PLINK_STAT_DROP_NO_LISTENER;
		goto drop_dev;
	}

	ep = plink_ep_find(pd, &p);
	if (!ep)
		goto drop_unknown;
	svc = READ_ONCE(ep->svc);
	if (READ_ONCE(ep->state) != PLINK_ENDPOINT_STATE_AVAILABLE || !svc ||
	    READ_ONCE(svc->dead)) {
		plink_count3(ep, NULL, NULL, PLINK_STAT_DROP_STATE, 1);
		goto drop_unknown;
	}
	if (icmp) {
		/* Echo requests and the like: an endpoint answers nothing. */
		f = plink_icmp_fwd(skb, ep, &p);
		if (!f || f->target->svc != svc) {
			drop = PLINK_STAT_DROP_NO_LISTENER;
			goto drop;
		}
		t = f->target;
		plink_count3(ep, svc, t, PLINK_STAT_ICMP_ERRORS, 1);
		goto deliver;
	}
	cfg = rcu_dereference(svc->cfg);
	l = plink_listener_find(cfg, &p);
	if (!l) {
		drop = PLINK_STAT_DROP_NO_LISTENER;
		goto drop;
	}
	if (!plink_sg_allows(ep, &p)) {
		drop = PLINK_STAT_DROP_SECURITY_GROUP;
		goto drop;
	}

	memset(&k, 0, sizeof(k));
	k.caddr = p.saddr;
	k.eaddr = p.daddr;
	k.ep = ep;
	k.cport = p.sport;
	k.eport = p.dport;
	k.proto = p.proto;
	k.family = p.family;
	hash = plink_flow_fhash(&plink_flows, &k);
	f = plink_flow_lookup_fwd(&plink_flows, &k, hash);
	if (!f) {
		f = plink_flow_open(ep, svc, cfg, l, &k, hash, &p, &drop);
		if (!f) {
			plink_refuse(pd->dev, &p);
			goto drop;
		}
	}
	t = f->target;
	plink_flow_track(f, &p, true);
	plink_flow_touch(f, skb->len);

	plink_hostport(&src, &f->naddr, p.family, f->nport);
	plink_hostport(&dst, (const union plink_inaddr *)&t->addr.in6, p.family,
		       f->tport);
	if (plink_nat_rewrite(skb, p.l4off, p.proto, &src, &dst)) {
		drop = PLINK_STAT_DROP_MALFORMED;
		goto drop;
	}
deliver:
	plink_count3(ep, svc, t, PLINK_STAT_FWD_PACKETS, 1);
	plink_count3(ep, svc, t, PLINK_STAT_FWD_BYTES, skb->len);
	plink_deliver(skb, pd->dev, svc->nlb->dev);
	return;

drop:
	plink_count3(ep, svc, NULL, drop, 1);
	goto drop_unknown;
drop_dev:
	/* No endpoint known yet: the device's endpoints all see it. */
	list_for_each_entry_rcu(ep, &pd->endpoints, dev_node)
		plink_count(&ep->cnt, drop, 1);
drop_unknown:
	dev_core_stats_tx_dropped_inc(pd->dev);
	kfree_skb(skb);
}

/* What the NLB device's drops count as, by parser verdict. */
static const enum plink_stat plink_nlb_drop[] = {
	[PLINK_PARSE_OTHER]		= PLINK_STAT_DROP_NO_FLOW,
	[PLINK_PARSE_MALFORMED]		= PLINK_STAT_DROP_MALFORMED,
	[PLINK_PARSE_FRAGMENT]		= PLINK_STAT_DROP_FRAGMENT,
	[PLINK_PARSE_IP_OPTIONS]	= PLINK_STAT_DROP_IP_OPTIONS,
};

/* Provider to consumer, on an NLB device. */
static void plink_nlb_xmit(struct sk_buff *skb, struct plink_dev *pd)
{
	struct plink_hostport src, dst;
	struct plink_endpoint *ep;
	struct plink_service *svc;
	enum plink_verdict v;
	struct plink_flow *f;
	struct plink_rkey k;
	struct plink_pkt p;
	bool icmp = false;

	v = plink_parse(skb, &p);
	if (v == PLINK_PARSE_ICMP) {
		f = plink_icmp_xlate(skb, pd, &p);
		icmp = true;
	} else if (v == PLINK_PARSE_OK) {
		plink_fill_rkey(&k, pd, &p, false);
		f = plink_flow_lookup_rev(&plink_flows, &k);
	} else {
		/* Counted on the service its destination names, if known. */
		svc = p.family ? plink_svc_find(pd, &p.daddr, p.family) : NULL;
		if (svc)
			plink_count(&svc->cnt, plink_nlb_drop[v], 1);
		goto drop_dev;
	}
	if (!f || READ_ONCE(f->target->svc->dead)) {
		svc = plink_svc_find(pd, &p.daddr, p.family);
		if (svc)
			plink_count(&svc->cnt, PLINK_STAT_DROP_NO_FLOW, 1);
		goto drop_dev;
	}
	ep = f->ep;
	svc = f->target->svc;
	if (READ_ONCE(ep->state) != PLINK_ENDPOINT_STATE_AVAILABLE ||
	    (f->proto == IPPROTO_UDP && !icmp &&
	     READ_ONCE(f->state) == PLINK_FLOW_STATE_CLOSED)) {
		/* A closed UDP flow: the client has gone, let it expire. */
		plink_count3(ep, svc, NULL, PLINK_STAT_DROP_STATE, 1);
		goto drop_dev;
	}
	plink_flow_touch(f, skb->len);
	if (icmp) {
		plink_count3(ep, svc, f->target, PLINK_STAT_ICMP_ERRORS, 1);
	} else {
		plink_flow_track(f, &p, false);
		plink_hostport(&src, &f->eaddr, p.family, f->eport);
		plink_hostport(&dst, &f->caddr, p.family, f->cport);
		if (plink_nat_rewrite(skb, p.l4off, p.proto, &src, &dst)) {
			plink_count3(ep, svc, f->target,
				     PLINK_STAT_DROP_MALFORMED, 1);
			goto drop_dev;
		}
	}
	plink_count3(ep, svc, f->target, PLINK_STAT_REV_PACKETS, 1);
	plink_count3(ep, svc, f->target, PLINK_STAT_REV_BYTES, skb->len);
	plink_deliver(skb, pd->dev, ep->dev->dev);
	return;

drop_dev:
	dev_core_stats_tx_dropped_inc(pd->dev);
	kfree_skb(skb);
}

netdev_tx_t plink_dp_xmit(struct sk_buff *skb, struct plink_dev *pd)
{
	switch (READ_ONCE(pd->binding)) {
	case PLINK_BINDING_ENDPOINT:
		plink_ep_xmit(skb, pd);
		break;
	case PLINK_BINDING_NLB:
		plink_nlb_xmit(skb, pd);
		break;
	default:
		/* Nothing is bound: what the stack sends here goes nowhere. */
		dev_core_stats_tx_dropped_inc(pd->dev);
		kfree_skb(skb);
		break;
	}
	return NETDEV_TX_OK;
}
