// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/plink.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/plink.h>

/* Integer value ranges */
static const struct netlink_range_validation plink_a_service_max_flows_range = {
	.min	= 1ULL,
	.max	= PLINK_MAX_FLOWS_LIMIT,
};

static const struct netlink_range_validation plink_a_service_endpoint_max_flows_range = {
	.max	= PLINK_MAX_FLOWS_LIMIT,
};

/* Common nested types */
const struct nla_policy plink_accepted_nl_policy[PLINK_A_ACCEPTED_OWNER_UID + 1] = {
	[PLINK_A_ACCEPTED_ID] = { .type = NLA_NUL_STRING, .len = 31, },
	[PLINK_A_ACCEPTED_OWNER_UID] = { .type = NLA_U32, },
};

const struct nla_policy plink_health_check_nl_policy[PLINK_A_HEALTH_CHECK_PASSIVE + 1] = {
	[PLINK_A_HEALTH_CHECK_TYPE] = NLA_POLICY_MAX(NLA_U32, 2),
	[PLINK_A_HEALTH_CHECK_PORT] = { .type = NLA_U16, },
	[PLINK_A_HEALTH_CHECK_PATH] = { .type = NLA_NUL_STRING, .len = 127, },
	[PLINK_A_HEALTH_CHECK_MATCH] = { .type = NLA_NUL_STRING, .len = 63, },
	[PLINK_A_HEALTH_CHECK_INTERVAL] = NLA_POLICY_RANGE(NLA_U32, PLINK_HC_INTERVAL_MIN, PLINK_HC_INTERVAL_MAX),
	[PLINK_A_HEALTH_CHECK_TIMEOUT] = NLA_POLICY_RANGE(NLA_U32, PLINK_HC_TIMEOUT_MIN, PLINK_HC_TIMEOUT_MAX),
	[PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD] = NLA_POLICY_RANGE(NLA_U32, PLINK_HC_THRESHOLD_MIN, PLINK_HC_THRESHOLD_MAX),
	[PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD] = NLA_POLICY_RANGE(NLA_U32, PLINK_HC_THRESHOLD_MIN, PLINK_HC_THRESHOLD_MAX),
	[PLINK_A_HEALTH_CHECK_PASSIVE] = NLA_POLICY_MAX(NLA_U8, 1),
};

const struct nla_policy plink_listener_nl_policy[PLINK_A_LISTENER_TARGET_PORT + 1] = {
	[PLINK_A_LISTENER_PROTO] = { .type = NLA_U8, },
	[PLINK_A_LISTENER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[PLINK_A_LISTENER_TARGET_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

const struct nla_policy plink_rule_nl_policy[PLINK_A_RULE_PORT_MAX + 1] = {
	[PLINK_A_RULE_PREFIX] = { .type = NLA_BINARY, },
	[PLINK_A_RULE_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[PLINK_A_RULE_PROTO] = { .type = NLA_U8, },
	[PLINK_A_RULE_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[PLINK_A_RULE_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
};

/* PLINK_CMD_DEV_GET - do */
const struct nla_policy plink_dev_get_nl_policy[PLINK_A_DEV_IFNAME + 1] = {
	[PLINK_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[PLINK_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* PLINK_CMD_SERVICE_NEW - do */
const struct nla_policy plink_service_new_nl_policy[PLINK_A_SERVICE_PROXY_PROTOCOL + 1] = {
	[PLINK_A_SERVICE_NAME] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_SERVICE_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[PLINK_A_SERVICE_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_SERVICE_LISTENER] = NLA_POLICY_NESTED(plink_listener_nl_policy),
	[PLINK_A_SERVICE_ACCEPTANCE] = NLA_POLICY_MAX(NLA_U32, 1),
	[PLINK_A_SERVICE_PRINCIPAL] = { .type = NLA_STRING, .len = 31, },
	[PLINK_A_SERVICE_TIMEOUT_TCP] = NLA_POLICY_RANGE(NLA_U32, PLINK_TIMEOUT_MIN, PLINK_TIMEOUT_MAX),
	[PLINK_A_SERVICE_TIMEOUT_UDP] = NLA_POLICY_RANGE(NLA_U32, PLINK_TIMEOUT_MIN, PLINK_TIMEOUT_MAX),
	[PLINK_A_SERVICE_DEREG_DELAY] = NLA_POLICY_MAX(NLA_U32, PLINK_DEREG_DELAY_MAX),
	[PLINK_A_SERVICE_MAX_FLOWS] = NLA_POLICY_FULL_RANGE(NLA_U32, &plink_a_service_max_flows_range),
	[PLINK_A_SERVICE_MAGLEV_SIZE] = { .type = NLA_U32, },
	[PLINK_A_SERVICE_FAIL_OPEN] = NLA_POLICY_MAX(NLA_U8, 1),
	[PLINK_A_SERVICE_RESET_UNHEALTHY] = NLA_POLICY_MAX(NLA_U8, 1),
	[PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS] = NLA_POLICY_FULL_RANGE(NLA_U32, &plink_a_service_endpoint_max_flows_range),
	[PLINK_A_SERVICE_HEALTH_CHECK] = NLA_POLICY_NESTED(plink_health_check_nl_policy),
	[PLINK_A_SERVICE_ACCEPTED] = NLA_POLICY_NESTED(plink_accepted_nl_policy),
	[PLINK_A_SERVICE_DNS_NAME] = { .type = NLA_NUL_STRING, .len = 253, },
	[PLINK_A_SERVICE_REVOKE] = NLA_POLICY_MAX(NLA_U32, 1),
	[PLINK_A_SERVICE_PROXY_PROTOCOL] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* PLINK_CMD_SERVICE_SET - do */
const struct nla_policy plink_service_set_nl_policy[PLINK_A_SERVICE_PROXY_PROTOCOL + 1] = {
	[PLINK_A_SERVICE_NAME] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_SERVICE_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[PLINK_A_SERVICE_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_SERVICE_LISTENER] = NLA_POLICY_NESTED(plink_listener_nl_policy),
	[PLINK_A_SERVICE_ACCEPTANCE] = NLA_POLICY_MAX(NLA_U32, 1),
	[PLINK_A_SERVICE_PRINCIPAL] = { .type = NLA_STRING, .len = 31, },
	[PLINK_A_SERVICE_TIMEOUT_TCP] = NLA_POLICY_RANGE(NLA_U32, PLINK_TIMEOUT_MIN, PLINK_TIMEOUT_MAX),
	[PLINK_A_SERVICE_TIMEOUT_UDP] = NLA_POLICY_RANGE(NLA_U32, PLINK_TIMEOUT_MIN, PLINK_TIMEOUT_MAX),
	[PLINK_A_SERVICE_DEREG_DELAY] = NLA_POLICY_MAX(NLA_U32, PLINK_DEREG_DELAY_MAX),
	[PLINK_A_SERVICE_MAX_FLOWS] = NLA_POLICY_FULL_RANGE(NLA_U32, &plink_a_service_max_flows_range),
	[PLINK_A_SERVICE_MAGLEV_SIZE] = { .type = NLA_U32, },
	[PLINK_A_SERVICE_FAIL_OPEN] = NLA_POLICY_MAX(NLA_U8, 1),
	[PLINK_A_SERVICE_RESET_UNHEALTHY] = NLA_POLICY_MAX(NLA_U8, 1),
	[PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS] = NLA_POLICY_FULL_RANGE(NLA_U32, &plink_a_service_endpoint_max_flows_range),
	[PLINK_A_SERVICE_HEALTH_CHECK] = NLA_POLICY_NESTED(plink_health_check_nl_policy),
	[PLINK_A_SERVICE_DNS_NAME] = { .type = NLA_NUL_STRING, .len = 253, },
	[PLINK_A_SERVICE_REVOKE] = NLA_POLICY_MAX(NLA_U32, 1),
	[PLINK_A_SERVICE_PROXY_PROTOCOL] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* PLINK_CMD_SERVICE_DEL - do */
const struct nla_policy plink_service_del_nl_policy[PLINK_A_SERVICE_FORCE + 1] = {
	[PLINK_A_SERVICE_NAME] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_SERVICE_FORCE] = { .type = NLA_FLAG, },
};

/* PLINK_CMD_SERVICE_GET - do */
const struct nla_policy plink_service_get_nl_policy[PLINK_A_SERVICE_NAME + 1] = {
	[PLINK_A_SERVICE_NAME] = { .type = NLA_NUL_STRING, .len = 79, },
};

/* PLINK_CMD_TARGET_ADD - do */
const struct nla_policy plink_target_add_nl_policy[PLINK_A_TARGET_HEALTH + 1] = {
	[PLINK_A_TARGET_SERVICE] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_TARGET_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_TARGET_PORT] = { .type = NLA_U16, },
	[PLINK_A_TARGET_WEIGHT] = NLA_POLICY_MAX(NLA_U32, PLINK_WEIGHT_MAX),
	[PLINK_A_TARGET_ZONE] = { .type = NLA_NUL_STRING, .len = 31, },
	[PLINK_A_TARGET_HEALTH] = NLA_POLICY_MAX(NLA_U32, 4),
};

/* PLINK_CMD_TARGET_SET - do */
const struct nla_policy plink_target_set_nl_policy[PLINK_A_TARGET_HEALTH + 1] = {
	[PLINK_A_TARGET_SERVICE] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_TARGET_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_TARGET_PORT] = { .type = NLA_U16, },
	[PLINK_A_TARGET_WEIGHT] = NLA_POLICY_MAX(NLA_U32, PLINK_WEIGHT_MAX),
	[PLINK_A_TARGET_ZONE] = { .type = NLA_NUL_STRING, .len = 31, },
	[PLINK_A_TARGET_HEALTH] = NLA_POLICY_MAX(NLA_U32, 4),
};

/* PLINK_CMD_TARGET_DEL - do */
const struct nla_policy plink_target_del_nl_policy[PLINK_A_TARGET_PORT + 1] = {
	[PLINK_A_TARGET_SERVICE] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_TARGET_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_TARGET_PORT] = { .type = NLA_U16, },
};

/* PLINK_CMD_TARGET_GET - do */
const struct nla_policy plink_target_get_nl_policy[PLINK_A_TARGET_PORT + 1] = {
	[PLINK_A_TARGET_SERVICE] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_TARGET_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_TARGET_PORT] = { .type = NLA_U16, },
};

/* PLINK_CMD_ENDPOINT_NEW - do */
const struct nla_policy plink_endpoint_new_nl_policy[PLINK_A_ENDPOINT_PRIVATE_DNS + 1] = {
	[PLINK_A_ENDPOINT_SERVICE] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_ENDPOINT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[PLINK_A_ENDPOINT_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_ENDPOINT_RULE] = NLA_POLICY_NESTED(plink_rule_nl_policy),
	[PLINK_A_ENDPOINT_ID] = { .type = NLA_NUL_STRING, .len = 31, },
	[PLINK_A_ENDPOINT_PRIVATE_DNS] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* PLINK_CMD_ENDPOINT_ACCEPT - do */
const struct nla_policy plink_endpoint_accept_nl_policy[PLINK_A_ENDPOINT_ID + 1] = {
	[PLINK_A_ENDPOINT_ID] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PLINK_CMD_ENDPOINT_REJECT - do */
const struct nla_policy plink_endpoint_reject_nl_policy[PLINK_A_ENDPOINT_ID + 1] = {
	[PLINK_A_ENDPOINT_ID] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PLINK_CMD_ENDPOINT_DEL - do */
const struct nla_policy plink_endpoint_del_nl_policy[PLINK_A_ENDPOINT_ID + 1] = {
	[PLINK_A_ENDPOINT_ID] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PLINK_CMD_ENDPOINT_GET - do */
const struct nla_policy plink_endpoint_get_nl_policy[PLINK_A_ENDPOINT_ID + 1] = {
	[PLINK_A_ENDPOINT_ID] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PLINK_CMD_FLOW_GET - do */
const struct nla_policy plink_flow_get_nl_policy[PLINK_A_FLOW_TARGET_PORT + 1] = {
	[PLINK_A_FLOW_SERVICE] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_FLOW_ENDPOINT] = { .type = NLA_NUL_STRING, .len = 31, },
	[PLINK_A_FLOW_PROTO] = { .type = NLA_U8, },
	[PLINK_A_FLOW_CLIENT_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_FLOW_CLIENT_PORT] = { .type = NLA_U16, },
	[PLINK_A_FLOW_ENDPOINT_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_FLOW_ENDPOINT_PORT] = { .type = NLA_U16, },
	[PLINK_A_FLOW_NLB_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_FLOW_NLB_PORT] = { .type = NLA_U16, },
	[PLINK_A_FLOW_TARGET_ADDR] = { .type = NLA_BINARY, },
	[PLINK_A_FLOW_TARGET_PORT] = { .type = NLA_U16, },
};

/* PLINK_CMD_FLOW_FLUSH - do */
const struct nla_policy plink_flow_flush_nl_policy[PLINK_A_FLOW_ENDPOINT + 1] = {
	[PLINK_A_FLOW_SERVICE] = { .type = NLA_NUL_STRING, .len = 79, },
	[PLINK_A_FLOW_ENDPOINT] = { .type = NLA_NUL_STRING, .len = 31, },
};

/* PLINK_CMD_LIMITS_GET - do */
const struct nla_policy plink_limits_get_nl_policy[PLINK_A_LIMITS_UID + 1] = {
	[PLINK_A_LIMITS_UID] = { .type = NLA_U32, },
};

/* PLINK_CMD_LIMITS_SET - do */
const struct nla_policy plink_limits_set_nl_policy[PLINK_A_LIMITS_DEFAULT + 1] = {
	[PLINK_A_LIMITS_UID] = { .type = NLA_U32, },
	[PLINK_A_LIMITS_FLOWS] = { .type = NLA_U32, },
	[PLINK_A_LIMITS_SERVICES] = { .type = NLA_U32, },
	[PLINK_A_LIMITS_ENDPOINTS] = { .type = NLA_U32, },
	[PLINK_A_LIMITS_TARGETS] = { .type = NLA_U32, },
	[PLINK_A_LIMITS_MAGLEV_SLOTS] = { .type = NLA_U32, },
	[PLINK_A_LIMITS_DEFAULT] = { .type = NLA_FLAG, },
};

/* PLINK_CMD_ENDPOINT_SET - do */
const struct nla_policy plink_endpoint_set_nl_policy[PLINK_A_ENDPOINT_RULE_REPLACE + 1] = {
	[PLINK_A_ENDPOINT_ID] = { .type = NLA_NUL_STRING, .len = 31, },
	[PLINK_A_ENDPOINT_MARK] = { .type = NLA_U32, },
	[PLINK_A_ENDPOINT_RULE] = NLA_POLICY_NESTED(plink_rule_nl_policy),
	[PLINK_A_ENDPOINT_RULE_REPLACE] = { .type = NLA_FLAG, },
};

/* Ops table for plink */
const struct genl_ops plink_nl_ops[19] = {
	{
		.cmd		= PLINK_CMD_DEV_GET,
		.doit		= plink_nl_dev_get_doit,
		.dumpit		= plink_nl_dev_get_dumpit,
		.policy		= plink_dev_get_nl_policy,
		.maxattr	= PLINK_A_DEV_IFNAME,
	},
	{
		.cmd		= PLINK_CMD_SERVICE_NEW,
		.doit		= plink_nl_service_new_doit,
		.policy		= plink_service_new_nl_policy,
		.maxattr	= PLINK_A_SERVICE_PROXY_PROTOCOL,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_SERVICE_SET,
		.doit		= plink_nl_service_set_doit,
		.policy		= plink_service_set_nl_policy,
		.maxattr	= PLINK_A_SERVICE_PROXY_PROTOCOL,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_SERVICE_DEL,
		.doit		= plink_nl_service_del_doit,
		.policy		= plink_service_del_nl_policy,
		.maxattr	= PLINK_A_SERVICE_FORCE,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_SERVICE_GET,
		.doit		= plink_nl_service_get_doit,
		.dumpit		= plink_nl_service_get_dumpit,
		.policy		= plink_service_get_nl_policy,
		.maxattr	= PLINK_A_SERVICE_NAME,
	},
	{
		.cmd		= PLINK_CMD_TARGET_ADD,
		.doit		= plink_nl_target_add_doit,
		.policy		= plink_target_add_nl_policy,
		.maxattr	= PLINK_A_TARGET_HEALTH,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_TARGET_SET,
		.doit		= plink_nl_target_set_doit,
		.policy		= plink_target_set_nl_policy,
		.maxattr	= PLINK_A_TARGET_HEALTH,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_TARGET_DEL,
		.doit		= plink_nl_target_del_doit,
		.policy		= plink_target_del_nl_policy,
		.maxattr	= PLINK_A_TARGET_PORT,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_TARGET_GET,
		.doit		= plink_nl_target_get_doit,
		.dumpit		= plink_nl_target_get_dumpit,
		.policy		= plink_target_get_nl_policy,
		.maxattr	= PLINK_A_TARGET_PORT,
	},
	{
		.cmd		= PLINK_CMD_ENDPOINT_NEW,
		.doit		= plink_nl_endpoint_new_doit,
		.policy		= plink_endpoint_new_nl_policy,
		.maxattr	= PLINK_A_ENDPOINT_PRIVATE_DNS,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_ENDPOINT_ACCEPT,
		.doit		= plink_nl_endpoint_accept_doit,
		.policy		= plink_endpoint_accept_nl_policy,
		.maxattr	= PLINK_A_ENDPOINT_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_ENDPOINT_REJECT,
		.doit		= plink_nl_endpoint_reject_doit,
		.policy		= plink_endpoint_reject_nl_policy,
		.maxattr	= PLINK_A_ENDPOINT_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_ENDPOINT_DEL,
		.doit		= plink_nl_endpoint_del_doit,
		.policy		= plink_endpoint_del_nl_policy,
		.maxattr	= PLINK_A_ENDPOINT_ID,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_ENDPOINT_GET,
		.doit		= plink_nl_endpoint_get_doit,
		.dumpit		= plink_nl_endpoint_get_dumpit,
		.policy		= plink_endpoint_get_nl_policy,
		.maxattr	= PLINK_A_ENDPOINT_ID,
	},
	{
		.cmd		= PLINK_CMD_FLOW_GET,
		.doit		= plink_nl_flow_get_doit,
		.dumpit		= plink_nl_flow_get_dumpit,
		.policy		= plink_flow_get_nl_policy,
		.maxattr	= PLINK_A_FLOW_TARGET_PORT,
	},
	{
		.cmd		= PLINK_CMD_FLOW_FLUSH,
		.doit		= plink_nl_flow_flush_doit,
		.policy		= plink_flow_flush_nl_policy,
		.maxattr	= PLINK_A_FLOW_ENDPOINT,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_LIMITS_GET,
		.doit		= plink_nl_limits_get_doit,
		.dumpit		= plink_nl_limits_get_dumpit,
		.policy		= plink_limits_get_nl_policy,
		.maxattr	= PLINK_A_LIMITS_UID,
	},
	{
		.cmd		= PLINK_CMD_LIMITS_SET,
		.doit		= plink_nl_limits_set_doit,
		.policy		= plink_limits_set_nl_policy,
		.maxattr	= PLINK_A_LIMITS_DEFAULT,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= PLINK_CMD_ENDPOINT_SET,
		.doit		= plink_nl_endpoint_set_doit,
		.policy		= plink_endpoint_set_nl_policy,
		.maxattr	= PLINK_A_ENDPOINT_RULE_REPLACE,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group plink_nl_mcgrps[] = {
	[PLINK_NLGRP_EVENTS] = { "events", },
};
