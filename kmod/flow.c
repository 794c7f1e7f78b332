// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table: a fixed-size hash table with two indexes (forward, by the
 * consumer's tuple on its endpoint; reverse, by the provider's tuple on its
 * NLB device), singly linked RCU chains, and striped bucket locks.  Lookups
 * take no lock.  Flows are added in softirq (GFP_ATOMIC, or GFP_NOWAIT
 * charged to the endpoint creator's memory cgroup) and removed only
 * in process context (the GC work, flushes, teardown), in batches freed
 * after a grace period.  The table is bounded: a full table refuses new
 * flows and never evicts live ones.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/mempool.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/vmalloc.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "flow.h"

static struct kmem_cache *plink_flow_cache;
/* Batches of freed flows: one in reserve, so that freeing never fails. */
static mempool_t *plink_flow_batches;

struct plink_flow_table plink_flows;

static unsigned int flow_buckets = 65536;
module_param(flow_buckets, uint, 0444);
MODULE_PARM_DESC(flow_buckets, "Flow table buckets (a power of two; default 65536)");

static unsigned int max_flows = 262144;
module_param(max_flows, uint, 0444);
MODULE_PARM_DESC(max_flows, "Most flows in the whole table (default 262144)");

#define PLINK_FLOW_LOCKS	1024
#define PLINK_GC_INTERVAL	(HZ / 10)
#define PLINK_GC_SWEEP		40	/* GC runs per sweep of the table */

/*
 * Each CPU keeps a few zeroed flows, allocated in bulk (as the stack's
 * per-CPU skb head cache does): a new flow then costs a fraction of a
 * slab allocation.  Used in softirq only.
 */
#define PLINK_FLOW_PCPU		16

struct plink_flow_pcpu {
	unsigned int n;
	void *flows[PLINK_FLOW_PCPU];
};

static DEFINE_PER_CPU(struct plink_flow_pcpu, plink_flow_pcpu);

static struct delayed_work plink_gc_work;
static u32 plink_gc_pos;
static bool plink_gc_stopped;

static inline bool plink_inaddr_eq(const union plink_inaddr *a,
				   const union plink_inaddr *b)
{
	return ipv6_addr_equal(&a->in6, &b->in6);
}

void plink_flow_to_addr(struct plink_addr *a, const union plink_inaddr *in,
			u8 family)
{
	memset(a, 0, sizeof(*a));
	a->in6 = in->in6;
	a->family = family;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_to_addr);

static void plink_flow_rkey(const struct plink_flow *f, struct plink_rkey *k)
{
	memset(k, 0, sizeof(*k));
	k->taddr.in6 = f->target->addr.in6;
	k->naddr = f->naddr;
	k->nlb = f->target->svc->nlb;
	k->tport = f->tport;
	k->nport = f->nport;
	k->proto = f->proto;
	k->family = f->family;
}

/*
 * The forward index hashes what a consumer sends, so with a keyed hash,
 * hsiphash; an IPv4 tuple as four words (hsiphash_4u32), a fraction of the
 * cost of the whole key, which is sized for IPv6.  The endpoint's address
 * and the protocol share the last word.
 */
u32 plink_flow_fhash(const struct plink_flow_table *ft,
		     const struct plink_fkey *k)
{
	unsigned long o = (unsigned long)k->ep;

	if (k->family == AF_INET)
		return hsiphash_4u32((__force u32)k->caddr.ip,
				     (__force u32)k->eaddr.ip,
				     (__force u32)k->cport << 16 |
				     (__force u32)k->eport,
				     (u32)o ^ (u32)(o >> 32) ^ k->proto,
				     &ft->key);
	return hsiphash(k, sizeof(*k), &ft->key);
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_fhash);

/*
 * The reverse index's keys are no sender's choice: the SNAT port comes
 * from a keyed hash of the forward tuple, the target from Maglev, the rest
 * from the configuration; a provider can only look keys up.  A seeded
 * jhash (as IPVS uses) keeps its chains as short as random keys do, at
 * half the cost of hsiphash, on every reply packet.
 */
static u32 plink_flow_rhash(const struct plink_flow_table *ft,
			    const struct plink_rkey *k)
{
	unsigned long o = (unsigned long)k->nlb;

	if (k->family == AF_INET)
		return jhash_3words((__force u32)k->taddr.ip,
				    (__force u32)k->naddr.ip,
				    (__force u32)k->tport << 16 |
				    (__force u32)k->nport,
				    ft->rseed ^ (u32)o ^ (u32)(o >> 32) ^ k->proto);
	return jhash2((const u32 *)k, sizeof(*k) / sizeof(u32), ft->rseed);
}

static bool plink_flow_fmatch(const struct plink_flow *f,
			      const struct plink_fkey *k)
{
	return f->ep == k->ep && f->cport == k->cport &&
	       f->eport == k->eport && f->proto == k->proto &&
	       f->family == k->family &&
	       plink_inaddr_eq(&f->caddr, &k->caddr) &&
	       plink_inaddr_eq(&f->eaddr, &k->eaddr);
}

static bool plink_flow_rmatch(const struct plink_flow *f,
			      const struct plink_rkey *k)
{
	const struct plink_target *t = f->target;

	return f->nport == k->nport && f->tport == k->tport &&
	       f->proto == k->proto && f->family == k->family &&
	       t->svc->nlb == k->nlb &&
	       plink_inaddr_eq(&f->naddr, &k->naddr) &&
	       ipv6_addr_equal(&t->addr.in6, &k->taddr.in6);
}

/* Under RCU (softirq or rcu_read_lock()). */
struct plink_flow *plink_flow_lookup_fwd(struct plink_flow_table *ft,
					 const struct plink_fkey *k, u32 hash)
{
	struct plink_flow *f;

	for (f = rcu_dereference(ft->fb[hash & ft->mask]); f;
	     f = rcu_dereference(f->fnext)) {
		if (plink_flow_fmatch(f, k))
			return f;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_lookup_fwd);

struct plink_flow *plink_flow_lookup_rev(struct plink_flow_table *ft,
					 const struct plink_rkey *k)
{
	u32 hash = plink_flow_rhash(ft, k);
	struct plink_flow *f;

	for (f = rcu_dereference(ft->rb[hash & ft->mask]); f;
	     f = rcu_dereference(f->rnext)) {
		if (plink_flow_rmatch(f, k))
			return f;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_lookup_rev);

/*
 * Link @f in the reverse index under a free SNAT port of its NLB address,
 * if one of the probed ports is free (a port is free when no flow in the
 * table, live or about to be freed, uses it with this NLB address, target
 * and proto).  @k is @f's reverse key but for the port.
 */
static bool plink_flow_link_rev(struct plink_flow_table *ft,
				struct plink_flow *f, struct plink_rkey *k,
				u32 seed)
{
	u32 range = ft->port_max - ft->port_min + 1;
	u32 probes = min_t(u32, range, PLINK_SNAT_PROBES);
	u32 port = seed % range, i;

	for (i = 0; i < probes; i++) {
		struct plink_flow __rcu **head;
		spinlock_t *lock;	/* the reverse bucket's */
		struct plink_flow *g;
		u32 hash;

		k->nport = htons(ft->port_min + port);
		if (++port == range)
			port = 0;
		hash = plink_flow_rhash(ft, k);
		head = &ft->rb[hash & ft->mask];
		lock = &ft->rl[hash & ft->lmask];
		spin_lock(lock);
		for (g = rcu_dereference_protected(*head, lockdep_is_held(lock));
		     g; g = rcu_dereference_protected(g->rnext,
						      lockdep_is_held(lock))) {
			if (plink_flow_rmatch(g, k))
				break;
		}
		if (!g) {
			f->nport = k->nport;
			RCU_INIT_POINTER(f->rnext,
					 rcu_dereference_protected(*head,
								   lockdep_is_held(lock)));
			rcu_assign_pointer(*head, f);
		}
		spin_unlock(lock);
		if (!g)
			return true;
	}
	return false;
}

/*
 * Pick an NLB address of the flow's family and a SNAT port on it: the
 * addresses in turn from a hashed one, each with its ports from a hashed
 * one.
 */
static bool plink_flow_snat(struct plink_flow_table *ft, struct plink_flow *f,
			    const struct plink_service_cfg *cfg, u32 hash)
{
	unsigned int i, start;
	struct plink_rkey k;

	if (!cfg->naddrs)
		return false;
	start = hash % cfg->naddrs;
	memset(&k, 0, sizeof(k));
	k.taddr.in6 = f->target->addr.in6;
	k.nlb = f->target->svc->nlb;
	k.tport = f->tport;
	k.proto = f->proto;
	k.family = f->family;
	for (i = 0; i < cfg->naddrs; i++) {
		const struct plink_addr *a = &cfg->addrs[(start + i) % cfg->naddrs];

		if (a->family != f->family)
			continue;
		k.naddr.in6 = a->in6;
		f->naddr = k.naddr;
		if (plink_flow_link_rev(ft, f, &k, hash >> 8))
			return true;
	}
	return false;
}

/*
 * A zeroed flow, in softirq, charged to @memcg if not NULL.  A charged flow
 * comes straight from the slab: the per-CPU cache's flows are charged to
 * no cgroup.  GFP_NOWAIT, not GFP_ATOMIC: a tenant's flows neither dip
 * into the atomic reserves nor are forced past its cgroup's memory.max
 * (as __GFP_HIGH charges are); there they are refused.
 */
static struct plink_flow *plink_flow_alloc(struct mem_cgroup *memcg)
{
	struct plink_flow_pcpu *pc;
	struct mem_cgroup *old;
	struct plink_flow *f;

	lockdep_assert_in_softirq();
	if (memcg) {
		old = set_active_memcg(memcg);
		f = kmem_cache_alloc(plink_flow_cache,
				     GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN |
				     __GFP_ZERO);
		set_active_memcg(old);
		return f;
	}
	pc = this_cpu_ptr(&plink_flow_pcpu);
	if (!pc->n)
		pc->n = kmem_cache_alloc_bulk(plink_flow_cache,
					      GFP_ATOMIC | __GFP_ZERO,
					      PLINK_FLOW_PCPU, pc->flows);
	return pc->n ? pc->flows[--pc->n] : NULL;
}

static void plink_flow_pcpu_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct plink_flow_pcpu *pc = per_cpu_ptr(&plink_flow_pcpu, cpu);

		kmem_cache_free_bulk(plink_flow_cache, pc->n, pc->flows);
		pc->n = 0;
	}
}

static void plink_flow_counts(struct plink_flow *f, int delta)
{
	atomic_add(delta, &f->ep->cnt.nflows);
	atomic_add(delta, &f->target->cnt.nflows);
	atomic_add(delta, &f->target->svc->cnt.nflows);
}

/*
 * Add a flow for @k to target @t (the caller's reference to @t passes to
 * the flow on success), in softirq.  On PLINK_FLOW_EXISTS, *@fp is the
 * flow another CPU added for the same key.
 */
enum plink_flow_err plink_flow_add(struct plink_flow_table *ft,
				   const struct plink_fkey *k, u32 hash,
				   struct plink_target *t, __be16 tport,
				   const struct plink_service_cfg *cfg,
				   struct plink_flow **fp)
{
	struct plink_endpoint *ep = (struct plink_endpoint *)k->ep;
	struct plink_service *svc = t->svc;
	enum plink_flow_err err;
	spinlock_t *lock;	/* the forward bucket's */
	struct plink_flow *f, *g;
	u32 now = (u32)jiffies;

	if (atomic_inc_return(&ft->count) > ft->max) {
		err = PLINK_FLOW_TABLE_FULL;
		goto out_count;
	}
	if (atomic_read(&svc->cnt.nflows) >= cfg->max_flows) {
		err = PLINK_FLOW_TABLE_FULL;
		goto out_count;
	}
	/* The endpoint's share of the service, its owner's of the table. */
	if (atomic_read(&ep->cnt.nflows) >= plink_endpoint_max_flows(cfg) ||
	    !plink_owner_flow_charge(ep->owner)) {
		err = PLINK_FLOW_QUOTA;
		goto out_count;
	}
	if (!refcount_inc_not_zero(&ep->ref)) {
		err = PLINK_FLOW_GONE;
		goto out_owner;
	}
	f = plink_flow_alloc(ep->memcg);
	if (!f) {
		/* A charged flow fails first at its cgroup's memory.max. */
		err = ep->memcg ? PLINK_FLOW_QUOTA : PLINK_FLOW_TABLE_FULL;
		goto out_ep;
	}
	f->ep = ep;
	f->target = t;
	f->caddr = k->caddr;
	f->eaddr = k->eaddr;
	f->cport = k->cport;
	f->eport = k->eport;
	f->tport = tport;
	f->proto = k->proto;
	f->family = k->family;
	f->state = k->proto == IPPROTO_TCP ? PLINK_FLOW_STATE_SYN :
					     PLINK_FLOW_STATE_UDP;
	f->created = now;
	f->last = now;

	lock = &ft->fl[hash & ft->lmask];
	spin_lock(lock);
	for (g = rcu_dereference_protected(ft->fb[hash & ft->mask],
					   lockdep_is_held(lock));
	     g; g = rcu_dereference_protected(g->fnext, lockdep_is_held(lock))) {
		if (plink_flow_fmatch(g, k)) {
			spin_unlock(lock);
			*fp = g;
			err = PLINK_FLOW_EXISTS;
			goto out_free;
		}
	}
	if (!plink_flow_snat(ft, f, cfg, hash)) {
		spin_unlock(lock);
		err = PLINK_FLOW_NO_PORT;
		goto out_free;
	}
	plink_flow_counts(f, 1);
	RCU_INIT_POINTER(f->fnext,
			 rcu_dereference_protected(ft->fb[hash & ft->mask],
						   lockdep_is_held(lock)));
	rcu_assign_pointer(ft->fb[hash & ft->mask], f);
	spin_unlock(lock);
	*fp = f;
	return PLINK_FLOW_OK;

out_free:
	kmem_cache_free(plink_flow_cache, f);
out_ep:
	plink_endpoint_put(ep);
out_owner:
	atomic_dec(&ep->owner->nflows);
out_count:
	atomic_dec(&ft->count);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_add);

/* How long @f may stay idle, in jiffies. */
unsigned long plink_flow_timeout(const struct plink_flow *f,
				 const struct plink_service_cfg *cfg)
{
	switch (READ_ONCE(f->state)) {
	case PLINK_FLOW_STATE_SYN:
		return PLINK_TIMEOUT_SYN;
	case PLINK_FLOW_STATE_ESTABLISHED:
		return cfg->timeout_tcp * HZ;
	case PLINK_FLOW_STATE_FIN:
		return PLINK_TIMEOUT_FIN;
	case PLINK_FLOW_STATE_CLOSED:
		return PLINK_TIMEOUT_CLOSED;
	default:
		return cfg->timeout_udp * HZ;
	}
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_timeout);

/* TCP state from the flags of a packet; @fwd: sent by the client. */
void plink_flow_tcp_update(struct plink_flow *f, bool fwd, u8 flags)
{
	u8 s = READ_ONCE(f->state), n = s;

	if (flags & TCPHDR_RST)
		n = PLINK_FLOW_STATE_CLOSED;
	else if (flags & TCPHDR_FIN)
		n = s == PLINK_FLOW_STATE_CLOSED ? s : PLINK_FLOW_STATE_FIN;
	else if (fwd && (flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN)
		n = PLINK_FLOW_STATE_SYN;	/* a new connection, same tuple */
	else if (s == PLINK_FLOW_STATE_SYN && (flags & TCPHDR_ACK) &&
		 (fwd || (flags & TCPHDR_SYN)))
		n = PLINK_FLOW_STATE_ESTABLISHED;
	if (n != s)
		WRITE_ONCE(f->state, n);
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_tcp_update);

/*
 * Whether the other side would take a RST from one side (@fwd: the
 * client), as far as plink can tell: its sequence number lies between
 * what the other side has acknowledged and what this side has sent (the
 * receiver's rcv_nxt is in there).  Before the target's SYN-ACK, the
 * client is in SYN-SENT and takes a RST only if it acknowledges its SYN.
 */
static bool plink_flow_rst_ok(const struct plink_flow *f, bool fwd, u8 flags,
			      u32 seq, u32 ack)
{
	if (fwd)
		return !before(seq, READ_ONCE(f->tack)) &&
		       !after(seq, READ_ONCE(f->cseq));
	if (READ_ONCE(f->state) == PLINK_FLOW_STATE_SYN)
		return (flags & TCPHDR_ACK) && ack == READ_ONCE(f->cseq);
	return !before(seq, READ_ONCE(f->cack)) &&
	       !after(seq, READ_ONCE(f->tseq));
}

/*
 * Track a TCP segment of flow @f (@fwd: from the client; it covers @seq up
 * to @end, its SYN and FIN included): the state, each side's next sequence
 * number (what a reset needs to be in sequence), and each side's highest
 * acknowledgment (what a RST must not be below).  Each side's sequence
 * starts from its SYN, not from 0, which half of all ISNs would never be
 * after().  A RST out of window ends nothing: the receiver ignores it, or
 * answers it with a challenge ACK.
 */
void plink_flow_tcp_track(struct plink_flow *f, bool fwd, u8 flags, u32 seq,
			  u32 end, u32 ack)
{
	u32 *next = fwd ? &f->cseq : &f->tseq;
	u32 *acked = fwd ? &f->cack : &f->tack;
	u32 *onext = fwd ? &f->tseq : &f->cseq;
	u32 *oacked = fwd ? &f->tack : &f->cack;

	if ((flags & TCPHDR_RST) && !plink_flow_rst_ok(f, fwd, flags, seq, ack))
		return;
	plink_flow_tcp_update(f, fwd, flags);
	if (flags & TCPHDR_SYN) {
		/* Until the other side acknowledges more, only @end is. */
		WRITE_ONCE(*next, end);
		WRITE_ONCE(*oacked, end);
		return;
	}
	if (after(end, READ_ONCE(*next)))
		WRITE_ONCE(*next, end);
	if ((flags & TCPHDR_ACK) && after(ack, READ_ONCE(*acked)) &&
	    !after(ack, READ_ONCE(*onext)))
		WRITE_ONCE(*acked, ack);
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_tcp_track);

/* Freed flows, waiting for a grace period. */
struct plink_flow_batch {
	struct rcu_head rcu;
	struct plink_flow_table *ft;
	unsigned int n;
	struct plink_flow *f[];
};

#define PLINK_BATCH_MAX	((PAGE_SIZE - sizeof(struct plink_flow_batch)) / \
			 sizeof(struct plink_flow *))

static void plink_flow_free(struct plink_flow_table *ft, struct plink_flow *f)
{
	plink_flow_counts(f, -1);
	atomic_dec(&f->ep->owner->nflows);
	plink_endpoint_put(f->ep);
	plink_target_put(f->target);
	kmem_cache_free(plink_flow_cache, f);
	atomic_dec(&ft->count);
}

static void plink_flow_batch_free_rcu(struct rcu_head *head)
{
	struct plink_flow_batch *b = container_of(head, struct plink_flow_batch,
						  rcu);
	unsigned int i;

	for (i = 0; i < b->n; i++)
		plink_flow_free(b->ft, b->f[i]);
	mempool_free(b, plink_flow_batches);
}

static void plink_flow_batch_flush(struct plink_flow_batch **bp)
{
	if (*bp)
		call_rcu(&(*bp)->rcu, plink_flow_batch_free_rcu);
	*bp = NULL;
}

/*
 * Free unlinked @f after a grace period; process context.  Short of
 * memory, the mempool waits for a batch to come back (a grace period per
 * batch, not per flow, however long the scan).
 */
static void plink_flow_release(struct plink_flow_table *ft,
			       struct plink_flow_batch **bp,
			       struct plink_flow *f)
{
	if (*bp && (*bp)->n == PLINK_BATCH_MAX)
		plink_flow_batch_flush(bp);
	if (!*bp) {
		*bp = mempool_alloc(plink_flow_batches, GFP_KERNEL);
		(*bp)->ft = ft;
		(*bp)->n = 0;
	}
	(*bp)->f[(*bp)->n++] = f;
}

/* Unlink @f from the reverse index; its forward bucket lock is held. */
static void plink_flow_unlink_rev(struct plink_flow_table *ft,
				  struct plink_flow *f)
{
	struct plink_flow __rcu **pp;
	struct plink_flow *g;
	spinlock_t *lock;	/* the reverse bucket's */
	struct plink_rkey k;
	u32 hash;

	plink_flow_rkey(f, &k);
	hash = plink_flow_rhash(ft, &k);
	lock = &ft->rl[hash & ft->lmask];
	spin_lock(lock);
	for (pp = &ft->rb[hash & ft->mask];
	     (g = rcu_dereference_protected(*pp, lockdep_is_held(lock)));
	     pp = &g->rnext) {
		if (g == f) {
			RCU_INIT_POINTER(*pp, rcu_dereference_protected(f->rnext,
									true));
			break;
		}
	}
	spin_unlock(lock);
	WARN_ON_ONCE(!g);
}

/*
 * Remove the flows @match picks from @nbuckets buckets starting at *@pos
 * (which moves on, and wraps to 0 at the end); process context.  Returns
 * how many were removed.
 */
unsigned int plink_flow_scan(struct plink_flow_table *ft, u32 *pos,
			     u32 nbuckets, plink_flow_match_t match, void *arg)
{
	struct plink_flow_batch *batch = NULL;
	struct plink_flow *gone[16];
	unsigned int removed = 0, n, i;
	u32 b = *pos;

	might_sleep();
	for (; nbuckets && b <= ft->mask; nbuckets--, b++) {
		struct plink_flow __rcu **pp;
		struct plink_flow *f;
		spinlock_t *lock = &ft->fl[b & ft->lmask];	/* forward */

		do {
			n = 0;
			rcu_read_lock();
			spin_lock_bh(lock);
			pp = &ft->fb[b];
			while ((f = rcu_dereference_protected(*pp,
							      lockdep_is_held(lock)))) {
				if (n < ARRAY_SIZE(gone) && match(f, arg)) {
					RCU_INIT_POINTER(*pp,
							 rcu_dereference_protected(f->fnext,
										   true));
					plink_flow_unlink_rev(ft, f);
					gone[n++] = f;
					continue;
				}
				pp = &f->fnext;
			}
			spin_unlock(lock);
			/* Resets count per CPU and deliver, as in softirq. */
			for (i = 0; i < n; i++) {
				if (gone[i]->reset)
					plink_flow_reset(gone[i]);
			}
			local_bh_enable();
			rcu_read_unlock();
			for (i = 0; i < n; i++)
				plink_flow_release(ft, &batch, gone[i]);
			removed += n;
		} while (n == ARRAY_SIZE(gone));
		cond_resched();
	}
	*pos = b > ft->mask ? 0 : b;
	plink_flow_batch_flush(&batch);
	return removed;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_scan);

int plink_flow_table_init(struct plink_flow_table *ft, u32 buckets, u32 max)
{
	u32 i, nlocks;

	buckets = roundup_pow_of_two(clamp_t(u32, buckets, 16, 1U << 24));
	nlocks = min_t(u32, buckets, PLINK_FLOW_LOCKS);
	memset(ft, 0, sizeof(*ft));
	ft->fb = kvcalloc(buckets, sizeof(*ft->fb), GFP_KERNEL);
	ft->rb = kvcalloc(buckets, sizeof(*ft->rb), GFP_KERNEL);
	ft->fl = kvmalloc_array(nlocks, sizeof(*ft->fl), GFP_KERNEL);
	ft->rl = kvmalloc_array(nlocks, sizeof(*ft->rl), GFP_KERNEL);
	if (!ft->fb || !ft->rb || !ft->fl || !ft->rl) {
		plink_flow_table_destroy(ft);
		return -ENOMEM;
	}
	/* Two loops, two lock classes: a forward lock nests a reverse one. */
	for (i = 0; i < nlocks; i++)
		spin_lock_init(&ft->fl[i]);
	for (i = 0; i < nlocks; i++)
		spin_lock_init(&ft->rl[i]);
	ft->mask = buckets - 1;
	ft->lmask = nlocks - 1;
	ft->max = max;
	atomic_set(&ft->count, 0);
	get_random_bytes(&ft->key, sizeof(ft->key));
	ft->rseed = get_random_u32();
	ft->port_min = PLINK_SNAT_PORT_MIN;
	ft->port_max = PLINK_SNAT_PORT_MAX;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_table_init);

static bool plink_flow_match_all(struct plink_flow *f, void *arg)
{
	return true;
}

struct plink_flows_reset_arg {
	const struct plink_endpoint *ep;
	const struct plink_service *svc;
	const struct plink_dev *nlb;
};

static bool plink_flows_reset_match(struct plink_flow *f, void *arg)
{
	const struct plink_flows_reset_arg *a = arg;
	const struct plink_service *svc = f->target->svc;

	if ((a->ep && f->ep == a->ep) || (a->svc && svc == a->svc) ||
	    (a->nlb && svc->nlb == a->nlb)) {
		f->reset = 1;
		return true;
	}
	return false;
}

/*
 * Remove and reset the flows of endpoint @ep, of service @svc, or of the
 * services on NLB device @nlb (NULL: none), before they stop passing
 * traffic: the RSTs go to each side that still does, so that neither the
 * client nor the target waits on a session that has gone.  A scan of the
 * whole table, under plink_cfg_lock.
 */
void plink_flows_reset(const struct plink_endpoint *ep,
		       const struct plink_service *svc,
		       const struct plink_dev *nlb)
{
	struct plink_flows_reset_arg a = { .ep = ep, .svc = svc, .nlb = nlb };
	u32 pos = 0;

	lockdep_assert_held(&plink_cfg_lock);
	plink_flow_scan(&plink_flows, &pos, plink_flows.mask + 1,
			plink_flows_reset_match, &a);
}

/* Remove every flow and free the table; no reader may be left. */
void plink_flow_table_destroy(struct plink_flow_table *ft)
{
	u32 pos = 0;

	if (ft->fb && ft->rb && ft->fl && ft->rl)
		plink_flow_scan(ft, &pos, ft->mask + 1, plink_flow_match_all,
				NULL);
	/* The batches' callbacks use @ft. */
	rcu_barrier();
	kvfree(ft->fb);
	kvfree(ft->rb);
	kvfree(ft->fl);
	kvfree(ft->rl);
	ft->fb = NULL;
	ft->rb = NULL;
	ft->fl = NULL;
	ft->rl = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_table_destroy);

/*
 * What the GC removes: flows of a deleted service or of an endpoint that
 * no longer passes traffic, flows idle past their timeout, and (with a
 * reset) flows of a target deregistered longer than the delay, or of an
 * unhealthy target when the service says so.
 */
VISIBLE_IF_KUNIT bool plink_flow_gc_match(struct plink_flow *f, void *arg)
{
	const struct plink_service_cfg *cfg;
	struct plink_target *t = f->target;
	struct plink_service *svc = t->svc;
	unsigned long now = *(unsigned long *)arg;

	if (READ_ONCE(svc->dead) ||
	    READ_ONCE(f->ep->state) != PLINK_ENDPOINT_STATE_AVAILABLE)
		return true;
	cfg = rcu_dereference(svc->cfg);
	if (time_after32((u32)now, READ_ONCE(f->last) +
			 (u32)plink_flow_timeout(f, cfg)))
		return true;
	if ((READ_ONCE(t->removed) &&
	     time_after(now, READ_ONCE(t->removed_at) +
			cfg->dereg_delay * HZ)) ||
	    (cfg->reset_unhealthy &&
	     READ_ONCE(t->health) == PLINK_HEALTH_UNHEALTHY)) {
		f->reset = 1;
		return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_gc_match);

static void plink_gc(struct work_struct *work)
{
	u32 per_run = DIV_ROUND_UP(plink_flows.mask + 1, PLINK_GC_SWEEP);
	unsigned long now = jiffies;

	plink_flow_scan(&plink_flows, &plink_gc_pos, per_run,
			plink_flow_gc_match, &now);
	if (!READ_ONCE(plink_gc_stopped))
		queue_delayed_work(system_power_efficient_wq, &plink_gc_work,
				   PLINK_GC_INTERVAL);
}

int __init plink_flows_init(void)
{
	int err;

	plink_flow_cache = KMEM_CACHE(plink_flow, 0);
	if (!plink_flow_cache)
		return -ENOMEM;
	plink_flow_batches = mempool_create_kmalloc_pool(1, PAGE_SIZE);
	if (!plink_flow_batches) {
		err = -ENOMEM;
		goto err_cache;
	}
	err = plink_flow_table_init(&plink_flows, flow_buckets, max_flows);
	if (err)
		goto err_pool;
	INIT_DELAYED_WORK(&plink_gc_work, plink_gc);
	queue_delayed_work(system_power_efficient_wq, &plink_gc_work,
			   PLINK_GC_INTERVAL);
	return 0;

err_pool:
	mempool_destroy(plink_flow_batches);
err_cache:
	kmem_cache_destroy(plink_flow_cache);
	return err;
}

/* After every device is gone: the remaining flows only hold references. */
void plink_flows_exit(void)
{
	WRITE_ONCE(plink_gc_stopped, true);
	cancel_delayed_work_sync(&plink_gc_work);
	plink_flow_table_destroy(&plink_flows);
	/* Frees the flows queued (their objects' frees are queued next). */
	rcu_barrier();
	plink_flow_pcpu_free();
	mempool_destroy(plink_flow_batches);
	kmem_cache_destroy(plink_flow_cache);
}
