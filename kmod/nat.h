/* SPDX-License-Identifier: GPL-2.0 */
/* Header rewriting (nat.c): a packet's own, and the one an ICMP error quotes. */
#ifndef _PLINK_NAT_H
#define _PLINK_NAT_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

struct plink_pkt;

int plink_nat_rewrite(struct sk_buff *skb, unsigned int l4off, u8 proto,
		      u8 family, const union nf_inet_addr *saddr, __be16 sport,
		      const union nf_inet_addr *daddr, __be16 dport);
void plink_nat_icmp(struct sk_buff *skb, const struct plink_pkt *p,
		    const struct plink_pkt *in, unsigned int ioff,
		    const union nf_inet_addr *saddr, __be16 sport,
		    const union nf_inet_addr *daddr, __be16 dport);

#endif /* _PLINK_NAT_H */
