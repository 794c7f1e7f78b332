/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/plink.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_PLINK_GEN_H
#define _LINUX_PLINK_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/plink.h>

/* Common nested types */
extern const struct nla_policy plink_accepted_nl_policy[PLINK_A_ACCEPTED_OWNER_UID + 1];
extern const struct nla_policy plink_health_check_nl_policy[PLINK_A_HEALTH_CHECK_PASSIVE + 1];
extern const struct nla_policy plink_listener_nl_policy[PLINK_A_LISTENER_TARGET_PORT + 1];
extern const struct nla_policy plink_rule_nl_policy[PLINK_A_RULE_PORT_MAX + 1];

extern const struct nla_policy plink_dev_get_nl_policy[PLINK_A_DEV_IFNAME + 1];

extern const struct nla_policy plink_service_new_nl_policy[PLINK_A_SERVICE_PROXY_PROTOCOL + 1];

extern const struct nla_policy plink_service_set_nl_policy[PLINK_A_SERVICE_PROXY_PROTOCOL + 1];

extern const struct nla_policy plink_service_del_nl_policy[PLINK_A_SERVICE_FORCE + 1];

extern const struct nla_policy plink_service_get_nl_policy[PLINK_A_SERVICE_NAME + 1];

extern const struct nla_policy plink_target_add_nl_policy[PLINK_A_TARGET_HEALTH + 1];

extern const struct nla_policy plink_target_set_nl_policy[PLINK_A_TARGET_HEALTH + 1];

extern const struct nla_policy plink_target_del_nl_policy[PLINK_A_TARGET_PORT + 1];

extern const struct nla_policy plink_target_get_nl_policy[PLINK_A_TARGET_PORT + 1];

extern const struct nla_policy plink_endpoint_new_nl_policy[PLINK_A_ENDPOINT_PRIVATE_DNS + 1];

extern const struct nla_policy plink_endpoint_accept_nl_policy[PLINK_A_ENDPOINT_ID + 1];

extern const struct nla_policy plink_endpoint_reject_nl_policy[PLINK_A_ENDPOINT_ID + 1];

extern const struct nla_policy plink_endpoint_del_nl_policy[PLINK_A_ENDPOINT_ID + 1];

extern const struct nla_policy plink_endpoint_get_nl_policy[PLINK_A_ENDPOINT_ID + 1];

extern const struct nla_policy plink_flow_get_nl_policy[PLINK_A_FLOW_TARGET_PORT + 1];

extern const struct nla_policy plink_flow_flush_nl_policy[PLINK_A_FLOW_ENDPOINT + 1];

extern const struct nla_policy plink_limits_get_nl_policy[PLINK_A_LIMITS_UID + 1];

extern const struct nla_policy plink_limits_set_nl_policy[PLINK_A_LIMITS_DEFAULT + 1];

extern const struct nla_policy plink_endpoint_set_nl_policy[PLINK_A_ENDPOINT_RULE_REPLACE + 1];

/* Ops table for plink */
extern const struct genl_ops plink_nl_ops[19];

int plink_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int plink_nl_service_new_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_service_set_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_service_del_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_service_get_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_service_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int plink_nl_target_add_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_target_set_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_target_del_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_target_get_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_target_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int plink_nl_endpoint_new_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_endpoint_accept_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_endpoint_reject_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_endpoint_del_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_endpoint_get_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_endpoint_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int plink_nl_flow_get_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int plink_nl_flow_flush_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_limits_get_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_limits_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int plink_nl_limits_set_doit(struct sk_buff *skb, struct genl_info *info);
int plink_nl_endpoint_set_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	PLINK_NLGRP_EVENTS,
};

#endif /* _LINUX_PLINK_GEN_H */
