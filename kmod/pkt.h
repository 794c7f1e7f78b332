/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both directions of the datapath share (pkt.c): the parsed view of a
 * packet, delivery into the other netns, RSTs, the per-packet flow updates
 * and the counters of every object on a packet's path.
 */
#ifndef _PLINK_PKT_H
#define _PLINK_PKT_H

#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "plink.h"

struct plink_flow;

/* What the datapath needs of a packet's headers. */
struct plink_pkt {
	u8 family;
	u8 proto;
	u8 tcpflags;
	unsigned int l4off;
	union nf_inet_addr saddr;
	union nf_inet_addr daddr;
	__be16 sport;
	__be16 dport;
	u32 seq;
	u32 ack;
	u32 seglen;		/* TCP: payload, SYN and FIN */
};

enum plink_verdict {
	PLINK_PARSE_OK,
	PLINK_PARSE_ICMP,	/* ICMP or ICMPv6; l4off points at it */
	PLINK_PARSE_OTHER,	/* another L4 protocol */
	PLINK_PARSE_MALFORMED,
	PLINK_PARSE_FRAGMENT,
	PLINK_PARSE_IP_OPTIONS,	/* IPv4 options, IPv6 routing header */
};

enum plink_verdict plink_parse(struct sk_buff *skb, struct plink_pkt *p);
bool plink_parse_quoted(struct sk_buff *skb, const struct plink_pkt *p,
			struct plink_pkt *in, unsigned int *ioff);
bool plink_icmp_is_hard(const struct sk_buff *skb, const struct plink_pkt *p);

void plink_deliver(struct sk_buff *skb, struct net_device *from,
		   struct net_device *to);
void plink_deliver_mark(struct sk_buff *skb, struct net_device *from,
			struct net_device *to, u32 mark,
			struct plink_rtc __percpu *rtc);
void plink_refuse(struct net_device *dev, const struct plink_pkt *p);
void plink_flow_reset(struct plink_flow *f);
unsigned int plink_tcp_l3(struct sk_buff *skb, u8 family,
			  const union nf_inet_addr *saddr,
			  const union nf_inet_addr *daddr, unsigned int tcplen);

/* ppv2-dp.c */
u32 plink_ppv2_seq_out(const struct plink_flow *f, u32 seq);
int plink_ppv2_fwd(struct sk_buff *skb, struct plink_flow *f,
		   const struct plink_pkt *p);
int plink_ppv2_rev(struct sk_buff *skb, struct plink_flow *f,
		   struct plink_pkt *p);
void plink_ppv2_icmp_rev(struct sk_buff *skb, const struct plink_flow *f,
			 const struct plink_pkt *in);
void plink_ppv2_resend(struct plink_flow *f);

void plink_flow_touch(struct plink_flow *f);
void plink_flow_track(struct plink_flow *f, const struct plink_pkt *p,
		      bool fwd);

/* lb.c */
struct plink_target *plink_lb_select(struct plink_service *svc, u8 family,
				     u32 hash);

/* stats.c */
void plink_count_path(struct plink_endpoint *ep, struct plink_service *svc,
		      struct plink_target *t, enum plink_stat s, u64 n);

#endif /* _PLINK_PKT_H */
