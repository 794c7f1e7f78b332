/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PROXY protocol v2 (ppv2.c): the header a target of a service with
 * proxy-protocol v2 reads first, and the sequence-number arithmetic of a
 * TCP connection whose target-side byte stream begins with it.
 */
#ifndef _PLINK_PPV2_H
#define _PLINK_PPV2_H

#include <linux/netfilter.h>
#include <linux/tcp.h>
#include <linux/types.h>
#include <kunit/visibility.h>

/* The fixed part: signature, version and command, family, length. */
#define PLINK_PPV2_HDR_LEN	16
/* AWS's TLV: type 0xEA, its first value byte the subtype (0x01: VPCE id). */
#define PLINK_PPV2_TLV_AWS	0xEA
#define PLINK_PPV2_AWS_VPCE_ID	0x01
/* plink's own TLV (the custom range 0xE0-0xEF): the endpoint owner's uid. */
#define PLINK_PPV2_TLV_OWNER	0xE0
/*
 * The longest header: IPv6 addresses (36 bytes), the AWS TLV with a
 * 23-character id (3 + 1 + 23) and the owner TLV with a 10-digit uid
 * (3 + 10).
 */
#define PLINK_PPV2_MAX_LEN	(PLINK_PPV2_HDR_LEN + 36 + 27 + 13)

/**
 * struct plink_ppv2_info - what one connection's PROXY v2 header says
 * @family: AF_INET or AF_INET6, of both addresses
 * @saddr: the consumer's client address
 * @daddr: the endpoint address the client connected to
 * @sport: the client's port
 * @dport: the listener's port
 * @endpoint_id: the endpoint's id ("plep-" and 16 hex digits)
 * @owner_uid: the endpoint owner's uid
 */
struct plink_ppv2_info {
	u8 family;
	const union nf_inet_addr *saddr;
	const union nf_inet_addr *daddr;
	__be16 sport;
	__be16 dport;
	const char *endpoint_id;
	u32 owner_uid;
};

unsigned int plink_ppv2_len(u8 family, const char *endpoint_id, u32 owner_uid);
int plink_ppv2_build(u8 *buf, unsigned int size,
		     const struct plink_ppv2_info *pi);

/*
 * A connection with a header of @len bytes at target sequence number
 * @hseq (the client's ISN + 1): the client's bytes are @len further on
 * the target's side.
 */
static inline u32 plink_ppv2_seq_to_target(u32 seq, u32 len)
{
	return seq + len;
}

u32 plink_ppv2_ack_to_client(u32 ack, u32 hseq, u32 len);
void plink_ppv2_sack_to_client(struct tcphdr *th, u32 hseq, u32 len,
			       bool csum);

#endif /* _PLINK_PPV2_H */
