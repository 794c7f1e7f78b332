// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table: a fixed-size hash table with two indexes (forward, by the
 * consumer's tuple on its endpoint; reverse, by the provider's tuple on its
 * NLB device), singly linked RCU chains, and striped bucket locks.  Lookups
 * take no lock.  Flows are added here in softirq (GFP_ATOMIC, or GFP_NOWAIT
 * charged to the endpoint creator's memory cgroup), with their SNAT port;
 * they are removed only in process context (flow-gc.c), in batches freed
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
#include "ppv2.h"

static struct kmem_cache *plink_flow_cache;

#define PLINK_FLOW_LOCKS	1024

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

void plink_flow_to_addr(struct plink_addr *a, const union nf_inet_addr *in,
			u8 family)
{
	memset(a, 0, sizeof(*a));
	a->inet = *in;
	a->family = family;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_to_addr);

static void plink_flow_rkey(const struct plink_flow *f, struct plink_rkey *k)
{
	memset(k, 0, sizeof(*k));
	k->taddr = f->target->addr.inet;
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
 * cost of the whole key, which is sized for IPv6.  The endpoint device's
 * address and the protocol share the last word; the endpoint is not
 * hashed (the datapath looks the flow up before it knows it).
 */
u32 plink_flow_fhash(const struct plink_flow_table *ft,
		     const struct plink_fkey *k)
{
	unsigned long o = (unsigned long)k->dev;

	if (k->family == AF_INET)
		return hsiphash_4u32((__force u32)k->caddr.ip,
				     (__force u32)k->eaddr.ip,
				     (__force u32)k->cport << 16 |
				     (__force u32)k->eport,
				     (u32)o ^ (u32)(o >> 32) ^ k->proto,
				     &ft->key);
	return hsiphash(k, offsetof(struct plink_fkey, ep), &ft->key);
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

/* The flow's own fields first: the endpoint's are a cache line away. */
static bool plink_flow_fmatch(const struct plink_flow *f,
			      const struct plink_fkey *k)
{
	if (f->cport != k->cport || f->eport != k->eport ||
	    f->proto != k->proto || f->family != k->family ||
	    !nf_inet_addr_cmp(&f->caddr, &k->caddr))
		return false;
	if (k->ep)
		return f->ep == k->ep && f->eidx == k->eidx;
	return f->ep->dev == k->dev &&
	       nf_inet_addr_cmp(plink_flow_eaddr(f), &k->eaddr);
}

static bool plink_flow_rmatch(const struct plink_flow *f,
			      const struct plink_rkey *k)
{
	const struct plink_target *t = f->target;

	return f->nport == k->nport && f->tport == k->tport &&
	       f->proto == k->proto && f->family == k->family &&
	       t->svc->nlb == k->nlb &&
	       nf_inet_addr_cmp(&f->naddr, &k->naddr) &&
	       nf_inet_addr_cmp(&t->addr.inet, &k->taddr);
}

/*
 * Under RCU (softirq or rcu_read_lock()).  With @k->ep NULL, the first flow
 * of the tuple on any endpoint of @k->dev: there is one but for the flows a
 * deleted endpoint leaves to the GC, which the caller tells by their
 * endpoint's state (and then looks again with @k->ep set).
 */
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
	k.taddr = f->target->addr.inet;
	k.nlb = f->target->svc->nlb;
	k.tport = f->tport;
	k.proto = f->proto;
	k.family = f->family;
	for (i = 0; i < cfg->naddrs; i++) {
		const struct plink_addr *a = &cfg->addrs[(start + i) % cfg->naddrs];

		if (a->family != f->family)
			continue;
		k.naddr = a->inet;
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

static void plink_flow_counts(struct plink_flow *f, int delta)
{
	atomic_add(delta, &f->ep->cnt.nflows);
	atomic_add(delta, &f->target->cnt.nflows);
	atomic_add(delta, &f->target->svc->cnt.nflows);
}

/* A new flow's fields, from its forward key, target and target port. */
static void plink_flow_fill(struct plink_flow *f, const struct plink_fkey *k,
			    struct plink_target *t, __be16 tport)
{
	u32 now = (u32)jiffies;

	f->ep = (struct plink_endpoint *)k->ep;
	f->target = t;
	f->caddr = k->caddr;
	f->eidx = k->eidx;
	f->cport = k->cport;
	f->eport = k->eport;
	f->tport = tport;
	f->proto = k->proto;
	f->family = k->family;
	f->state = k->proto == IPPROTO_TCP ? PLINK_FLOW_STATE_SYN :
					     PLINK_FLOW_STATE_UDP;
	f->created = now;
	f->last = now;
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

	/*
	 * The table's limit, with no shared write for most flows: the count
	 * is per CPU, summed exactly only within a batch per CPU of @max.
	 */
	percpu_counter_add_batch(&ft->count, 1, PLINK_FLOW_COUNT_BATCH);
	if (__percpu_counter_compare(&ft->count, ft->max,
				     PLINK_FLOW_COUNT_BATCH) > 0) {
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
	plink_flow_fill(f, k, t, tport);
	f->lgen = cfg->lgen;
	if (k->proto == IPPROTO_TCP &&
	    cfg->proxy_protocol == PLINK_PROXY_PROTOCOL_V2)
		f->pp_len = plink_ppv2_len(k->family, ep->id, ep->owner_uid);

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
	percpu_counter_add_batch(&ft->count, -1, PLINK_FLOW_COUNT_BATCH);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_add);

/* Free unlinked @f, after a grace period; it drops its references. */
void plink_flow_free(struct plink_flow_table *ft, struct plink_flow *f)
{
	plink_flow_counts(f, -1);
	atomic_dec(&f->ep->owner->nflows);
	plink_endpoint_put(f->ep);
	plink_target_put(f->target);
	kmem_cache_free(plink_flow_cache, f);
	percpu_counter_add_batch(&ft->count, -1, PLINK_FLOW_COUNT_BATCH);
}

/* Unlink @f from the reverse index; its forward bucket lock is held. */
void plink_flow_unlink_rev(struct plink_flow_table *ft, struct plink_flow *f)
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
	if (!ft->fb || !ft->rb || !ft->fl || !ft->rl ||
	    percpu_counter_init(&ft->count, 0, GFP_KERNEL)) {
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
	get_random_bytes(&ft->key, sizeof(ft->key));
	ft->rseed = get_random_u32();
	ft->port_min = PLINK_SNAT_PORT_MIN;
	ft->port_max = PLINK_SNAT_PORT_MAX;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_table_init);

/* The flows' slab cache. */
int __init plink_flow_cache_init(void)
{
	plink_flow_cache = KMEM_CACHE(plink_flow, 0);
	return plink_flow_cache ? 0 : -ENOMEM;
}

/* After the last flow is freed (rcu_barrier()). */
void plink_flow_cache_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct plink_flow_pcpu *pc = per_cpu_ptr(&plink_flow_pcpu, cpu);

		kmem_cache_free_bulk(plink_flow_cache, pc->n, pc->flows);
		pc->n = 0;
	}
	kmem_cache_destroy(plink_flow_cache);
}
