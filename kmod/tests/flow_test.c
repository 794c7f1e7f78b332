// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the flow table: insertion and lookup both ways, races on
 * one key, the table's and a service's limits, SNAT port allocation and
 * exhaustion, TCP states and the GC's expiry rules.
 */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/tcp.h>

#include "../flow.h"

/* A service with one NLB address and one target, and an endpoint. */
struct plink_flow_fixture {
	struct plink_flow_table ft;
	struct plink_service svc;
	struct plink_service_cfg cfg;
	struct plink_target t;
	struct plink_endpoint ep;
	struct plink_owner owner;
	struct plink_dev nlb;
	struct plink_dev epdev;
};

static int plink_flow_test_init(struct kunit *test)
{
	struct plink_flow_fixture *fx;

	fx = kunit_kzalloc(test, sizeof(*fx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fx);
	KUNIT_ASSERT_EQ(test, plink_flow_table_init(&fx->ft, 64, 1000), 0);

	plink_service_cfg_init(&fx->cfg);
	fx->cfg.naddrs = 1;
	fx->cfg.addrs[0].family = AF_INET;
	fx->cfg.addrs[0].ip = htonl(0x0a0000c8);	/* 10.0.0.200 */
	refcount_set(&fx->svc.ref, 1);
	fx->svc.nlb = &fx->nlb;
	RCU_INIT_POINTER(fx->svc.cfg, &fx->cfg);
	KUNIT_ASSERT_EQ(test, plink_counted_init(&fx->svc.cnt), 0);

	refcount_set(&fx->t.ref, 1);
	fx->t.svc = &fx->svc;
	fx->t.addr.family = AF_INET;
	fx->t.addr.ip = htonl(0x0a000001);		/* 10.0.0.1 */
	fx->t.weight = 1;
	KUNIT_ASSERT_EQ(test, plink_counted_init(&fx->t.cnt), 0);

	/* A tenant's endpoint, with room for every flow of the tests. */
	fx->owner.uid = 1000;
	fx->owner.own[PLINK_QUOTA_FLOWS] = true;
	fx->owner.limit[PLINK_QUOTA_FLOWS] = PLINK_LIMIT_NONE;
	refcount_set(&fx->owner.ref, 1);
	fx->cfg.endpoint_max_flows = PLINK_MAX_FLOWS_LIMIT;
	refcount_set(&fx->ep.ref, 1);
	fx->ep.owner = &fx->owner;
	fx->ep.state = PLINK_ENDPOINT_STATE_AVAILABLE;
	fx->ep.dev = &fx->epdev;
	fx->ep.naddrs = 1;
	fx->ep.addrs[0].family = AF_INET;
	fx->ep.addrs[0].ip = htonl(0x0a000064);	/* 10.0.0.100 */
	KUNIT_ASSERT_EQ(test, plink_counted_init(&fx->ep.cnt), 0);
	test->priv = fx;
	return 0;
}

static bool plink_flow_test_all(struct plink_flow *f, void *arg)
{
	return true;
}

static void plink_flow_test_exit(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	u32 pos = 0;

	/* Every flow removed and freed, the table still there to count. */
	plink_flow_scan(&fx->ft, &pos, fx->ft.mask + 1, plink_flow_test_all,
			NULL);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&fx->ft.count), 0);
	plink_flow_table_destroy(&fx->ft);
	/* Every flow gave its references back. */
	KUNIT_EXPECT_EQ(test, refcount_read(&fx->ep.ref), 1);
	KUNIT_EXPECT_EQ(test, refcount_read(&fx->t.ref), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->svc.cnt.nflows), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->owner.nflows), 0);
	plink_counted_free(&fx->ep.cnt);
	plink_counted_free(&fx->t.cnt);
	plink_counted_free(&fx->svc.cnt);
}

static void plink_flow_test_key(struct plink_flow_fixture *fx,
				struct plink_fkey *k, u16 cport)
{
	memset(k, 0, sizeof(*k));
	k->caddr.ip = htonl(0x0a000005);		/* 10.0.0.5 */
	k->eaddr.ip = htonl(0x0a000064);		/* 10.0.0.100 */
	k->ep = &fx->ep;
	k->dev = &fx->epdev;
	k->cport = htons(cport);
	k->eport = htons(80);
	k->proto = IPPROTO_TCP;
	k->family = AF_INET;
}

/* Add a flow as the datapath does: a target reference passes to it. */
static enum plink_flow_err plink_flow_test_add(struct plink_flow_fixture *fx,
					       u16 cport,
					       struct plink_flow **fp)
{
	enum plink_flow_err err;
	struct plink_fkey k;

	plink_flow_test_key(fx, &k, cport);
	refcount_inc(&fx->t.ref);
	/* The datapath's context: BH disabled (the locks are BH locks). */
	local_bh_disable();
	rcu_read_lock();
	err = plink_flow_add(&fx->ft, &k, plink_flow_fhash(&fx->ft, &k),
			     &fx->t, htons(8080), &fx->cfg, fp);
	rcu_read_unlock();
	local_bh_enable();
	if (err != PLINK_FLOW_OK)
		refcount_dec(&fx->t.ref);
	return err;
}

static void plink_flow_test_rkey(struct plink_flow_fixture *fx,
				 const struct plink_flow *f,
				 struct plink_rkey *k)
{
	memset(k, 0, sizeof(*k));
	k->taddr.ip = fx->t.addr.ip;
	k->naddr = f->naddr;
	k->nlb = &fx->nlb;
	k->tport = htons(8080);
	k->nport = f->nport;
	k->proto = IPPROTO_TCP;
	k->family = AF_INET;
}

static void plink_test_flow_lookup(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	struct plink_flow *f, *g = NULL;
	struct plink_fkey k;
	struct plink_rkey r;
	u32 hash;

	KUNIT_ASSERT_EQ(test, plink_flow_test_add(fx, 40000, &f), PLINK_FLOW_OK);
	KUNIT_EXPECT_EQ(test, ntohl(f->naddr.ip), 0x0a0000c8U);
	KUNIT_EXPECT_GE(test, ntohs(f->nport), PLINK_SNAT_PORT_MIN);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_SYN);
	KUNIT_EXPECT_EQ(test, refcount_read(&fx->ep.ref), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->t.cnt.nflows), 1);

	plink_flow_test_key(fx, &k, 40000);
	plink_flow_test_rkey(fx, f, &r);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, plink_flow_lookup_fwd(&fx->ft, &k,
							plink_flow_fhash(&fx->ft, &k)),
			    f);
	KUNIT_EXPECT_PTR_EQ(test, plink_flow_lookup_rev(&fx->ft, &r), f);
	/* The same bytes as an IPv6 key (a00:5:: -> a00:64::): no match. */
	hash = plink_flow_fhash(&fx->ft, &k);
	k.family = AF_INET6;
	KUNIT_EXPECT_NULL(test, plink_flow_lookup_fwd(&fx->ft, &k, hash));
	k.family = AF_INET;
	/* Another client port, another NLB device: misses. */
	k.cport = htons(40001);
	KUNIT_EXPECT_NULL(test, plink_flow_lookup_fwd(&fx->ft, &k,
						      plink_flow_fhash(&fx->ft, &k)));
	r.nlb = NULL;
	KUNIT_EXPECT_NULL(test, plink_flow_lookup_rev(&fx->ft, &r));
	rcu_read_unlock();

	/* A second CPU adding the same key gets the first flow. */
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 40000, &g),
			PLINK_FLOW_EXISTS);
	KUNIT_EXPECT_PTR_EQ(test, g, f);
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&fx->ft.count), 1);
}

static void plink_test_flow_limits(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	struct plink_flow *f;
	u16 p;

	fx->cfg.max_flows = 3;
	for (p = 1; p <= 3; p++)
		KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, p, &f),
				PLINK_FLOW_OK);
	/* The service is full: refused, and nothing is evicted. */
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 4, &f),
			PLINK_FLOW_TABLE_FULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->svc.cnt.nflows), 3);

	fx->cfg.max_flows = 100;
	fx->ft.max = 4;
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 4, &f), PLINK_FLOW_OK);
	/* The table is full. */
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 5, &f),
			PLINK_FLOW_TABLE_FULL);
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&fx->ft.count), 4);
	KUNIT_EXPECT_EQ(test, refcount_read(&fx->ep.ref), 5);
}

/* An endpoint's share of its service, its owner's of the table. */
static void plink_test_flow_quota(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	struct plink_flow *f;
	u16 p;

	fx->cfg.max_flows = 8;
	fx->cfg.endpoint_max_flows = 0;		/* a quarter: 2 */
	for (p = 1; p <= 2; p++)
		KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, p, &f),
				PLINK_FLOW_OK);
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 3, &f), PLINK_FLOW_QUOTA);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->ep.cnt.nflows), 2);
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&fx->ft.count), 2);

	fx->cfg.endpoint_max_flows = 100;
	fx->owner.limit[PLINK_QUOTA_FLOWS] = 3;
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 3, &f), PLINK_FLOW_OK);
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 4, &f), PLINK_FLOW_QUOTA);
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->owner.nflows), 3);
	/* A refused flow is charged nowhere. */
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&fx->ft.count), 3);
	KUNIT_EXPECT_EQ(test, refcount_read(&fx->ep.ref), 4);

	/* Without an own limit, uid 1000 gets a quarter of the module's table. */
	fx->owner.own[PLINK_QUOTA_FLOWS] = false;
	KUNIT_EXPECT_EQ(test, plink_owner_limit(&fx->owner, PLINK_QUOTA_FLOWS),
			plink_quota_share(plink_flows_max()));
}

static bool plink_flow_test_match_one(struct plink_flow *f, void *arg)
{
	return f == arg;
}

static void plink_test_flow_snat(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	struct plink_flow *f[4], *g;
	unsigned long used = 0;
	__be16 freed;
	u32 pos = 0;
	u16 p;

	fx->ft.port_min = 2000;
	fx->ft.port_max = 2003;
	for (p = 0; p < 4; p++) {
		KUNIT_ASSERT_EQ(test, plink_flow_test_add(fx, 100 + p, &f[p]),
				PLINK_FLOW_OK);
		KUNIT_EXPECT_FALSE(test, test_and_set_bit(ntohs(f[p]->nport) - 2000,
							  &used));
	}
	/* Four ports, four flows: the fifth finds none. */
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 104, &g),
			PLINK_FLOW_NO_PORT);
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&fx->ft.count), 4);

	/* A port is reused once its flow is gone. */
	freed = f[2]->nport;
	KUNIT_EXPECT_EQ(test, plink_flow_scan(&fx->ft, &pos, fx->ft.mask + 1,
					      plink_flow_test_match_one, f[2]),
			1);
	KUNIT_ASSERT_EQ(test, plink_flow_test_add(fx, 104, &g), PLINK_FLOW_OK);
	KUNIT_EXPECT_EQ(test, ntohs(g->nport), ntohs(freed));

	/* A second NLB address doubles the ports. */
	fx->cfg.naddrs = 2;
	fx->cfg.addrs[1].family = AF_INET;
	fx->cfg.addrs[1].ip = htonl(0x0a0000c9);
	for (p = 0; p < 4; p++)
		KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 200 + p, &g),
				PLINK_FLOW_OK);
	KUNIT_EXPECT_EQ(test, plink_flow_test_add(fx, 204, &g),
			PLINK_FLOW_NO_PORT);
}

static void plink_test_flow_tcp_states(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	struct plink_flow *f;

	KUNIT_ASSERT_EQ(test, plink_flow_test_add(fx, 1, &f), PLINK_FLOW_OK);
	KUNIT_EXPECT_EQ(test, plink_flow_timeout(f, &fx->cfg),
			(unsigned long)PLINK_TIMEOUT_SYN);
	plink_flow_tcp_update(f, false, TCPHDR_SYN | TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, plink_flow_timeout(f, &fx->cfg),
			(unsigned long)fx->cfg.timeout_tcp * HZ);
	plink_flow_tcp_update(f, true, TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_ESTABLISHED);
	plink_flow_tcp_update(f, true, TCPHDR_FIN | TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_FIN);
	KUNIT_EXPECT_EQ(test, plink_flow_timeout(f, &fx->cfg),
			(unsigned long)PLINK_TIMEOUT_FIN);
	plink_flow_tcp_update(f, false, TCPHDR_RST);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_CLOSED);
	KUNIT_EXPECT_EQ(test, plink_flow_timeout(f, &fx->cfg),
			(unsigned long)PLINK_TIMEOUT_CLOSED);
	/* A FIN after the RST changes nothing; a new SYN reopens the tuple. */
	plink_flow_tcp_update(f, true, TCPHDR_FIN);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_CLOSED);
	plink_flow_tcp_update(f, true, TCPHDR_SYN);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_SYN);
	/* A bare ACK from the target side does not establish... */
	plink_flow_tcp_update(f, false, TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_SYN);
	/* ... a SYN-ACK from the client side (simultaneous open) does. */
	plink_flow_tcp_update(f, true, TCPHDR_SYN | TCPHDR_ACK);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_ESTABLISHED);

	f->state = PLINK_FLOW_STATE_UDP;
	KUNIT_EXPECT_EQ(test, plink_flow_timeout(f, &fx->cfg),
			(unsigned long)fx->cfg.timeout_udp * HZ);
}

/* A RST ends a flow only if its receiver would take it. */
static void plink_test_flow_tcp_rst_window(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	struct plink_flow *f;

	KUNIT_ASSERT_EQ(test, plink_flow_test_add(fx, 1, &f), PLINK_FLOW_OK);
	plink_flow_tcp_track(f, true, TCPHDR_SYN, 1000, 1001, 0);
	/* In SYN-SENT, a RST that does not acknowledge the SYN is ignored. */
	plink_flow_tcp_track(f, false, TCPHDR_RST | TCPHDR_ACK, 0, 0, 5000);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_SYN);
	plink_flow_tcp_track(f, false, TCPHDR_SYN | TCPHDR_ACK, 7000, 7001, 1001);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_ESTABLISHED);
	plink_flow_tcp_track(f, true, TCPHDR_ACK, 1001, 1101, 7001);
	plink_flow_tcp_track(f, false, TCPHDR_ACK, 7001, 7501, 1101);
	KUNIT_EXPECT_EQ(test, f->cseq, 1101U);
	KUNIT_EXPECT_EQ(test, f->tseq, 7501U);

	/* Beyond what a side sent, or below what the other acknowledged. */
	plink_flow_tcp_track(f, true, TCPHDR_RST, 1102, 1102, 0);
	plink_flow_tcp_track(f, true, TCPHDR_RST, 1000, 1000, 0);
	plink_flow_tcp_track(f, false, TCPHDR_RST, 7502 + 65536, 7502 + 65536, 0);
	plink_flow_tcp_track(f, false, TCPHDR_RST, 7000, 7000, 0);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_ESTABLISHED);
	/* An ACK of what was never sent widens nothing. */
	plink_flow_tcp_track(f, true, TCPHDR_ACK, 1101, 1101, 9000000);
	KUNIT_EXPECT_EQ(test, f->cack, 7001U);
	plink_flow_tcp_track(f, false, TCPHDR_RST, 7501, 7501, 0);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_CLOSED);

	/* The tuple reopens; the target refuses it with a RST that acks it. */
	plink_flow_tcp_track(f, true, TCPHDR_SYN, 90000, 90001, 0);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_SYN);
	plink_flow_tcp_track(f, false, TCPHDR_RST | TCPHDR_ACK, 0, 0, 90001);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_CLOSED);

	/* A client's RST in window, after a delayed ACK, with wrapping. */
	plink_flow_tcp_track(f, true, TCPHDR_SYN, 0xfffffff0, 0xfffffff1, 0);
	plink_flow_tcp_track(f, false, TCPHDR_SYN | TCPHDR_ACK, 1, 2,
			     0xfffffff1);
	plink_flow_tcp_track(f, true, TCPHDR_ACK, 0xfffffff1, 0x10, 2);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_ESTABLISHED);
	plink_flow_tcp_track(f, true, TCPHDR_RST, 0x8, 0x8, 0);
	KUNIT_EXPECT_EQ(test, f->state, PLINK_FLOW_STATE_CLOSED);
}

/* After FINs, the SNAT tuple outlives the closing side's TIME_WAIT. */
static void plink_test_flow_time_wait(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	unsigned long now = jiffies;
	struct plink_flow *f;

	KUNIT_ASSERT_EQ(test, plink_flow_test_add(fx, 1, &f), PLINK_FLOW_OK);
	f->state = PLINK_FLOW_STATE_FIN;
	f->last = (u32)(now - TCP_TIMEWAIT_LEN - HZ);
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, plink_flow_gc_match(f, &now));
	rcu_read_unlock();
}

static void plink_test_flow_gc(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	unsigned long now = jiffies;
	struct plink_flow *f;
	u32 pos = 0;

	KUNIT_ASSERT_EQ(test, plink_flow_test_add(fx, 1, &f), PLINK_FLOW_OK);
	/* As the GC calls it: under a bucket lock, BH off (counters). */
	rcu_read_lock();
	local_bh_disable();
	/* Idle for less than its state's timeout: kept. */
	f->last = (u32)(now - PLINK_TIMEOUT_SYN + HZ);
	KUNIT_EXPECT_FALSE(test, plink_flow_gc_match(f, &now));
	f->last = (u32)(now - PLINK_TIMEOUT_SYN - 1);
	KUNIT_EXPECT_TRUE(test, plink_flow_gc_match(f, &now));
	/* Its SYN never answered: a passive-health failure of the target. */
	KUNIT_EXPECT_EQ(test, atomic_read(&fx->t.passive_fails), 1);
	/* Established flows get the service's TCP timeout. */
	f->state = PLINK_FLOW_STATE_ESTABLISHED;
	KUNIT_EXPECT_FALSE(test, plink_flow_gc_match(f, &now));
	f->last = (u32)now;

	/* A removed target drains for the deregistration delay, then resets. */
	fx->cfg.dereg_delay = 5;
	fx->t.removed = true;
	fx->t.removed_at = now - 4 * HZ;
	KUNIT_EXPECT_FALSE(test, plink_flow_gc_match(f, &now));
	fx->t.removed_at = now - 6 * HZ;
	KUNIT_EXPECT_TRUE(test, plink_flow_gc_match(f, &now));
	KUNIT_EXPECT_TRUE(test, f->reset);
	f->reset = 0;
	fx->t.removed = false;

	/* Unhealthy targets: reset only when the service says so. */
	fx->t.health = PLINK_HEALTH_UNHEALTHY;
	KUNIT_EXPECT_FALSE(test, plink_flow_gc_match(f, &now));
	fx->cfg.reset_unhealthy = true;
	KUNIT_EXPECT_TRUE(test, plink_flow_gc_match(f, &now));
	f->reset = 0;
	fx->cfg.reset_unhealthy = false;

	/* An endpoint that no longer passes traffic, a deleted service. */
	fx->ep.state = PLINK_ENDPOINT_STATE_REJECTED;
	KUNIT_EXPECT_TRUE(test, plink_flow_gc_match(f, &now));
	fx->ep.state = PLINK_ENDPOINT_STATE_AVAILABLE;
	fx->svc.dead = true;
	KUNIT_EXPECT_TRUE(test, plink_flow_gc_match(f, &now));
	local_bh_enable();
	rcu_read_unlock();

	/* The scan removes what matches, and only that (no reset here). */
	f->reset = 0;
	KUNIT_EXPECT_EQ(test, plink_flow_scan(&fx->ft, &pos, fx->ft.mask + 1,
					      plink_flow_test_match_one, f),
			1);
	KUNIT_EXPECT_EQ(test, pos, 0U);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, percpu_counter_sum(&fx->ft.count), 0);
	KUNIT_EXPECT_EQ(test, refcount_read(&fx->t.ref), 1);
}

/*
 * The datapath's lookup before it knows the endpoint: by the tuple on the
 * endpoint's device, which an endpoint address names; a flow of another
 * endpoint (a deleted one's, on the same device) is found by its own.
 */
static void plink_test_flow_by_device(struct kunit *test)
{
	struct plink_flow_fixture *fx = test->priv;
	struct plink_endpoint *other;
	struct plink_dev otherdev;
	struct plink_flow *f;
	struct plink_fkey k;
	u32 hash;

	KUNIT_ASSERT_EQ(test, plink_flow_test_add(fx, 40000, &f), PLINK_FLOW_OK);
	other = kunit_kzalloc(test, sizeof(*other), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, other);
	other->dev = &fx->epdev;

	plink_flow_test_key(fx, &k, 40000);
	hash = plink_flow_fhash(&fx->ft, &k);
	k.ep = NULL;
	KUNIT_EXPECT_EQ(test, plink_flow_fhash(&fx->ft, &k), hash);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, plink_flow_lookup_fwd(&fx->ft, &k, hash), f);
	/* Another endpoint of the same device: not its flow. */
	k.ep = other;
	KUNIT_EXPECT_NULL(test, plink_flow_lookup_fwd(&fx->ft, &k, hash));
	/* Another device: no flow, whatever its endpoints. */
	k.ep = NULL;
	k.dev = &otherdev;
	hash = plink_flow_fhash(&fx->ft, &k);
	KUNIT_EXPECT_NULL(test, plink_flow_lookup_fwd(&fx->ft, &k, hash));
	/* Another endpoint address on the device: no flow. */
	plink_flow_test_key(fx, &k, 40000);
	k.ep = NULL;
	k.eaddr.ip = htonl(0x0a000065);
	hash = plink_flow_fhash(&fx->ft, &k);
	KUNIT_EXPECT_NULL(test, plink_flow_lookup_fwd(&fx->ft, &k, hash));
	rcu_read_unlock();
}

static struct kunit_case plink_flow_cases[] = {
	KUNIT_CASE(plink_test_flow_lookup),
	KUNIT_CASE(plink_test_flow_by_device),
	KUNIT_CASE(plink_test_flow_limits),
	KUNIT_CASE(plink_test_flow_quota),
	KUNIT_CASE(plink_test_flow_snat),
	KUNIT_CASE(plink_test_flow_tcp_states),
	KUNIT_CASE(plink_test_flow_tcp_rst_window),
	KUNIT_CASE(plink_test_flow_time_wait),
	KUNIT_CASE(plink_test_flow_gc),
	{}
};

static struct kunit_suite plink_flow_suite = {
	.name = "plink_flow",
	.init = plink_flow_test_init,
	.exit = plink_flow_test_exit,
	.test_cases = plink_flow_cases,
};

kunit_test_suite(plink_flow_suite);
