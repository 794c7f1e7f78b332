// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: fuzz the plink generic netlink family.
 *
 *   nlfuzz [--seed N] [--count N] [--dev IFINDEX]... [--prefix STR] [--verbose]
 *
 * Sends COUNT requests over one socket (and dumps over a second): valid
 * requests that build services (on the --dev devices), targets and
 * endpoints and tear them down, so that the rest reaches deep states;
 * structured-random requests, whose operations and attributes come from
 * the spec (nlfuzz-gen.h, generated from plink.yaml at build time) with
 * values and lengths chosen to hit the policy's edges (off-by-one lengths,
 * empty, unterminated and oversized strings, nested garbage, repeated and
 * unknown attributes, wrong NLA_F_NESTED, unknown commands, versions and
 * flags, huge numbers); mutations of the last valid request; and dumps,
 * read whole, interrupted (socket closed) or resumed after other requests.
 *
 * Every request must be answered: a request with no answer within
 * --timeout seconds, an error code no errno can be, or a broken answer
 * ends the run with status 1, the seed and the last requests in hex.  At
 * the end it prints what it sent and how the kernel answered (one line
 * "nlfuzz: ..." and the errnos).  The same seed sends the same requests
 * (the answers, which depend on the kernel's state, steer only which
 * endpoint ids the valid requests reuse).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/plink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define FZ_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum fz_kind { FZ_U8, FZ_U16, FZ_U32, FZ_U64, FZ_STRING, FZ_BINARY, FZ_FLAG,
	       FZ_NEST, FZ_PAD };

struct fz_attr {
	const char *name;
	unsigned short type;
	unsigned char kind;
	unsigned short max_len;
	short nest;
};

struct fz_set {
	const char *name;
	const struct fz_attr *attrs;
	unsigned int n;
	unsigned int max_type;
};

struct fz_op {
	const char *name;
	unsigned char cmd;
	short set;
	unsigned char has_do, has_dump, admin;
	const unsigned char *req;
	unsigned int n_req;
};

#include "nlfuzz-gen.h"

#define BUF_SIZE	8192
#define N_LAST		8
#define N_NAMES		4
#define N_IDS		16

static uint64_t rng;
static unsigned long long seed;
static int fam, nl, dump_fd = -1, dump_pending;
static unsigned int dseq;
static unsigned int seq = 1, timeout_s = 10, verbose;
static unsigned int devs[8], n_devs;
static const char *prefix = "fz";
static char ids[N_IDS][32];

static struct {
	unsigned long long sent, valid, random, mutated, header, dumps,
		dump_parts, dump_interrupted, dump_resumed, acks_ok, acks_err,
		header_refused;
	unsigned long long err[4096];
} st;

static struct {
	unsigned char buf[BUF_SIZE];
	unsigned int len;
	const char *what;
} last[N_LAST];
static unsigned int n_last;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int n)
{
	return below(n) == 0;
}

static void dump_last(void)
{
	unsigned int i, j, k;

	fprintf(stderr, "nlfuzz: seed %llu: the last %u requests, oldest first:\n",
		seed, n_last < N_LAST ? n_last : N_LAST);
	for (i = n_last < N_LAST ? 0 : n_last - N_LAST; i < n_last; i++) {
		k = i % N_LAST;
		fprintf(stderr, "# %s (%u bytes):", last[k].what, last[k].len);
		for (j = 0; j < last[k].len; j++)
			fprintf(stderr, "%s%02x", j % 32 ? "" : "\n#  ",
				last[k].buf[j]);
		fprintf(stderr, "\n");
	}
}

static void fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "nlfuzz: FAIL (seed %llu, request %llu): ", seed, st.sent);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	dump_last();
	exit(1);
}

/* A request being built. */
struct msg {
	unsigned char buf[BUF_SIZE];
	unsigned int len;
};

static struct nlmsghdr *hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static void msg_init(struct msg *m, unsigned char cmd, unsigned short flags)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	hdr(m)->nlmsg_type = fam;
	hdr(m)->nlmsg_flags = NLM_F_REQUEST | flags;
	g = NLMSG_DATA(hdr(m));
	g->cmd = cmd;
	g->version = 1;
	m->len = NLMSG_LENGTH(GENL_HDRLEN);
}

/* Room left for an attribute's payload. */
static unsigned int room(struct msg *m)
{
	unsigned int end = NLMSG_ALIGN(m->len) + NLA_HDRLEN;

	return end < BUF_SIZE - 64 ? BUF_SIZE - 64 - end : 0;
}

/* put: an attribute of TYPE whose header says LEN bytes of payload and
 * that carries DLEN bytes of DATA (LEN != DLEN for broken lengths).
 */
static unsigned int put_raw(struct msg *m, unsigned short type,
			    const void *data, unsigned int dlen,
			    unsigned int len)
{
	unsigned int off = NLMSG_ALIGN(m->len);
	struct nlattr *a = (struct nlattr *)(m->buf + off);

	if (dlen > room(m))
		dlen = room(m);
	memset(a, 0, NLA_HDRLEN + NLA_ALIGN(dlen));
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (dlen)
		memcpy(m->buf + off + NLA_HDRLEN, data, dlen);
	m->len = off + NLA_HDRLEN + NLA_ALIGN(dlen);
	return off;
}

static void put(struct msg *m, unsigned short type, const void *data,
		unsigned int len)
{
	put_raw(m, type, data, len, len);
}

static void put_u8(struct msg *m, unsigned short t, uint8_t v) { put(m, t, &v, 1); }
static void put_u16(struct msg *m, unsigned short t, uint16_t v) { put(m, t, &v, 2); }
static void put_u32(struct msg *m, unsigned short t, uint32_t v) { put(m, t, &v, 4); }
static void put_str(struct msg *m, unsigned short t, const char *s)
{
	put(m, t, s, strlen(s) + 1);
}

static unsigned int nest_start(struct msg *m, unsigned short type)
{
	return put_raw(m, type | NLA_F_NESTED, NULL, 0, 0);
}

static void nest_end(struct msg *m, unsigned int off)
{
	((struct nlattr *)(m->buf + off))->nla_len = m->len - off;
}

/* --- the answers ------------------------------------------------------- */

static void count_err(int err)
{
	if (err > 0 || err < -4095) {
		char s[32];

		snprintf(s, sizeof(s), "%d", err);
		fail("an error code no errno can be: %s", s);
	}
	if (err)
		st.acks_err++;
	else
		st.acks_ok++;
	st.err[-err]++;
}

/* The endpoint id of an endpoint-new answer, kept for later requests. */
static void keep_id(struct nlmsghdr *h)
{
	int len = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);

	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		if (a->nla_type == PLINK_A_ENDPOINT_ID &&
		    (size_t)(a->nla_len - NLA_HDRLEN) < sizeof(ids[0])) {
			unsigned int i = below(N_IDS);

			memcpy(ids[i], (char *)a + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
			ids[i][a->nla_len - NLA_HDRLEN] = 0;
			return;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

/* Read the answers on FD until the ack (or error) of sequence number SQ;
 * with DUMP, until its NLMSG_DONE.  Returns the error, 0 for done.
 */
static int wait_answer(int fd, unsigned int sq, int dump, int keep)
{
	static char ans[65536];
	struct nlmsghdr *h;
	ssize_t len;

	for (;;) {
		len = recv(fd, ans, sizeof(ans), 0);
		if (len < 0) {
			if (errno == EAGAIN)
				fail("no answer within the timeout (%s)", "a hang?");
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			fail("recv: %s", strerror(errno));
		}
		if (dump)
			st.dump_parts++;
		for (h = (struct nlmsghdr *)ans; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != sq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					fail("a short NLMSG_ERROR (%s)", "");
				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int *e = NLMSG_DATA(h);

				return h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) ? *e : 0;
			}
			if (h->nlmsg_type == fam && keep)
				keep_id(h);
		}
		if (len)
			fail("a truncated answer (%s)", "");
	}
}

static void remember(const void *buf, unsigned int len, const char *what)
{
	unsigned int k = n_last++ % N_LAST;

	last[k].len = len < BUF_SIZE ? len : BUF_SIZE;
	memcpy(last[k].buf, buf, last[k].len);
	last[k].what = what;
}

static void xsend(int fd, const void *buf, unsigned int len)
{
	if (send(fd, buf, len, 0) < 0 && errno != EINVAL && errno != EMSGSIZE)
		fail("send: %s", strerror(errno));
	st.sent++;
}

/* Send M on the request socket; its header is sane (NLM_F_ACK set, the
 * length the bytes sent), so an answer must come.
 */
static int request(struct msg *m, const char *what, int keep)
{
	hdr(m)->nlmsg_len = m->len;
	hdr(m)->nlmsg_seq = ++seq;
	hdr(m)->nlmsg_flags |= NLM_F_ACK;
	remember(m->buf, m->len, what);
	if (verbose)
		fprintf(stderr, "nlfuzz: %s cmd %u len %u\n", what,
			((struct genlmsghdr *)NLMSG_DATA(hdr(m)))->cmd, m->len);
	xsend(nl, m->buf, m->len);
	if ((hdr(m)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		st.dumps++;
		count_err(wait_answer(nl, seq, 1, 0));
		return 0;
	}
	{
		int err = wait_answer(nl, seq, 0, keep);

		count_err(err);
		return err;
	}
}

/* --- values ------------------------------------------------------------ */

static void name_of(char *s, size_t size)
{
	snprintf(s, size, "%s%u", prefix, below(N_NAMES));
}

static const char *some_id(void)
{
	const char *id = ids[below(N_IDS)];

	return *id ? id : "vpce-0000000000000000";
}

static uint32_t some_u32(void)
{
	static const uint32_t v[] = { 0, 1, 2, 3, 4, 5, 6, 17, 59, 60, 61, 255,
		256, 300, 301, 3600, 3601, 5999, 6000, 6001, 65535, 65536,
		65537, 4194303, 4194304, 4194305, 0x7fffffff, 0x80000000,
		0xfffffffe, 0xffffffff };

	if (chance(4))
		return (uint32_t)rnd();
	if (chance(4) && n_devs)
		return devs[below(n_devs)];
	return v[below(FZ_ARRAY_SIZE(v))];
}

/* An address: IPv4 or IPv6 from the ranges the valid requests use, or
 * random bytes of a random length.
 */
static unsigned int some_addr(unsigned char *b, unsigned int max)
{
	unsigned int i, len;

	switch (below(5)) {
	case 0:
	case 1:
		b[0] = 10; b[1] = below(3); b[2] = below(4); b[3] = below(256);
		return 4;
	case 2:
		memset(b, 0, 16);
		b[0] = 0xfd; b[15] = below(256);
		return 16;
	default:
		len = below(max < 40 ? max : 40);
		for (i = 0; i < len; i++)
			b[i] = rnd();
		return len;
	}
}

/* A string: a name of the pool, an id, "*", empty, at or past the length
 * limit, very long, binary, or without its NUL (nolen: the length to send
 * is returned through *dlen).
 */
static unsigned int some_str(char *s, unsigned int max_len, unsigned int cap)
{
	unsigned int len = 0, i;

	switch (below(10)) {
	case 0:
		name_of(s, cap);
		break;
	case 1:
		snprintf(s, cap, "%s", some_id());
		break;
	case 2:
		snprintf(s, cap, "*");
		break;
	case 3:
		s[0] = 0;
		break;
	case 4:
		len = max_len ? max_len : 16;
		goto fill;
	case 5:
		len = max_len ? max_len + 1 : 17;
		goto fill;
	case 6:
		len = below(2000);
		goto fill;
	case 7:
		len = below(64);
		for (i = 0; i < len && i + 1 < cap; i++)
			s[i] = rnd();
		s[i] = 0;
		return i + 1;
	case 8: /* no NUL */
		name_of(s, cap);
		return strlen(s);
	default:
		snprintf(s, cap, "svc.example.com");
		break;
	}
	return strlen(s) + 1;
fill:
	if (len + 1 > cap)
		len = cap - 1;
	for (i = 0; i < len; i++)
		s[i] = 'a' + below(26);
	s[len] = 0;
	return len + 1;
}

static void random_attrs(struct msg *m, int set, unsigned int n, int depth);

static const uint16_t ports16[] = { 0, 1, 53, 80, 443, 8080, 65535 };

/* One attribute of SET (index I), with a value fit for its type most of
 * the time and off its policy the rest.
 */
static void random_attr(struct msg *m, int set, unsigned int i, int depth)
{
	const struct fz_attr *a = &fz_sets[set].attrs[i];
	unsigned char b[4096];
	unsigned short type = a->type;
	unsigned int len = 0, dlen, off;
	uint64_t v;

	if (room(m) < 64)
		return;
	switch (a->kind) {
	case FZ_U8:
		b[0] = chance(2) ? below(4) : some_u32();
		len = 1;
		break;
	case FZ_U16:
		v = chance(2) ? ports16[below(FZ_ARRAY_SIZE(ports16))] : some_u32();
		memcpy(b, &v, 2);
		len = 2;
		break;
	case FZ_U32:
		v = some_u32();
		memcpy(b, &v, 4);
		len = 4;
		break;
	case FZ_U64:
		v = chance(2) ? rnd() : some_u32();
		memcpy(b, &v, 8);
		len = 8;
		break;
	case FZ_STRING:
		len = some_str((char *)b, a->max_len, sizeof(b));
		break;
	case FZ_BINARY:
		len = some_addr(b, sizeof(b));
		break;
	case FZ_FLAG:
		len = 0;
		break;
	case FZ_PAD:
		len = below(9);
		memset(b, 0, len);
		break;
	case FZ_NEST:
		if (depth < 3 && !chance(6)) {
			off = nest_start(m, type & ~NLA_F_NESTED);
			if (chance(8))	/* without NLA_F_NESTED */
				((struct nlattr *)(m->buf + off))->nla_type = type;
			random_attrs(m, a->nest, below(6), depth + 1);
			nest_end(m, off);
			return;
		}
		/* nested garbage */
		len = below(64);
		for (dlen = 0; dlen < len; dlen++)
			b[dlen] = rnd();
		type |= NLA_F_NESTED;
		break;
	}
	dlen = len;
	/* The policy's edges: lengths off by one, zero, random. */
	if (chance(10)) {
		switch (below(4)) {
		case 0:
			len = len + 1;
			break;
		case 1:
			len = len ? len - 1 : 0;
			break;
		case 2:
			len = 0;
			break;
		default:
			len = below(len + 8);
			break;
		}
		dlen = len;
	}
	if (chance(20))
		type ^= NLA_F_NESTED;
	if (chance(40))
		type |= NLA_F_NET_BYTEORDER;
	put_raw(m, type, b, dlen, len);
	/* A nla_len that runs past the message, now and then: last one only. */
	if (chance(200))
		((struct nlattr *)(m->buf + NLMSG_ALIGN(m->len) - NLA_ALIGN(dlen) -
				   NLA_HDRLEN))->nla_len += 4 * (1 + below(8));
}

/* N attributes of SET: most of the request's, repeated now and then, and
 * unknown types.
 */
static void random_attrs(struct msg *m, int set, unsigned int n, int depth)
{
	const struct fz_set *s = &fz_sets[set];
	unsigned int k, i;
	unsigned char junk[16];

	for (k = 0; k < n; k++) {
		if (chance(25)) {
			for (i = 0; i < sizeof(junk); i++)
				junk[i] = rnd();
			put(m, chance(2) ? s->max_type + 1 + below(4) :
			       chance(2) ? 0 : below(0x4000), junk, below(17));
			continue;
		}
		i = below(s->n);
		random_attr(m, set, i, depth);
		if (chance(15))
			random_attr(m, set, i, depth);
	}
}

/* --- the requests ------------------------------------------------------- */

static struct msg lastvalid;

static const unsigned char ep_cmds[] = {
	PLINK_CMD_ENDPOINT_ACCEPT, PLINK_CMD_ENDPOINT_REJECT, PLINK_CMD_ENDPOINT_DEL,
};

static void addr4(unsigned char *b, unsigned int net, unsigned int host)
{
	b[0] = 10; b[1] = net; b[2] = host >> 8; b[3] = host;
}

/* A valid request that builds or tears down state. */
static void valid_request(void)
{
	struct msg *m = &lastvalid;
	char name[32];
	unsigned char a[16];
	unsigned int off, off2, k = below(N_NAMES);
	unsigned int dev = n_devs ? devs[below(n_devs)] : 1;

	snprintf(name, sizeof(name), "%s%u", prefix, k);
	switch (below(16)) {
	case 0:
	case 1:
	case 2:
		msg_init(m, PLINK_CMD_SERVICE_NEW, 0);
		put_str(m, PLINK_A_SERVICE_NAME, name);
		put_u32(m, PLINK_A_SERVICE_IFINDEX, dev);
		addr4(a, 0, 200 + k);
		put(m, PLINK_A_SERVICE_ADDR, a, 4);
		off = nest_start(m, PLINK_A_SERVICE_LISTENER);
		put_u8(m, PLINK_A_LISTENER_PROTO, chance(2) ? 6 : 17);
		put_u16(m, PLINK_A_LISTENER_PORT, htons(80));
		put_u16(m, PLINK_A_LISTENER_TARGET_PORT, htons(8080));
		nest_end(m, off);
		put_u32(m, PLINK_A_SERVICE_ACCEPTANCE, below(2));
		put_str(m, PLINK_A_SERVICE_PRINCIPAL, "*");
		/*
		 * Mostly the smallest Maglev table: each target change fills
		 * the table again; with the default 16381 slots the debug
		 * kernel (KASAN) answered 1.5 times fewer requests a second.
		 */
		if (!chance(8))
			put_u32(m, PLINK_A_SERVICE_MAGLEV_SIZE, 251);
		if (chance(3)) {
			off = nest_start(m, PLINK_A_SERVICE_HEALTH_CHECK);
			put_u32(m, PLINK_A_HEALTH_CHECK_TYPE, 1);
			put_u16(m, PLINK_A_HEALTH_CHECK_PORT, htons(8080));
			nest_end(m, off);
		}
		request(m, "valid service-new", 0);
		break;
	case 3:
	case 4:
	case 5:
		msg_init(m, PLINK_CMD_TARGET_ADD, 0);
		put_str(m, PLINK_A_TARGET_SERVICE, name);
		addr4(a, 2, below(8));
		put(m, PLINK_A_TARGET_ADDR, a, 4);
		put_u16(m, PLINK_A_TARGET_PORT, htons(8080));
		put_u32(m, PLINK_A_TARGET_WEIGHT, below(4));
		request(m, "valid target-add", 0);
		break;
	case 6:
	case 7:
	case 8:
		msg_init(m, PLINK_CMD_ENDPOINT_NEW, 0);
		put_str(m, PLINK_A_ENDPOINT_SERVICE, name);
		put_u32(m, PLINK_A_ENDPOINT_IFINDEX, dev);
		addr4(a, 1, below(256));
		put(m, PLINK_A_ENDPOINT_ADDR, a, 4);
		if (chance(2)) {
			off = nest_start(m, PLINK_A_ENDPOINT_RULE);
			addr4(a, 0, 0);
			put(m, PLINK_A_RULE_PREFIX, a, 4);
			put_u8(m, PLINK_A_RULE_PREFIX_LEN, 8);
			nest_end(m, off);
		}
		request(m, "valid endpoint-new", 1);
		break;
	case 9:
		msg_init(m, ep_cmds[below(FZ_ARRAY_SIZE(ep_cmds))], 0);
		put_str(m, PLINK_A_ENDPOINT_ID, some_id());
		request(m, "valid endpoint accept/reject/del", 0);
		break;
	case 10:
		msg_init(m, PLINK_CMD_SERVICE_SET, 0);
		put_str(m, PLINK_A_SERVICE_NAME, name);
		put_u32(m, PLINK_A_SERVICE_MAX_FLOWS, 1 + below(1000));
		put_u32(m, PLINK_A_SERVICE_TIMEOUT_TCP, 60 + below(100));
		off = nest_start(m, PLINK_A_SERVICE_HEALTH_CHECK);
		put_u32(m, PLINK_A_HEALTH_CHECK_TYPE, below(3));
		if (chance(2)) {
			put_str(m, PLINK_A_HEALTH_CHECK_PATH, "/health");
			put_str(m, PLINK_A_HEALTH_CHECK_MATCH, "200-299");
		}
		nest_end(m, off);
		off2 = nest_start(m, PLINK_A_SERVICE_LISTENER);
		put_u8(m, PLINK_A_LISTENER_PROTO, 6);
		put_u16(m, PLINK_A_LISTENER_PORT, htons(443));
		nest_end(m, off2);
		request(m, "valid service-set", 0);
		break;
	case 11:
		msg_init(m, PLINK_CMD_TARGET_SET, 0);
		put_str(m, PLINK_A_TARGET_SERVICE, name);
		addr4(a, 2, below(8));
		put(m, PLINK_A_TARGET_ADDR, a, 4);
		put_u16(m, PLINK_A_TARGET_PORT, htons(8080));
		put_u32(m, PLINK_A_TARGET_HEALTH, below(4));
		request(m, "valid target-set", 0);
		break;
	case 12:
		msg_init(m, PLINK_CMD_TARGET_DEL, 0);
		put_str(m, PLINK_A_TARGET_SERVICE, name);
		addr4(a, 2, below(8));
		put(m, PLINK_A_TARGET_ADDR, a, 4);
		put_u16(m, PLINK_A_TARGET_PORT, htons(8080));
		request(m, "valid target-del", 0);
		break;
	case 13:
		msg_init(m, PLINK_CMD_FLOW_FLUSH, 0);
		if (chance(2))
			put_str(m, PLINK_A_FLOW_SERVICE, name);
		request(m, "valid flow-flush", 0);
		break;
	case 14:
		if (!chance(3))
			return valid_request();
		msg_init(m, PLINK_CMD_SERVICE_DEL, 0);
		put_str(m, PLINK_A_SERVICE_NAME, name);
		if (chance(2))
			put(m, PLINK_A_SERVICE_FORCE, NULL, 0);
		request(m, "valid service-del", 0);
		break;
	default:
		msg_init(m, PLINK_CMD_LIMITS_GET, 0);
		put_u32(m, PLINK_A_LIMITS_UID, below(2) * 1000);
		request(m, "valid limits-get", 0);
		break;
	}
	st.valid++;
}

/* A request from the spec's tables, values and structure off now and then. */
static void random_request(void)
{
	const struct fz_op *op = &fz_ops[below(FZ_ARRAY_SIZE(fz_ops))];
	struct msg m;
	unsigned short flags = 0;
	unsigned int i, n;
	unsigned char cmd = op->cmd;

	if (chance(30))
		cmd = chance(2) ? below(256) : (chance(2) ? 0 : FZ_CMD_MAX + below(3));
	if (chance(20))
		flags |= (unsigned short)rnd() & ~NLM_F_DUMP;
	msg_init(&m, cmd, flags);
	if (chance(30))
		((struct genlmsghdr *)NLMSG_DATA(hdr(&m)))->version = below(256);
	if (chance(30))
		((struct genlmsghdr *)NLMSG_DATA(hdr(&m)))->reserved = rnd();
	/* Mostly the request's own attributes, in order, some left out. */
	if (op->n_req && !chance(4)) {
		for (i = 0; i < op->n_req; i++) {
			if (chance(3))
				continue;
			random_attr(&m, op->set, op->req[i], 0);
			if (chance(30))
				random_attr(&m, op->set, op->req[i], 0);
		}
		if (chance(5))
			random_attrs(&m, op->set, below(4), 0);
	} else {
		n = below(chance(10) ? 200 : 8);
		random_attrs(&m, op->set, n, 0);
	}
	/* Trailing bytes, not a whole attribute. */
	if (chance(40))
		m.len += 1 + below(3);
	st.random++;
	request(&m, "random", 0);
}

/* The last valid request, mutated: bytes flipped or overwritten after the
 * netlink header, truncated or extended.
 */
static void mutated_request(void)
{
	static const unsigned char bytes[] = { 0, 1, 0x7f, 0x80, 0xff };

	struct msg m;
	unsigned int k, n = 1 + below(4), p;

	if (!lastvalid.len)
		return valid_request();
	m = lastvalid;
	for (k = 0; k < n; k++) {
		if (m.len <= NLMSG_HDRLEN + 1)
			break;
		p = NLMSG_HDRLEN + below(m.len - NLMSG_HDRLEN);
		switch (below(6)) {
		case 0:
			m.buf[p] ^= 1 << below(8);
			break;
		case 1:
			m.buf[p] = bytes[below(FZ_ARRAY_SIZE(bytes))];
			break;
		case 2:
			m.buf[p] = rnd();
			break;
		case 3:
			m.len = p;
			break;
		case 4:
			for (p = 0; p < 1 + below(16) && m.len < BUF_SIZE - 64; p++)
				m.buf[m.len++] = rnd();
			break;
		default: /* an attribute's length, if p is one */
			if (p + 2 <= m.len)
				m.buf[p] = 4 * below(16);
			break;
		}
	}
	if (m.len < NLMSG_HDRLEN)
		m.len = NLMSG_HDRLEN;
	/* No NLM_F_DUMP from the flags of a mutated do. */
	hdr(&m)->nlmsg_flags &= ~NLM_F_DUMP;
	st.mutated++;
	request(&m, "mutated", 0);
}

/* A request whose netlink header is broken (length past or short of the
 * bytes, or a type not the family's): it may get no answer; a valid
 * request after it must.
 */
static void header_request(void)
{
	struct msg m = lastvalid.len ? lastvalid : (struct msg){ .len = 0 };
	struct msg sync;

	if (!m.len)
		msg_init(&m, PLINK_CMD_DEV_GET, 0);
	hdr(&m)->nlmsg_seq = ++seq;
	switch (below(4)) {
	case 0:
		hdr(&m)->nlmsg_len = m.len + 1 + below(64);
		break;
	case 1:
		hdr(&m)->nlmsg_len = below(NLMSG_HDRLEN + GENL_HDRLEN);
		break;
	case 2:
		m.len = below(NLMSG_HDRLEN + GENL_HDRLEN);
		hdr(&m)->nlmsg_len = m.len;
		break;
	default:
		hdr(&m)->nlmsg_len = m.len;
		hdr(&m)->nlmsg_type = below(0x40);
		break;
	}
	remember(m.buf, m.len, "broken header");
	/* The socket may refuse it (a message shorter than its header). */
	if (send(nl, m.buf, m.len, 0) < 0)
		st.header_refused++;
	st.sent++;
	st.header++;
	msg_init(&sync, PLINK_CMD_LIMITS_GET, 0);
	request(&sync, "sync after a broken header", 0);
}

static int open_sock(void)
{
	struct timeval tv = { .tv_sec = timeout_s };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC), one = 1;

	if (fd < 0)
		fail("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

/* Dumps on their own socket: start one, read one part of it, read it
 * to its end, or close the socket in the middle.
 */
static void dump_step(void)
{
	static const struct fz_op *dops[FZ_ARRAY_SIZE(fz_ops)];
	static unsigned int n_dops;
	static char ans[65536];
	struct nlmsghdr *h;
	struct msg m;
	ssize_t len;
	unsigned int i;

	if (!n_dops)
		for (i = 0; i < FZ_ARRAY_SIZE(fz_ops); i++)
			if (fz_ops[i].has_dump)
				dops[n_dops++] = &fz_ops[i];
	if (dump_fd < 0)
		dump_fd = open_sock();
	if (!dump_pending) {
		const struct fz_op *op = dops[below(n_dops)];

		msg_init(&m, op->cmd, NLM_F_DUMP);
		if (chance(3))
			random_attrs(&m, op->set, below(3), 0);
		hdr(&m)->nlmsg_len = m.len;
		hdr(&m)->nlmsg_seq = dseq = ++seq;
		remember(m.buf, m.len, "dump");
		xsend(dump_fd, m.buf, m.len);
		st.dumps++;
		dump_pending = 1;
		return;
	}
	switch (below(4)) {
	case 0: /* interrupt it */
		close(dump_fd);
		dump_fd = -1;
		dump_pending = 0;
		st.dump_interrupted++;
		return;
	case 1: /* to its end */
		count_err(wait_answer(dump_fd, dseq, 1, 0));
		dump_pending = 0;
		return;
	default: /* one part; others later, after other requests */
		len = recv(dump_fd, ans, sizeof(ans), 0);
		if (len < 0) {
			if (errno == EAGAIN)
				fail("no dump part within the timeout (%s)", "a hang?");
			fail("recv: %s", strerror(errno));
		}
		st.dump_parts++;
		st.dump_resumed++;
		for (h = (struct nlmsghdr *)ans; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != dseq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				int e = h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) ?
					*(int *)NLMSG_DATA(h) : 0;

				count_err(e);
				dump_pending = 0;
			}
		}
		return;
	}
}

static int family_id(void)
{
	struct msg m = { .len = 0 };
	static char ans[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)ans;
	struct nlattr *a;
	ssize_t len;
	int alen;

	memset(m.buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	hdr(&m)->nlmsg_type = GENL_ID_CTRL;
	hdr(&m)->nlmsg_flags = NLM_F_REQUEST;
	((struct genlmsghdr *)NLMSG_DATA(hdr(&m)))->cmd = CTRL_CMD_GETFAMILY;
	((struct genlmsghdr *)NLMSG_DATA(hdr(&m)))->version = 1;
	m.len = NLMSG_LENGTH(GENL_HDRLEN);
	put(&m, CTRL_ATTR_FAMILY_NAME, FZ_FAMILY_NAME, sizeof(FZ_FAMILY_NAME));
	hdr(&m)->nlmsg_len = m.len;
	if (send(nl, m.buf, m.len, 0) < 0)
		return -1;
	len = recv(nl, ans, sizeof(ans), 0);
	if (len < 0 || !NLMSG_OK(h, (size_t)len) || h->nlmsg_type == NLMSG_ERROR)
		return -1;
	alen = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
	while (alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(unsigned short *)((char *)a + NLA_HDRLEN);
		alen -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return -1;
}

static void report(void)
{
	unsigned int i;

	printf("nlfuzz: seed %llu sent %llu (valid %llu, random %llu, mutated %llu, ",
	       seed, st.sent, st.valid, st.random, st.mutated);
	printf("broken-header %llu (%llu refused by the socket), ",
	       st.header, st.header_refused);
	printf("dumps %llu: %llu parts, %llu interrupted, %llu read in parts), ",
	       st.dumps, st.dump_parts, st.dump_interrupted, st.dump_resumed);
	printf("answers: %llu ok, %llu errors\n", st.acks_ok, st.acks_err);
	printf("nlfuzz: errnos:");
	for (i = 1; i < FZ_ARRAY_SIZE(st.err); i++)
		if (st.err[i])
			printf(" %s=%llu", strerrorname_np(i) ?: "?", st.err[i]);
	printf("\n");
}

static int bad_args(void)
{
	fputs("usage: nlfuzz [--seed N] [--count N] [--dev IFINDEX]...\n", stderr);
	fputs("              [--prefix STR] [--timeout S] [--verbose]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long long count = 1000, i;
	int k;

	seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--seed") && k + 1 < argc)
			seed = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--count") && k + 1 < argc)
			count = strtoull(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--dev") && k + 1 < argc &&
			 n_devs < FZ_ARRAY_SIZE(devs))
			devs[n_devs++] = strtoul(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--prefix") && k + 1 < argc)
			prefix = argv[++k];
		else if (!strcmp(argv[k], "--timeout") && k + 1 < argc)
			timeout_s = strtoul(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--verbose"))
			verbose = 1;
		else
			return bad_args();
	}
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	printf("nlfuzz: seed %llu count %llu\n", seed, count);
	fflush(stdout);
	nl = open_sock();
	fam = family_id();
	if (fam < 0) {
		fprintf(stderr, "nlfuzz: no plink family\n");
		return 1;
	}
	for (i = 0; i < count; i++) {
		switch (below(16)) {
		case 0:
		case 1:
		case 2:
		case 3:
			valid_request();
			break;
		case 4:
		case 5:
		case 6:
		case 7:
		case 8:
		case 9:
			random_request();
			break;
		case 10:
		case 11:
		case 12:
			mutated_request();
			break;
		case 13:
			header_request();
			break;
		default:
			dump_step();
			break;
		}
		if (!verbose && count >= 100000 && i && i % 100000 == 0) {
			printf("nlfuzz: %llu sent\n", st.sent);
			fflush(stdout);
		}
	}
	if (dump_pending)
		count_err(wait_answer(dump_fd, dseq, 1, 0));
	/* Still answering as before. */
	{
		struct msg m;

		msg_init(&m, PLINK_CMD_DEV_GET, 0);
		put_u32(&m, PLINK_A_DEV_IFINDEX, n_devs ? devs[0] : 1);
		if (request(&m, "final dev-get", 0) && n_devs)
			fail("the final dev-get failed (%s)", "");
	}
	report();
	return 0;
}
