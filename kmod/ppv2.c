// SPDX-License-Identifier: GPL-2.0
/*
 * PROXY protocol v2, pure functions (no skb, no flow): KUnit tests them
 * in tests/ppv2_test.c.
 *
 * The header (HAProxy's "PROXY protocol" specification, section 2.2): the
 * 12-byte signature, version 2 with command PROXY (0x21), TCP over IPv4
 * (0x11) or IPv6 (0x21), the big-endian length of what follows, the
 * source and destination addresses and ports, then TLVs: type 0xEA whose
 * value is subtype 0x01 and the endpoint id, as AWS sends a VPC endpoint
 * id, and type 0xE0 (custom range) with the endpoint owner's uid in
 * decimal ASCII.
 *
 * The header takes the first bytes of the target's stream: the client's
 * sequence numbers are that many bytes further on the target's side, and
 * the target's acknowledgments (SACK blocks included) that many bytes
 * back on the client's.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include <net/checksum.h>
#include <net/tcp.h>

#include "compat.h"
#include "ppv2.h"

static const u8 plink_ppv2_sig[12] = {
	0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
};

#define PLINK_PPV2_CMD_PROXY	0x21	/* version 2, PROXY */
#define PLINK_PPV2_TCP4		0x11
#define PLINK_PPV2_TCP6		0x21
#define PLINK_PPV2_TLV_HDR	3	/* type, length (big-endian u16) */

static unsigned int plink_ppv2_digits(u32 v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* The length of a header, or 0 for a family or id it cannot carry. */
unsigned int plink_ppv2_len(u8 family, const char *endpoint_id, u32 owner_uid)
{
	size_t idlen = strnlen(endpoint_id, PLINK_PPV2_MAX_LEN);
	unsigned int alen;

	if (family == AF_INET)
		alen = 12;
	else if (family == AF_INET6)
		alen = 36;
	else
		return 0;
	if (!idlen || idlen > 23)
		return 0;
	return PLINK_PPV2_HDR_LEN + alen + PLINK_PPV2_TLV_HDR + 1 + idlen +
	       PLINK_PPV2_TLV_HDR + plink_ppv2_digits(owner_uid);
}
EXPORT_SYMBOL_IF_KUNIT(plink_ppv2_len);

static u8 *plink_ppv2_tlv(u8 *p, u8 type, unsigned int len)
{
	*p++ = type;
	put_unaligned_be16(len, p);
	return p + 2;
}

/*
 * Write @pi's header into @buf: its length, or -EINVAL for what it cannot
 * carry, -ENOSPC if @size is short.
 */
int plink_ppv2_build(u8 *buf, unsigned int size,
		     const struct plink_ppv2_info *pi)
{
	unsigned int len = plink_ppv2_len(pi->family, pi->endpoint_id,
					  pi->owner_uid);
	unsigned int idlen, ulen;
	char uid[11];
	u8 *p = buf;

	if (!len)
		return -EINVAL;
	if (len > size)
		return -ENOSPC;
	memcpy(p, plink_ppv2_sig, sizeof(plink_ppv2_sig));
	p += sizeof(plink_ppv2_sig);
	*p++ = PLINK_PPV2_CMD_PROXY;
	*p++ = pi->family == AF_INET ? PLINK_PPV2_TCP4 : PLINK_PPV2_TCP6;
	put_unaligned_be16(len - PLINK_PPV2_HDR_LEN, p);
	p += 2;
	if (pi->family == AF_INET) {
		memcpy(p, &pi->saddr->ip, 4);
		memcpy(p + 4, &pi->daddr->ip, 4);
		p += 8;
	} else {
		memcpy(p, &pi->saddr->in6, 16);
		memcpy(p + 16, &pi->daddr->in6, 16);
		p += 32;
	}
	memcpy(p, &pi->sport, 2);
	memcpy(p + 2, &pi->dport, 2);
	p += 4;

	idlen = strlen(pi->endpoint_id);
	p = plink_ppv2_tlv(p, PLINK_PPV2_TLV_AWS, 1 + idlen);
	*p++ = PLINK_PPV2_AWS_VPCE_ID;
	memcpy(p, pi->endpoint_id, idlen);
	p += idlen;

	ulen = snprintf(uid, sizeof(uid), "%u", pi->owner_uid);
	p = plink_ppv2_tlv(p, PLINK_PPV2_TLV_OWNER, ulen);
	memcpy(p, uid, ulen);
	p += ulen;
	WARN_ON_ONCE(p - buf != len);
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(plink_ppv2_build);

/*
 * The target's acknowledgment number @ack, on the client's side: @len
 * back, and no further back than @hseq (an ACK that has not yet covered
 * the whole header acknowledges none of the client's bytes).
 */
u32 plink_ppv2_ack_to_client(u32 ack, u32 hseq, u32 len)
{
	if (before(ack, hseq + len))
		return hseq;
	return ack - len;
}
EXPORT_SYMBOL_IF_KUNIT(plink_ppv2_ack_to_client);

/*
 * The target's SACK blocks of @th, on the client's side, with the TCP
 * checksum updated unless @csum is false (CHECKSUM_PARTIAL: the field
 * holds only the pseudo-header's sum).  The options are in @th's linear
 * area (the caller has pulled th->doff * 4 bytes).
 */
void plink_ppv2_sack_to_client(struct tcphdr *th, u32 hseq, u32 len,
			       bool csum)
{
	unsigned int optlen = th->doff * 4 - sizeof(*th);
	u8 *opt = (u8 *)(th + 1);
	unsigned int i = 0, olen, j;
	__be32 *edge, to;

	while (i < optlen) {
		if (opt[i] == TCPOPT_EOL)
			return;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen)
			return;
		olen = opt[i + 1];
		if (olen < 2 || i + olen > optlen)
			return;
		if (opt[i] == TCPOPT_SACK &&
		    olen >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
		    !((olen - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)) {
			for (j = TCPOLEN_SACK_BASE; j < olen; j += 4) {
				edge = (__be32 *)(opt + i + j);
				to = htonl(plink_ppv2_ack_to_client(get_unaligned_be32(edge),
								    hseq, len));
				if (csum)
					csum_replace4(&th->check,
						      get_unaligned(edge), to);
				put_unaligned(to, edge);
			}
		}
		i += olen;
	}
}
EXPORT_SYMBOL_IF_KUNIT(plink_ppv2_sack_to_client);
