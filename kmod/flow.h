/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PLINK_FLOW_H
#define _PLINK_FLOW_H

#include <linux/netfilter.h>
#include <linux/percpu_counter.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/tcp.h>

#include "plink.h"

/*
 * A flow, found two ways: by the consumer's 5-tuple on its endpoint device
 * (the forward key) and by the provider's (the reverse key).  Freed only
 * in process context, in batches after a grace period, so it needs no
 * rcu_head.  112 bytes on 64-bit, 36 to a 4 KB slab page: the endpoint
 * address is an index into its endpoint's (which never change), the small
 * fields are bytes, and the per-flow count is of packets only.  The first
 * 64 bytes hold what the forward lookup compares (ports, protocol, family,
 * client address), the next what the datapath writes (idle time, TCP
 * sequence numbers, packets).
 *
 * A flow of a proxy-protocol v2 service has @pp_len > 0: the target's
 * byte stream begins with a header of that many bytes at the client's
 * ISN + 1 (@hseq), and every client sequence number from there on is
 * @pp_len further on the target's side (ppv2-dp.c).  @cseq, @cack and
 * @tack stay in the client's sequence space, @tseq in the target's (the
 * same on both sides).
 */
struct plink_flow {
	struct plink_flow __rcu *fnext;
	struct plink_flow __rcu *rnext;
	struct plink_endpoint *ep;	/* holds a reference */
	struct plink_target *target;	/* holds a reference */
	__be16 cport, eport, nport, tport;
	u8 proto;
	u8 family;
	u8 eidx;			/* endpoint address: ep->addrs[eidx] */
	u8 lgen;			/* its service's listener generation */
	u8 pp_len;			/* PROXY header's length, 0: none */
	u8 state;			/* enum plink_flow_state */
	u8 reset;			/* end it with a TCP RST both ways */
	u8 pp_state;			/* enum plink_ppv2_state */
	union nf_inet_addr caddr;	/* client */
	union nf_inet_addr naddr;	/* NLB address */
	u32 created;			/* jiffies, low 32 bits */
	u32 last;
	u32 cseq;			/* the client's next sequence number */
	u32 tseq;			/* the target's next sequence number */
	u32 cack;			/* the client's highest ACK number */
	u32 tack;			/* the target's highest ACK number */
	u32 hseq;			/* PROXY header's sequence number */
	u32 packets;			/* both ways, for display */
};

/* 4096 / 36: at most 113.8 bytes of slab per flow. */
static_assert(sizeof(struct plink_flow) <= 112);

/* The endpoint address of flow @f. */
static inline const union nf_inet_addr *
plink_flow_eaddr(const struct plink_flow *f)
{
	return &f->ep->addrs[f->eidx].inet;
}

/*
 * Whether a packet of @f gets its receiver's input route from plink's
 * cache (rtcache.c), in either direction: not a TCP segment past the
 * handshake (after the SYN, the SYN-ACK and the ACK that completes it),
 * whose established socket's early demux hands the route over for free;
 * early demux does not run for a packet that has a route, and the socket
 * lookup it saves would then be made in tcp_v4_rcv().  A guess (the count
 * may lose an update): it decides only which of two right ways the route
 * is found.
 */
static inline bool plink_flow_rtc(const struct plink_flow *f)
{
	return f->proto != IPPROTO_TCP ||
	       READ_ONCE(f->state) == PLINK_FLOW_STATE_SYN ||
	       READ_ONCE(f->packets) <= 3;
}

/* Where a flow's PROXY protocol v2 header is (struct plink_flow @pp_state). */
enum plink_ppv2_state {
	PLINK_PPV2_PENDING,	/* not sent: the handshake is not complete */
	PLINK_PPV2_SENT,	/* sent, the target has not acknowledged it */
	PLINK_PPV2_ACKED,	/* the target has acknowledged it */
};

/* End removed flow @f on both sides; in softirq context, under RCU. */
typedef void (*plink_flow_reset_t)(struct plink_flow *f);

/*
 * Forward key: what the consumer sends, on which endpoint device.  The
 * endpoint address names one endpoint of the device, so the datapath looks
 * a flow up before it knows the endpoint (@ep NULL: the flow of any
 * endpoint of @dev); everything up to @ep is hashed.  Adding a flow, and
 * looking one up for a known endpoint, set @ep (and @dev to its device)
 * and @eidx.
 */
struct plink_fkey {
	union nf_inet_addr caddr;
	union nf_inet_addr eaddr;
	const struct plink_dev *dev;
	__be16 cport;
	__be16 eport;
	u8 proto;
	u8 family;
	u16 pad;
	const struct plink_endpoint *ep;	/* not hashed */
	u8 eidx;	/* with @ep: @eaddr is @ep->addrs[@eidx] */
};

/* Reverse key: what a target sends back, on which NLB device. */
struct plink_rkey {
	union nf_inet_addr taddr;
	union nf_inet_addr naddr;
	const struct plink_dev *nlb;
	__be16 tport;
	__be16 nport;
	u8 proto;
	u8 family;
	u16 pad;
};

/* jhash2() hashes the reverse key as words. */
static_assert(sizeof(struct plink_rkey) % sizeof(u32) == 0);

#define PLINK_SNAT_PORT_MIN	1024
#define PLINK_SNAT_PORT_MAX	65535
#define PLINK_SNAT_PROBES	64	/* ports tried per NLB address */

/* Flows a CPU counts before the table's count is written (@count). */
#define PLINK_FLOW_COUNT_BATCH	32

#define PLINK_TIMEOUT_SYN	(30 * HZ)
/*
 * Whichever side closes first keeps the tuple in TIME_WAIT for
 * TCP_TIMEWAIT_LEN (60 s on Linux) after its last ACK: a SNAT port goes
 * back to the pool only well after that, as with conntrack and IPVS.
 */
#define PLINK_TIMEOUT_FIN	(2 * TCP_TIMEWAIT_LEN)
/* After a RST in window: no side is left in TIME_WAIT. */
#define PLINK_TIMEOUT_CLOSED	(10 * HZ)

/**
 * struct plink_flow_table - a bounded flow table with two indexes
 * @fb: forward buckets (@mask + 1)
 * @rb: reverse buckets (@mask + 1)
 * @fl: forward bucket locks (@lmask + 1); a forward lock is taken before a
 *	reverse one, never the other way
 * @rl: reverse bucket locks (@lmask + 1)
 * @mask: bucket index mask of both indexes
 * @lmask: lock index mask of both indexes
 * @max: most flows at once
 * @count: flows now (freed ones leave after a grace period); per CPU, read
 *	exactly only near @max (plink_flow_add())
 * @key: the forward index's hash key
 * @rseed: the reverse index's seed
 * @port_min: lowest SNAT port
 * @port_max: highest SNAT port
 * @reset: ends a flow removed with its reset bit set (NULL: nothing does)
 * @expired: told of a TCP flow that expired in SYN state, its SYN never
 *	answered (passive health; NULL: nothing is)
 * @ppv2_resend: sends again the PROXY protocol header of a flow the GC
 *	finds idle with its header unacknowledged (NULL: nothing does)
 */
struct plink_flow_table {
	struct plink_flow __rcu **fb;
	struct plink_flow __rcu **rb;
	spinlock_t *fl;			/* guard the forward chains */
	spinlock_t *rl;			/* guard the reverse chains */
	u32 mask;
	u32 lmask;
	u32 max;
	struct percpu_counter count;
	hsiphash_key_t key;
	u32 rseed;
	u16 port_min;
	u16 port_max;
	plink_flow_reset_t reset;
	plink_flow_reset_t expired;
	plink_flow_reset_t ppv2_resend;
};

/* Why a flow could not be added (plink_flow_add()). */
enum plink_flow_err {
	PLINK_FLOW_OK,
	PLINK_FLOW_EXISTS,	/* another CPU added it first: *fp is it */
	PLINK_FLOW_TABLE_FULL,	/* the table's or the service's limit */
	PLINK_FLOW_NO_PORT,	/* no free SNAT port */
	PLINK_FLOW_GONE,	/* the endpoint is going away */
	PLINK_FLOW_QUOTA,	/* the endpoint's or its owner's flow quota */
};

/* Return true to remove @f; set f->reset to reset it first. */
typedef bool (*plink_flow_match_t)(struct plink_flow *f, void *arg);

/* Whether @f is no longer allowed (plink_flows_revoke()). */
typedef bool (*plink_flow_test_t)(const struct plink_flow *f,
				  const void *arg);

extern struct plink_flow_table plink_flows;

int plink_flow_table_init(struct plink_flow_table *ft, u32 buckets, u32 max);
void plink_flow_table_destroy(struct plink_flow_table *ft);
u32 plink_flow_fhash(const struct plink_flow_table *ft,
		     const struct plink_fkey *k);
struct plink_flow *plink_flow_lookup_fwd(struct plink_flow_table *ft,
					 const struct plink_fkey *k, u32 hash);
struct plink_flow *plink_flow_lookup_rev(struct plink_flow_table *ft,
					 const struct plink_rkey *k);
enum plink_flow_err plink_flow_add(struct plink_flow_table *ft,
				   const struct plink_fkey *k, u32 hash,
				   struct plink_target *t, __be16 tport,
				   const struct plink_service_cfg *cfg,
				   struct plink_flow **fp);
unsigned long plink_flow_timeout(const struct plink_flow *f,
				 const struct plink_service_cfg *cfg);
unsigned int plink_flow_scan(struct plink_flow_table *ft, u32 *pos,
			     u32 nbuckets, plink_flow_match_t match, void *arg);
void plink_flow_tcp_update(struct plink_flow *f, bool fwd, u8 flags);
void plink_flow_tcp_track(struct plink_flow *f, bool fwd, u8 flags, u32 seq,
			  u32 end, u32 ack);
unsigned int plink_flows_reset(const struct plink_endpoint *ep,
			       const struct plink_service *svc,
			       const struct plink_dev *nlb);
unsigned int plink_flows_revoke(const struct plink_endpoint *ep,
				plink_flow_test_t revoked, const void *arg);
void plink_flow_to_addr(struct plink_addr *a, const union nf_inet_addr *in,
			u8 family);

#if IS_ENABLED(CONFIG_KUNIT)
bool plink_flow_gc_match(struct plink_flow *f, void *arg);
#endif

/* flow.c, for flow-gc.c */
void plink_flow_unlink_rev(struct plink_flow_table *ft, struct plink_flow *f);
void plink_flow_free(struct plink_flow_table *ft, struct plink_flow *f);
int plink_flow_cache_init(void);
void plink_flow_cache_exit(void);

int plink_flows_init(plink_flow_reset_t reset, plink_flow_reset_t expired,
		     plink_flow_reset_t ppv2_resend);
void plink_flows_exit(void);

#endif /* _PLINK_FLOW_H */
