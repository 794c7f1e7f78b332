// SPDX-License-Identifier: GPL-2.0
/*
 * plink's in-kernel micro-benchmarks, run at load time (insmod
 * plink_bench.ko mode=micro|balance rounds=N); the results are kernel log
 * lines "plink_bench: R CASE VARIANT ROUND VALUE" (one measurement) and
 * "plink_bench: V KEY VALUE" (one figure); rmmod it afterwards.  Built with plink's own
 * kmod/maglev.c, kmod/flow.c and kmod/flow-gc.c.  Under QEMU -icount shift=0 a guest
 * nanosecond is one instruction, so the times are instruction counts.
 *
 * micro: per operation, interleaved with a jhash of the IPv4 5-tuple:
 *   select   keyed hash of the flow key, Maglev table lookup (datapath's
 *            plink_flow_open())
 *   hit      keyed hash and plink_flow_lookup_fwd() of an existing flow
 *   missins  hash, lookup miss, select, plink_flow_add(), into an empty
 *            table (new slab pages, which init_on_alloc clears) and in a
 *            steady state (half the flows replaced, memory reused)
 *   maglev   plink_maglev_perm() of 1000 targets and plink_maglev_build()
 *            at M = 65537 (the whole rebuild, one operation)
 * balance: 100 targets of weight 1 at the default M: slot and flow shares
 *   (max/mean), and the share of flows whose target changes when one is
 *   removed.
 */
#define pr_fmt(fmt) "plink_bench: " fmt

#include <linux/jhash.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "kmod/flow.h"
#include "kmod/maglev.h"

static char *mode = "micro";
module_param(mode, charp, 0444);
static unsigned int rounds = 7;
module_param(rounds, uint, 0444);
static unsigned int nkeys = 8192;
module_param(nkeys, uint, 0444);

/*
 * The object puts flow.c and flow-gc.c call: the fixtures hold the last
 * refs.  The flow table's callbacks are NULL (plink_flows_init()).
 */
void plink_endpoint_put(struct plink_endpoint *ep)
{
	WARN_ON(refcount_dec_and_test(&ep->ref));
}

void plink_target_put(struct plink_target *t)
{
	WARN_ON(refcount_dec_and_test(&t->ref));
}

/*
 * quota.c and parse.c: the owner's flow charge (uid 0's: no limit, but
 * the same atomic) and the endpoint's share, as plink_flow_add() calls them.
 */
bool plink_owner_flow_charge(struct plink_owner *o)
{
	return atomic_inc_return(&o->nflows) > 0;
}

u32 plink_endpoint_max_flows(const struct plink_service_cfg *cfg)
{
	return cfg->endpoint_max_flows ?: max(cfg->max_flows / 4, 1U);
}

struct tuple4 {
	__be32 saddr, daddr;
	__be16 sport, dport;
	u8 proto, pad[3];
};

static struct {
	struct plink_service svc;
	struct plink_service_cfg cfg;
	struct plink_endpoint ep;
	struct plink_owner owner;
	struct plink_dev nlb;
	struct plink_target t[100];
	struct plink_target *tp[100];
	u16 *table;
	u32 m;
	struct plink_fkey *keys;
	struct tuple4 *tuples;
} *fx;

static volatile unsigned long sink;
static u32 jseed;

static void fx_keys(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct plink_fkey *k = &fx->keys[i];
		struct tuple4 *t = &fx->tuples[i];

		memset(k, 0, sizeof(*k));
		k->caddr.ip = htonl(0xac100000 + 1 + i / 50000);
		k->eaddr.ip = htonl(0x0a000064);
		k->ep = &fx->ep;
		k->cport = htons(1024 + i % 50000);
		k->eport = htons(80);
		k->proto = IPPROTO_TCP;
		k->family = AF_INET;
		t->saddr = k->caddr.ip;
		t->daddr = k->eaddr.ip;
		t->sport = k->cport;
		t->dport = k->eport;
		t->proto = k->proto;
	}
}

/* The table of @n targets (each weight 1) at size @m, ids as lb.c's. */
struct target_id {
	struct in6_addr addr;
	__be16 port;
	u8 family;
	u8 pad;
};

static siphash_key_t mkey;

/*
 * Build @table: targets [0, @n), @skip (if any) at weight 0, from the
 * previous table @old (same targets' indexes) as lb.c rebuilds, or anew.
 */
static void build(u16 *table, u32 m, unsigned int n, int skip, const u16 *old)
{
	struct plink_maglev_prev prev = { .table = old, .n = n };
	struct plink_maglev_backend *b;
	unsigned int i;
	u16 *map;

	b = kvcalloc(n, sizeof(*b), GFP_KERNEL);
	map = kvcalloc(n, sizeof(*map), GFP_KERNEL);
	if (!b || !map)
		goto out;
	for (i = 0; i < n; i++) {
		struct target_id id = { .family = AF_INET };

		id.addr.s6_addr32[0] = htonl(0x0a000100 + i + 1);
		plink_maglev_perm(&mkey, &id, sizeof(id), m, &b[i].offset,
				  &b[i].skip);
		b[i].weight = (int)i == skip ? 0 : 1;
		map[i] = i;
	}
	prev.map = map;
	plink_maglev_build(table, m, b, n, old ? &prev : NULL);
out:
	kvfree(b);
	kvfree(map);
}

static u64 t_jhash(unsigned int n)
{
	unsigned long s = 0;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++)
		s += jhash2((const u32 *)&fx->tuples[i], 4, jseed);
	t0 = ktime_get_ns() - t0;
	sink = s;
	return t0;
}

static u64 t_select(unsigned int n)
{
	unsigned long s = 0;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		u32 h = plink_flow_fhash(&plink_flows, &fx->keys[i]);

		s += (unsigned long)fx->tp[fx->table[h % fx->m]];
	}
	t0 = ktime_get_ns() - t0;
	sink = s;
	return t0;
}

static u64 t_hit(unsigned int n)
{
	unsigned long s = 0;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++) {
		const struct plink_fkey *k = &fx->keys[i];
		u32 h = plink_flow_fhash(&plink_flows, k);

		s += (unsigned long)plink_flow_lookup_fwd(&plink_flows, k, h);
	}
	t0 = ktime_get_ns() - t0;
	sink = s;
	return t0;
}

/*
 * Insert flows for keys [0, n) (every @step-th from @first); returns the
 * time, or 0 on a failure.
 */
static u64 t_missins(unsigned int n, unsigned int first, unsigned int step)
{
	unsigned int i, bad = 0;
	u64 t0 = ktime_get_ns();

	for (i = first; i < n; i += step) {
		const struct plink_fkey *k = &fx->keys[i];
		u32 h = plink_flow_fhash(&plink_flows, k);
		struct plink_target *t;
		struct plink_flow *f;

		if (plink_flow_lookup_fwd(&plink_flows, k, h))
			continue;
		t = fx->tp[fx->table[h % fx->m]];
		if (!refcount_inc_not_zero(&t->ref))
			continue;
		if (plink_flow_add(&plink_flows, k, h, t, htons(8080),
				   &fx->cfg, &f) != PLINK_FLOW_OK) {
			plink_target_put(t);
			bad++;
		}
	}
	t0 = ktime_get_ns() - t0;
	if (bad)
		pr_info("missins: %u inserts failed\n", bad);
	return bad ? 0 : t0;
}

static bool match_all(struct plink_flow *f, void *arg)
{
	return true;
}

/* fx_keys(): an odd key index has an odd client port. */
static bool match_odd(struct plink_flow *f, void *arg)
{
	return ntohs(f->cport) & 1;
}

static void flush(plink_flow_match_t match)
{
	u32 pos = 0;

	plink_flow_scan(&plink_flows, &pos, plink_flows.mask + 1, match, NULL);
	rcu_barrier();
}

/* One measurement with interrupts off: a guest ns is an instruction. */
#define MEASURE(var, call) do {				\
		unsigned long __fl;			\
		rcu_read_lock();			\
		local_bh_disable();			\
		local_irq_save(__fl);			\
		var = (call);				\
		local_irq_restore(__fl);		\
		local_bh_enable();			\
		rcu_read_unlock();			\
	} while (0)

static void report(const char *c, const char *v, unsigned int r, u64 ns,
		   unsigned int n)
{
	/* Per operation, in hundredths of a guest ns (an instruction). */
	pr_info("R %s %s %u %llu.%02llu\n", c, v, r, div_u64(ns, n),
		div_u64(ns * 100, n) % 100);
}

static int fixture(unsigned int ntargets, u32 m)
{
	unsigned int i;

	fx = kvzalloc(sizeof(*fx), GFP_KERNEL);
	if (!fx)
		return -ENOMEM;
	fx->keys = kvcalloc(max(nkeys, 100000U), sizeof(*fx->keys), GFP_KERNEL);
	fx->tuples = kvcalloc(max(nkeys, 100000U), sizeof(*fx->tuples),
			      GFP_KERNEL);
	fx->table = kvcalloc(PLINK_MAGLEV_MAX_SIZE, sizeof(u16), GFP_KERNEL);
	if (!fx->keys || !fx->tuples || !fx->table)
		return -ENOMEM;
	get_random_bytes(&mkey, sizeof(mkey));
	get_random_bytes(&jseed, sizeof(jseed));

	fx->cfg.timeout_tcp = PLINK_TIMEOUT_TCP_DEFAULT;
	fx->cfg.timeout_udp = PLINK_TIMEOUT_UDP_DEFAULT;
	fx->cfg.dereg_delay = PLINK_DEREG_DELAY_DEFAULT;
	fx->cfg.maglev_size = PLINK_MAGLEV_DEFAULT_SIZE;
	fx->cfg.naddrs = 1;
	fx->cfg.addrs[0].family = AF_INET;
	fx->cfg.addrs[0].ip = htonl(0x0a0000c8);
	fx->cfg.max_flows = PLINK_MAX_FLOWS_LIMIT;
	/* One endpoint holds every flow of the benchmark. */
	fx->cfg.endpoint_max_flows = PLINK_MAX_FLOWS_LIMIT;
	refcount_set(&fx->svc.ref, 1);
	fx->svc.nlb = &fx->nlb;
	RCU_INIT_POINTER(fx->svc.cfg, &fx->cfg);
	refcount_set(&fx->ep.ref, 1);
	fx->ep.owner = &fx->owner;
	fx->ep.state = PLINK_ENDPOINT_STATE_AVAILABLE;
	for (i = 0; i < ARRAY_SIZE(fx->t); i++) {
		struct plink_target *t = &fx->t[i];

		refcount_set(&t->ref, 1);
		t->svc = &fx->svc;
		t->addr.family = AF_INET;
		t->addr.ip = htonl(0x0a000100 + i + 1);
		t->weight = 1;
		fx->tp[i] = t;
	}
	fx->m = m;
	build(fx->table, m, ntargets, -1, NULL);
	return 0;
}

static void fixture_free(void)
{
	if (!fx)
		return;
	kvfree(fx->keys);
	kvfree(fx->tuples);
	kvfree(fx->table);
	kvfree(fx);
	fx = NULL;
}

static void micro(void)
{
	unsigned int r, n = nkeys;
	u64 a, b;

	fx_keys(n);
	for (r = 0; r < rounds; r++) {
		MEASURE(a, t_jhash(n));
		MEASURE(b, t_select(n));
		report("select", "base", r, a, n);
		report("select", "plink", r, b, n);

		/* Into an empty table: every flow on new slab memory. */
		MEASURE(a, t_jhash(n));
		MEASURE(b, t_missins(n, 0, 1));
		report("missins", "base", r, a, n);
		report("missins", "plink", r, b, n);

		/* The table now holds the n flows. */
		MEASURE(a, t_jhash(n));
		MEASURE(b, t_hit(n));
		report("hit", "base", r, a, n);
		report("hit", "plink", r, b, n);

		/*
		 * Steady state: half the flows end and as many new ones come,
		 * in the memory the old ones left (as the GC frees them).
		 */
		flush(match_odd);
		MEASURE(a, t_jhash(n / 2));
		MEASURE(b, t_missins(n, 1, 2));
		report("missins_steady", "base", r, a, n / 2);
		report("missins_steady", "plink", r, b, n / 2);
		flush(match_all);
	}
	/* The whole rebuild of 1000 targets at M = 65537. */
	for (r = 0; r < rounds; r++) {
		unsigned long fl;
		u64 t0;

		local_irq_save(fl);
		t0 = ktime_get_ns();
		build(fx->table, PLINK_MAGLEV_MAX_SIZE, 1000, -1, NULL);
		t0 = ktime_get_ns() - t0;
		local_irq_restore(fl);
		report("maglev", "plink", r, t0, 1);
	}
}

/* Shares of @ntargets targets over the table and over @n flows. */
static void balance(const char *sfx)
{
	unsigned int n = 100000, nt = 100, i, *cnt;
	unsigned int moved = 0, moved_other = 0, removed = 37, on_removed = 0;
	u16 *old;
	u32 m = fx->m, maxc, *tg;

	cnt = kcalloc(nt, sizeof(*cnt), GFP_KERNEL);
	old = kvcalloc(m, sizeof(u16), GFP_KERNEL);
	tg = kvcalloc(n, sizeof(u32), GFP_KERNEL);
	if (!cnt || !old || !tg)
		goto out;
	fx_keys(n);
	for (i = 0; i < m; i++)
		cnt[fx->table[i]]++;
	for (i = 0, maxc = 0; i < nt; i++)
		maxc = max(maxc, cnt[i]);
	/* max/mean, in thousandths */
	pr_info("V slots_max_mean%s %u\n", sfx, (u32)div_u64((u64)maxc * nt * 1000, m));

	memset(cnt, 0, nt * sizeof(*cnt));
	for (i = 0; i < n; i++) {
		u32 h = plink_flow_fhash(&plink_flows, &fx->keys[i]);

		tg[i] = fx->table[h % m];
		cnt[tg[i]]++;
	}
	for (i = 0, maxc = 0; i < nt; i++)
		maxc = max(maxc, cnt[i]);
	pr_info("V flows_max_mean%s %u\n", sfx, (u32)div_u64((u64)maxc * nt * 1000, n));

	memcpy(old, fx->table, m * sizeof(u16));
	build(fx->table, m, nt, removed, old);
	for (i = 0; i < n; i++) {
		u32 h = plink_flow_fhash(&plink_flows, &fx->keys[i]);
		u32 t = fx->table[h % m];

		if (tg[i] == removed)
			on_removed++;
		if (t != tg[i]) {
			moved++;
			if (tg[i] != removed)
				moved_other++;
		}
	}
	/* in millionths */
	pr_info("V newflow_moved_ppm%s %u\n", sfx, (u32)div_u64((u64)moved * 1000000, n));
	pr_info("V newflow_moved_other_ppm%s %u\n", sfx,
		(u32)div_u64((u64)moved_other * 1000000, n));
	pr_info("V removed_share_ppm%s %u\n", sfx,
		(u32)div_u64((u64)on_removed * 1000000, n));
	pr_info("V maglev_m%s %u\n", sfx, m);
out:
	kfree(cnt);
	kvfree(old);
	kvfree(tg);
}

static int __init plink_bench_init(void)
{
	int err;

	err = plink_flows_init(NULL, NULL, NULL);
	if (err)
		return err;
	err = fixture(10, PLINK_MAGLEV_DEFAULT_SIZE);
	if (err)
		goto out;
	if (!strcmp(mode, "balance")) {
		build(fx->table, fx->m, 100, -1, NULL);
		balance("");
		/* The largest table, for the record. */
		fx->m = PLINK_MAGLEV_MAX_SIZE;
		build(fx->table, fx->m, 100, -1, NULL);
		balance("_65537");
	} else {
		micro();
	}
	pr_info("done\n");
out:
	fixture_free();
	plink_flows_exit();
	/*
	 * Stays loaded, doing nothing, until rmmod: a failed init would make
	 * busybox's insmod retry with init_module() and run it all twice.
	 */
	return err;
}
module_init(plink_bench_init);

static void __exit plink_bench_exit(void)
{
}
module_exit(plink_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("plink micro-benchmarks");
