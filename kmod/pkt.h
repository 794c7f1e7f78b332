/* SPDX-License-Identifier: GPL-2.0 */
/* The datapath's view of a packet, and its parser (datapath.c). */
#ifndef _PLINK_PKT_H
#define _PLINK_PKT_H

#include <linux/skbuff.h>

#include "flow.h"

/* What the datapath needs of a packet's headers. */
struct plink_pkt {
	u8 family;
	u8 proto;
	u8 tcpflags;
	unsigned int l4off;
	union plink_inaddr saddr;
	union plink_inaddr daddr;
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

/* The flow table's reset callback (plink_flows_init()). */
void plink_flow_reset(struct plink_flow *f);

#if IS_ENABLED(CONFIG_KUNIT)
enum plink_verdict plink_parse(struct sk_buff *skb, struct plink_pkt *p);
#endif

#endif /* _PLINK_PKT_H */
