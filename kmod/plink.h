/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PLINK_H
#define _PLINK_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>
#include <kunit/visibility.h>
#include <uapi/linux/plink.h>

#define PLINK_DEV_KIND		"plink"
#define PLINK_MIN_MTU		68
#define PLINK_MAX_MTU		ETH_MAX_MTU
#define PLINK_DEFAULT_MTU	ETH_DATA_LEN

/* Limits that hold whatever userspace asks. */
#define PLINK_NAME_LEN			64	/* service names, with the NUL */
#define PLINK_ID_LEN			24	/* "plsvc-" or "plep-" + 16 hex */
#define PLINK_SVC_ID_PREFIX		"plsvc-"
/* How a request names a service: "plsvc-ID", "uid:N/NAME" or "NAME". */
#define PLINK_SVC_REF_LEN		80
#define PLINK_ZONE_LEN			32
#define PLINK_PRINCIPAL_LEN		32
#define PLINK_MAX_ADDRS			8	/* per service or endpoint */
#define PLINK_MAX_LISTENERS		50
#define PLINK_MAX_PRINCIPALS		64
#define PLINK_MAX_RULES			60
#define PLINK_MAX_TARGETS		1000
#define PLINK_MAX_SERVICES_PER_NET	64
#define PLINK_MAX_ENDPOINTS_PER_NET	1024
#define PLINK_MAX_ACCEPTED		64	/* accepted in advance, a service */
#define PLINK_DNS_NAME_LEN		254	/* a DNS name, and its NUL */
#define PLINK_MAX_ENDPOINTS_PER_SERVICE	8192

/*
 * The ranges the family's policy enforces (PLINK_TIMEOUT_MIN/MAX,
 * PLINK_DEREG_DELAY_MAX, PLINK_MAX_FLOWS_LIMIT) are constants of the spec,
 * in <uapi/linux/plink.h>.
 */
#define PLINK_TIMEOUT_TCP_DEFAULT	350
#define PLINK_TIMEOUT_UDP_DEFAULT	120
#define PLINK_DEREG_DELAY_DEFAULT	300
#define PLINK_MAX_FLOWS_DEFAULT		65536
#define PLINK_MAGLEV_MIN_SIZE		251

/*
 * Everything a request allocates for a tenant's objects is charged to the
 * caller's memory cgroup; past its limit the request fails with -ENOMEM
 * instead of waking the cgroup's OOM killer (as alloc_netdev_mqs() does).
 */
#define PLINK_GFP_TENANT	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL)

/*
 * An IPv4 or IPv6 address (IPv4 in the first word of @in6, the rest zero),
 * as IPVS keeps one: a union nf_inet_addr (@inet) and a family.
 */
struct plink_addr {
	union {
		__be32 ip;
		struct in6_addr in6;
		union nf_inet_addr inet;
	};
	u8 family;			/* AF_INET or AF_INET6 */
};

struct plink_listener {
	u8 proto;			/* IPPROTO_TCP or IPPROTO_UDP */
	__be16 port;
	__be16 target_port;
};

/* "uid:N" (a uid in the initial user namespace) or "*". */
struct plink_principal {
	bool any;
	u32 uid;
};

/* Security-group ingress rule: source prefix, and optionally proto/ports. */
struct plink_rule {
	struct plink_addr prefix;
	u8 prefix_len;
	u8 proto;			/* 0: any protocol and port */
	u16 port_min;
	u16 port_max;
};

/*
 * An endpoint's security group: its @n ingress rules, replaced whole (RCU
 * for the datapath).
 */
struct plink_sg {
	struct rcu_head rcu;
	unsigned int n;
	struct plink_rule rules[];
};

/* Health-check defaults, as AWS NLB's (the ranges are the spec's). */
#define PLINK_HC_INTERVAL_DEFAULT		30
#define PLINK_HC_TIMEOUT_DEFAULT		10
#define PLINK_HC_HEALTHY_THRESHOLD_DEFAULT	5
#define PLINK_HC_UNHEALTHY_THRESHOLD_DEFAULT	2
#define PLINK_HC_PATH_LEN			128
#define PLINK_HC_MATCH_LEN			64
#define PLINK_HC_MAX_RANGES			16

/* A range of HTTP status codes that pass a check. */
struct plink_hc_range {
	u16 lo;
	u16 hi;
};

/**
 * struct plink_health_cfg - a service's health check
 * @type: enum plink_health_check_type (off: none)
 * @port: the port probed (0: traffic-port)
 * @interval: seconds between two checks of a target
 * @timeout: seconds a check may take (less than @interval)
 * @healthy: consecutive passes that make a target healthy
 * @unhealthy: consecutive failures that make a target unhealthy
 * @passive: failed connections the datapath sees count as failures
 * @nranges: number of entries in @ranges
 * @ranges: the status codes that pass an HTTP check
 * @path: the HTTP path
 * @match: @ranges as the provider wrote them
 */
struct plink_health_cfg {
	u32 type;
	__be16 port;
	u16 interval;
	u16 timeout;
	u8 healthy;
	u8 unhealthy;
	bool passive;
	u8 nranges;
	struct plink_hc_range ranges[PLINK_HC_MAX_RANGES];
	char path[PLINK_HC_PATH_LEN];
	char match[PLINK_HC_MATCH_LEN];
};

/**
 * struct plink_service_cfg - what a provider configures on a service
 * @addrs: the NLB addresses
 * @naddrs: number of entries in @addrs
 * @listeners: the listeners, proto:port[:target port]
 * @nlisteners: number of entries in @listeners
 * @principals: who may create endpoints to the service
 * @nprincipals: number of entries in @principals
 * @acceptance: whether a new endpoint waits for the provider
 *	(enum plink_acceptance)
 * @timeout_tcp: idle timeout of an established TCP flow, in seconds
 * @timeout_udp: idle timeout of a UDP flow, in seconds
 * @dereg_delay: how long a removed target's flows drain, in seconds
 * @max_flows: most flows of the service at once
 * @endpoint_max_flows: most flows of one endpoint at once (0: a quarter of
 *	@max_flows)
 * @maglev_size: Maglev lookup table size (a prime)
 * @fail_open: with no healthy target, balance over all of them
 * @reset_unhealthy: reset a target's flows when it turns unhealthy
 * @revoke: what a revoked principal or a narrower security group does to
 *	live flows (enum plink_revoke)
 * @hc: the health check of its targets
 * @dns_name: its private DNS name, "" for none; unique among its owner's
 *	services
 * @proxy_protocol: what its TCP listeners send a target first
 *	(enum plink_proxy_protocol)
 * @lgen: its listener generation: one more (up to PLINK_LGEN_ALWAYS) in
 *	each configuration that lost a listener of the one before; a flow
 *	opened under this generation skips the listener lookup
 * @rcu: frees the old configuration after a grace period
 *
 * Replaced whole on change (built, validated, then published with
 * rcu_replace_pointer() under plink_cfg_lock; the old one is freed after a
 * grace period), so readers see one consistent configuration.
 */
struct plink_service_cfg {
	struct plink_addr addrs[PLINK_MAX_ADDRS];
	unsigned int naddrs;
	struct plink_listener listeners[PLINK_MAX_LISTENERS];
	unsigned int nlisteners;
	struct plink_principal principals[PLINK_MAX_PRINCIPALS];
	unsigned int nprincipals;
	u32 acceptance;
	u32 timeout_tcp;
	u32 timeout_udp;
	u32 dereg_delay;
	u32 max_flows;
	u32 endpoint_max_flows;
	u32 maglev_size;
	bool fail_open;
	bool reset_unhealthy;
	u32 revoke;
	struct plink_health_cfg hc;
	char dns_name[PLINK_DNS_NAME_LEN];
	u32 proxy_protocol;
	u8 lgen;
	struct rcu_head rcu;
};

/*
 * The listener generation that never matches: a service that lost
 * listeners that often has its flows' listeners looked up on every packet.
 */
#define PLINK_LGEN_ALWAYS	U8_MAX

/*
 * Counters, one set per CPU per endpoint, service and target, in the order
 * of the PLINK_A_STATS_* attributes they are reported as (flows-active is
 * not a per-CPU counter: it is read from the objects' flow counts).
 */
enum plink_stat {
	PLINK_STAT_FWD_PACKETS,
	PLINK_STAT_FWD_BYTES,
	PLINK_STAT_REV_PACKETS,
	PLINK_STAT_REV_BYTES,
	PLINK_STAT_FLOWS_NEW,
	PLINK_STAT_FLOWS_ACTIVE,	/* unused slot */
	PLINK_STAT_FLOWS_RESET,
	PLINK_STAT_ICMP_ERRORS,
	PLINK_STAT_DROP_MALFORMED,
	PLINK_STAT_DROP_FRAGMENT,
	PLINK_STAT_DROP_NO_LISTENER,
	PLINK_STAT_DROP_SECURITY_GROUP,
	PLINK_STAT_DROP_STATE,
	PLINK_STAT_DROP_NO_TARGET,
	PLINK_STAT_DROP_TABLE_FULL,
	PLINK_STAT_DROP_NO_PORT,
	PLINK_STAT_DROP_NO_FLOW,
	PLINK_STAT_DROP_IP_OPTIONS,
	PLINK_STAT_DROP_QUOTA,
	/* From here on, a target's health: only targets report them. */
	PLINK_STAT_PASSIVE_SYN_RST,
	PLINK_STAT_PASSIVE_ICMP_UNREACH,
	PLINK_STAT_PASSIVE_SYN_TIMEOUT,
	PLINK_STAT_CHECKS,
	PLINK_STAT_CHECKS_FAILED,
	/* From here on, every object's again. */
	PLINK_STAT_PPV2_SENT,
	PLINK_STAT_PPV2_RETRANSMITS,
	PLINK_STAT_MAX
};

/* plink_count_packet(): a packet's bytes follow its packets. */
static_assert(PLINK_STAT_FWD_BYTES - PLINK_STAT_FWD_PACKETS == 1);
static_assert(PLINK_STAT_REV_BYTES - PLINK_STAT_REV_PACKETS == 1);

#define PLINK_STAT_HEALTH_FIRST	PLINK_STAT_PASSIVE_SYN_RST
#define PLINK_STAT_HEALTH_END	PLINK_STAT_PPV2_SENT

struct plink_stats {
	u64_stats_t c[PLINK_STAT_MAX];
	struct u64_stats_sync syncp;
};

/* What the datapath counts a packet against. */
struct plink_counted {
	struct plink_stats __percpu *stats;
	atomic_t nflows;		/* flows in the table now */
};

/* What an owner's quotas limit, in the order of the PLINK_A_LIMITS_* limits. */
enum plink_quota {
	PLINK_QUOTA_FLOWS,
	PLINK_QUOTA_SERVICES,
	PLINK_QUOTA_ENDPOINTS,
	PLINK_QUOTA_TARGETS,
	PLINK_QUOTA_MAGLEV_SLOTS,
	PLINK_QUOTA_MAX
};

#define PLINK_LIMIT_NONE	U32_MAX		/* unlimited */

/**
 * struct plink_owner - what one uid (in the initial user namespace) holds
 * @list: entry in the owner table, under plink_owner_lock
 * @uid: the owner's uid in the initial user namespace
 * @ref: one per service and endpoint it owns, one while it has own limits
 * @nflows: flows its endpoints opened (the datapath's, atomic)
 * @used: services, endpoints, targets and Maglev slots it holds (by
 *	enum plink_quota; not flows), under plink_cfg_lock
 * @limit: its own limits, where @own says so (set under plink_cfg_lock,
 *	read by the datapath)
 * @own: by enum plink_quota, whether @limit holds an own limit (else the
 *	module parameter's default applies)
 * @pinned: holds the reference taken for its own limits
 * @probe_tokens: health-check probes it may start now (a token bucket
 *	refilled at its probe rate), under plink_cfg_lock
 * @probe_stamp: when @probe_tokens was last refilled, in jiffies
 * @probes_limited: probes put off because the bucket was empty
 */
struct plink_owner {
	struct list_head list;
	u32 uid;
	refcount_t ref;
	atomic_t nflows;
	u32 used[PLINK_QUOTA_MAX];
	u32 limit[PLINK_QUOTA_MAX];
	bool own[PLINK_QUOTA_MAX];
	bool pinned;
	u32 probe_tokens;
	unsigned long probe_stamp;
	u32 probes_limited;
};

/**
 * struct plink_probe - a target's health-check state (health.c)
 * @sock: the probe in flight, or NULL
 * @old_state_change: @sock's callback before the probe's
 * @old_data_ready: likewise
 * @next: when the next probe is due, in jiffies
 * @deadline: when the probe in flight times out
 * @npass: consecutive passes
 * @nfail: consecutive failures
 * @sent: the HTTP request went out
 * @due: checked at once (a new target, or a new check)
 * @rlen: bytes in @rbuf
 * @rbuf: the start of the HTTP answer
 *
 * Under plink_cfg_lock, but @nfail, which passive health also bumps from
 * the datapath through plink_target::passive_fails.
 */
struct plink_probe {
	struct socket *sock;
	void (*old_state_change)(struct sock *sk);
	void (*old_data_ready)(struct sock *sk);
	unsigned long next;
	unsigned long deadline;
	u8 npass;
	u8 nfail;
	bool sent;
	bool due;
	u16 rlen;
	char rbuf[64];
};

struct plink_rtc;

/**
 * struct plink_target - a target of a service
 * @list: entry in struct plink_service::targets
 * @addr: its address
 * @port: its port (0: the listener's target port)
 * @weight: its share of new flows, relative to the other targets'
 * @health: enum plink_health
 * @reason: enum plink_health_reason
 * @zone: its availability zone, for display
 * @ref: one for the service's list, one per flow
 * @cnt: its counters
 * @rtc: the provider's input route to it, per CPU (rtcache.c)
 * @svc: its service (the target holds a reference)
 * @removed: deleted from the service; its flows drain until @removed_at
 *	plus the service's deregistration delay
 * @removed_at: when it was deleted, in jiffies
 * @lb_index: scratch of plink_lb_build()
 * @passive_fails: consecutive failed connections the datapath saw (passive
 *	health), reset by an answered SYN
 * @probe: its health-check state
 * @retired: entry in its service's @retired from its unlinking to its free
 * @rcu: frees it after a grace period
 */
struct plink_target {
	struct list_head list;
	struct plink_addr addr;
	__be16 port;
	u32 weight;
	u32 health;
	u32 reason;
	char zone[PLINK_ZONE_LEN];
	/* A new flow writes these two: one cache line. */
	refcount_t ref;
	struct plink_counted cnt;
	struct plink_rtc __percpu *rtc;
	struct plink_service *svc;
	bool removed;
	unsigned long removed_at;
	u16 lb_index;
	atomic_t passive_fails;
	struct plink_probe probe;
	struct list_head retired;
	struct rcu_head rcu;
};

/*
 * A service's load-balancing state for one address family (NAT keeps
 * families): its eligible targets (a reference to each) and their Maglev
 * table, rebuilt in process context and published with RCU.
 */
struct plink_lb {
	struct rcu_head rcu;
	u32 m;				/* table size */
	unsigned int n;
	struct plink_target **targets;	/* n, after the table */
	u16 table[];
};

/*
 * An endpoint accepted in advance (a saved service being restored): the
 * endpoint created with @id by @uid starts available.
 */
struct plink_accepted {
	char id[PLINK_ID_LEN];
	u32 uid;
};

/**
 * struct plink_service - an endpoint service, owned by its NLB device
 * @list: entry in the global service list, under plink_cfg_lock
 * @dev_node: entry in the NLB device's services
 * @name: its name, unique per owner
 * @id: its id, "plsvc-" and 16 hex digits, unique
 * @owner_uid: the creator's uid in the initial user namespace; names are
 *	unique per owner
 * @net: the provider's netns (the service dies before its device, which
 *	dies before the netns: no reference is needed)
 * @nlb: the NLB device
 * @owner: its creator's owner entry (a reference)
 * @cfg: its configuration, replaced whole under plink_cfg_lock, RCU for
 *	readers
 * @targets: struct plink_target, under plink_cfg_lock, RCU for readers
 * @ntargets: number of entries in @targets
 * @endpoints: struct plink_endpoint::svc_node, under plink_cfg_lock
 * @nendpoints: number of entries in @endpoints
 * @state: enum plink_service_state
 * @accepted: endpoints accepted in advance and not created yet, under
 *	plink_cfg_lock
 * @naccepted: number of entries in @accepted
 * @ref: the registry's, and one per target
 * @dead: deleted: its flows go
 * @lb: the Maglev state of its IPv4 targets and of its IPv6 targets
 *	(plink_lb_index()), RCU for readers
 * @cnt: its own counters: what concerns no target (the datapath counts
 *	the rest on the target alone; plink_service_stats_read() adds its
 *	targets' up)
 * @retired: its unlinked targets that are not freed yet (their flows
 *	drain), under @retired_lock
 * @retired_lock: guards @retired and @folded; a leaf, BH
 * @folded: the counters of its freed targets, under @retired_lock
 * @hc_work: runs its health checks (health.c)
 * @hc_on: its targets are checked (under plink_cfg_lock; read by the
 *	datapath and by probe sockets' callbacks)
 * @hc_ref: @hc_work holds a reference to the service
 * @rcu: frees it after a grace period
 */
struct plink_service {
	struct list_head list;
	struct list_head dev_node;
	char name[PLINK_NAME_LEN];
	char id[PLINK_ID_LEN];
	u32 owner_uid;
	struct net *net;
	struct plink_dev *nlb;
	struct plink_owner *owner;
	struct plink_service_cfg __rcu *cfg;
	struct list_head targets;
	unsigned int ntargets;
	struct list_head endpoints;
	unsigned int nendpoints;
	u32 state;
	struct plink_accepted *accepted;
	unsigned int naccepted;
	refcount_t ref;
	bool dead;
	struct plink_lb __rcu *lb[2];
	struct plink_counted cnt;
	struct list_head retired;
	spinlock_t retired_lock;	/* guards @retired and @folded */
	u64 folded[PLINK_STAT_MAX];
	struct delayed_work hc_work;
	bool hc_on;
	bool hc_ref;
	struct rcu_head rcu;
};

/**
 * struct plink_endpoint - an interface endpoint, owned by its device
 * @list: entry in the global endpoint list, under plink_cfg_lock
 * @id_node: entry in the table of endpoints by id, under plink_cfg_lock
 * @dev_node: entry in its device's endpoints
 * @svc_node: entry in its service's endpoints
 * @id: its id, "plep-" and 16 hex digits, unique
 * @svc_name: the service's name, kept for display after it is gone
 * @svc_owner: the service's owner, kept likewise
 * @net: the consumer's netns (the endpoint dies before its device, which
 *	dies before the netns: no reference is needed)
 * @dev: the consumer device
 * @svc: its service, NULL once the service is gone (state deleted)
 * @addrs: the endpoint addresses
 * @naddrs: number of entries in @addrs
 * @sg: its security group, NULL for none (everything allowed); replaced
 *	whole under plink_cfg_lock, RCU for the datapath
 * @mark: the mark its packets get in the provider's netns (0: none), the
 *	provider's to set and see; read by the datapath
 * @state: enum plink_endpoint_state
 * @private_dns: its consumer's tools map the service's DNS name to its
 *	addresses
 * @owner_uid: the creator's uid in the initial user namespace
 * @owner: @owner_uid's owner entry (a reference)
 * @memcg: the memory cgroup its flows are charged to: its creator's (a
 *	reference), NULL for the root cgroup
 * @ref: the registry's, and one per flow
 * @cnt: its counters
 * @rtc: the consumer's input route for what the endpoint delivers, per CPU
 *	(rtcache.c)
 * @rcu: frees it after a grace period
 */
struct plink_endpoint {
	struct list_head list;
	struct hlist_node id_node;
	struct list_head dev_node;
	struct list_head svc_node;
	char id[PLINK_ID_LEN];
	char svc_name[PLINK_NAME_LEN];
	u32 svc_owner;
	struct net *net;
	struct plink_dev *dev;
	struct plink_service *svc;
	struct plink_addr addrs[PLINK_MAX_ADDRS];
	unsigned int naddrs;
	struct plink_sg __rcu *sg;
	u32 mark;
	u32 state;
	bool private_dns;
	u32 owner_uid;
	struct plink_owner *owner;
	struct mem_cgroup *memcg;
	refcount_t ref;
	struct plink_counted cnt;
	struct plink_rtc __percpu *rtc;
	struct rcu_head rcu;
};

/**
 * struct plink_net - per network namespace state
 * @devs: the plink devices in this netns (struct plink_dev::list), under RTNL
 * @ndevs: number of entries in @devs
 * @nservices: services whose NLB device is in this netns (plink_cfg_lock)
 * @nendpoints: endpoints whose device is in this netns (plink_cfg_lock)
 */
struct plink_net {
	struct list_head devs;
	unsigned int ndevs;
	unsigned int nservices;
	unsigned int nendpoints;
};

/**
 * struct plink_dev - private data of a plink netdevice
 * @dev: the netdevice
 * @list: entry in struct plink_net::devs, under RTNL
 * @binding: what the device is bound to (enum plink_binding); written under
 *	RTNL and plink_cfg_lock, read locklessly by the datapath and dumps
 * @services: services this device is the NLB device of
 * @endpoints: endpoints on this device
 */
struct plink_dev {
	struct net_device *dev;
	struct list_head list;
	u32 binding;
	struct list_head services;
	struct list_head endpoints;
};

/* Serialises configuration changes; nests inside RTNL. */
extern struct mutex plink_cfg_lock;

extern unsigned int plink_net_id;
extern struct rtnl_link_ops plink_link_ops;

static inline struct plink_net *plink_pernet(const struct net *net)
{
	return net_generic(net, plink_net_id);
}

static inline bool netif_is_plink(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &plink_link_ops;
}

/*
 * NL_SET_ERR_MSG_ATTR() for a message chosen at run time; @msg must be a
 * string literal's address (extack keeps the pointer).
 */
static inline void plink_set_err(struct netlink_ext_ack *extack,
				 const struct nlattr *attr, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
}

/**
 * enum plink_view - what a netns may see of, and do with, an object
 * @PLINK_VIEW_NONE: nothing: the object answers as one that does not exist
 * @PLINK_VIEW_CONSUMER: the consumer's part (plink_service_view(),
 *	plink_endpoint_side())
 * @PLINK_VIEW_PROVIDER: the provider's part
 */
enum plink_view {
	PLINK_VIEW_NONE,
	PLINK_VIEW_CONSUMER,
	PLINK_VIEW_PROVIDER,
};

/**
 * struct plink_target_update - what a target-add or target-set request sets
 * @weight: the new weight, if @set_weight
 * @health: the new health (enum plink_health), if @set_health
 * @reason: its reason (enum plink_health_reason), if @set_health
 * @zone: the new zone, if @set_zone
 * @set_weight: @weight is given
 * @set_health: @health is given
 * @set_zone: @zone is given
 */
struct plink_target_update {
	u32 weight;
	u32 health;
	u32 reason;
	char zone[PLINK_ZONE_LEN];
	bool set_weight;
	bool set_health;
	bool set_zone;
};

/* What can happen to an endpoint (plink_endpoint_transition()). */
enum plink_ep_event {
	PLINK_EP_ACCEPT,
	PLINK_EP_REJECT,
	PLINK_EP_SERVICE_GONE,
};

/* How a request names a service (plink_service_ref_parse()). */
enum plink_svc_ref_kind {
	PLINK_SVC_REF_ID,		/* "plsvc-ID" */
	PLINK_SVC_REF_OWNER,		/* "uid:N/NAME" */
	PLINK_SVC_REF_NAME,		/* "NAME" */
};

struct plink_svc_ref {
	enum plink_svc_ref_kind kind;
	u32 uid;			/* PLINK_SVC_REF_OWNER */
	char name[PLINK_NAME_LEN];	/* the id, or the name */
};

/* parse.c: what requests say, parsed and checked; no locks, no skbs */
int plink_addr_from_bytes(struct plink_addr *addr, const void *data, int len);
bool plink_addr_equal(const struct plink_addr *a, const struct plink_addr *b);
bool plink_name_valid(const char *name);
int plink_svc_ref_parse(struct plink_svc_ref *ref, const char *s);
int plink_principal_parse(struct plink_principal *p, const char *s);
bool plink_principal_allows(const struct plink_principal *set, unsigned int n,
			    u32 uid);
int plink_rule_check(const struct plink_rule *rule, const char **why);
bool plink_sg_allows(const struct plink_sg *sg, u8 family,
		     const union nf_inet_addr *saddr, u8 proto, __be16 dport);

/* quota.c: quota arithmetic (pure) */
u32 plink_quota_limit(bool own, u32 limit, u32 dflt, u32 uid);
bool plink_quota_allows(u32 used, u32 more, u32 limit);
u32 plink_quota_share(u32 total);
u32 plink_endpoint_max_flows(const struct plink_service_cfg *cfg);

/* quota.c: the owner table; plink_owner_get() under plink_cfg_lock */
struct plink_owner *plink_owner_get(u32 uid);
struct plink_owner *plink_owner_by_uid(u32 uid);
void plink_owner_put(struct plink_owner *o);
u32 plink_owner_limit(const struct plink_owner *o, enum plink_quota q);
int plink_owner_charge(struct plink_owner *o, enum plink_quota q, u32 n,
		       struct netlink_ext_ack *extack);
void plink_owner_uncharge(struct plink_owner *o, enum plink_quota q, u32 n);
bool plink_owner_flow_charge(struct plink_owner *o);
u32 plink_owner_probe_rate(const struct plink_owner *o);
bool plink_owner_probe_allowed(struct plink_owner *o);
void plink_owner_set_limits(struct plink_owner *o, const bool *set,
			    const u32 *limit, bool reset);
u32 plink_flows_max(void);
void plink_owners_exit(void);
extern spinlock_t plink_owner_lock;
extern struct list_head plink_owners;

/* service.c, target.c and endpoint.c, under plink_cfg_lock */
struct plink_service *plink_service_by_name(u32 owner, const char *name);
struct plink_service *plink_service_by_id(const char *id);
enum plink_view plink_service_view(const struct plink_service *svc,
				   const struct net *net, u32 uid);
struct plink_service *plink_service_by_ref(const char *ref,
					   const struct net *net, u32 uid,
					   bool provider,
					   struct netlink_ext_ack *extack);
int plink_service_create(struct net *net, struct plink_dev *nlb, u32 owner,
			 const char *name, struct plink_service_cfg *cfg,
			 struct plink_service **svcp,
			 struct netlink_ext_ack *extack);
int plink_service_replace_cfg(struct plink_service *svc,
			      struct plink_service_cfg *cfg, u32 *revoked,
			      struct netlink_ext_ack *extack);
int plink_service_destroy(struct plink_service *svc, bool force,
			  struct netlink_ext_ack *extack);
void plink_service_cfg_init(struct plink_service_cfg *cfg);
u8 plink_service_lgen(const struct plink_service_cfg *old,
		      const struct plink_service_cfg *cfg);
bool plink_service_has_family(const struct plink_service *svc, u8 family);
struct plink_target *plink_target_by_addr(struct plink_service *svc,
					  const struct plink_addr *addr,
					  __be16 port);
int plink_target_add(struct plink_service *svc, struct plink_target *t,
		     struct netlink_ext_ack *extack);
void plink_target_del(struct plink_service *svc, struct plink_target *t);
struct plink_target *plink_target_alloc(const struct plink_addr *addr,
					__be16 port,
					const struct plink_target_update *upd);
int plink_target_set(struct plink_service *svc, struct plink_target *t,
		     const struct plink_target_update *upd,
		     struct netlink_ext_ack *extack);
void plink_target_unlink(struct plink_service *svc, struct plink_target *t);
struct plink_endpoint *plink_endpoint_by_id(const char *id);
bool plink_endpoint_id_valid(const char *id);
bool plink_service_claim(struct plink_service *svc, const char *id, u32 uid);
u32 plink_service_revoke(struct plink_service *svc,
			 const struct plink_service_cfg *old,
			 const struct plink_service_cfg *cfg);
bool plink_dns_name_valid(const char *name);
struct plink_endpoint *plink_endpoint_alloc(void);
struct plink_sg *plink_sg_alloc(unsigned int nrules);
void plink_endpoint_free(struct plink_endpoint *ep);
int plink_endpoint_transition(u32 state, u32 cmd, u32 *next,
			      const char **why);
enum plink_view plink_endpoint_side(const struct plink_endpoint *ep,
				    const struct net *net);
int plink_endpoint_decide(struct plink_endpoint *ep, const struct net *net,
			  u32 event, u32 *revoked,
			  struct netlink_ext_ack *extack);
int plink_endpoint_remove(struct plink_endpoint *ep, const struct net *net,
			  struct netlink_ext_ack *extack);
struct plink_flow;
bool plink_flow_visible(const struct plink_flow *f, const struct net *net);
int plink_endpoint_create(struct net *net, struct plink_dev *pd,
			  struct plink_service *svc, u32 uid,
			  struct plink_endpoint *ep,
			  struct netlink_ext_ack *extack);
int plink_endpoint_create_waiting(struct net *net, struct plink_dev *pd,
				  u32 svc_owner, const char *svc_name, u32 uid,
				  struct plink_endpoint *ep,
				  struct netlink_ext_ack *extack);
void plink_service_adopt(struct plink_service *svc);
int plink_endpoint_set_state(struct plink_endpoint *ep, u32 cmd,
			     struct netlink_ext_ack *extack);
int plink_endpoint_change_state(struct plink_endpoint *ep, u32 event,
				u32 *revoked, struct netlink_ext_ack *extack);
int plink_endpoint_set(struct plink_endpoint *ep, const struct net *net,
		       const u32 *mark, struct plink_sg **sg, bool set_sg,
		       u32 *revoked, struct netlink_ext_ack *extack);
void plink_endpoint_destroy(struct plink_endpoint *ep);
void plink_dev_unbind(struct plink_dev *pd);
void plink_dev_update_binding(struct plink_dev *pd);
void plink_service_put(struct plink_service *svc);
void plink_target_put(struct plink_target *t);
void plink_endpoint_put(struct plink_endpoint *ep);
int plink_lb_update(struct plink_service *svc);
void plink_lb_clear(struct plink_service *svc);

/* Which of @ep's addresses @addr of @family is; -1: none. */
static inline int plink_endpoint_addr_index(const struct plink_endpoint *ep,
					    const union nf_inet_addr *addr,
					    u8 family)
{
	unsigned int i;

	for (i = 0; i < ep->naddrs; i++) {
		if (ep->addrs[i].family == family &&
		    nf_inet_addr_cmp(&ep->addrs[i].inet, addr))
			return i;
	}
	return -1;
}

static inline unsigned int plink_lb_index(u8 family)
{
	return family == AF_INET6;
}

int plink_counted_init(struct plink_counted *cnt);
void plink_counted_free(struct plink_counted *cnt);
void plink_stats_read(const struct plink_counted *cnt, u64 *sum);
void plink_stats_fold(u64 *sum, const u64 *v);
void plink_service_stats_read(struct plink_service *svc, u64 *sum);
void plink_service_fold(struct plink_service *svc, struct plink_target *t);

static inline void plink_count(struct plink_counted *cnt, enum plink_stat s,
			       u64 n)
{
	struct plink_stats *st = this_cpu_ptr(cnt->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->c[s], n);
	u64_stats_update_end(&st->syncp);
}

/* A packet of @len bytes: @s (FWD_ or REV_PACKETS) and its bytes, at once. */
static inline void plink_count_packet(struct plink_counted *cnt,
				      enum plink_stat s, unsigned int len)
{
	struct plink_stats *st = this_cpu_ptr(cnt->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->c[s]);
	u64_stats_add(&st->c[s + 1], len);
	u64_stats_update_end(&st->syncp);
}

extern struct list_head plink_services;
extern struct list_head plink_endpoints;
extern unsigned int plink_cfg_gen;

/*
 * netlink.c: events.  The registry calls up into the family for them, as
 * net/handshake's request code does; nothing else goes that way.
 */
void plink_nl_endpoint_event(const struct plink_endpoint *ep);
void plink_nl_endpoint_event_revoked(const struct plink_endpoint *ep,
				     u32 revoked);
void plink_nl_endpoint_event_provider(const struct plink_endpoint *ep);
void plink_nl_target_event(const struct plink_service *svc,
			   const struct plink_target *t, u32 old_health);

/* health.c: health checks; pure helpers first (KUnit) */
enum plink_hc_result {
	PLINK_HC_PASS,
	PLINK_HC_TIMEOUT,
	PLINK_HC_REFUSED,
	PLINK_HC_MISMATCH,
	PLINK_HC_FAILED,
};

int plink_hc_status_code(const char *buf, size_t len, bool complete);
int plink_hc_match_parse(const char *s, struct plink_hc_range *ranges,
			 unsigned int max, u8 *n);
bool plink_hc_match(const struct plink_health_cfg *hc, int code);
bool plink_hc_step(u8 *npass, u8 *nfail, u32 *health, u32 *reason,
		   enum plink_hc_result res, u8 healthy, u8 unhealthy);
void plink_health_cfg_init(struct plink_health_cfg *hc);
u32 plink_target_health_shown(const struct plink_service_cfg *cfg,
			      const struct plink_target *t, u32 *reason);
/* Under plink_cfg_lock */
void plink_health_init(struct plink_service *svc);
void plink_health_update(struct plink_service *svc,
			 const struct plink_service_cfg *old,
			 const struct plink_service_cfg *cfg);
void plink_health_stop(struct plink_service *svc);
void plink_health_target_stop(struct plink_target *t);
void plink_health_target_new(struct plink_service *svc,
			     struct plink_target *t);
void plink_health_manual(struct plink_target *t);
void plink_health_net_stop(struct net *net);
void plink_health_kick(struct plink_service *svc);
/* Any context */
void plink_health_passive(struct plink_target *t, enum plink_stat s);
void plink_health_syn_timeout(struct plink_flow *f);
void plink_health_passive_ok(struct plink_target *t);
int plink_health_mod_init(void);
void plink_health_mod_exit(void);

int plink_pernet_init(void);
void plink_pernet_exit(void);
int plink_device_init(void);
void plink_device_exit(void);
int plink_genl_init(void);
void plink_genl_exit(void);

/* route.c: the host routes of a device's addresses, back when it comes up */
void plink_route_restore(struct plink_dev *pd);
int plink_route_init(void);
void plink_route_exit(void);

/* rtcache.c: the receiver's input route, per target or endpoint and CPU */
struct plink_rtc __percpu *plink_rtc_alloc(gfp_t gfp);
void plink_rtc_free(struct plink_rtc __percpu *rtc);
void plink_rtc_attach(struct plink_rtc __percpu *rtc, struct sk_buff *skb);

/* fwd.c and rev.c: the datapath, one direction each */
void plink_fwd_xmit(struct sk_buff *skb, struct plink_dev *pd);
void plink_rev_xmit(struct sk_buff *skb, struct plink_dev *pd);

#if IS_ENABLED(CONFIG_KUNIT)
void plink_setup(struct net_device *dev);
netdev_tx_t plink_xmit(struct sk_buff *skb, struct net_device *dev);
void plink_deliver(struct sk_buff *skb, struct net_device *from,
		   struct net_device *to);
#endif

#endif /* _PLINK_H */
