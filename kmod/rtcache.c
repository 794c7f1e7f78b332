// SPDX-License-Identifier: GPL-2.0
/*
 * The receiver's input route, cached per target and endpoint, per CPU.
 *
 * A packet plink hands to the other netns (netif_rx() on the NLB device or
 * the consumer's device) has its route looked up again in
 * ip_rcv_finish_core(), unless it carries a valid dst: the FIB lookup and
 * the source's validation, some 600 instructions a packet that a veth pair
 * pays too (TCP's early demux spares an established socket's packets; a
 * UDP server's socket is unconnected, a connecting client's SYN_SENT
 * socket has no route yet for the SYN-ACK).  Every packet from one address
 * to another on one device gets the same answer while the receiver's
 * routes stay as they are, so the datapath looks it up itself once, keeps
 * the answer (a reference, per CPU: no lock, and the slot is written only
 * by its CPU) in the target (for the provider) or the endpoint (for the
 * consumer), and attaches it to each packet before netif_rx(); the
 * receiver then skips early demux and the lookup (ip_rcv_finish_core()),
 * as it does for what loopback delivers.
 *
 * The packet sits in a backlog after netif_rx(), beyond the RCU section:
 * it takes its own reference (dst_hold(), one atomic increment a packet on
 * the route's shared refcount, and its release when the route is dropped).
 *
 * Kept only: a local route (the destination is an address of the
 * receiver's netns) from the nexthop's own cache (the one
 * ip_route_input_noref() hands out without a reference), for exactly the
 * key it was looked up with (source, destination, DSCP, device, and the
 * device's rp_filter mode, whose change flushes no route).  Invalidated by
 * dst_check(): a change to the receiver's routes or addresses bumps its
 * route generation (rt_cache_flush()), a freed nexthop marks its route
 * dead.  The source validation (rp_filter, the martian checks) depends on
 * nothing else once fib rules are ruled out: the mark (src_valid_mark)
 * selects only among rules, the packet has no secpath (scrubbed), and a
 * route that needs a classid tag is not cached by the kernel.  Not used at
 * all (the receiver looks up, as without plink's cache) where the answer
 * can depend on more than that key or on what runs before the lookup: fib
 * rules in the receiver's netns (mark, ports, uid), a device that is a
 * VRF's or a bridge's port (an rx_handler) or has receive hooks (tc or
 * netfilter ingress, generic XDP), or input xfrm policies in its netns.
 * Netfilter's DNAT in PREROUTING drops a packet's dst when it changes the
 * destination (nf_nat_ipv4_pre_routing()).
 */

#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <net/dst.h>
#include <net/inet_dscp.h>
#include <net/ip_fib.h>
#include <net/l3mdev.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "compat.h"
#include "pkt.h"

/* One CPU's cached route, and the key it was looked up with. */
struct plink_rtc {
	struct dst_entry *dst;	/* a reference; NULL: none */
	__be32 saddr;
	__be32 daddr;
	int ifindex;
	u8 dscp;
	u8 rpf;			/* the device's rp_filter mode then */
};

struct plink_rtc __percpu *plink_rtc_alloc(gfp_t gfp)
{
	return alloc_percpu_gfp(struct plink_rtc, gfp);
}

/* After a grace period: no packet reads @rtc any more. */
void plink_rtc_free(struct plink_rtc __percpu *rtc)
{
	int cpu;

	if (!rtc)
		return;
	for_each_possible_cpu(cpu)
		dst_release(per_cpu_ptr(rtc, cpu)->dst);
	free_percpu(rtc);
}

/*
 * Whether @dev's netns answers a route lookup by the cache's key alone:
 * -1 if not, else the source validation the lookup makes (rp_filter's
 * mode: 0 off, 1 strict, 2 loose), which is part of the key (a change to
 * it flushes no route).  Under rcu_read_lock().
 */
static int plink_rtc_mode(struct net_device *dev)
{
	struct net *net = dev_net(dev);
	struct in_device *in_dev;

	if (fib4_has_custom_rules(net) || netif_is_l3_slave(dev) ||
	    rcu_access_pointer(dev->rx_handler) || plink_dev_rx_hooked(dev))
		return -1;
#ifdef CONFIG_XFRM
	if (READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_IN]) ||
	    READ_ONCE(net->xfrm.policy_count[XFRM_POLICY_MAX + XFRM_POLICY_IN]))
		return -1;
#endif
	in_dev = __in_dev_get_rcu(dev);
	return in_dev ? IN_DEV_RPFILTER(in_dev) : -1;
}

/*
 * A miss: look the route up as the receiver would, and give @skb what it
 * found (a reference of its own); keep it in @c where it can be kept.
 * Under rcu_read_lock() (skb_dst_force() of a route without a reference).
 */
static void plink_rtc_fill(struct plink_rtc *c, struct sk_buff *skb,
			   const struct iphdr *iph, struct net_device *dev,
			   u8 rpf)
{
	struct dst_entry *dst, *old = c->dst;
	bool keep;

	c->dst = NULL;
	c->ifindex = 0;
	dst_release(old);
	if (ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos, dev)) {
		/* The receiver looks again, and drops it with its reason. */
		skb_dst_drop(skb);
		return;
	}
	dst = skb_dst(skb);
	keep = skb_dst_is_noref(skb) && skb_rtable(skb)->rt_type == RTN_LOCAL;
	skb_dst_force(skb);
	if (!keep || skb_dst(skb) != dst)
		return;
	dst_hold(dst);
	c->dst = dst;
	c->saddr = iph->saddr;
	c->daddr = iph->daddr;
	c->dscp = iph->tos & INET_DSCP_MASK;
	c->ifindex = dev->ifindex;
	c->rpf = rpf;
}

/**
 * plink_rtc_attach() - give a packet for the other netns its input route
 * @rtc: the target's or the endpoint's cache
 * @skb: an IPv4 packet about to be received on skb->dev (not yet queued)
 *
 * Called with BH disabled (the datapath's xmit).  Leaves @skb without
 * a route where the cache may not be used (the receiver then looks up).
 */
void plink_rtc_attach(struct plink_rtc __percpu *rtc, struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	const struct iphdr *iph;
	struct plink_rtc *c;
	struct dst_entry *dst;
	int rpf;

	if (skb->protocol != htons(ETH_P_IP))
		return;
	DEBUG_NET_WARN_ON_ONCE(!in_softirq());
	rcu_read_lock();
	rpf = plink_rtc_mode(dev);
	if (rpf < 0)
		goto out;
	iph = ip_hdr(skb);
	c = this_cpu_ptr(rtc);
	dst = c->dst;
	if (dst && c->saddr == iph->saddr && c->daddr == iph->daddr &&
	    c->dscp == (iph->tos & INET_DSCP_MASK) &&
	    c->ifindex == dev->ifindex && c->rpf == rpf && dst_check(dst, 0)) {
		dst_hold(dst);
		skb_dst_set(skb, dst);
		goto out;
	}
	plink_rtc_fill(c, skb, iph, dev, rpf);
out:
	rcu_read_unlock();
}
