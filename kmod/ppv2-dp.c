// SPDX-License-Identifier: GPL-2.0
/*
 * PROXY protocol v2 in the datapath: the header of a flow of a service
 * with proxy-protocol v2 (ppv2.c builds it), sent to the target as the
 * first bytes of its stream, and the sequence numbers around it.  Under
 * RCU with BH disabled: from fwd.c and rev.c, and from the flow GC.
 *
 * The client's SYN tells where the header goes: its ISN + 1 (@hseq).  The
 * target's SYN-ACK passes unchanged.  On the client's first segment after
 * it with an ACK (the one that completes the handshake, or the next one
 * if that was lost), plink sends the target a segment of its own first:
 * the header as payload, seq @hseq, ACK and PSH, the client's ACK number
 * and window, from the flow's NLB address and port.  A separate segment
 * leaves the client's MSS as it is.  From then on, until the flow ends:
 *
 *  - client to target (data, FIN, RST, GSO or not): seq + @pp_len;
 *  - target to client: ACK number - @pp_len, never below @hseq (an ACK
 *    inside the header acknowledges nothing of the client's), and the
 *    same for SACK blocks;
 *  - an ICMP error from the provider's side quoting a client's segment:
 *    the quoted sequence number goes back to the client's (its stack
 *    matches it against what it sent: PMTU discovery needs it); one from
 *    the consumer's side quotes the target's own sequence numbers, which
 *    are not shifted, and passes as it is;
 *  - plink's own RSTs to the target (revoke, flush, drain) carry the
 *    target's side of the client's next sequence number.
 *
 * Lost headers: while the target has not acknowledged the header, an ACK
 * of the target's at @hseq (a duplicate ACK, a SYN-ACK sent again, a
 * server's first words) has it sent again at once, and the GC sends it
 * again on a connection quiet for a second (every sweep, 4 s).  Those
 * copies carry the client's highest ACK number and a zero window, which
 * a receiver does not take as an update (RFC 9293 3.10.7.4: SND.WL1), so
 * they never advertise more than the client did.  Counted per object as
 * ppv2-sent and ppv2-retransmits.
 *
 * Checksums: every rewritten field is fixed incrementally, as nat.c does
 * (inet_proto_csum_replace4(): right for CHECKSUM_NONE, _COMPLETE and
 * _PARTIAL, whose field holds only the pseudo-header's sum).
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip6_checksum.h>
#include <net/tcp.h>

#include "flow.h"
#include "pkt.h"
#include "ppv2.h"

/* The target's side of client sequence number @seq of flow @f. */
u32 plink_ppv2_seq_out(const struct plink_flow *f, u32 seq)
{
	if (!f->pp_len || READ_ONCE(f->pp_state) == PLINK_PPV2_PENDING)
		return seq;
	return plink_ppv2_seq_to_target(seq, f->pp_len);
}

/*
 * Send flow @f's header to its target: ACK number @ack, window @win (raw,
 * the client's scale); @retransmit: a copy.
 */
static void plink_ppv2_send(struct plink_flow *f, u32 ack, __be16 win,
			    bool retransmit)
{
	struct plink_target *t = f->target;
	struct plink_service *svc = t->svc;
	struct plink_endpoint *ep = f->ep;
	struct plink_ppv2_info pi = {
		.family = f->family,
		.saddr = &f->caddr,
		.daddr = plink_flow_eaddr(f),
		.sport = f->cport,
		.dport = f->eport,
		.endpoint_id = ep->id,
		.owner_uid = ep->owner_uid,
	};
	unsigned int len = f->pp_len, tcplen = sizeof(struct tcphdr) + len;
	struct net_device *dev = svc->nlb->dev;
	struct sk_buff *skb;
	struct tcphdr *th;
	__wsum csum;

	if (READ_ONCE(svc->dead) || !netif_running(dev))
		return;
	skb = alloc_skb(LL_MAX_HEADER + sizeof(struct ipv6hdr) + tcplen,
			GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, plink_tcp_l3(skb, f->family, &f->naddr,
						   &t->addr.inet, tcplen));
	th = skb_put_zero(skb, sizeof(*th));
	th->source = f->nport;
	th->dest = f->tport;
	th->seq = htonl(READ_ONCE(f->hseq));
	th->ack_seq = htonl(ack);
	th->doff = sizeof(*th) / 4;
	th->ack = 1;
	th->psh = 1;
	th->window = win;
	if (plink_ppv2_build(skb_put(skb, len), len, &pi) != len) {
		kfree_skb(skb);
		return;
	}
	csum = csum_partial(th, tcplen, 0);
	if (f->family == AF_INET)
		th->check = tcp_v4_check(tcplen, f->naddr.ip, t->addr.inet.ip,
					 csum);
	else
		th->check = tcp_v6_check(tcplen, &f->naddr.in6,
					 &t->addr.inet.in6, csum);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	plink_count_path(ep, svc, t, retransmit ? PLINK_STAT_PPV2_RETRANSMITS :
						  PLINK_STAT_PPV2_SENT, 1);
	plink_deliver_mark(skb, NULL, dev, READ_ONCE(ep->mark), NULL);
}

/* The flow GC's callback: a quiet connection's header, again. */
void plink_ppv2_resend(struct plink_flow *f)
{
	plink_ppv2_send(f, READ_ONCE(f->cack), 0, true);
}

/* Replace the 32-bit field @field of TCP header @th of @skb with @to. */
static void plink_ppv2_replace(struct sk_buff *skb, struct tcphdr *th,
			       __be32 *field, u32 to)
{
	__be32 n = htonl(to);

	inet_proto_csum_replace4(&th->check, skb, *field, n, false);
	*field = n;
}

/*
 * Client to target, after NAT (@p is the packet as the client sent it):
 * the header first if this is the time, then the client's sequence number
 * on the target's side.  Returns 0, or a negative errno to drop @skb.
 */
int plink_ppv2_fwd(struct sk_buff *skb, struct plink_flow *f,
		   const struct plink_pkt *p)
{
	struct tcphdr *th;

	if (p->proto != IPPROTO_TCP)
		return 0;
	if (p->tcpflags & TCPHDR_SYN) {
		/* A (new) connection: its header goes at ISN + 1. */
		if (!(p->tcpflags & TCPHDR_ACK)) {
			WRITE_ONCE(f->hseq, p->seq + 1);
			WRITE_ONCE(f->pp_state, PLINK_PPV2_PENDING);
		}
		return 0;
	}
	if (READ_ONCE(f->pp_state) == PLINK_PPV2_PENDING) {
		/* A RST before the handshake completes: no header. */
		if ((p->tcpflags & (TCPHDR_ACK | TCPHDR_RST)) != TCPHDR_ACK)
			return 0;
		/* One first header, whichever CPU gets the flow's ACK first. */
		if (cmpxchg(&f->pp_state, PLINK_PPV2_PENDING,
			    PLINK_PPV2_SENT) == PLINK_PPV2_PENDING) {
			th = (struct tcphdr *)(skb->data + p->l4off);
			plink_ppv2_send(f, p->ack, th->window, false);
		}
	}
	if (skb_ensure_writable(skb, p->l4off + sizeof(*th)))
		return -ENOMEM;
	th = (struct tcphdr *)(skb->data + p->l4off);
	plink_ppv2_replace(skb, th, &th->seq,
			   plink_ppv2_seq_to_target(p->seq, f->pp_len));
	return 0;
}

/*
 * Target to client, before the flow tracks it: the header sent again if
 * the target shows it missing, the ACK number and SACK blocks on the
 * client's side (in @p too, for the tracking).  Returns 0, or a negative
 * errno to drop @skb.
 */
int plink_ppv2_rev(struct sk_buff *skb, struct plink_flow *f,
		   struct plink_pkt *p)
{
	u32 hseq = READ_ONCE(f->hseq), len = f->pp_len;
	u8 state = READ_ONCE(f->pp_state);
	struct tcphdr *th;

	if (p->proto != IPPROTO_TCP || !(p->tcpflags & TCPHDR_ACK) ||
	    state == PLINK_PPV2_PENDING)
		return 0;
	if (state == PLINK_PPV2_SENT) {
		if (!before(p->ack, hseq + len))
			WRITE_ONCE(f->pp_state, PLINK_PPV2_ACKED);
		else if (p->ack == hseq && !(p->tcpflags & TCPHDR_RST))
			plink_ppv2_send(f, READ_ONCE(f->cack), 0, true);
	}
	th = (struct tcphdr *)(skb->data + p->l4off);
	if (skb_ensure_writable(skb, p->l4off + th->doff * 4))
		return -ENOMEM;
	th = (struct tcphdr *)(skb->data + p->l4off);
	p->ack = plink_ppv2_ack_to_client(p->ack, hseq, len);
	plink_ppv2_replace(skb, th, &th->ack_seq, p->ack);
	if (th->doff * 4 > sizeof(*th))
		plink_ppv2_sack_to_client(th, hseq, len,
					  skb->ip_summed != CHECKSUM_PARTIAL);
	return 0;
}

/*
 * An ICMP error from the provider's side quoting @in, a client's segment
 * of flow @f as the target got it (the skb is linear and writable, the
 * quote at least 8 bytes of TCP): its sequence number on the client's
 * side, and the quoted checksum with it where quoted.  The caller
 * recomputes the ICMP checksum.
 */
void plink_ppv2_icmp_rev(struct sk_buff *skb, const struct plink_flow *f,
			 const struct plink_pkt *in)
{
	__be32 *seq = (__be32 *)(skb->data + in->l4off + 4);
	u32 hseq = READ_ONCE(f->hseq), from = get_unaligned_be32(seq);
	__be32 to;

	/* Its SYN, or before the header: the same on both sides. */
	if (in->proto != IPPROTO_TCP ||
	    READ_ONCE(f->pp_state) == PLINK_PPV2_PENDING || before(from, hseq))
		return;
	to = htonl(plink_ppv2_ack_to_client(from, hseq, f->pp_len));
	if (skb->len - in->l4off >= offsetofend(struct tcphdr, check))
		csum_replace4(&((struct tcphdr *)(skb->data + in->l4off))->check,
			      get_unaligned(seq), to);
	put_unaligned(to, seq);
}
