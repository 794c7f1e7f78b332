// SPDX-License-Identifier: GPL-2.0
/*
 * What both directions of the datapath use (fwd.c, rev.c), in
 * ndo_start_xmit (BH disabled, under RCU): the L3/L4 parser, also used for
 * the header an ICMP error quotes; delivery into the other netns; the RSTs
 * plink sends itself (refusing a client, resetting a flow); and the
 * per-packet flow updates.
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
#include "pkt.h"

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
 * The IPv4 header at @off.  A packet's own header (@quoted false, @off 0)
 * must cover the packet, which is trimmed to its length; a quoted one is
 * cut short by the ICMP error that carries it.
 */
static enum plink_verdict plink_parse_ipv4(struct sk_buff *skb,
					   unsigned int off, bool quoted,
					   struct plink_pkt *p)
{
	const struct iphdr *iph;
	unsigned int ihl, len;

	if (!pskb_may_pull(skb, off + sizeof(*iph)))
		return PLINK_PARSE_MALFORMED;
	iph = (const struct iphdr *)(skb->data + off);
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) ||
	    !pskb_may_pull(skb, off + ihl))
		return PLINK_PARSE_MALFORMED;
	if (!quoted) {
		iph = ip_hdr(skb);
		len = ntohs(iph->tot_len);
		/* BIG TCP: a TCP GSO packet over 64 KB has no length (ip_rcv). */
		if (!len && skb_is_gso(skb) && skb_is_gso_tcp(skb))
			len = skb->len;
		if (len < ihl || len > skb->len || pskb_trim_rcsum(skb, len))
			return PLINK_PARSE_MALFORMED;
	}
	iph = (const struct iphdr *)(skb->data + off);
	p->family = AF_INET;
	p->proto = iph->protocol;
	p->l4off = off + ihl;
	p->saddr.ip = iph->saddr;
	p->daddr.ip = iph->daddr;
	if (ip_is_fragment(iph))
		return PLINK_PARSE_FRAGMENT;
	if (ihl != sizeof(*iph))
		return PLINK_PARSE_IP_OPTIONS;
	return PLINK_PARSE_OK;
}

/* The IPv6 header at @off and its extension headers (as for IPv4). */
static enum plink_verdict plink_parse_ipv6(struct sk_buff *skb,
					   unsigned int off, bool quoted,
					   struct plink_pkt *p)
{
	const struct ipv6hdr *ip6;
	__be16 frag_off = 0;
	unsigned int len;
	u8 nexthdr;
	int l4off;

	if (!pskb_may_pull(skb, off + sizeof(*ip6)))
		return PLINK_PARSE_MALFORMED;
	ip6 = (const struct ipv6hdr *)(skb->data + off);
	if (ip6->version != 6)
		return PLINK_PARSE_MALFORMED;
	if (!quoted) {
		len = sizeof(*ip6) + ntohs(ip6->payload_len);
		/*
		 * BIG TCP: a GSO packet over 64 KB has no payload length and
		 * a hop-by-hop jumbo option, which the receiver checks.
		 */
		if (!ip6->payload_len && ip6->nexthdr == NEXTHDR_HOP &&
		    skb_is_gso(skb) && skb_is_gso_tcp(skb))
			len = skb->len;
		if (len > skb->len || pskb_trim_rcsum(skb, len))
			return PLINK_PARSE_MALFORMED;
		ip6 = ipv6_hdr(skb);
	}
	p->family = AF_INET6;
	p->saddr.in6 = ip6->saddr;
	p->daddr.in6 = ip6->daddr;
	nexthdr = ip6->nexthdr;
	l4off = ipv6_skip_exthdr(skb, off + sizeof(*ip6), &nexthdr, &frag_off);
	if (l4off < 0)
		return PLINK_PARSE_MALFORMED;
	if (frag_off)
		return PLINK_PARSE_FRAGMENT;
	p->proto = nexthdr;
	p->l4off = l4off;
	if (!quoted && l4off != sizeof(*ip6) && plink_ipv6_srcrt(skb))
		return PLINK_PARSE_IP_OPTIONS;
	return PLINK_PARSE_OK;
}

/*
 * The L3 header of family @family at @off, sane and linear; sets family,
 * proto, l4off.  The addresses are set for every verdict but MALFORMED,
 * and family when they are.
 */
static enum plink_verdict plink_parse_l3(struct sk_buff *skb,
					 unsigned int off, u8 family,
					 bool quoted, struct plink_pkt *p)
{
	memset(p, 0, sizeof(*p));
	if (family == AF_INET)
		return plink_parse_ipv4(skb, off, quoted, p);
	if (family == AF_INET6)
		return plink_parse_ipv6(skb, off, quoted, p);
	return PLINK_PARSE_MALFORMED;
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
enum plink_verdict plink_parse(struct sk_buff *skb, struct plink_pkt *p)
{
	enum plink_verdict v;
	u8 family;

	if (skb->protocol == htons(ETH_P_IP))
		family = AF_INET;
	else if (skb->protocol == htons(ETH_P_IPV6))
		family = AF_INET6;
	else
		family = AF_UNSPEC;
	skb_reset_network_header(skb);
	v = plink_parse_l3(skb, 0, family, false, p);
	if (v != PLINK_PARSE_OK)
		return v;
	return plink_parse_l4(skb, p->l4off, p->proto, p);
}
EXPORT_SYMBOL_IF_KUNIT(plink_parse);

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
 * *@ioff); @skb is made linear and writable, for nat.c to rewrite both
 * headers.  Returns false when @skb is no ICMP error about a TCP or UDP
 * packet plink could have sent: what plink sends has no IPv4 options and
 * is no fragment, and the ICMP error quotes at least its ports.
 */
bool plink_parse_quoted(struct sk_buff *skb, const struct plink_pkt *p,
			struct plink_pkt *in, unsigned int *ioff)
{
	unsigned int off = p->l4off + 8;

	if (skb_linearize(skb) || skb_ensure_writable(skb, skb->len) ||
	    skb->len < off)
		return false;
	if (!plink_icmp_is_error(p->family, skb->data[p->l4off]))
		return false;
	if (plink_parse_l3(skb, off, p->family, true, in) != PLINK_PARSE_OK)
		return false;
	if ((in->proto != IPPROTO_TCP && in->proto != IPPROTO_UDP) ||
	    skb->len < in->l4off + 8)
		return false;
	in->sport = ((__be16 *)(skb->data + in->l4off))[0];
	in->dport = ((__be16 *)(skb->data + in->l4off))[1];
	*ioff = off;
	return true;
}

/* An ICMP error that reports the receiver gone, not a path's trouble. */
bool plink_icmp_is_hard(const struct sk_buff *skb, const struct plink_pkt *p)
{
	const u8 *icmp = skb->data + p->l4off;

	if (p->family == AF_INET)
		return icmp[0] == ICMP_DEST_UNREACH && icmp[1] != ICMP_FRAG_NEEDED;
	return icmp[0] == ICMPV6_DEST_UNREACH;
}

/*
 * Receive @skb on @to as if it came off a wire, like veth: scrubbed of
 * everything that belongs to the sender's netns.  Consumes @skb.  @from is
 * NULL for what plink itself sends (a RST); @to may have gone down since
 * the caller looked, and such a drop is then counted on @to.
 */
void plink_deliver(struct sk_buff *skb, struct net_device *from,
		   struct net_device *to)
{
	plink_deliver_mark(skb, from, to, 0, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(plink_deliver);

/*
 * plink_deliver(), and the mark @to's netns sees on it (0: none set); with
 * @rtc (a target's), the packet's input route comes from there (rtcache.c).
 */
void plink_deliver_mark(struct sk_buff *skb, struct net_device *from,
			struct net_device *to, u32 mark,
			struct plink_rtc __percpu *rtc)
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
	if (mark)
		skb->mark = mark;
	skb->dev = to;
	skb->pkt_type = PACKET_HOST;
	skb->priority = 0;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	if (rtc)
		plink_rtc_attach(rtc, skb);
	if (from)
		dev_sw_netstats_tx_add(from, 1, len);
	if (likely(netif_rx(skb) == NET_RX_SUCCESS))
		dev_sw_netstats_rx_add(to, len);
	else
		dev_core_stats_rx_dropped_inc(to);
}

/*
 * The L3 header of a TCP segment of @tcplen bytes (header and payload)
 * from @saddr to @daddr that plink sends; returns its length.
 */
unsigned int plink_tcp_l3(struct sk_buff *skb, u8 family,
			  const union nf_inet_addr *saddr,
			  const union nf_inet_addr *daddr, unsigned int tcplen)
{
	struct ipv6hdr *ip6;

	if (family == AF_INET) {
		struct iphdr *iph = skb_put_zero(skb, sizeof(*iph));

		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(sizeof(*iph) + tcplen);
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = saddr->ip;
		iph->daddr = daddr->ip;
		ip_send_check(iph);
		skb->protocol = htons(ETH_P_IP);
		return sizeof(*iph);
	}
	ip6 = skb_put_zero(skb, sizeof(*ip6));
	ip6_flow_hdr(ip6, 0, 0);
	ip6->payload_len = htons(tcplen);
	ip6->nexthdr = IPPROTO_TCP;
	ip6->hop_limit = 64;
	ip6->saddr = saddr->in6;
	ip6->daddr = daddr->in6;
	skb->protocol = htons(ETH_P_IPV6);
	return sizeof(*ip6);
}

/* A TCP RST from @saddr:@sport to @daddr:@dport, received on @to. */
static void plink_send_rst(struct net_device *to, u8 family,
			   const union nf_inet_addr *saddr,
			   const union nf_inet_addr *daddr,
			   __be16 sport, __be16 dport, u32 seq, u32 ack_seq,
			   bool ack)
{
	struct sk_buff *skb;
	struct tcphdr *th;

	if (!netif_running(to))
		return;
	skb = alloc_skb(LL_MAX_HEADER + sizeof(struct ipv6hdr) + sizeof(*th),
			GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, plink_tcp_l3(skb, family, saddr, daddr,
						   sizeof(*th)));
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
void plink_refuse(struct net_device *dev, const struct plink_pkt *p)
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
 * End a TCP flow on both sides: the flow table's reset callback, for the
 * GC and flushes (under RCU, with BH disabled: it updates per-CPU
 * counters).
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
		plink_send_rst(ep->dev->dev, f->family, plink_flow_eaddr(f), &f->caddr,
			       f->eport, f->cport, READ_ONCE(f->tseq), 0, false);
	/* The target's side of the client's sequence numbers (ppv2-dp.c). */
	if (!READ_ONCE(svc->dead))
		plink_send_rst(svc->nlb->dev, f->family, &f->naddr, &t->addr.inet,
			       f->nport, f->tport,
			       plink_ppv2_seq_out(f, READ_ONCE(f->cseq)), 0,
			       false);
	plink_count_path(ep, svc, t, PLINK_STAT_FLOWS_RESET, 1);
}

/* The idle time and the per-flow packet count, both ways. */
void plink_flow_touch(struct plink_flow *f)
{
	u32 now = (u32)jiffies;

	if (READ_ONCE(f->last) != now)
		WRITE_ONCE(f->last, now);
	/* Per flow, for display: concurrent updates may lose a count. */
	WRITE_ONCE(f->packets, f->packets + 1);
}

/*
 * TCP state and sequence numbers (see plink_flow_tcp_track()); @fwd: sent
 * by the client.  A reset uses each side's next sequence number, not the
 * other side's last ACK number, which lags what it has received by a
 * delayed ACK: its RST would only draw a challenge ACK.
 */
void plink_flow_track(struct plink_flow *f, const struct plink_pkt *p,
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
