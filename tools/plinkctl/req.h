/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The requests that change things: the words of a command, parsed (and
 * checked) into a struct before anything talks to the kernel, then put
 * into a netlink message as attributes.  Split from the commands so that
 * tests/nl_test.c can check the encoding without a kernel.
 */
#ifndef PLINKCTL_REQ_H
#define PLINKCTL_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "nl.h"

/* The u32 settings of a service, in their order on the command line. */
enum {
	SERVICE_MAX_FLOWS,
	SERVICE_TIMEOUT_TCP,
	SERVICE_TIMEOUT_UDP,
	SERVICE_DEREG_DELAY,
	SERVICE_MAGLEV_SIZE,
	SERVICE_ENDPOINT_MAX_FLOWS,
	SERVICE_NU32
};

/* The on|off settings of a service (u8 attributes, 0 or 1). */
enum {
	SERVICE_FAIL_OPEN,
	SERVICE_RESET_UNHEALTHY,
	SERVICE_NBOOL
};

/* The u32 settings of a health check. */
enum {
	SERVICE_HC_INTERVAL,
	SERVICE_HC_TIMEOUT,
	SERVICE_HC_HEALTHY,
	SERVICE_HC_UNHEALTHY,
	SERVICE_HC_NU32
};

/* An endpoint a new service accepts in advance: "uid:N/plep-ID". */
struct pl_accepted {
	unsigned int uid;
	char id[32];
};

/* service add NAME ... | service set NAME ... */
struct service_req {
	const char *name;
	const char *dev;		/* NULL if not given */
	unsigned int ifindex;		/* dev's; the caller sets it */
	struct pl_addr *addrs;
	size_t naddrs;
	struct pl_listener *listeners;
	size_t nlisteners;
	const char **principals;
	size_t nprincipals;
	bool has_acceptance;
	unsigned int acceptance;
	bool has_u32[SERVICE_NU32];
	unsigned int u32[SERVICE_NU32];
	bool has_bool[SERVICE_NBOOL];
	unsigned int on[SERVICE_NBOOL];
	/* health-check TYPE [SETTING]...: what is given */
	bool has_hc;
	unsigned int hc_type;
	bool hc_has_port;
	unsigned int hc_port;		/* 0: traffic-port */
	const char *hc_path;		/* NULL if not given */
	const char *hc_match;		/* NULL if not given */
	bool hc_has_u32[SERVICE_HC_NU32];
	unsigned int hc_u32[SERVICE_HC_NU32];
	bool hc_has_passive;
	unsigned int hc_passive;
	struct pl_accepted *accepted;	/* add: accepted uid:N/plep-ID */
	size_t naccepted;
	const char *dns_name;		/* dns-name FQDN, NULL if not given */
	bool has_revoke;
	unsigned int revoke;		/* revoke { reset | keep } */
	bool has_proxy;
	unsigned int proxy;		/* proxy-protocol { off | v2 } */
};

/*
 * Parse the words after "service add" (@add) or "service set" into @req,
 * which service_req_free() frees even when this fails.  Returns 0, or -1
 * after printing why not.
 */
int service_req_parse(struct service_req *req, bool add, int argc,
		      char **argv);
void service_req_put(struct plnl_msg *m, const struct service_req *req);
void service_req_free(struct service_req *req);

/* limits set uid:N ...: the limits in the order of their attributes. */
#define LIMITS_N	5

struct limits_req {
	unsigned int uid;
	bool reset;			/* "default": drop the own limits */
	bool has[LIMITS_N];
	unsigned int limit[LIMITS_N];
};

/* Parse the words after "limits set".  Returns 0, or -1 after printing. */
int limits_req_parse(struct limits_req *req, int argc, char **argv);
void limits_req_put(struct plnl_msg *m, const struct limits_req *req);

/* target add|set|del SERVICE ADDR[:PORT] ... */
struct target_req {
	const char *service;
	struct pl_addr addr;
	unsigned short port;			/* 0 if not given */
	bool has_weight;
	unsigned int weight;
	const char *zone;		/* NULL if not given */
	bool has_health;
	unsigned int health;
};

/*
 * Parse the words after "target @cmd" into @req: SERVICE ADDR[:PORT], then
 * (for add and set) the settings.  Returns 0, or -1 after printing.
 */
int target_req_parse(struct target_req *req, const char *cmd, int argc,
		     char **argv);
void target_req_put(struct plnl_msg *m, const struct target_req *req);

/* endpoint add SERVICE dev DEV addr ADDR... [allow PREFIX [PORTS]]... */
struct endpoint_req {
	const char *service;
	const char *dev;
	unsigned int ifindex;		/* dev's; the caller sets it */
	struct pl_addr *addrs;
	size_t naddrs;
	struct pl_rule *rules;
	size_t nrules;
	const char *id;			/* id plep-ID, NULL if not given */
	bool has_private_dns;
	unsigned int private_dns;	/* private-dns on|off */
};

/* endpoint set ID [mark N] [allow { PREFIX [PORTS] | all }]... */
struct endpoint_set_req {
	const char *id;
	bool has_mark;
	unsigned int mark;
	bool rule_replace;		/* some allow given */
	struct pl_rule *rules;
	size_t nrules;
};

int endpoint_set_req_parse(struct endpoint_set_req *req, int argc,
			   char **argv);
void endpoint_set_req_put(struct plnl_msg *m,
			  const struct endpoint_set_req *req);

/* As service_req_parse(), for "endpoint add". */
int endpoint_req_parse(struct endpoint_req *req, int argc, char **argv);
void endpoint_req_put(struct plnl_msg *m, const struct endpoint_req *req);
void endpoint_req_free(struct endpoint_req *req);

/*
 * The words of the flow commands, and of stats:
 *	flow { show | flush } [service NAME] [endpoint ID | dev DEV]
 *	flow get { endpoint ID | dev DEV } proto PROTO client ADDR:PORT
 *		 dst ADDR:PORT
 *	stats [service NAME | endpoint ID | dev DEV]
 */
struct flow_req {
	const char *service;		/* NULL if not given */
	const char *endpoint;		/* NULL if not given */
	const char *dev;		/* dev DEV: its endpoint; NULL if not */
	unsigned int proto;		/* 0 if not given */
	struct pl_addr client, dst;	/* len 0 if not given */
	unsigned short client_port, dst_port;
	/* flow get in the service's netns: what a target sees */
	struct pl_addr nlb, target;	/* len 0 if not given */
	unsigned short nlb_port, target_port;
};

/*
 * Parse the words after @cmd ("flow show", "flow flush", "flow get" or
 * "stats") into @req.  Returns 0, or -1 after printing why not.
 */
int flow_req_parse(struct flow_req *req, const char *cmd, int argc,
		   char **argv);
/* The attributes of the flow set: the filters, or the flow to get. */
void flow_req_put(struct plnl_msg *m, const struct flow_req *req);

#endif /* PLINKCTL_REQ_H */
