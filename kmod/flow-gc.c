// SPDX-License-Identifier: GPL-2.0
/*
 * A flow's life after flow.c added it: its TCP state and sequence tracking
 * (fed by the datapath), its idle timeouts, and its removal, only in
 * process context: the GC work sweeping the table, resets and flushes, the
 * table's teardown.  Removed flows are unlinked under their bucket locks
 * and freed in batches after a grace period.  A flow removed with its
 * reset bit set is ended on both sides by the table's reset callback,
 * which the datapath passes to plink_flows_init(), and a TCP flow that
 * expires unanswered is told to the health checks by its expired
 * callback; this file calls nothing above the flow table.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/mempool.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "flow.h"

/* Batches of freed flows: one in reserve, so that freeing never fails. */
static mempool_t *plink_flow_batches;

struct plink_flow_table plink_flows;

static unsigned int flow_buckets = 65536;
module_param(flow_buckets, uint, 0444);
MODULE_PARM_DESC(flow_buckets, "Flow table buckets (a power of two; default 65536)");

static unsigned int max_flows = 262144;
module_param(max_flows, uint, 0444);
MODULE_PARM_DESC(max_flows, "Most flows in the whole table (default 262144)");

#define PLINK_GC_INTERVAL	(HZ / 10)
#define PLINK_GC_SWEEP		40	/* GC runs per sweep of the table */

static struct delayed_work plink_gc_work;
static u32 plink_gc_pos;
static bool plink_gc_stopped;

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

/* Remove the flows @match picks from bucket @b; returns how many. */
static unsigned int plink_flow_scan_bucket(struct plink_flow_table *ft, u32 b,
					   plink_flow_match_t match, void *arg,
					   struct plink_flow_batch **batch)
{
	spinlock_t *lock = &ft->fl[b & ft->lmask];	/* forward */
	struct plink_flow *gone[16];
	unsigned int removed = 0, n, i;
	struct plink_flow __rcu **pp;
	struct plink_flow *f;

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
			if (gone[i]->reset && ft->reset)
				ft->reset(gone[i]);
		}
		local_bh_enable();
		rcu_read_unlock();
		for (i = 0; i < n; i++)
			plink_flow_release(ft, batch, gone[i]);
		removed += n;
	} while (n == ARRAY_SIZE(gone));
	return removed;
}

/*
 * Remove the flows @match picks from @nbuckets buckets starting at *@pos
 * (which moves on, and wraps to 0 at the end); process context.  Returns
 * how many were removed.  An empty bucket is passed without its lock: a
 * flow added to it a moment later would be missed with the lock too.
 */
unsigned int plink_flow_scan(struct plink_flow_table *ft, u32 *pos,
			     u32 nbuckets, plink_flow_match_t match, void *arg)
{
	struct plink_flow_batch *batch = NULL;
	unsigned int removed = 0;
	u32 b = *pos;

	might_sleep();
	for (; nbuckets && b <= ft->mask; nbuckets--, b++) {
		if (rcu_access_pointer(ft->fb[b]))
			removed += plink_flow_scan_bucket(ft, b, match, arg,
							  &batch);
		cond_resched();
	}
	*pos = b > ft->mask ? 0 : b;
	plink_flow_batch_flush(&batch);
	return removed;
}
EXPORT_SYMBOL_IF_KUNIT(plink_flow_scan);

static bool plink_flow_match_all(struct plink_flow *f, void *arg)
{
	return true;
}

struct plink_flows_reset_arg {
	const struct plink_endpoint *ep;
	const struct plink_service *svc;
	const struct plink_dev *nlb;
	plink_flow_test_t revoked;
	const void *rarg;
};

static bool plink_flows_reset_match(struct plink_flow *f, void *arg)
{
	const struct plink_flows_reset_arg *a = arg;
	const struct plink_service *svc = f->target->svc;

	if ((a->ep && f->ep == a->ep &&
	     (!a->revoked || a->revoked(f, a->rarg))) ||
	    (a->svc && svc == a->svc) || (a->nlb && svc->nlb == a->nlb)) {
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
 * whole table, under plink_cfg_lock.  Returns how many were removed.
 */
unsigned int plink_flows_reset(const struct plink_endpoint *ep,
			       const struct plink_service *svc,
			       const struct plink_dev *nlb)
{
	struct plink_flows_reset_arg a = { .ep = ep, .svc = svc, .nlb = nlb };
	u32 pos = 0;

	lockdep_assert_held(&plink_cfg_lock);
	return plink_flow_scan(&plink_flows, &pos, plink_flows.mask + 1,
			       plink_flows_reset_match, &a);
}

/*
 * Remove and reset the flows of endpoint @ep that @revoked (called with
 * @arg, in softirq context under a bucket lock) says are no longer
 * allowed, as plink_flows_reset() does; returns how many.
 */
unsigned int plink_flows_revoke(const struct plink_endpoint *ep,
				plink_flow_test_t revoked, const void *arg)
{
	struct plink_flows_reset_arg a = {
		.ep = ep, .revoked = revoked, .rarg = arg,
	};
	u32 pos = 0;

	lockdep_assert_held(&plink_cfg_lock);
	return plink_flow_scan(&plink_flows, &pos, plink_flows.mask + 1,
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
	percpu_counter_destroy(&ft->count);
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
			 (u32)plink_flow_timeout(f, cfg))) {
		/* Passive health: the target never answered the SYN. */
		if (f->proto == IPPROTO_TCP &&
		    READ_ONCE(f->state) == PLINK_FLOW_STATE_SYN &&
		    plink_flows.expired)
			plink_flows.expired(f);
		return true;
	}
	if ((READ_ONCE(t->removed) &&
	     time_after(now, READ_ONCE(t->removed_at) +
			cfg->dereg_delay * HZ)) ||
	    (cfg->reset_unhealthy &&
	     READ_ONCE(t->health) == PLINK_HEALTH_UNHEALTHY)) {
		f->reset = 1;
		return true;
	}
	/*
	 * A PROXY header the target has not acknowledged on a connection
	 * quiet for a second: no packet of either side will have it sent
	 * again (a server that waits for it, a client that waits for the
	 * server's first word).
	 */
	if (f->pp_len && READ_ONCE(f->pp_state) == PLINK_PPV2_SENT &&
	    time_after32((u32)now, READ_ONCE(f->last) + HZ) &&
	    plink_flows.ppv2_resend)
		plink_flows.ppv2_resend(f);
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

/*
 * The global table, and its GC; @reset ends a flow removed with its reset
 * bit set (the datapath's plink_flow_reset(); NULL: none is sent),
 * @expired and @ppv2_resend are struct plink_flow_table's.
 */
int __init plink_flows_init(plink_flow_reset_t reset, plink_flow_reset_t expired,
			    plink_flow_reset_t ppv2_resend)
{
	int err;

	err = plink_flow_cache_init();
	if (err)
		return err;
	plink_flow_batches = mempool_create_kmalloc_pool(1, PAGE_SIZE);
	if (!plink_flow_batches) {
		err = -ENOMEM;
		goto err_cache;
	}
	err = plink_flow_table_init(&plink_flows, flow_buckets, max_flows);
	if (err)
		goto err_pool;
	plink_flows.reset = reset;
	plink_flows.expired = expired;
	plink_flows.ppv2_resend = ppv2_resend;
	INIT_DELAYED_WORK(&plink_gc_work, plink_gc);
	queue_delayed_work(system_power_efficient_wq, &plink_gc_work,
			   PLINK_GC_INTERVAL);
	return 0;

err_pool:
	mempool_destroy(plink_flow_batches);
err_cache:
	plink_flow_cache_exit();
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
	mempool_destroy(plink_flow_batches);
	plink_flow_cache_exit();
}
