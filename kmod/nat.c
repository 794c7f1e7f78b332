// SPDX-License-Identifier: GPL-2.0
/*
 * Address and port translation of one packet, with incremental checksum
 * updates that are right for CHECKSUM_NONE, CHECKSUM_PARTIAL (and so for
 * GSO packets, whose segments inherit the pseudo-header sum) and
 * CHECKSUM_COMPLETE (skb->csum covering the packet from its L3 header, as on
 * receive).  The L3 header is at skb_network_header(); @l4off is
 * the offset of the TCP or UDP header from skb->data.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

#include "nat.h"

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

static void plink_nat_addr(struct sk_buff *skb, __sum16 *l4, __be32 *field,
			   const struct plink_addr *to, u8 family)
{
	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		if (l4)
			inet_proto_csum_replace4(l4, skb, *field, to->ip, true);
		csum_replace4(&iph->check, *field, to->ip);
		*field = to->ip;
	} else {
		if (l4)
			inet_proto_csum_replace16(l4, skb, field, to->in6.s6_addr32,
						  true);
		memcpy(field, &to->in6, sizeof(to->in6));
	}
}

static void plink_nat_port(struct sk_buff *skb, __sum16 *l4, __be16 *field,
			   __be16 to)
{
	__be16 from = *field;

	if (l4) {
		/* The port and the L4 checksum change cancel in skb->csum. */
		inet_proto_csum_replace2(l4, skb, from, to, false);
	} else if (skb->ip_summed == CHECKSUM_COMPLETE) {
		/* No L4 checksum (UDP/IPv4 zero) to cancel the change. */
		skb->csum = csum_add(csum_sub(skb->csum,
					      (__force __wsum)(u32)(__force u16)from),
				     (__force __wsum)(u32)(__force u16)to);
	}
	*field = to;
}

/*
 * Rewrite source and destination of a TCP or UDP packet.  The headers must
 * be in the linear area; they are made writable here.  Returns 0 or a
 * negative errno (the packet is unchanged then).
 */
int plink_nat_rewrite(struct sk_buff *skb, unsigned int l4off, u8 proto,
		      const struct plink_hostport *src,
		      const struct plink_hostport *dst)
{
	unsigned int hlen = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						   sizeof(struct udphdr);
	u8 family = src->addr.family;
	__be16 *ports;
	__sum16 *l4;

	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	if (skb_ensure_writable(skb, l4off + hlen))
		return -ENOMEM;

	l4 = plink_nat_l4_check(skb, l4off, proto, family);
	/* TCP and UDP both start with source and destination ports. */
	ports = (__be16 *)(skb->data + l4off);

	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		plink_nat_addr(skb, l4, &iph->saddr, &src->addr, family);
		plink_nat_addr(skb, l4, &iph->daddr, &dst->addr, family);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		plink_nat_addr(skb, l4, ip6h->saddr.s6_addr32, &src->addr,
			       family);
		plink_nat_addr(skb, l4, ip6h->daddr.s6_addr32, &dst->addr,
			       family);
	}
	plink_nat_port(skb, l4, &ports[0], src->port);
	plink_nat_port(skb, l4, &ports[1], dst->port);

	/* A UDP checksum that came out zero is sent as all ones. */
	if (l4 && proto == IPPROTO_UDP && skb->ip_summed != CHECKSUM_PARTIAL &&
	    !*l4)
		*l4 = CSUM_MANGLED_0;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_nat_rewrite);
