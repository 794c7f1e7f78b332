/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/plink.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_PLINK_H
#define _UAPI_LINUX_PLINK_H

#define PLINK_FAMILY_NAME	"plink"
#define PLINK_FAMILY_VERSION	1

/**
 * enum plink_binding - What a plink device is bound to.
 * @PLINK_BINDING_NONE: Not bound; the device drops what it is asked to send.
 * @PLINK_BINDING_NLB: The NLB device of one or more endpoint services.
 * @PLINK_BINDING_ENDPOINT: The device of one or more interface endpoints.
 */
enum plink_binding {
	PLINK_BINDING_NONE,
	PLINK_BINDING_NLB,
	PLINK_BINDING_ENDPOINT,
};

/**
 * enum plink_proto - Transport protocols of listeners and security-group
 *   rules.
 */
enum plink_proto {
	PLINK_PROTO_TCP = 6,
	PLINK_PROTO_UDP = 17,
};

/**
 * enum plink_acceptance - Whether the provider must accept each endpoint.
 * @PLINK_ACCEPTANCE_REQUIRED: New endpoints wait in pending-acceptance for the
 *   provider.
 * @PLINK_ACCEPTANCE_AUTO: New endpoints of allowed principals are available at
 *   once.
 */
enum plink_acceptance {
	PLINK_ACCEPTANCE_REQUIRED,
	PLINK_ACCEPTANCE_AUTO,
};

/**
 * enum plink_service_state
 * @PLINK_SERVICE_STATE_AVAILABLE: The service takes endpoints.
 */
enum plink_service_state {
	PLINK_SERVICE_STATE_AVAILABLE,
};

/**
 * enum plink_health - A target's health, set by the provider.
 */
enum plink_health {
	PLINK_HEALTH_INITIAL,
	PLINK_HEALTH_HEALTHY,
	PLINK_HEALTH_UNHEALTHY,
	PLINK_HEALTH_DRAINING,
};

/**
 * enum plink_endpoint_state
 * @PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE: Waits for the provider to accept
 *   or reject it.
 * @PLINK_ENDPOINT_STATE_AVAILABLE: Accepted; traffic flows.
 * @PLINK_ENDPOINT_STATE_REJECTED: Rejected by the provider; passes nothing.
 * @PLINK_ENDPOINT_STATE_DELETED: Its service is gone; passes nothing.
 */
enum plink_endpoint_state {
	PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE,
	PLINK_ENDPOINT_STATE_AVAILABLE,
	PLINK_ENDPOINT_STATE_REJECTED,
	PLINK_ENDPOINT_STATE_DELETED,
};

enum {
	PLINK_A_DEV_IFINDEX = 1,
	PLINK_A_DEV_IFNAME,
	PLINK_A_DEV_BINDING,

	__PLINK_A_DEV_MAX,
	PLINK_A_DEV_MAX = (__PLINK_A_DEV_MAX - 1)
};

enum {
	PLINK_A_LISTENER_PROTO = 1,
	PLINK_A_LISTENER_PORT,
	PLINK_A_LISTENER_TARGET_PORT,

	__PLINK_A_LISTENER_MAX,
	PLINK_A_LISTENER_MAX = (__PLINK_A_LISTENER_MAX - 1)
};

enum {
	PLINK_A_RULE_PREFIX = 1,
	PLINK_A_RULE_PREFIX_LEN,
	PLINK_A_RULE_PROTO,
	PLINK_A_RULE_PORT_MIN,
	PLINK_A_RULE_PORT_MAX,

	__PLINK_A_RULE_MAX,
	PLINK_A_RULE_MAX = (__PLINK_A_RULE_MAX - 1)
};

enum {
	PLINK_A_SERVICE_ID = 1,
	PLINK_A_SERVICE_NAME,
	PLINK_A_SERVICE_IFINDEX,
	PLINK_A_SERVICE_ADDR,
	PLINK_A_SERVICE_LISTENER,
	PLINK_A_SERVICE_ACCEPTANCE,
	PLINK_A_SERVICE_PRINCIPAL,
	PLINK_A_SERVICE_TIMEOUT_TCP,
	PLINK_A_SERVICE_TIMEOUT_UDP,
	PLINK_A_SERVICE_DEREG_DELAY,
	PLINK_A_SERVICE_MAX_FLOWS,
	PLINK_A_SERVICE_STATE,
	PLINK_A_SERVICE_FORCE,
	PLINK_A_SERVICE_N_TARGETS,
	PLINK_A_SERVICE_N_ENDPOINTS,

	__PLINK_A_SERVICE_MAX,
	PLINK_A_SERVICE_MAX = (__PLINK_A_SERVICE_MAX - 1)
};

enum {
	PLINK_A_TARGET_SERVICE = 1,
	PLINK_A_TARGET_ADDR,
	PLINK_A_TARGET_PORT,
	PLINK_A_TARGET_WEIGHT,
	PLINK_A_TARGET_ZONE,
	PLINK_A_TARGET_HEALTH,

	__PLINK_A_TARGET_MAX,
	PLINK_A_TARGET_MAX = (__PLINK_A_TARGET_MAX - 1)
};

enum {
	PLINK_A_ENDPOINT_ID = 1,
	PLINK_A_ENDPOINT_SERVICE,
	PLINK_A_ENDPOINT_IFINDEX,
	PLINK_A_ENDPOINT_ADDR,
	PLINK_A_ENDPOINT_RULE,
	PLINK_A_ENDPOINT_STATE,
	PLINK_A_ENDPOINT_OWNER_UID,

	__PLINK_A_ENDPOINT_MAX,
	PLINK_A_ENDPOINT_MAX = (__PLINK_A_ENDPOINT_MAX - 1)
};

enum {
	PLINK_CMD_DEV_GET = 1,
	PLINK_CMD_SERVICE_NEW,
	PLINK_CMD_SERVICE_SET,
	PLINK_CMD_SERVICE_DEL,
	PLINK_CMD_SERVICE_GET,
	PLINK_CMD_TARGET_ADD,
	PLINK_CMD_TARGET_SET,
	PLINK_CMD_TARGET_DEL,
	PLINK_CMD_TARGET_GET,
	PLINK_CMD_ENDPOINT_NEW,
	PLINK_CMD_ENDPOINT_ACCEPT,
	PLINK_CMD_ENDPOINT_REJECT,
	PLINK_CMD_ENDPOINT_DEL,
	PLINK_CMD_ENDPOINT_GET,
	PLINK_CMD_ENDPOINT_NTF,
	PLINK_CMD_TARGET_NTF,

	__PLINK_CMD_MAX,
	PLINK_CMD_MAX = (__PLINK_CMD_MAX - 1)
};

#define PLINK_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_PLINK_H */
