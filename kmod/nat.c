// SPDX-License-Identifier: GPL-2.0
/*
 * All of plink's header rewriting.
 *
 * plink_nat_rewrite(): address and port translation of one packet, with
 * incremental checksum updates that are right for CHECKSUM_NONE,
 * CHECKSUM_PARTIAL (and so for GSO packets, whose segments inherit the
 * pseudo-header sum) and CHECKSUM_COMPLETE (skb->csum covering the packet
 * from its L3 header, as on receive).  The L3 header is at
 * skb_network_header(); @l4off is the offset of the TCP or UDP header from
 * skb->data.
 *
 * plink_nat_icmp(): an ICMP error about a flow's packet, translated as
 * that packet was: the header it quotes (and its L4 checksum, where
 * quoted) and its own addresses, with its checksum recomputed.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "nat.h"
#include "pkt.h"

/* Where the L4 checksum of @proto lives, or NULL for a UDP/IPv4 zero. */
static __sum16 *plink_nat_l4_check(struct sk_buff *skb, unsigned int l4off,
				   u8 proto, u8 family)
{
	if (proto == IPPROTO_TCP)
		return &((struct tcphdr *)(skb->data + l4off))->check;
	/* A zero UDP/IPv4 checksum means "none": it stays zero. */
	if (family == AF_INET && !((struct udphdr *)(skb->data + l4off))->check &&
	    skb->ip_summed != CHECKSUM_PARTIAL)
		return NULL;
	return &((struct udphdr *)(skb->data + l4off))->check;
}

/*
 * Replace the packet's addresses with @saddr and @daddr; returns what the
 * change adds to a sum over them (one difference for both, as one
 * inet_proto_csum_replace16() makes for an IPv6 address).  The IPv4 header
 * checksum is fixed here.
 */
static __wsum plink_nat_addrs(struct sk_buff *skb,
			      const union nf_inet_addr *saddr,
			      const union nf_inet_addr *daddr, u8 family)
{
	__be32 d[16];
	__wsum diff;
	int i;

	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		d[0] = ~iph->saddr;
		d[1] = ~iph->daddr;
		d[2] = saddr->ip;
		d[3] = daddr->ip;
		diff = csum_partial(d, 4 * sizeof(*d), 0);
		csum_replace_by_diff(&iph->check, diff);
		iph->saddr = saddr->ip;
		iph->daddr = daddr->ip;
		return diff;
	}
	for (i = 0; i < 4; i++) {
		d[i] = ~ipv6_hdr(skb)->saddr.s6_addr32[i];
		d[4 + i] = ~ipv6_hdr(skb)->daddr.s6_addr32[i];
		d[8 + i] = saddr->ip6[i];
		d[12 + i] = daddr->ip6[i];
	}
	ipv6_hdr(skb)->saddr = saddr->in6;
	ipv6_hdr(skb)->daddr = daddr->in6;
	return csum_partial(d, sizeof(d), 0);
}

/*
 * Rewrite source and destination of a TCP or UDP packet of @family to
 * @saddr:@sport -> @daddr:@dport.  The headers must be in the linear area;
 * they are made writable here.  The L4 checksum takes two differences, the
 * addresses' (in the pseudo-header) and the ports' (not in it), not one per
 * field.  Returns 0 or a negative errno (the packet is unchanged then).
 */
int plink_nat_rewrite(struct sk_buff *skb, unsigned int l4off, u8 proto,
		      u8 family, const union nf_inet_addr *saddr, __be16 sport,
		      const union nf_inet_addr *daddr, __be16 dport)
{
	unsigned int hlen = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						   sizeof(struct udphdr);
	__wsum adiff, pdiff;
	__be16 *ports;
	__sum16 *l4;

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	if (skb_ensure_writable(skb, l4off + hlen))
		return -ENOMEM;

	l4 = plink_nat_l4_check(skb, l4off, proto, family);
	/* TCP and UDP both start with source and destination ports. */
	ports = (__be16 *)(skb->data + l4off);
	pdiff = csum_add(csum_add((__force __wsum)(u32)(__force u16)~ports[0],
				  (__force __wsum)(u32)(__force u16)~ports[1]),
			 csum_add((__force __wsum)(u32)(__force u16)sport,
				  (__force __wsum)(u32)(__force u16)dport));
	adiff = plink_nat_addrs(skb, saddr, daddr, family);
	if (l4) {
		/*
		 * An IPv6 skb->csum needs no change (the addresses and the
		 * L4 checksum cancel); an IPv4 one does (the header checksum
		 * too), as inet_proto_csum_replace16() and _replace4() do.
		 */
		inet_proto_csum_replace_by_diff(l4, skb, adiff, true,
						family == AF_INET6);
		/* The ports and the L4 checksum change cancel in skb->csum. */
		inet_proto_csum_replace_by_diff(l4, skb, pdiff, false, false);
	} else if (skb->ip_summed == CHECKSUM_COMPLETE) {
		/* No L4 checksum (UDP/IPv4 zero) to cancel the change. */
		skb->csum = csum_add(skb->csum, pdiff);
	}
	ports[0] = sport;
	ports[1] = dport;

	/* A UDP checksum that came out zero is sent as all ones. */
	if (l4 && proto == IPPROTO_UDP && skb->ip_summed != CHECKSUM_PARTIAL &&
	    !*l4)
		*l4 = CSUM_MANGLED_0;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_nat_rewrite);

static void plink_csum_addr(__sum16 *sum, const union nf_inet_addr *from,
			    const union nf_inet_addr *to, u8 family)
{
	unsigned int i, n = family == AF_INET ? 1 : 4;

	for (i = 0; i < n; i++)
		csum_replace4(sum, from->ip6[i], to->ip6[i]);
}

/*
 * Rewrite the header an ICMP error quotes (at @ioff, its L4 header at
 * @in->l4off) to @saddr:@sport -> @daddr:@dport; its L4 checksum is fixed
 * where quoted.
 */
static void plink_nat_icmp_inner(struct sk_buff *skb,
				 const struct plink_pkt *in, unsigned int ioff,
				 const union nf_inet_addr *saddr, __be16 sport,
				 const union nf_inet_addr *daddr, __be16 dport)
{
	unsigned int avail = skb->len - in->l4off;
	__be16 *ports = (__be16 *)(skb->data + in->l4off);
	__sum16 *check = NULL;

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

/* Readdress the ICMP error's own header and redo its checksum. */
static void plink_nat_icmp_outer(struct sk_buff *skb,
				 const struct plink_pkt *p,
				 const union nf_inet_addr *saddr,
				 const union nf_inet_addr *daddr)
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
 * Translate ICMP error @p, which quotes @in (at @ioff; see
 * plink_parse_quoted()): the quoted packet becomes @saddr:@sport ->
 * @daddr:@dport, and the error, which answers it, comes from @daddr to
 * @saddr.
 */
void plink_nat_icmp(struct sk_buff *skb, const struct plink_pkt *p,
		    const struct plink_pkt *in, unsigned int ioff,
		    const union nf_inet_addr *saddr, __be16 sport,
		    const union nf_inet_addr *daddr, __be16 dport)
{
	plink_nat_icmp_inner(skb, in, ioff, saddr, sport, daddr, dport);
	plink_nat_icmp_outer(skb, p, daddr, saddr);
}
