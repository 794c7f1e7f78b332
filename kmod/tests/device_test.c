// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the plink netdevice's rules: link properties, offload
 * features, MTU bounds, per-netns bookkeeping and drops while unbound.
 */

#include <kunit/test.h>
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>

#include "../compat.h"
#include "../plink.h"

static struct net_device *plink_test_alloc(struct kunit *test)
{
	struct net_device *dev;

	dev = alloc_netdev(sizeof(struct plink_dev), "pltest%d",
			   NET_NAME_UNKNOWN, plink_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	return dev;
}

static void plink_test_link_properties(struct kunit *test)
{
	struct net_device *dev = plink_test_alloc(test);
	struct plink_dev *pd = netdev_priv(dev);

	KUNIT_EXPECT_EQ(test, dev->type, ARPHRD_NONE);
	KUNIT_EXPECT_EQ(test, dev->flags, IFF_POINTOPOINT | IFF_NOARP);
	KUNIT_EXPECT_TRUE(test, dev->priv_flags & IFF_NO_QUEUE);
	KUNIT_EXPECT_EQ(test, dev->hard_header_len, 0);
	KUNIT_EXPECT_EQ(test, dev->addr_len, 0);
	KUNIT_EXPECT_TRUE(test, plink_dev_lltx(dev));
	KUNIT_EXPECT_TRUE(test, plink_dev_netns_immutable(dev));
	KUNIT_EXPECT_TRUE(test,
			  dev->pcpu_stat_type == NETDEV_PCPU_STAT_TSTATS);
	KUNIT_EXPECT_PTR_EQ(test, dev->rtnl_link_ops, &plink_link_ops);
	KUNIT_EXPECT_PTR_EQ(test, pd->dev, dev);
	KUNIT_EXPECT_EQ(test, pd->binding, PLINK_BINDING_NONE);
	free_netdev(dev);
}

static void plink_test_offloads(struct kunit *test)
{
	netdev_features_t want = NETIF_F_SG | NETIF_F_HW_CSUM |
				 NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_GSO_UDP_L4;
	struct net_device *dev = plink_test_alloc(test);

	/* Large TCP segments must reach the device unsegmented. */
	KUNIT_EXPECT_EQ(test, dev->features & want, want);
	KUNIT_EXPECT_EQ(test, dev->hw_features & want, want);
	/*
	 * plink keeps the core's 64 KB default; the datapath selftest checks
	 * that segments that large cross whole.
	 */
	KUNIT_EXPECT_EQ(test, dev->gso_max_size, 65536U);
	/* GSO the datapath cannot rewrite as one packet is not advertised. */
	KUNIT_EXPECT_FALSE(test, dev->features &
			   (NETIF_F_GSO_FRAGLIST | NETIF_F_GSO_SCTP));
	KUNIT_EXPECT_FALSE(test, dev->hw_features &
			   (NETIF_F_GSO_FRAGLIST | NETIF_F_GSO_SCTP));
	free_netdev(dev);
}

static void plink_test_mtu(struct kunit *test)
{
	struct net_device *dev = plink_test_alloc(test);

	KUNIT_EXPECT_EQ(test, dev->mtu, 1500U);
	KUNIT_EXPECT_EQ(test, dev->min_mtu, 68U);
	KUNIT_EXPECT_EQ(test, dev->max_mtu, 65535U);

	rtnl_lock();
	KUNIT_ASSERT_EQ(test, register_netdevice(dev), 0);
	KUNIT_EXPECT_EQ(test, dev_set_mtu(dev, 67), -EINVAL);
	KUNIT_EXPECT_EQ(test, dev_set_mtu(dev, 68), 0);
	KUNIT_EXPECT_EQ(test, dev_set_mtu(dev, 65535), 0);
	KUNIT_EXPECT_EQ(test, dev_set_mtu(dev, 65536), -EINVAL);
	KUNIT_EXPECT_EQ(test, dev->mtu, 65535U);
	unregister_netdevice(dev);
	rtnl_unlock();
}

static void plink_test_newlink_dellink(struct kunit *test)
{
	struct plink_net *pn = plink_pernet(&init_net);
	struct net_device *dev = plink_test_alloc(test);
	struct plink_dev *pd = netdev_priv(dev);
	unsigned int ndevs;
	LIST_HEAD(kill);

	rtnl_lock();
	ndevs = pn->ndevs;
	KUNIT_ASSERT_EQ(test, plink_link_ops.newlink(&init_net, dev, NULL,
						     NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, pn->ndevs, ndevs + 1);
	KUNIT_EXPECT_PTR_EQ(test, list_last_entry(&pn->devs, struct plink_dev,
						  list), pd);
	plink_link_ops.dellink(dev, &kill);
	KUNIT_EXPECT_EQ(test, pn->ndevs, ndevs);
	KUNIT_EXPECT_TRUE(test, list_empty(&pd->list));
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static void plink_test_unbound_drops(struct kunit *test)
{
	struct net_device *dev = plink_test_alloc(test);
	struct rtnl_link_stats64 stats;
	int i;

	rtnl_lock();
	KUNIT_ASSERT_EQ(test, register_netdevice(dev), 0);
	rtnl_unlock();

	for (i = 0; i < 3; i++) {
		struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, skb);
		skb_put_zero(skb, 64);
		local_bh_disable();
		KUNIT_EXPECT_EQ(test, plink_xmit(skb, dev), NETDEV_TX_OK);
		local_bh_enable();
	}
	dev_get_stats(dev, &stats);
	KUNIT_EXPECT_EQ(test, stats.tx_dropped, 3ULL);
	KUNIT_EXPECT_EQ(test, stats.tx_packets, 0ULL);

	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();
}

/*
 * A RST (which has no sending device) for a device that went down after
 * its sender looked: dropped and counted on the device it was for.
 */
static void plink_test_deliver_down(struct kunit *test)
{
	struct net_device *dev = plink_test_alloc(test);
	struct rtnl_link_stats64 stats;
	struct sk_buff *skb;

	rtnl_lock();
	KUNIT_ASSERT_EQ(test, register_netdevice(dev), 0);
	rtnl_unlock();
	KUNIT_EXPECT_FALSE(test, netif_running(dev));

	skb = alloc_skb(128, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, 40);
	local_bh_disable();
	rcu_read_lock();
	plink_deliver(skb, NULL, dev);
	rcu_read_unlock();
	local_bh_enable();
	dev_get_stats(dev, &stats);
	KUNIT_EXPECT_EQ(test, stats.rx_dropped, 1ULL);
	KUNIT_EXPECT_EQ(test, stats.rx_packets, 0ULL);

	rtnl_lock();
	unregister_netdevice(dev);
	rtnl_unlock();
}

static struct kunit_case plink_device_cases[] = {
	KUNIT_CASE(plink_test_link_properties),
	KUNIT_CASE(plink_test_offloads),
	KUNIT_CASE(plink_test_mtu),
	KUNIT_CASE(plink_test_newlink_dellink),
	KUNIT_CASE(plink_test_unbound_drops),
	KUNIT_CASE(plink_test_deliver_down),
	{}
};

static struct kunit_suite plink_device_suite = {
	.name = "plink_device",
	.test_cases = plink_device_cases,
};

kunit_test_suite(plink_device_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for plink");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
