// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for PROXY protocol v2: the header's exact bytes for IPv4,
 * its layout for IPv6, the TLVs' lengths (AWS's 0xEA/0x01 endpoint id,
 * 0xE0 owner uid) and the errors; the sequence arithmetic across the
 * 2^32 wrap; SACK blocks moved with the TCP checksum kept right.
 */

#include <kunit/test.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/tcp.h>

#include "../ppv2.h"

#define PLINK_TEST_EPID	"plep-0123456789abcdef"

static void plink_test_ppv2_v4(struct kunit *test)
{
	static const u8 want[] = {
		0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51,
		0x55, 0x49, 0x54, 0x0A,
		0x21, 0x11, 0x00, 0x2C,
		192, 0, 2, 1,   10, 0, 0, 5,   0x9C, 0x40,   0x00, 0x50,
		0xEA, 0x00, 0x16, 0x01,
		'p', 'l', 'e', 'p', '-', '0', '1', '2', '3', '4', '5', '6',
		'7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
		0xE0, 0x00, 0x04, '1', '0', '0', '0',
	};
	union nf_inet_addr s = { .ip = htonl(0xC0000201) };
	union nf_inet_addr d = { .ip = htonl(0x0A000005) };
	struct plink_ppv2_info pi = {
		.family = AF_INET, .saddr = &s, .daddr = &d,
		.sport = htons(40000), .dport = htons(80),
		.endpoint_id = PLINK_TEST_EPID, .owner_uid = 1000,
	};
	u8 buf[PLINK_PPV2_MAX_LEN];

	KUNIT_EXPECT_EQ(test, plink_ppv2_len(AF_INET, PLINK_TEST_EPID, 1000),
			sizeof(want));
	KUNIT_ASSERT_EQ(test, plink_ppv2_build(buf, sizeof(buf), &pi),
			(int)sizeof(want));
	KUNIT_EXPECT_MEMEQ(test, buf, want, sizeof(want));
}

static void plink_test_ppv2_v6(struct kunit *test)
{
	union nf_inet_addr s = {}, d = {};
	struct plink_ppv2_info pi = {
		.family = AF_INET6, .saddr = &s, .daddr = &d,
		.sport = htons(1), .dport = htons(443),
		.endpoint_id = PLINK_TEST_EPID, .owner_uid = 0,
	};
	u8 buf[PLINK_PPV2_MAX_LEN];
	int len;

	s.in6.s6_addr[0] = 0x20;
	s.in6.s6_addr[15] = 1;
	d.in6.s6_addr[0] = 0xfd;
	d.in6.s6_addr[15] = 2;
	len = plink_ppv2_build(buf, sizeof(buf), &pi);
	/* 16 + 36 addresses and ports + (3 + 1 + 21) + (3 + 1: "0") */
	KUNIT_ASSERT_EQ(test, len, 81);
	KUNIT_EXPECT_EQ(test, buf[12], 0x21);
	KUNIT_EXPECT_EQ(test, buf[13], 0x21);
	KUNIT_EXPECT_EQ(test, (buf[14] << 8) | buf[15], 81 - 16);
	KUNIT_EXPECT_MEMEQ(test, buf + 16, &s.in6, 16);
	KUNIT_EXPECT_MEMEQ(test, buf + 32, &d.in6, 16);
	KUNIT_EXPECT_EQ(test, (buf[48] << 8) | buf[49], 1);
	KUNIT_EXPECT_EQ(test, (buf[50] << 8) | buf[51], 443);
	KUNIT_EXPECT_EQ(test, buf[52], PLINK_PPV2_TLV_AWS);
	KUNIT_EXPECT_EQ(test, buf[55], PLINK_PPV2_AWS_VPCE_ID);
	KUNIT_EXPECT_MEMEQ(test, buf + 56, PLINK_TEST_EPID, 21);
	KUNIT_EXPECT_EQ(test, buf[77], PLINK_PPV2_TLV_OWNER);
	KUNIT_EXPECT_EQ(test, (buf[78] << 8) | buf[79], 1);
	KUNIT_EXPECT_EQ(test, buf[80], '0');
}

/* The TLVs fill exactly what the length field says, whatever the uid. */
static void plink_test_ppv2_tlv_lengths(struct kunit *test)
{
	static const u32 uids[] = { 0, 9, 10, 65534, 4294967295U };
	static const u8 fams[] = { AF_INET, AF_INET6 };
	union nf_inet_addr a = {};
	struct plink_ppv2_info pi = {
		.saddr = &a, .daddr = &a, .endpoint_id = PLINK_TEST_EPID,
	};
	unsigned int i, f, off, n;
	u8 buf[PLINK_PPV2_MAX_LEN];
	int len;

	for (f = 0; f < ARRAY_SIZE(fams); f++) {
		for (i = 0; i < ARRAY_SIZE(uids); i++) {
			pi.family = fams[f];
			pi.owner_uid = uids[i];
			len = plink_ppv2_build(buf, sizeof(buf), &pi);
			KUNIT_ASSERT_GT(test, len, 0);
			KUNIT_EXPECT_EQ(test, (buf[14] << 8) | buf[15],
					len - PLINK_PPV2_HDR_LEN);
			off = PLINK_PPV2_HDR_LEN + (fams[f] == AF_INET ? 12 : 36);
			for (n = 0; off + 3 <= len; n++)
				off += 3 + ((buf[off + 1] << 8) | buf[off + 2]);
			KUNIT_EXPECT_EQ(test, off, (unsigned int)len);
			KUNIT_EXPECT_EQ(test, n, 2U);
		}
	}
	/* The longest: IPv6, a 23-character id, a 10-digit uid. */
	KUNIT_EXPECT_EQ(test, plink_ppv2_len(AF_INET6, "plep-0123456789abcdef01",
					     4294967295U),
			PLINK_PPV2_MAX_LEN);
}

static void plink_test_ppv2_errors(struct kunit *test)
{
	union nf_inet_addr a = {};
	struct plink_ppv2_info pi = {
		.family = AF_INET, .saddr = &a, .daddr = &a,
		.endpoint_id = PLINK_TEST_EPID, .owner_uid = 1,
	};
	u8 buf[PLINK_PPV2_MAX_LEN];
	int len = plink_ppv2_len(AF_INET, PLINK_TEST_EPID, 1);

	KUNIT_EXPECT_EQ(test, plink_ppv2_build(buf, len - 1, &pi), -ENOSPC);
	KUNIT_EXPECT_EQ(test, plink_ppv2_build(buf, len, &pi), len);
	pi.family = AF_UNSPEC;
	KUNIT_EXPECT_EQ(test, plink_ppv2_build(buf, sizeof(buf), &pi), -EINVAL);
	pi.family = AF_INET;
	pi.endpoint_id = "";
	KUNIT_EXPECT_EQ(test, plink_ppv2_build(buf, sizeof(buf), &pi), -EINVAL);
	pi.endpoint_id = "plep-0123456789abcdef0123";
	KUNIT_EXPECT_EQ(test, plink_ppv2_build(buf, sizeof(buf), &pi), -EINVAL);
}

/* A header of 60 bytes at 2^32 - 32: it ends past the wrap, at 28. */
static void plink_test_ppv2_seq_wrap(struct kunit *test)
{
	const u32 hseq = 0xffffffe0, len = 60;

	KUNIT_EXPECT_EQ(test, plink_ppv2_seq_to_target(hseq, len), 0x1cU);
	KUNIT_EXPECT_EQ(test, plink_ppv2_seq_to_target(0xfffffffe, len), 0x3aU);
	KUNIT_EXPECT_EQ(test, plink_ppv2_ack_to_client(0x1c, hseq, len), hseq);
	KUNIT_EXPECT_EQ(test, plink_ppv2_ack_to_client(0x1c + 100, hseq, len),
			hseq + 100);
	KUNIT_EXPECT_EQ(test, plink_ppv2_ack_to_client(0x1c + 100, hseq, len),
			0x44U);
	/* Not all of the header acknowledged: none of the client's bytes. */
	KUNIT_EXPECT_EQ(test, plink_ppv2_ack_to_client(0x10, hseq, len), hseq);
	KUNIT_EXPECT_EQ(test, plink_ppv2_ack_to_client(hseq, hseq, len), hseq);
	KUNIT_EXPECT_EQ(test, plink_ppv2_ack_to_client(hseq + 1, hseq, len),
			hseq);
	/* Round trip, either side of the wrap. */
	KUNIT_EXPECT_EQ(test,
			plink_ppv2_ack_to_client(plink_ppv2_seq_to_target(0xffffffff, len),
						 hseq, len), 0xffffffffU);
	KUNIT_EXPECT_EQ(test,
			plink_ppv2_ack_to_client(plink_ppv2_seq_to_target(5, len),
						 hseq, len), 5U);
}

struct plink_test_sack_hdr {
	struct tcphdr th;
	u8 opt[28];	/* NOP NOP SACK(2 blocks) NOP NOP TS(10) */
} __packed;

static void plink_test_sack_fill(struct plink_test_sack_hdr *h, u32 e0,
				 u32 e1, u32 e2, u32 e3)
{
	__be32 edges[4] = { htonl(e0), htonl(e1), htonl(e2), htonl(e3) };

	memset(h, 0, sizeof(*h));
	h->th.source = htons(80);
	h->th.dest = htons(40000);
	h->th.seq = htonl(12345);
	h->th.ack_seq = htonl(e0);
	h->th.doff = sizeof(*h) / 4;
	h->th.ack = 1;
	h->opt[0] = TCPOPT_NOP;
	h->opt[1] = TCPOPT_NOP;
	h->opt[2] = TCPOPT_SACK;
	h->opt[3] = TCPOLEN_SACK_BASE + 2 * TCPOLEN_SACK_PERBLOCK;
	memcpy(h->opt + 4, edges, sizeof(edges));
	h->opt[20] = TCPOPT_NOP;
	h->opt[21] = TCPOPT_NOP;
	h->opt[22] = TCPOPT_TIMESTAMP;
	h->opt[23] = 6;		/* short, but what it says is skipped */
	/* A checksum that makes the header's sum fold to zero. */
	h->th.check = csum_fold(csum_partial(h, sizeof(*h), 0));
}

static u32 plink_test_edge(const struct plink_test_sack_hdr *h, int i)
{
	__be32 e;

	memcpy(&e, h->opt + 4 + 4 * i, 4);
	return ntohl(e);
}

/* The folded sum of the header, checksum included: 0 when it is right. */
static u16 plink_test_sum(const struct plink_test_sack_hdr *h)
{
	return (__force u16)csum_fold(csum_partial(h, sizeof(*h), 0));
}

static void plink_test_ppv2_sack(struct kunit *test)
{
	const u32 hseq = 0xffffffe0, len = 60;
	struct plink_test_sack_hdr h;
	u16 check;

	/* Blocks on both sides of the wrap, target side. */
	plink_test_sack_fill(&h, 0x1c + 1000, 0x1c + 2000, 0x10000, 0x10100);
	KUNIT_ASSERT_EQ(test, plink_test_sum(&h), 0);
	plink_ppv2_sack_to_client(&h.th, hseq, len, true);
	KUNIT_EXPECT_EQ(test, plink_test_edge(&h, 0), hseq + 1000);
	KUNIT_EXPECT_EQ(test, plink_test_edge(&h, 1), hseq + 2000);
	KUNIT_EXPECT_EQ(test, plink_test_edge(&h, 2), 0x10000U - 60);
	KUNIT_EXPECT_EQ(test, plink_test_edge(&h, 3), 0x10100U - 60);
	KUNIT_EXPECT_EQ(test, plink_test_sum(&h), 0);
	/* Nothing else moved (the ACK number is not the options' to move). */
	KUNIT_EXPECT_EQ(test, ntohl(h.th.ack_seq), 0x1cU + 1000);
	KUNIT_EXPECT_EQ(test, h.opt[22], TCPOPT_TIMESTAMP);

	/* CHECKSUM_PARTIAL: the blocks move, the checksum field does not. */
	plink_test_sack_fill(&h, 0x1c + 1000, 0x1c + 2000, 0x10000, 0x10100);
	check = (__force u16)h.th.check;
	plink_ppv2_sack_to_client(&h.th, hseq, len, false);
	KUNIT_EXPECT_EQ(test, plink_test_edge(&h, 0), hseq + 1000);
	KUNIT_EXPECT_EQ(test, (__force u16)h.th.check, check);
}

/* Malformed options: nothing is read or written past them. */
static void plink_test_ppv2_sack_malformed(struct kunit *test)
{
	struct plink_test_sack_hdr h, orig;

	plink_test_sack_fill(&h, 1, 2, 3, 4);
	h.opt[3] = 0;			/* a zero length */
	orig = h;
	plink_ppv2_sack_to_client(&h.th, 0, 60, true);
	KUNIT_EXPECT_MEMEQ(test, &h, &orig, sizeof(h));

	plink_test_sack_fill(&h, 1, 2, 3, 4);
	h.opt[3] = 40;			/* past the end */
	orig = h;
	plink_ppv2_sack_to_client(&h.th, 0, 60, true);
	KUNIT_EXPECT_MEMEQ(test, &h, &orig, sizeof(h));

	plink_test_sack_fill(&h, 1, 2, 3, 4);
	h.opt[3] = 13;			/* not whole blocks */
	h.opt[15] = 0;
	orig = h;
	plink_ppv2_sack_to_client(&h.th, 0, 60, true);
	KUNIT_EXPECT_MEMEQ(test, &h, &orig, sizeof(h));
}

static struct kunit_case plink_ppv2_cases[] = {
	KUNIT_CASE(plink_test_ppv2_v4),
	KUNIT_CASE(plink_test_ppv2_v6),
	KUNIT_CASE(plink_test_ppv2_tlv_lengths),
	KUNIT_CASE(plink_test_ppv2_errors),
	KUNIT_CASE(plink_test_ppv2_seq_wrap),
	KUNIT_CASE(plink_test_ppv2_sack),
	KUNIT_CASE(plink_test_ppv2_sack_malformed),
	{}
};

static struct kunit_suite plink_ppv2_suite = {
	.name = "plink_ppv2",
	.test_cases = plink_ppv2_cases,
};

kunit_test_suite(plink_ppv2_suite);
