// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the control plane: parsers, principal matching, the
 * endpoint state machine, and the registry's uniqueness rules, limits and
 * teardown, on real plink devices in init_net.
 */

#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "../maglev.h"
#include "../pkt.h"
#include "../plink.h"

/* ---- parsers --------------------------------------------------------- */

static void plink_test_addr_parse(struct kunit *test)
{
	static const u8 v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const u8 v4[4] = { 192, 0, 2, 1 };
	struct plink_addr a, b;

	KUNIT_EXPECT_EQ(test, plink_addr_from_bytes(&a, v4, 4), 0);
	KUNIT_EXPECT_EQ(test, a.family, AF_INET);
	KUNIT_EXPECT_EQ(test, ntohl(a.ip), 0xc0000201U);
	KUNIT_EXPECT_EQ(test, plink_addr_from_bytes(&b, v6, 16), 0);
	KUNIT_EXPECT_EQ(test, b.family, AF_INET6);
	KUNIT_EXPECT_FALSE(test, plink_addr_equal(&a, &b));
	KUNIT_EXPECT_TRUE(test, plink_addr_equal(&b, &b));
	/* Only 4 or 16 bytes are addresses. */
	KUNIT_EXPECT_EQ(test, plink_addr_from_bytes(&a, v6, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_addr_from_bytes(&a, v6, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_addr_from_bytes(&a, v6, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_addr_from_bytes(&a, v6, 15), -EINVAL);
}

static void plink_test_names(struct kunit *test)
{
	char long_name[PLINK_NAME_LEN + 1];

	KUNIT_EXPECT_TRUE(test, plink_name_valid("web"));
	KUNIT_EXPECT_TRUE(test, plink_name_valid("com.example.web-1_a"));
	KUNIT_EXPECT_FALSE(test, plink_name_valid(""));
	KUNIT_EXPECT_FALSE(test, plink_name_valid("-web"));
	KUNIT_EXPECT_FALSE(test, plink_name_valid("web svc"));
	KUNIT_EXPECT_FALSE(test, plink_name_valid("web/1"));
	memset(long_name, 'a', PLINK_NAME_LEN - 1);
	long_name[PLINK_NAME_LEN - 1] = '\0';
	KUNIT_EXPECT_TRUE(test, plink_name_valid(long_name));
	memset(long_name, 'a', PLINK_NAME_LEN);
	long_name[PLINK_NAME_LEN] = '\0';
	KUNIT_EXPECT_FALSE(test, plink_name_valid(long_name));
}

static void plink_test_service_refs(struct kunit *test)
{
	struct plink_svc_ref r;

	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "web"), 0);
	KUNIT_EXPECT_EQ(test, r.kind, PLINK_SVC_REF_NAME);
	KUNIT_EXPECT_STREQ(test, r.name, "web");
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "uid:1000/web"), 0);
	KUNIT_EXPECT_EQ(test, r.kind, PLINK_SVC_REF_OWNER);
	KUNIT_EXPECT_EQ(test, r.uid, 1000U);
	KUNIT_EXPECT_STREQ(test, r.name, "web");
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "uid:4294967295/a"), 0);
	KUNIT_EXPECT_EQ(test, r.uid, 4294967295U);
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "plsvc-0123456789abcdef"),
			0);
	KUNIT_EXPECT_EQ(test, r.kind, PLINK_SVC_REF_ID);
	KUNIT_EXPECT_STREQ(test, r.name, "plsvc-0123456789abcdef");

	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "uid:4294967296/a"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "uid:/web"), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "uid:+1/web"), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "uid:1000"), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "uid:1000/"), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "uid:1/a/b"), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r, "web/1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_svc_ref_parse(&r,
						  "plsvc-0123456789abcdef0123"),
			-EINVAL);
}

static void plink_test_principals(struct kunit *test)
{
	struct plink_principal set[3];

	KUNIT_EXPECT_EQ(test, plink_principal_parse(&set[0], "uid:1000"), 0);
	KUNIT_EXPECT_FALSE(test, set[0].any);
	KUNIT_EXPECT_EQ(test, set[0].uid, 1000U);
	KUNIT_EXPECT_EQ(test, plink_principal_parse(&set[1], "uid:0"), 0);
	KUNIT_EXPECT_EQ(test, plink_principal_parse(&set[2], "*"), 0);
	KUNIT_EXPECT_TRUE(test, set[2].any);

	KUNIT_EXPECT_NE(test, plink_principal_parse(&set[0], "uid:"), 0);
	KUNIT_EXPECT_NE(test, plink_principal_parse(&set[0], "uid:-1"), 0);
	KUNIT_EXPECT_NE(test, plink_principal_parse(&set[0], "uid:1x"), 0);
	KUNIT_EXPECT_NE(test, plink_principal_parse(&set[0], "uid:4294967296"), 0);
	KUNIT_EXPECT_NE(test, plink_principal_parse(&set[0], "gid:1"), 0);
	KUNIT_EXPECT_NE(test, plink_principal_parse(&set[0], "**"), 0);

	plink_principal_parse(&set[0], "uid:1000");
	/* A new service allows nobody. */
	KUNIT_EXPECT_FALSE(test, plink_principal_allows(set, 0, 1000));
	KUNIT_EXPECT_TRUE(test, plink_principal_allows(set, 2, 1000));
	KUNIT_EXPECT_TRUE(test, plink_principal_allows(set, 2, 0));
	KUNIT_EXPECT_FALSE(test, plink_principal_allows(set, 2, 1001));
	KUNIT_EXPECT_TRUE(test, plink_principal_allows(set, 3, 1001));
}

static void plink_test_rules(struct kunit *test)
{
	struct plink_rule r = {};
	const char *why;

	r.prefix.family = AF_INET;
	r.prefix.ip = htonl(0x0a000000);
	r.prefix_len = 8;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), 0);
	r.prefix_len = 32;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), 0);
	r.prefix_len = 33;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), -EINVAL);
	r.prefix_len = 6;	/* 10 = 0b00001010: bit 6 is past /6 */
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), -EINVAL);
	r.prefix_len = 0;
	r.prefix.ip = 0;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), 0);

	r.proto = IPPROTO_TCP;
	r.port_min = 80;
	r.port_max = 80;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), 0);
	r.port_max = 79;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), -EINVAL);
	r.port_max = 443;
	r.proto = IPPROTO_ICMP;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), -EINVAL);
	r.proto = 0;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), -EINVAL);

	memset(&r, 0, sizeof(r));
	r.prefix.family = AF_INET6;
	r.prefix.in6.s6_addr[0] = 0x20;
	r.prefix_len = 128;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), 0);
	r.prefix_len = 129;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), -EINVAL);
	r.prefix_len = 2;	/* 0x20 = 0b00100000: bit 2 is past /2 */
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), -EINVAL);
	r.prefix_len = 3;
	KUNIT_EXPECT_EQ(test, plink_rule_check(&r, &why), 0);
}

/* What a security group lets in: the datapath's and revocation's test. */
static void plink_test_sg_allows(struct kunit *test)
{
	struct plink_sg *sg = kunit_kzalloc(test, struct_size(sg, rules, 2),
					    GFP_KERNEL);
	union nf_inet_addr a = {}, b = {};

	KUNIT_ASSERT_NOT_NULL(test, sg);
	a.ip = htonl(0x0a000005);	/* 10.0.0.5 */
	b.ip = htonl(0x0a000006);	/* 10.0.0.6 */
	/* None, or no rules: everything. */
	KUNIT_EXPECT_TRUE(test, plink_sg_allows(NULL, AF_INET, &a,
						IPPROTO_TCP, htons(80)));
	KUNIT_EXPECT_TRUE(test, plink_sg_allows(sg, AF_INET, &a,
						IPPROTO_UDP, htons(53)));
	/* 10.0.0.6/32, any port; 10.0.0.0/8 tcp:80 only. */
	sg->rules[0].prefix.family = AF_INET;
	sg->rules[0].prefix.ip = b.ip;
	sg->rules[0].prefix_len = 32;
	sg->rules[1].prefix.family = AF_INET;
	sg->rules[1].prefix.ip = htonl(0x0a000000);
	sg->rules[1].prefix_len = 8;
	sg->rules[1].proto = IPPROTO_TCP;
	sg->rules[1].port_min = 80;
	sg->rules[1].port_max = 80;
	sg->n = 1;
	KUNIT_EXPECT_TRUE(test, plink_sg_allows(sg, AF_INET, &b,
						IPPROTO_UDP, htons(53)));
	KUNIT_EXPECT_FALSE(test, plink_sg_allows(sg, AF_INET, &a,
						 IPPROTO_TCP, htons(80)));
	sg->n = 2;
	KUNIT_EXPECT_TRUE(test, plink_sg_allows(sg, AF_INET, &a,
						IPPROTO_TCP, htons(80)));
	KUNIT_EXPECT_FALSE(test, plink_sg_allows(sg, AF_INET, &a,
						 IPPROTO_TCP, htons(81)));
	KUNIT_EXPECT_FALSE(test, plink_sg_allows(sg, AF_INET, &a,
						 IPPROTO_UDP, htons(80)));
	/* A rule of the other family allows nothing of this one. */
	KUNIT_EXPECT_FALSE(test, plink_sg_allows(sg, AF_INET6, &b,
						 IPPROTO_UDP, htons(53)));
}

static void plink_test_state_machine(struct kunit *test)
{
	const char *why;
	u32 next;

	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE,
							PLINK_EP_ACCEPT, &next, &why), 0);
	KUNIT_EXPECT_EQ(test, next, PLINK_ENDPOINT_STATE_AVAILABLE);
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE,
							PLINK_EP_REJECT, &next, &why), 0);
	KUNIT_EXPECT_EQ(test, next, PLINK_ENDPOINT_STATE_REJECTED);
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_AVAILABLE,
							PLINK_EP_REJECT, &next, &why), 0);
	KUNIT_EXPECT_EQ(test, next, PLINK_ENDPOINT_STATE_REJECTED);
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_AVAILABLE,
							PLINK_EP_ACCEPT, &next, &why), -EALREADY);
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_REJECTED,
							PLINK_EP_ACCEPT, &next, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_REJECTED,
							PLINK_EP_REJECT, &next, &why), -EALREADY);
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_REJECTED,
							PLINK_EP_SERVICE_GONE, &next, &why), 0);
	KUNIT_EXPECT_EQ(test, next, PLINK_ENDPOINT_STATE_DELETED);
	/* Deleted is terminal. */
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_DELETED,
							PLINK_EP_ACCEPT, &next, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(PLINK_ENDPOINT_STATE_DELETED,
							PLINK_EP_REJECT, &next, &why), -EINVAL);
}

/* ---- the registry, on real devices ----------------------------------- */

struct plink_reg_ctx {
	struct net_device *devs[2];
};

static struct plink_dev *plink_test_dev(struct kunit *test, int i)
{
	struct plink_reg_ctx *ctx = test->priv;
	struct net_device *dev;

	dev = alloc_netdev(sizeof(struct plink_dev), "plreg%d",
			   NET_NAME_UNKNOWN, plink_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	rtnl_lock();
	KUNIT_ASSERT_EQ(test, plink_link_ops.newlink(&init_net, dev, NULL,
						     NULL, NULL), 0);
	rtnl_unlock();
	ctx->devs[i] = dev;
	return netdev_priv(dev);
}

static int plink_reg_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct plink_reg_ctx),
				   GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

/* Deleting the devices must take everything bound to them along. */
static void plink_reg_exit(struct kunit *test)
{
	struct plink_reg_ctx *ctx = test->priv;
	LIST_HEAD(kill);
	int i;

	rtnl_lock();
	for (i = 0; i < ARRAY_SIZE(ctx->devs); i++) {
		if (ctx->devs[i])
			plink_link_ops.dellink(ctx->devs[i], &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();
	mutex_lock(&plink_cfg_lock);
	KUNIT_EXPECT_TRUE(test, list_empty(&plink_services));
	KUNIT_EXPECT_TRUE(test, list_empty(&plink_endpoints));
	mutex_unlock(&plink_cfg_lock);
}

static struct plink_service_cfg *plink_test_cfg(struct kunit *test, u8 last)
{
	struct plink_service_cfg *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	plink_service_cfg_init(cfg);
	cfg->naddrs = 1;
	cfg->addrs[0].family = AF_INET;
	cfg->addrs[0].ip = htonl(0x0a000000 | last);
	cfg->nlisteners = 1;
	cfg->listeners[0].proto = IPPROTO_TCP;
	cfg->listeners[0].port = htons(80);
	cfg->listeners[0].target_port = htons(8080);
	return cfg;
}

/* Create a service; on failure the cfg is freed here. */
static int plink_test_service_of(struct kunit *test, struct plink_dev *nlb,
				 u32 owner, const char *name, u8 last,
				 struct plink_service **svc)
{
	struct plink_service_cfg *cfg = plink_test_cfg(test, last);
	int err;

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	err = plink_service_create(&init_net, nlb, owner, name, cfg, svc, NULL);
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	if (err)
		kfree(cfg);
	return err;
}

static int plink_test_service(struct kunit *test, struct plink_dev *nlb,
			      const char *name, u8 last,
			      struct plink_service **svc)
{
	return plink_test_service_of(test, nlb, 0, name, last, svc);
}

static void plink_test_service_names_ids(struct kunit *test)
{
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_service *a, *b, *c, *d;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "svc-a", 1, &a), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(nlb->binding), PLINK_BINDING_NLB);
	KUNIT_EXPECT_EQ(test, plink_test_service(test, nlb, "svc-a", 2, &c),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, plink_test_service(test, nlb, "bad name", 2, &c),
			-EINVAL);
	/* NLB addresses tell the services of a device apart. */
	KUNIT_EXPECT_EQ(test, plink_test_service(test, nlb, "svc-b", 1, &c),
			-EEXIST);
	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "svc-b", 2, &b), 0);

	KUNIT_EXPECT_EQ(test, strlen(a->id), 22U);
	KUNIT_EXPECT_EQ(test, strncmp(a->id, "plsvc-", 6), 0);
	for (i = 6; i < 22; i++)
		KUNIT_EXPECT_TRUE(test, isxdigit(a->id[i]));
	KUNIT_EXPECT_STRNEQ(test, a->id, b->id);
	/* Names are per owner: uid 1000's svc-a is another service. */
	KUNIT_ASSERT_EQ(test, plink_test_service_of(test, nlb, 1000, "svc-a", 3,
						    &d), 0);
	KUNIT_EXPECT_EQ(test, d->owner_uid, 1000U);
	KUNIT_EXPECT_EQ(test, plink_test_service_of(test, nlb, 1000, "plsvc-x",
						    4, &c), -EINVAL);

	mutex_lock(&plink_cfg_lock);
	KUNIT_EXPECT_PTR_EQ(test, plink_service_by_name(0, "svc-b"), b);
	KUNIT_EXPECT_PTR_EQ(test, plink_service_by_name(0, "svc-a"), a);
	KUNIT_EXPECT_PTR_EQ(test, plink_service_by_name(1000, "svc-a"), d);
	KUNIT_EXPECT_NULL(test, plink_service_by_name(1000, "svc-b"));
	KUNIT_EXPECT_PTR_EQ(test, plink_service_by_id(d->id), d);
	KUNIT_EXPECT_EQ(test, plink_service_destroy(a, false, NULL), 0);
	KUNIT_EXPECT_NULL(test, plink_service_by_name(0, "svc-a"));
	KUNIT_EXPECT_PTR_EQ(test, plink_service_by_name(1000, "svc-a"), d);
	KUNIT_EXPECT_EQ(test, plink_service_destroy(d, false, NULL), 0);
	mutex_unlock(&plink_cfg_lock);
	KUNIT_EXPECT_EQ(test, READ_ONCE(nlb->binding), PLINK_BINDING_NLB);
}

static void plink_test_service_limit(struct kunit *test)
{
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_service *svc;
	char name[16];
	int i;

	for (i = 0; i < PLINK_MAX_SERVICES_PER_NET; i++) {
		snprintf(name, sizeof(name), "lim%d", i);
		KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, name, i + 1,
							 &svc), 0);
	}
	KUNIT_EXPECT_EQ(test, plink_test_service(test, nlb, "one-more", 200,
						 &svc), -ENOSPC);
}

static void plink_test_targets(struct kunit *test)
{
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_service *svc;
	struct plink_addr first;
	struct plink_target *t;
	int i, err = 0;

	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "tgt", 1, &svc), 0);
	mutex_lock(&plink_cfg_lock);
	for (i = 0; i <= PLINK_MAX_TARGETS && !err; i++) {
		t = kzalloc(sizeof(*t), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, t);
		t->addr.family = AF_INET;
		t->addr.ip = htonl(0xc0a80000 + i);
		t->port = htons(8080);
		err = plink_target_add(svc, t, NULL);
		if (err)
			kfree(t);
	}
	KUNIT_EXPECT_EQ(test, err, -ENOSPC);
	KUNIT_EXPECT_EQ(test, i, PLINK_MAX_TARGETS + 1);
	KUNIT_EXPECT_EQ(test, svc->ntargets, PLINK_MAX_TARGETS);

	first.family = AF_INET;
	first.ip = htonl(0xc0a80000);
	t = plink_target_by_addr(svc, &first, htons(8080));
	KUNIT_ASSERT_NOT_NULL(test, t);
	plink_target_del(svc, t);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->addr.family = AF_INET;
	t->addr.ip = htonl(0xc0a80001);
	t->port = htons(8080);
	KUNIT_EXPECT_EQ(test, plink_target_add(svc, t, NULL), -EEXIST);
	t->port = htons(8081);
	KUNIT_EXPECT_EQ(test, plink_target_add(svc, t, NULL), 0);
	mutex_unlock(&plink_cfg_lock);
}

/*
 * A service's counters are its own and its targets', read when asked: a
 * target's traffic shows in the service's, before and after the target is
 * deleted and while a flow still holds it, and after it is freed; its
 * health counters stay its own.
 */
static void plink_test_service_stats(struct kunit *test)
{
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_service *svc;
	struct plink_target *t;
	u64 sum[PLINK_STAT_MAX];

	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "sts", 1, &svc), 0);
	mutex_lock(&plink_cfg_lock);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->addr.family = AF_INET;
	t->addr.ip = htonl(0xc0a80001);
	KUNIT_ASSERT_EQ(test, plink_target_add(svc, t, NULL), 0);
	local_bh_disable();
	plink_count_packet(&t->cnt, PLINK_STAT_FWD_PACKETS, 100);
	plink_count_packet(&t->cnt, PLINK_STAT_REV_PACKETS, 40);
	plink_count_path(NULL, svc, t, PLINK_STAT_FLOWS_NEW, 1);
	plink_count_path(NULL, svc, NULL, PLINK_STAT_DROP_NO_FLOW, 2);
	plink_count(&t->cnt, PLINK_STAT_CHECKS, 5);
	local_bh_enable();
	plink_service_stats_read(svc, sum);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_FWD_PACKETS], 1);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_FWD_BYTES], 100);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_REV_PACKETS], 1);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_REV_BYTES], 40);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_FLOWS_NEW], 1);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_DROP_NO_FLOW], 2);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_CHECKS], 0);

	/* Deleted, with a flow's reference: its flow still counts. */
	refcount_inc(&t->ref);
	plink_target_del(svc, t);
	local_bh_disable();
	plink_count_packet(&t->cnt, PLINK_STAT_FWD_PACKETS, 10);
	local_bh_enable();
	plink_service_stats_read(svc, sum);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_FWD_PACKETS], 2);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_FWD_BYTES], 110);
	/* Freed (after any table's hold on it): its counts stay the service's. */
	plink_target_put(t);
	rcu_barrier();
	plink_service_stats_read(svc, sum);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_FWD_PACKETS], 2);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_FWD_BYTES], 110);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_REV_BYTES], 40);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_FLOWS_NEW], 1);
	KUNIT_EXPECT_EQ(test, sum[PLINK_STAT_CHECKS], 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&svc->retired));
	mutex_unlock(&plink_cfg_lock);
}

static struct plink_endpoint *plink_test_ep(struct kunit *test, u8 last)
{
	struct plink_endpoint *ep = kzalloc(sizeof(*ep), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ep);
	ep->naddrs = 1;
	ep->addrs[0].family = AF_INET;
	ep->addrs[0].ip = htonl(0xac100000 | last);
	return ep;
}

static void plink_test_endpoints(struct kunit *test)
{
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_dev *epd = plink_test_dev(test, 1);
	struct plink_service_cfg *cfg;
	struct plink_endpoint *ep, *ep2;
	struct plink_service *svc;

	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "eps", 1, &svc), 0);
	rtnl_lock();
	mutex_lock(&plink_cfg_lock);

	/* A new service is closed. */
	ep = plink_test_ep(test, 1);
	KUNIT_EXPECT_EQ(test, plink_endpoint_create(&init_net, epd, svc, 1000,
						    ep, NULL), -EPERM);
	cfg = rcu_dereference_protected(svc->cfg, true);
	plink_principal_parse(&cfg->principals[0], "uid:1000");
	cfg->nprincipals = 1;
	KUNIT_EXPECT_EQ(test, plink_endpoint_create(&init_net, epd, svc, 1001,
						    ep, NULL), -EPERM);
	/* An NLB device holds no endpoints. */
	KUNIT_EXPECT_EQ(test, plink_endpoint_create(&init_net, nlb, svc, 1000,
						    ep, NULL), -EBUSY);

	KUNIT_ASSERT_EQ(test, plink_endpoint_create(&init_net, epd, svc, 1000,
						    ep, NULL), 0);
	KUNIT_EXPECT_EQ(test, ep->state, PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE);
	KUNIT_EXPECT_EQ(test, strncmp(ep->id, "plep-", 5), 0);
	KUNIT_EXPECT_PTR_EQ(test, plink_endpoint_by_id(ep->id), ep);
	KUNIT_EXPECT_EQ(test, READ_ONCE(epd->binding), PLINK_BINDING_ENDPOINT);
	KUNIT_EXPECT_EQ(test, svc->nendpoints, 1U);

	/* An endpoint address names one endpoint of a device. */
	ep2 = plink_test_ep(test, 1);
	KUNIT_EXPECT_EQ(test, plink_endpoint_create(&init_net, epd, svc, 1000,
						    ep2, NULL), -EEXIST);
	kfree(ep2);

	KUNIT_EXPECT_EQ(test, plink_endpoint_set_state(ep, PLINK_EP_ACCEPT, NULL), 0);
	KUNIT_EXPECT_EQ(test, ep->state, PLINK_ENDPOINT_STATE_AVAILABLE);

	/* A device holding endpoints cannot become an NLB device. */
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, plink_test_service(test, epd, "other", 9, &svc),
			-EBUSY);
	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	svc = plink_service_by_name(0, "eps");

	/* Available endpoints hold the service, unless forced. */
	KUNIT_EXPECT_EQ(test, plink_service_destroy(svc, false, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, plink_service_destroy(svc, true, NULL), 0);
	KUNIT_EXPECT_EQ(test, ep->state, PLINK_ENDPOINT_STATE_DELETED);
	KUNIT_EXPECT_NULL(test, ep->svc);
	KUNIT_EXPECT_STREQ(test, ep->svc_name, "eps");
	KUNIT_EXPECT_EQ(test, plink_endpoint_set_state(ep, PLINK_EP_ACCEPT, NULL),
			-EINVAL);
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	/* plink_reg_exit() deletes the devices: the endpoint goes with them. */
}

/*
 * Endpoints are found by id through a hash table: each of as many as a
 * netns may hold (half the table's buckets: some share one) is found, a
 * deleted one no more, and its neighbours still.
 */
static void plink_test_endpoint_ids(struct kunit *test)
{
	enum { N = PLINK_MAX_ENDPOINTS_PER_NET };
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_dev *epd = plink_test_dev(test, 1);
	struct plink_endpoint **eps, *ep;
	struct plink_service_cfg *cfg;
	struct plink_service *svc;
	char gone[PLINK_ID_LEN];
	unsigned int i, n;

	eps = kunit_kcalloc(test, N, sizeof(*eps), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, eps);
	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "ids", 1, &svc), 0);
	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	cfg = rcu_dereference_protected(svc->cfg, true);
	plink_principal_parse(&cfg->principals[0], "*");
	cfg->nprincipals = 1;
	for (n = 0; n < N; n++) {
		ep = plink_test_ep(test, 0);
		ep->addrs[0].ip = htonl(0xac100000 | n);
		if (plink_endpoint_create(&init_net, epd, svc, 0, ep, NULL)) {
			kfree(ep);
			break;
		}
		eps[n] = ep;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned int)N);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_PTR_EQ(test, plink_endpoint_by_id(eps[i]->id),
				    eps[i]);
	for (i = 0; i < n; i += 2) {
		strscpy(gone, eps[i]->id, sizeof(gone));
		plink_endpoint_destroy(eps[i]);
		KUNIT_EXPECT_NULL(test, plink_endpoint_by_id(gone));
	}
	for (i = 1; i < n; i += 2)
		KUNIT_EXPECT_PTR_EQ(test, plink_endpoint_by_id(eps[i]->id),
				    eps[i]);
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	/* plink_reg_exit() deletes the devices: the rest go with them. */
}

/*
 * A saved endpoint restored before its service waits for it, and joins it
 * only as the service allows: principal, then acceptance in advance.
 */
static void plink_test_endpoint_waits(struct kunit *test)
{
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_dev *epd = plink_test_dev(test, 1);
	struct plink_endpoint *ep, *ep2;
	struct plink_service_cfg *cfg;
	struct plink_service *svc;
	const char *why;
	u32 next;

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	ep = plink_test_ep(test, 1);
	strscpy(ep->id, "plep-00000000000000aa", sizeof(ep->id));
	KUNIT_ASSERT_EQ(test, plink_endpoint_create_waiting(&init_net, epd, 0,
							    "later", 1000, ep,
							    NULL), 0);
	KUNIT_EXPECT_EQ(test, ep->state, PLINK_ENDPOINT_STATE_PENDING_SERVICE);
	KUNIT_EXPECT_NULL(test, ep->svc);
	KUNIT_EXPECT_EQ(test, READ_ONCE(epd->binding), PLINK_BINDING_ENDPOINT);
	KUNIT_EXPECT_EQ(test, plink_endpoint_transition(ep->state,
							PLINK_EP_ACCEPT,
							&next, &why), -EINVAL);
	/* Only a saved endpoint, with its id, waits; ids stay unique. */
	ep2 = plink_test_ep(test, 2);
	KUNIT_EXPECT_EQ(test, plink_endpoint_create_waiting(&init_net, epd, 0,
							    "later", 1000, ep2,
							    NULL), -ENOENT);
	strscpy(ep2->id, ep->id, sizeof(ep2->id));
	KUNIT_EXPECT_EQ(test, plink_endpoint_create_waiting(&init_net, epd, 0,
							    "later", 1001, ep2,
							    NULL), -EEXIST);
	kfree(ep2);
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();

	/* Its service appears, closed: it goes on waiting. */
	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "later", 1, &svc), 0);
	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	plink_service_adopt(svc);
	KUNIT_EXPECT_EQ(test, ep->state, PLINK_ENDPOINT_STATE_PENDING_SERVICE);
	KUNIT_EXPECT_EQ(test, svc->nendpoints, 0U);

	/* Allowed, and accepted in advance for another owner: pending. */
	cfg = rcu_dereference_protected(svc->cfg, true);
	plink_principal_parse(&cfg->principals[0], "uid:1000");
	cfg->nprincipals = 1;
	svc->accepted = kcalloc(1, sizeof(*svc->accepted), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, svc->accepted);
	strscpy(svc->accepted[0].id, ep->id, sizeof(svc->accepted[0].id));
	svc->accepted[0].uid = 1001;
	svc->naccepted = 1;
	plink_service_adopt(svc);
	KUNIT_EXPECT_EQ(test, ep->state, PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE);
	KUNIT_EXPECT_PTR_EQ(test, ep->svc, svc);
	KUNIT_EXPECT_EQ(test, svc->nendpoints, 1U);
	KUNIT_EXPECT_EQ(test, svc->naccepted, 1U);
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
}

/* The same, accepted in advance for its owner: available at once. */
static void plink_test_endpoint_waits_accepted(struct kunit *test)
{
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_dev *epd = plink_test_dev(test, 1);
	struct plink_service_cfg *cfg;
	struct plink_endpoint *ep;
	struct plink_service *svc;

	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	ep = plink_test_ep(test, 1);
	strscpy(ep->id, "plep-00000000000000bb", sizeof(ep->id));
	KUNIT_ASSERT_EQ(test, plink_endpoint_create_waiting(&init_net, epd, 0,
							    "later", 1000, ep,
							    NULL), 0);
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();

	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "later", 1, &svc), 0);
	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	cfg = rcu_dereference_protected(svc->cfg, true);
	plink_principal_parse(&cfg->principals[0], "uid:1000");
	cfg->nprincipals = 1;
	svc->accepted = kcalloc(1, sizeof(*svc->accepted), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, svc->accepted);
	strscpy(svc->accepted[0].id, ep->id, sizeof(svc->accepted[0].id));
	svc->accepted[0].uid = 1000;
	svc->naccepted = 1;
	plink_service_adopt(svc);
	KUNIT_EXPECT_EQ(test, ep->state, PLINK_ENDPOINT_STATE_AVAILABLE);
	KUNIT_EXPECT_PTR_EQ(test, ep->svc, svc);
	KUNIT_EXPECT_EQ(test, svc->naccepted, 0U);
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
}

/* The limit in force, the wrap-free check, the default shares. */
static void plink_test_quota_arith(struct kunit *test)
{
	struct plink_service_cfg *cfg;

	KUNIT_EXPECT_EQ(test, plink_quota_limit(false, 5, 500, 1000), 500U);
	KUNIT_EXPECT_EQ(test, plink_quota_limit(true, 5, 500, 1000), 5U);
	/* uid 0 is bound only by limits of its own. */
	KUNIT_EXPECT_EQ(test, plink_quota_limit(false, 5, 500, 0),
			PLINK_LIMIT_NONE);
	KUNIT_EXPECT_EQ(test, plink_quota_limit(true, 5, 500, 0), 5U);
	KUNIT_EXPECT_EQ(test, plink_quota_limit(true, 0, 500, 7), 0U);

	KUNIT_EXPECT_TRUE(test, plink_quota_allows(3, 1, 4));
	KUNIT_EXPECT_FALSE(test, plink_quota_allows(4, 1, 4));
	KUNIT_EXPECT_FALSE(test, plink_quota_allows(0, 1, 0));
	KUNIT_EXPECT_TRUE(test, plink_quota_allows(0, 0, 0));
	KUNIT_EXPECT_TRUE(test, plink_quota_allows(U32_MAX - 1, 1, U32_MAX));
	KUNIT_EXPECT_FALSE(test, plink_quota_allows(U32_MAX, 1, U32_MAX));
	KUNIT_EXPECT_FALSE(test, plink_quota_allows(2, U32_MAX, U32_MAX));

	KUNIT_EXPECT_EQ(test, plink_quota_share(2000), 500U);
	KUNIT_EXPECT_EQ(test, plink_quota_share(262144), 65536U);
	KUNIT_EXPECT_EQ(test, plink_quota_share(3), 1U);
	KUNIT_EXPECT_EQ(test, plink_quota_share(0), 1U);

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->max_flows = 2000;
	KUNIT_EXPECT_EQ(test, plink_endpoint_max_flows(cfg), 500U);
	cfg->max_flows = 1;
	KUNIT_EXPECT_EQ(test, plink_endpoint_max_flows(cfg), 1U);
	cfg->endpoint_max_flows = 7;
	KUNIT_EXPECT_EQ(test, plink_endpoint_max_flows(cfg), 7U);
}

/*
 * The listener generation: one more when a listener goes (its flows look
 * it up again), the same when listeners are added or their target ports
 * change, and stuck at PLINK_LGEN_ALWAYS.
 */
static void plink_test_listener_gen(struct kunit *test)
{
	struct plink_service_cfg *old, *cfg;

	old = kunit_kzalloc(test, sizeof(*old), GFP_KERNEL);
	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	old->nlisteners = 2;
	old->listeners[0] = (struct plink_listener){ IPPROTO_TCP, htons(80),
						      htons(8080) };
	old->listeners[1] = (struct plink_listener){ IPPROTO_UDP, htons(53),
						      htons(53) };
	old->lgen = 7;
	*cfg = *old;
	KUNIT_EXPECT_EQ(test, plink_service_lgen(old, cfg), 7);
	/* Another target port, one more listener: the same. */
	cfg->listeners[0].target_port = htons(9090);
	cfg->listeners[2] = (struct plink_listener){ IPPROTO_TCP, htons(443),
						      htons(443) };
	cfg->nlisteners = 3;
	KUNIT_EXPECT_EQ(test, plink_service_lgen(old, cfg), 7);
	/* Its protocol changed, or it went: one more. */
	cfg->listeners[1].proto = IPPROTO_TCP;
	KUNIT_EXPECT_EQ(test, plink_service_lgen(old, cfg), 8);
	cfg->listeners[1] = cfg->listeners[2];
	cfg->nlisteners = 2;
	KUNIT_EXPECT_EQ(test, plink_service_lgen(old, cfg), 8);
	old->lgen = PLINK_LGEN_ALWAYS - 1;
	KUNIT_EXPECT_EQ(test, plink_service_lgen(old, cfg), PLINK_LGEN_ALWAYS);
	old->lgen = PLINK_LGEN_ALWAYS;
	KUNIT_EXPECT_EQ(test, plink_service_lgen(old, cfg), PLINK_LGEN_ALWAYS);
	*cfg = *old;
	KUNIT_EXPECT_EQ(test, plink_service_lgen(old, cfg), PLINK_LGEN_ALWAYS);
}

static struct kunit_case plink_parse_cases[] = {
	KUNIT_CASE(plink_test_listener_gen),
	KUNIT_CASE(plink_test_addr_parse),
	KUNIT_CASE(plink_test_names),
	KUNIT_CASE(plink_test_service_refs),
	KUNIT_CASE(plink_test_principals),
	KUNIT_CASE(plink_test_rules),
	KUNIT_CASE(plink_test_sg_allows),
	KUNIT_CASE(plink_test_state_machine),
	KUNIT_CASE(plink_test_quota_arith),
	{}
};

static struct kunit_suite plink_parse_suite = {
	.name = "plink_parse",
	.test_cases = plink_parse_cases,
};

/* Give @uid's owner one own limit (or, with @q < 0, none). */
static void plink_test_limit(u32 uid, int q, u32 limit)
{
	u32 lim[PLINK_QUOTA_MAX] = {};
	bool set[PLINK_QUOTA_MAX] = {};
	struct plink_owner *o;

	lockdep_assert_held(&plink_cfg_lock);
	if (q >= 0) {
		set[q] = true;
		lim[q] = limit;
	}
	o = plink_owner_get(uid);
	if (o) {
		plink_owner_set_limits(o, set, lim, true);
		plink_owner_put(o);
	}
}

static u32 plink_test_used(u32 uid, enum plink_quota q)
{
	struct plink_owner *o = plink_owner_by_uid(uid);
	u32 n = 0;

	if (o) {
		n = o->used[q];
		plink_owner_put(o);
	}
	return n;
}

/* Each configuration quota refuses with -EDQUOT and gives back on delete. */
static void plink_test_owner_quotas(struct kunit *test)
{
	struct plink_dev *nlb = plink_test_dev(test, 0);
	struct plink_dev *epd = plink_test_dev(test, 1);
	struct plink_endpoint *ep, *ep2;
	struct plink_service_cfg *cfg;
	struct plink_service *svc, *other;
	struct plink_target *t;
	u32 used;

	KUNIT_ASSERT_EQ(test, plink_test_service(test, nlb, "quo", 1, &svc), 0);
	rtnl_lock();
	mutex_lock(&plink_cfg_lock);
	cfg = rcu_dereference_protected(svc->cfg, true);
	plink_principal_parse(&cfg->principals[0], "*");
	cfg->nprincipals = 1;

	/* Endpoints, charged to the consumer's uid. */
	plink_test_limit(1000, PLINK_QUOTA_ENDPOINTS, 1);
	ep = plink_test_ep(test, 1);
	KUNIT_ASSERT_EQ(test, plink_endpoint_create(&init_net, epd, svc, 1000,
						    ep, NULL), 0);
	KUNIT_EXPECT_EQ(test, plink_test_used(1000, PLINK_QUOTA_ENDPOINTS), 1U);
	ep2 = plink_test_ep(test, 2);
	KUNIT_EXPECT_EQ(test, plink_endpoint_create(&init_net, epd, svc, 1000,
						    ep2, NULL), -EDQUOT);
	/* Another uid has its own quota. */
	KUNIT_EXPECT_EQ(test, plink_endpoint_create(&init_net, epd, svc, 1001,
						    ep2, NULL), 0);
	plink_endpoint_destroy(ep);
	KUNIT_EXPECT_EQ(test, plink_test_used(1000, PLINK_QUOTA_ENDPOINTS), 0U);
	plink_test_limit(1000, -1, 0);

	/* Targets and Maglev slots, charged to the service's owner (root). */
	used = plink_test_used(0, PLINK_QUOTA_TARGETS);
	plink_test_limit(0, PLINK_QUOTA_TARGETS, used);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->addr.family = AF_INET;
	t->addr.ip = htonl(0xc0a80001);
	KUNIT_EXPECT_EQ(test, plink_target_add(svc, t, NULL), -EDQUOT);
	plink_test_limit(0, PLINK_QUOTA_TARGETS, used + 1);
	KUNIT_EXPECT_EQ(test, plink_target_add(svc, t, NULL), 0);
	KUNIT_EXPECT_EQ(test, plink_test_used(0, PLINK_QUOTA_TARGETS), used + 1);
	plink_target_del(svc, t);
	KUNIT_EXPECT_EQ(test, plink_test_used(0, PLINK_QUOTA_TARGETS), used);

	used = plink_test_used(0, PLINK_QUOTA_MAGLEV_SLOTS);
	KUNIT_EXPECT_GE(test, used, cfg->maglev_size);
	plink_test_limit(0, PLINK_QUOTA_MAGLEV_SLOTS, used);
	cfg = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->maglev_size = 65537;
	KUNIT_EXPECT_EQ(test, plink_service_replace_cfg(svc, cfg, NULL, NULL), -EDQUOT);
	cfg = kmemdup(rcu_dereference_protected(svc->cfg, true), sizeof(*cfg),
		      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->maglev_size = 251;
	KUNIT_EXPECT_EQ(test, plink_service_replace_cfg(svc, cfg, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, plink_test_used(0, PLINK_QUOTA_MAGLEV_SLOTS),
			used - PLINK_MAGLEV_DEFAULT_SIZE + 251);

	/* Services. */
	plink_test_limit(0, PLINK_QUOTA_SERVICES,
			 plink_test_used(0, PLINK_QUOTA_SERVICES));
	mutex_unlock(&plink_cfg_lock);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, plink_test_service(test, nlb, "quo2", 2, &other),
			-EDQUOT);
	mutex_lock(&plink_cfg_lock);
	plink_test_limit(0, -1, 0);
	mutex_unlock(&plink_cfg_lock);
	KUNIT_EXPECT_EQ(test, plink_test_service(test, nlb, "quo2", 2, &other),
			0);
}

static struct kunit_case plink_registry_cases[] = {
	KUNIT_CASE(plink_test_service_names_ids),
	KUNIT_CASE(plink_test_service_limit),
	KUNIT_CASE(plink_test_targets),
	KUNIT_CASE(plink_test_service_stats),
	KUNIT_CASE(plink_test_endpoints),
	KUNIT_CASE(plink_test_owner_quotas),
	KUNIT_CASE(plink_test_endpoint_ids),
	KUNIT_CASE(plink_test_endpoint_waits),
	KUNIT_CASE(plink_test_endpoint_waits_accepted),
	{}
};

static struct kunit_suite plink_registry_suite = {
	.name = "plink_registry",
	.init = plink_reg_init,
	.exit = plink_reg_exit,
	.test_cases = plink_registry_cases,
};

kunit_test_suites(&plink_parse_suite, &plink_registry_suite);
