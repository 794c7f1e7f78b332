// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the NAT rewrite: after translating addresses and ports,
 * the IPv4 header checksum and the TCP/UDP checksum equal a full
 * recompute, for IPv4 and IPv6, with CHECKSUM_NONE, CHECKSUM_PARTIAL and
 * CHECKSUM_COMPLETE (whose skb->csum must equal the packet's sum); a zero
 * UDP/IPv4 checksum stays zero.
 */

#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>

#include "../nat.h"

#define PAYLOAD	1000

/* One side of a translated packet: an address of a family and a port. */
struct plink_test_side {
	union nf_inet_addr addr;
	u8 family;
	__be16 port;
};

static void plink_test_addr4(struct plink_test_side *hp, u32 ip, u16 port)
{
	memset(hp, 0, sizeof(*hp));
	hp->family = AF_INET;
	hp->addr.ip = htonl(ip);
	hp->port = htons(port);
}

static void plink_test_addr6(struct plink_test_side *hp, u8 last, u16 port)
{
	memset(hp, 0, sizeof(*hp));
	hp->family = AF_INET6;
	hp->addr.in6.s6_addr[0] = 0x20;
	hp->addr.in6.s6_addr[1] = 0x01;
	hp->addr.in6.s6_addr[2] = 0x0d;
	hp->addr.in6.s6_addr[3] = 0xb8;
	hp->addr.in6.s6_addr[15] = last;
	hp->port = htons(port);
}

static int plink_test_rewrite(struct sk_buff *skb, u8 proto,
			      const struct plink_test_side *s,
			      const struct plink_test_side *d)
{
	return plink_nat_rewrite(skb, skb_transport_offset(skb), proto,
				 s->family, &s->addr, s->port, &d->addr,
				 d->port);
}

static __sum16 plink_test_pseudo(struct sk_buff *skb, u8 proto, u32 len,
				 __wsum sum)
{
	if (skb->protocol == htons(ETH_P_IP))
		return csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr,
					 len, proto, sum);
	return csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
			       len, proto, sum);
}

/* The IPv4 or IPv6 header of a packet from @s to @d with @l4len bytes of L4. */
static void plink_test_l3(struct sk_buff *skb, u8 proto,
			  const struct plink_test_side *s,
			  const struct plink_test_side *d, unsigned int l4len)
{
	if (s->family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		skb->protocol = htons(ETH_P_IP);
		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 64;
		iph->protocol = proto;
		iph->tot_len = htons(sizeof(*iph) + l4len);
		iph->saddr = s->addr.ip;
		iph->daddr = d->addr.ip;
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		skb->protocol = htons(ETH_P_IPV6);
		ip6h->version = 6;
		ip6h->hop_limit = 64;
		ip6h->nexthdr = proto;
		ip6h->payload_len = htons(l4len);
		ip6h->saddr = s->addr.in6;
		ip6h->daddr = d->addr.in6;
	}
}

/* A TCP or UDP packet from @s to @d with a checksum of kind @summed. */
static struct sk_buff *plink_test_pkt(struct kunit *test, u8 proto,
				      const struct plink_test_side *s,
				      const struct plink_test_side *d,
				      int summed, bool udp_zero)
{
	bool v4 = s->family == AF_INET;
	unsigned int l3len = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	unsigned int l4hlen = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						     sizeof(struct udphdr);
	unsigned int l4len = l4hlen + PAYLOAD, i;
	struct sk_buff *skb;
	__sum16 *check;
	u8 *l4;

	skb = alloc_skb(64 + l3len + l4len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_reset_network_header(skb);
	skb_put_zero(skb, l3len + l4len);
	skb_set_transport_header(skb, l3len);
	l4 = skb->data + l3len;
	for (i = l4hlen; i < l4len; i++)
		l4[i] = i * 7;

	plink_test_l3(skb, proto, s, d, l4len);
	((__be16 *)l4)[0] = s->port;
	((__be16 *)l4)[1] = d->port;
	if (proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)l4;

		th->doff = 5;
		th->ack = 1;
		th->seq = htonl(12345);
		check = &th->check;
	} else {
		struct udphdr *uh = (struct udphdr *)l4;

		uh->len = htons(l4len);
		check = &uh->check;
	}

	switch (summed) {
	case CHECKSUM_PARTIAL:
		*check = ~plink_test_pseudo(skb, proto, l4len, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = (u8 *)check - l4;
		break;
	case CHECKSUM_COMPLETE:
	case CHECKSUM_NONE:
		if (!udp_zero) {
			*check = plink_test_pseudo(skb, proto, l4len,
						   csum_partial(l4, l4len, 0));
			if (proto == IPPROTO_UDP && !*check)
				*check = CSUM_MANGLED_0;
		}
		skb->ip_summed = summed;
		/* COMPLETE: the sum of the packet from its L3 header, as on rx. */
		skb->csum = csum_partial(skb->data, skb->len, 0);
		break;
	}
	return skb;
}

/*
 * The packet's checksums verify from scratch, and its tuple is @s -> @d.
 * A CHECKSUM_PARTIAL packet is completed in a copy, so that it stays
 * PARTIAL for the next rewrite.
 */
static void plink_test_verify(struct kunit *test, struct sk_buff *orig,
			      u8 proto, const struct plink_test_side *s,
			      const struct plink_test_side *d, bool udp_zero)
{
	struct sk_buff *skb = orig;
	unsigned int l4off, l4len;
	__wsum sum;
	u8 *l4;

	if (orig->ip_summed == CHECKSUM_PARTIAL) {
		skb = skb_copy(orig, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
		if (skb_checksum_help(skb)) {
			kfree_skb(skb);
			KUNIT_FAIL(test, "skb_checksum_help failed");
			return;
		}
	}
	l4off = skb_transport_offset(skb);
	l4len = skb->len - l4off;
	l4 = skb->data + l4off;
	if (skb->protocol == htons(ETH_P_IP)) {
		KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(skb_network_header(skb), 5),
				0);
		KUNIT_EXPECT_EQ(test, ntohl(ip_hdr(skb)->saddr), ntohl(s->addr.ip));
		KUNIT_EXPECT_EQ(test, ntohl(ip_hdr(skb)->daddr), ntohl(d->addr.ip));
	} else {
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ipv6_hdr(skb)->saddr,
							&s->addr.in6));
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ipv6_hdr(skb)->daddr,
							&d->addr.in6));
	}
	KUNIT_EXPECT_EQ(test, ntohs(((__be16 *)l4)[0]), ntohs(s->port));
	KUNIT_EXPECT_EQ(test, ntohs(((__be16 *)l4)[1]), ntohs(d->port));

	sum = csum_partial(l4, l4len, 0);
	if (udp_zero) {
		KUNIT_EXPECT_EQ(test, (__force u16)((struct udphdr *)l4)->check, 0);
	} else {
		/* A valid checksum folds the whole segment to zero. */
		KUNIT_EXPECT_EQ(test,
				(__force u16)plink_test_pseudo(skb, proto, l4len, sum),
				0);
	}
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		KUNIT_EXPECT_EQ_MSG(test, (__force u16)csum_fold(skb->csum),
				    (__force u16)csum_fold(csum_partial(skb->data,
									skb->len, 0)),
				    "proto %u, IPv%d, ports %u -> %u", proto,
				    skb->protocol == htons(ETH_P_IP) ? 4 : 6,
				    ntohs(s->port), ntohs(d->port));
	if (skb != orig)
		kfree_skb(skb);
}

static void plink_test_nat_case(struct kunit *test, u8 proto, bool v6,
				int summed, bool udp_zero)
{
	struct plink_test_side cs, cd, ns, nd;
	struct sk_buff *skb;

	if (v6) {
		plink_test_addr6(&cs, 1, 40000);	/* client */
		plink_test_addr6(&cd, 5, 80);		/* endpoint */
		plink_test_addr6(&ns, 100, 1025);	/* NLB, SNAT port */
		plink_test_addr6(&nd, 10, 8080);	/* target */
	} else {
		plink_test_addr4(&cs, 0x0a000001, 40000);
		plink_test_addr4(&cd, 0x0a000005, 80);
		plink_test_addr4(&ns, 0x0a000064, 1025);
		plink_test_addr4(&nd, 0xc0a8010a, 8080);
	}
	skb = plink_test_pkt(test, proto, &cs, &cd, summed, udp_zero);
	KUNIT_ASSERT_EQ(test, plink_test_rewrite(skb, proto, &ns, &nd), 0);
	plink_test_verify(test, skb, proto, &ns, &nd, udp_zero);
	/* The rewrite keeps the kind: the reply leg gets a PARTIAL one too. */
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, summed);
	/* and back, as a reply would be */
	KUNIT_ASSERT_EQ(test, plink_test_rewrite(skb, proto, &cd, &cs), 0);
	plink_test_verify(test, skb, proto, &cd, &cs, udp_zero);
	kfree_skb(skb);
}

static void plink_test_nat_all(struct kunit *test)
{
	static const int summed[] = { CHECKSUM_NONE, CHECKSUM_PARTIAL,
				      CHECKSUM_COMPLETE };
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	unsigned int p, s, v;

	for (p = 0; p < ARRAY_SIZE(protos); p++)
		for (s = 0; s < ARRAY_SIZE(summed); s++)
			for (v = 0; v < 2; v++)
				plink_test_nat_case(test, protos[p], v, summed[s],
						    false);
}

static void plink_test_nat_udp_zero(struct kunit *test)
{
	plink_test_nat_case(test, IPPROTO_UDP, false, CHECKSUM_NONE, true);
	plink_test_nat_case(test, IPPROTO_UDP, false, CHECKSUM_COMPLETE, true);
}

static void plink_test_nat_bad_proto(struct kunit *test)
{
	struct plink_test_side s, d;
	struct sk_buff *skb;

	plink_test_addr4(&s, 1, 1);
	plink_test_addr4(&d, 2, 2);
	skb = plink_test_pkt(test, IPPROTO_UDP, &s, &d, CHECKSUM_NONE, false);
	KUNIT_EXPECT_EQ(test, plink_test_rewrite(skb, IPPROTO_ICMP, &d, &s),
			-EPROTONOSUPPORT);
	kfree_skb(skb);
}

static struct kunit_case plink_nat_cases[] = {
	KUNIT_CASE(plink_test_nat_all),
	KUNIT_CASE(plink_test_nat_udp_zero),
	KUNIT_CASE(plink_test_nat_bad_proto),
	{}
};

static struct kunit_suite plink_nat_suite = {
	.name = "plink_nat",
	.test_cases = plink_nat_cases,
};

kunit_test_suite(plink_nat_suite);
