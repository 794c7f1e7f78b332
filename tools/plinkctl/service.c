// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl service: endpoint services, and their NLB addresses' routes.
 *
 *	plinkctl service add NAME dev DEV addr ADDR... listener L... [OPTS]
 *	plinkctl service set NAME [addr ADDR]... [listener L]... [OPTS]
 *	plinkctl service del NAME [force]
 *	plinkctl service [{ show | list } [NAME]]
 */

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "plinkctl.h"
#include "req.h"
#include "route.h"

/*
 * The u32 settings: their keyword, another spelling of it (plink.rst's
 * attribute name), their attribute, and their range (the spec's checks;
 * maglev-size is a prime the kernel checks).
 */
static const struct {
	const char *kw;
	const char *alias;
	unsigned short type;
	unsigned int min, max;
} service_u32s[SERVICE_NU32] = {
	[SERVICE_MAX_FLOWS]	= { "max-flows", NULL,
				    PLINK_A_SERVICE_MAX_FLOWS,
				    1, PLINK_MAX_FLOWS_LIMIT },
	[SERVICE_TIMEOUT_TCP]	= { "timeout tcp", "timeout-tcp",
				    PLINK_A_SERVICE_TIMEOUT_TCP,
				    PLINK_TIMEOUT_MIN, PLINK_TIMEOUT_MAX },
	[SERVICE_TIMEOUT_UDP]	= { "timeout udp", "timeout-udp",
				    PLINK_A_SERVICE_TIMEOUT_UDP,
				    PLINK_TIMEOUT_MIN, PLINK_TIMEOUT_MAX },
	[SERVICE_DEREG_DELAY]	= { "deregistration-delay", "dereg-delay",
				    PLINK_A_SERVICE_DEREG_DELAY,
				    0, PLINK_DEREG_DELAY_MAX },
	[SERVICE_MAGLEV_SIZE]	= { "maglev-size", NULL,
				    PLINK_A_SERVICE_MAGLEV_SIZE,
				    0, UINT32_MAX },
	[SERVICE_ENDPOINT_MAX_FLOWS] = { "endpoint-max-flows", NULL,
					 PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS,
					 0, PLINK_MAX_FLOWS_LIMIT },
};

/* The u32 settings of a health check: keyword, attribute and range. */
static const struct {
	const char *kw;
	unsigned short type;
	unsigned int min, max;
} service_hc_u32s[SERVICE_HC_NU32] = {
	[SERVICE_HC_INTERVAL]	= { "interval", PLINK_A_HEALTH_CHECK_INTERVAL,
				    PLINK_HC_INTERVAL_MIN,
				    PLINK_HC_INTERVAL_MAX },
	[SERVICE_HC_TIMEOUT]	= { "timeout", PLINK_A_HEALTH_CHECK_TIMEOUT,
				    PLINK_HC_TIMEOUT_MIN,
				    PLINK_HC_TIMEOUT_MAX },
	[SERVICE_HC_HEALTHY]	= { "healthy-threshold",
				    PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD,
				    PLINK_HC_THRESHOLD_MIN,
				    PLINK_HC_THRESHOLD_MAX },
	[SERVICE_HC_UNHEALTHY]	= { "unhealthy-threshold",
				    PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD,
				    PLINK_HC_THRESHOLD_MIN,
				    PLINK_HC_THRESHOLD_MAX },
};

static const enum mnl_attr_data_type hc_types[PLINK_A_HEALTH_CHECK_MAX + 1] = {
	[PLINK_A_HEALTH_CHECK_TYPE]	= MNL_TYPE_U32,
	[PLINK_A_HEALTH_CHECK_PORT]	= MNL_TYPE_U16,
	[PLINK_A_HEALTH_CHECK_PATH]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_HEALTH_CHECK_MATCH]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_HEALTH_CHECK_INTERVAL]	= MNL_TYPE_U32,
	[PLINK_A_HEALTH_CHECK_TIMEOUT]	= MNL_TYPE_U32,
	[PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD] = MNL_TYPE_U32,
	[PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD] = MNL_TYPE_U32,
	[PLINK_A_HEALTH_CHECK_PASSIVE]	= MNL_TYPE_U8,
};

/* The on|off settings: their keyword, and their attribute. */
static const struct {
	const char *kw;
	unsigned short type;
} service_bools[SERVICE_NBOOL] = {
	[SERVICE_FAIL_OPEN]	= { "fail-open", PLINK_A_SERVICE_FAIL_OPEN },
	[SERVICE_RESET_UNHEALTHY] = { "reset-unhealthy",
				      PLINK_A_SERVICE_RESET_UNHEALTHY },
};

/* proxy-protocol { off | v2 } */
static const struct pl_name service_proxies[] = {
	{ "off",	PLINK_PROXY_PROTOCOL_OFF },
	{ "v2",		PLINK_PROXY_PROTOCOL_V2 },
};

static const enum mnl_attr_data_type service_types[PLINK_A_SERVICE_MAX + 1] = {
	[PLINK_A_SERVICE_ID]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_SERVICE_NAME]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_SERVICE_IFINDEX]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_ADDR]		= MNL_TYPE_BINARY,
	[PLINK_A_SERVICE_LISTENER]	= MNL_TYPE_NESTED,
	[PLINK_A_SERVICE_ACCEPTANCE]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_PRINCIPAL]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_SERVICE_TIMEOUT_TCP]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_TIMEOUT_UDP]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_DEREG_DELAY]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_MAX_FLOWS]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_STATE]		= MNL_TYPE_U32,
	[PLINK_A_SERVICE_N_TARGETS]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_N_ENDPOINTS]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_MAGLEV_SIZE]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_FAIL_OPEN]	= MNL_TYPE_U8,
	[PLINK_A_SERVICE_RESET_UNHEALTHY] = MNL_TYPE_U8,
	[PLINK_A_SERVICE_STATS]		= MNL_TYPE_NESTED,
	[PLINK_A_SERVICE_OWNER_UID]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS] = MNL_TYPE_U32,
	[PLINK_A_SERVICE_HEALTH_CHECK]	= MNL_TYPE_NESTED,
	[PLINK_A_SERVICE_REVOKE]	= MNL_TYPE_U32,
	[PLINK_A_SERVICE_DNS_NAME]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_SERVICE_PROXY_PROTOCOL] = MNL_TYPE_U32,
};

static const enum mnl_attr_data_type
listener_types[PLINK_A_LISTENER_MAX + 1] = {
	[PLINK_A_LISTENER_PROTO]	= MNL_TYPE_U8,
	[PLINK_A_LISTENER_PORT]		= MNL_TYPE_U16,
	[PLINK_A_LISTENER_TARGET_PORT]	= MNL_TYPE_U16,
};

/* A u32 setting, keyword argv[*i]: once, and its value. */
static int service_parse_u32(struct service_req *req, unsigned int k,
			     int argc, char **argv, int *i)
{
	const char *val;

	if (pl_once(&req->has_u32[k], service_u32s[k].kw))
		return -1;
	val = pl_value(argc, argv, i);
	if (!val || pl_u32_range_parse(service_u32s[k].kw, val,
				       service_u32s[k].min,
				       service_u32s[k].max, &req->u32[k]))
		return -1;
	return 0;
}

/* timeout { tcp | udp } SEC */
static int service_parse_timeout(struct service_req *req, int argc,
				 char **argv, int *i)
{
	const char *proto = pl_value(argc, argv, i);

	if (!proto)
		return -1;
	if (!strcmp(proto, "tcp"))
		return service_parse_u32(req, SERVICE_TIMEOUT_TCP, argc, argv,
					 i);
	if (!strcmp(proto, "udp"))
		return service_parse_u32(req, SERVICE_TIMEOUT_UDP, argc, argv,
					 i);
	pl_err("invalid timeout \"%s\" (tcp or udp)", proto);
	return -1;
}

/* An on|off setting, keyword argv[*i]: once, and its value. */
static int service_parse_bool(struct service_req *req, unsigned int k,
			      int argc, char **argv, int *i)
{
	const char *val;

	if (pl_once(&req->has_bool[k], service_bools[k].kw))
		return -1;
	val = pl_value(argc, argv, i);
	if (!val)
		return -1;
	return pl_name_parse(service_bools[k].kw, pl_onoff,
			     ARRAY_SIZE(pl_onoff), val, &req->on[k]);
}

/* Whether @s is a decimal number (timeout SEC, not timeout tcp). */
static bool service_is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/*
 * One setting of a health check at argv[*i + 1], if there is one: 1 when
 * taken, 0 when argv[*i + 1] is no health-check setting, -1 on error.
 */
static int service_parse_hc_kw(struct service_req *req, int argc,
			       char **argv, int *i)
{
	const char *kw, *val;
	unsigned int k;

	if (*i + 1 >= argc)
		return 0;
	kw = argv[*i + 1];
	for (k = 0; k < SERVICE_HC_NU32; k++)
		if (!strcmp(kw, service_hc_u32s[k].kw))
			break;
	/* "timeout tcp SEC" is the service's own. */
	if (k == SERVICE_HC_TIMEOUT &&
	    (*i + 2 >= argc || !service_is_number(argv[*i + 2])))
		return 0;
	if (k == SERVICE_HC_NU32 && strcmp(kw, "port") &&
	    strcmp(kw, "path") && strcmp(kw, "match") && strcmp(kw, "passive"))
		return 0;
	(*i)++;
	val = pl_value(argc, argv, i);
	if (!val)
		return -1;
	if (k < SERVICE_HC_NU32) {
		if (pl_once(&req->hc_has_u32[k], kw))
			return -1;
		return pl_u32_range_parse(kw, val, service_hc_u32s[k].min,
					  service_hc_u32s[k].max,
					  &req->hc_u32[k]) ? -1 : 1;
	}
	if (!strcmp(kw, "port")) {
		if (pl_once(&req->hc_has_port, kw))
			return -1;
		if (!strcmp(val, "traffic-port")) {
			req->hc_port = 0;
			return 1;
		}
		if (pl_u32_parse(kw, val, &req->hc_port) ||
		    !req->hc_port || req->hc_port > 65535) {
			pl_err("invalid port \"%s\" (1-65535 or traffic-port)",
			       val);
			return -1;
		}
		return 1;
	}
	if (!strcmp(kw, "passive")) {
		if (pl_once(&req->hc_has_passive, kw))
			return -1;
		return pl_name_parse(kw, pl_onoff, ARRAY_SIZE(pl_onoff), val,
				     &req->hc_passive) ? -1 : 1;
	}
	if ((!strcmp(kw, "path") && req->hc_path) ||
	    (!strcmp(kw, "match") && req->hc_match)) {
		pl_err("duplicate keyword \"%s\"", kw);
		return -1;
	}
	if (!strcmp(kw, "path"))
		req->hc_path = val;
	else
		req->hc_match = val;
	return 1;
}

/* health-check { tcp | http | off } [SETTING]... */
static int service_parse_hc(struct service_req *req, int argc, char **argv,
			    int *i)
{
	const char *val;
	int ret;

	if (pl_once(&req->has_hc, "health-check"))
		return -1;
	val = pl_value(argc, argv, i);
	if (!val || pl_name_parse("health-check", pl_hc_types,
				  ARRAY_SIZE(pl_hc_types), val,
				  &req->hc_type))
		return -1;
	if (req->hc_type == PLINK_HEALTH_CHECK_TYPE_OFF)
		return 0;
	while ((ret = service_parse_hc_kw(req, argc, argv, i)) > 0)
		;
	return ret;
}

/* uid:N/plep-ID, an endpoint accepted in advance (what "save" writes). */
static int pl_accepted_parse(const char *word, struct pl_accepted *a)
{
	const char *slash = strchr(word, '/');
	unsigned long uid;

	if (strncmp(word, "uid:", 4) || !slash || slash == word + 4 ||
	    pl_ulong(word + 4, (size_t)(slash - word - 4), UINT32_MAX, &uid) ||
	    strlen(slash + 1) >= sizeof(a->id) ||
	    strncmp(slash + 1, "plep-", 5)) {
		pl_err("invalid accepted endpoint \"%s\" (uid:N/plep-ID)", word);
		return -1;
	}
	a->uid = (unsigned int)uid;
	snprintf(a->id, sizeof(a->id), "%s", slash + 1);
	return 0;
}

/* One keyword, argv[*i], and its value. */
static int service_parse_kw(struct service_req *req, bool add, int argc,
			    char **argv, int *i)
{
	const char *kw = argv[*i], *val;
	unsigned int k;

	if (!strcmp(kw, "timeout"))
		return service_parse_timeout(req, argc, argv, i);
	if (!strcmp(kw, "health-check"))
		return service_parse_hc(req, argc, argv, i);
	/* "timeout tcp" and "timeout udp" are two words: never kw. */
	for (k = 0; k < SERVICE_NU32; k++)
		if (!strcmp(kw, service_u32s[k].kw) ||
		    (service_u32s[k].alias && !strcmp(kw, service_u32s[k].alias)))
			return service_parse_u32(req, k, argc, argv, i);
	for (k = 0; k < SERVICE_NBOOL; k++)
		if (!strcmp(kw, service_bools[k].kw))
			return service_parse_bool(req, k, argc, argv, i);

	if (strcmp(kw, "addr") && strcmp(kw, "listener") &&
	    strcmp(kw, "allow") && strcmp(kw, "acceptance") &&
	    strcmp(kw, "dns-name") && strcmp(kw, "revoke") &&
	    strcmp(kw, "proxy-protocol") &&
	    (!add || (strcmp(kw, "dev") && strcmp(kw, "accepted"))))
		return pl_unknown(kw, add ? "service add" : "service set");

	val = pl_value(argc, argv, i);
	if (!val)
		return -1;
	if (!strcmp(kw, "addr"))
		return pl_addr_parse(val, &req->addrs[req->naddrs++]);
	if (!strcmp(kw, "listener"))
		return pl_listener_parse(val,
					 &req->listeners[req->nlisteners++]);
	if (!strcmp(kw, "allow")) {
		val = pl_principal_parse(val);
		req->principals[req->nprincipals++] = val;
		return val ? 0 : -1;
	}
	if (!strcmp(kw, "dns-name")) {
		bool seen = req->dns_name;

		req->dns_name = val;
		return pl_once(&seen, kw);
	}
	if (!strcmp(kw, "proxy-protocol")) {
		if (pl_once(&req->has_proxy, kw))
			return -1;
		return pl_name_parse(kw, service_proxies,
				     ARRAY_SIZE(service_proxies), val,
				     &req->proxy);
	}
	if (!strcmp(kw, "accepted"))
		return pl_accepted_parse(val,
					 &req->accepted[req->naccepted++]);
	if (!strcmp(kw, "revoke")) {
		if (pl_once(&req->has_revoke, kw))
			return -1;
		return pl_name_parse(kw, pl_revokes, ARRAY_SIZE(pl_revokes),
				     val, &req->revoke);
	}
	if (!strcmp(kw, "acceptance")) {
		if (pl_once(&req->has_acceptance, kw))
			return -1;
		return pl_name_parse(kw, pl_acceptances,
				     ARRAY_SIZE(pl_acceptances), val,
				     &req->acceptance);
	}
	/* dev */
	if (req->dev) {
		pl_err("duplicate keyword \"%s\"", kw);
		return -1;
	}
	req->dev = val;
	return pl_dev_check(val);
}

int service_req_parse(struct service_req *req, bool add, int argc,
		      char **argv)
{
	const char *cmd = add ? "service add" : "service set";
	size_t slots = argc > 0 ? (size_t)argc : 1;
	bool changes = false;
	unsigned int k;
	int i;

	memset(req, 0, sizeof(*req));
	req->addrs = calloc(slots, sizeof(*req->addrs));
	req->listeners = calloc(slots, sizeof(*req->listeners));
	req->principals = calloc(slots, sizeof(*req->principals));
	req->accepted = calloc(slots, sizeof(*req->accepted));
	if (!req->addrs || !req->listeners || !req->principals ||
	    !req->accepted) {
		pl_err("%s", strerror(errno));
		return -1;
	}

	if (argc < 1)
		return pl_missing("NAME", cmd);
	req->name = argv[0];
	for (i = 1; i < argc; i++)
		if (service_parse_kw(req, add, argc, argv, &i))
			return -1;

	if (add) {
		if (!req->dev)
			return pl_missing("dev", cmd);
		if (!req->naddrs)
			return pl_missing("addr", cmd);
		if (!req->nlisteners)
			return pl_missing("listener", cmd);
		return 0;
	}
	for (k = 0; k < SERVICE_NU32; k++)
		changes |= req->has_u32[k];
	for (k = 0; k < SERVICE_NBOOL; k++)
		changes |= req->has_bool[k];
	if (!changes && !req->naddrs && !req->nlisteners &&
	    !req->nprincipals && !req->has_acceptance && !req->has_hc &&
	    !req->dns_name && !req->has_revoke && !req->has_proxy) {
		pl_err("nothing to change for \"%s\"", cmd);
		return -1;
	}
	return 0;
}

static void service_req_put_hc(struct plnl_msg *m,
			       const struct service_req *req)
{
	struct nlattr *nest;
	unsigned int k;

	nest = plnl_nest_start(m, PLINK_A_SERVICE_HEALTH_CHECK);
	plnl_put_u32(m, PLINK_A_HEALTH_CHECK_TYPE, req->hc_type);
	if (req->hc_has_port)
		plnl_put_be16(m, PLINK_A_HEALTH_CHECK_PORT,
			      (unsigned short)req->hc_port);
	if (req->hc_path)
		plnl_put_strz(m, PLINK_A_HEALTH_CHECK_PATH, req->hc_path);
	if (req->hc_match)
		plnl_put_strz(m, PLINK_A_HEALTH_CHECK_MATCH, req->hc_match);
	for (k = 0; k < SERVICE_HC_NU32; k++)
		if (req->hc_has_u32[k])
			plnl_put_u32(m, service_hc_u32s[k].type,
				     req->hc_u32[k]);
	if (req->hc_has_passive)
		plnl_put_u8(m, PLINK_A_HEALTH_CHECK_PASSIVE,
			    (unsigned char)req->hc_passive);
	plnl_nest_end(m, nest);
}

void service_req_put(struct plnl_msg *m, const struct service_req *req)
{
	const struct pl_listener *l;
	struct nlattr *nest;
	unsigned int k;
	size_t i;

	plnl_put_strz(m, PLINK_A_SERVICE_NAME, req->name);
	if (req->ifindex)
		plnl_put_u32(m, PLINK_A_SERVICE_IFINDEX, req->ifindex);
	for (i = 0; i < req->naddrs; i++)
		plnl_put(m, PLINK_A_SERVICE_ADDR, req->addrs[i].len,
			 req->addrs[i].bytes);
	for (i = 0; i < req->nlisteners; i++) {
		l = &req->listeners[i];
		nest = plnl_nest_start(m, PLINK_A_SERVICE_LISTENER);
		plnl_put_u8(m, PLINK_A_LISTENER_PROTO, l->proto);
		plnl_put_be16(m, PLINK_A_LISTENER_PORT, l->port);
		if (l->target_port)
			plnl_put_be16(m, PLINK_A_LISTENER_TARGET_PORT,
				      l->target_port);
		plnl_nest_end(m, nest);
	}
	if (req->has_acceptance)
		plnl_put_u32(m, PLINK_A_SERVICE_ACCEPTANCE, req->acceptance);
	for (i = 0; i < req->nprincipals; i++)
		plnl_put_strz(m, PLINK_A_SERVICE_PRINCIPAL, req->principals[i]);
	for (k = 0; k < SERVICE_NU32; k++)
		if (req->has_u32[k])
			plnl_put_u32(m, service_u32s[k].type, req->u32[k]);
	for (k = 0; k < SERVICE_NBOOL; k++)
		if (req->has_bool[k])
			plnl_put_u8(m, service_bools[k].type,
				    (unsigned char)req->on[k]);
	if (req->has_hc)
		service_req_put_hc(m, req);
	if (req->dns_name)
		plnl_put_strz(m, PLINK_A_SERVICE_DNS_NAME, req->dns_name);
	if (req->has_revoke)
		plnl_put_u32(m, PLINK_A_SERVICE_REVOKE, req->revoke);
	if (req->has_proxy)
		plnl_put_u32(m, PLINK_A_SERVICE_PROXY_PROTOCOL, req->proxy);
	for (i = 0; i < req->naccepted; i++) {
		nest = plnl_nest_start(m, PLINK_A_SERVICE_ACCEPTED);
		plnl_put_strz(m, PLINK_A_ACCEPTED_ID, req->accepted[i].id);
		plnl_put_u32(m, PLINK_A_ACCEPTED_OWNER_UID,
			     req->accepted[i].uid);
		plnl_nest_end(m, nest);
	}
}

void service_req_free(struct service_req *req)
{
	free(req->addrs);
	free(req->listeners);
	free(req->principals);
	free(req->accepted);
	memset(req, 0, sizeof(*req));
}

/* Get service @name's device and addresses, for their routes. */
static void service_get_addrs(struct plnl *nl, const char *name,
			      struct pl_addrs *addrs)
{
	struct plnl_msg m = plnl_msg_req(nl, PLINK_CMD_SERVICE_GET, 0);

	plnl_put_strz(&m, PLINK_A_SERVICE_NAME, name);
	pl_addrs_get(nl, &m, PLINK_A_SERVICE_IFINDEX, PLINK_A_SERVICE_ADDR,
		     addrs);
}

/* plinkctl service add NAME dev DEV addr ADDR... listener L... ... */
static int service_add(struct pl_ctx *ctx, int argc, char **argv)
{
	struct service_req req;
	struct plnl_msg m;
	struct plnl nl;
	char done[256];
	int ret;

	ret = service_req_parse(&req, true, argc, argv) ? PL_EXIT_USAGE :
	      pl_open_dev(ctx, req.dev, &req.ifindex, &nl);
	if (ret)
		goto out;

	m = plnl_msg_req(&nl, PLINK_CMD_SERVICE_NEW, 0);
	service_req_put(&m, &req);
	ret = pl_request(&nl, &m, NULL, NULL);
	plnl_close(&nl);

	if (!ret) {
		snprintf(done, sizeof(done), "service \"%s\" added", req.name);
		ret = pl_routes_add(req.ifindex, req.addrs, req.naddrs, done);
	}
out:
	service_req_free(&req);
	return ret;
}

/* plinkctl service set NAME [addr ADDR]... [listener L]... ... */
static int service_set(struct pl_ctx *ctx, int argc, char **argv)
{
	struct pl_revoked revoked = { .type = PLINK_A_SERVICE_REVOKED };
	struct pl_addrs old = { 0 }, new;
	struct service_req req;
	struct plnl_msg m;
	struct plnl nl;
	char done[256];
	int ret;

	ret = service_req_parse(&req, false, argc, argv) ? PL_EXIT_USAGE :
	      pl_open(ctx, &nl);
	if (ret)
		goto out;

	/* New addresses: the old ones' routes go, so find them first. */
	if (req.naddrs)
		service_get_addrs(&nl, req.name, &old);
	m = plnl_msg_req(&nl, PLINK_CMD_SERVICE_SET, 0);
	service_req_put(&m, &req);
	ret = pl_request(&nl, &m, pl_revoked_cb, &revoked);
	/* The consumers' hosts lines of the service follow its new name. */
	if (!ret && req.dns_name)
		ret = pl_dns_service_changed(&nl, req.name);
	plnl_close(&nl);
	if (!ret)
		pl_revoked_print(ctx, &revoked);

	if (!ret && req.naddrs) {
		snprintf(done, sizeof(done), "service \"%s\" changed",
			 req.name);
		new = (struct pl_addrs){ .v = req.addrs, .n = req.naddrs };
		if (!old.ifindex) {
			pl_err("%s, but its device is not known: its routes are not changed",
			       done);
			ret = PL_EXIT_KERNEL;
		} else {
			ret = pl_routes_del(old.ifindex, old.v, old.n, &new,
					    done);
		}
		if (!ret)
			ret = pl_routes_add(old.ifindex, req.addrs, req.naddrs,
					    done);
	}
	pl_addrs_free(&old);
out:
	service_req_free(&req);
	return ret;
}

/* plinkctl service del NAME [force] */
static int service_del(struct pl_ctx *ctx, int argc, char **argv)
{
	struct pl_addrs old;
	char done[256], dns_ref[128];
	struct plnl_msg m;
	struct plnl nl;
	bool force = false;
	int ret, i;

	if (argc < 1) {
		pl_missing("NAME", "service del");
		return PL_EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "force")) {
			pl_unknown(argv[i], "service del");
			return PL_EXIT_USAGE;
		}
		if (pl_once(&force, argv[i]))
			return PL_EXIT_USAGE;
	}
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;

	service_get_addrs(&nl, argv[0], &old);
	pl_dns_service_ref(&nl, argv[0], dns_ref, sizeof(dns_ref));
	m = plnl_msg_req(&nl, PLINK_CMD_SERVICE_DEL, 0);
	plnl_put_strz(&m, PLINK_A_SERVICE_NAME, argv[0]);
	if (force)
		plnl_put_flag(&m, PLINK_A_SERVICE_FORCE);
	ret = pl_request(&nl, &m, NULL, NULL);
	plnl_close(&nl);

	if (!ret && old.ifindex) {
		snprintf(done, sizeof(done), "service \"%s\" deleted", argv[0]);
		ret = pl_routes_del(old.ifindex, old.v, old.n, NULL, done);
	}
	if (!ret)
		ret = pl_dns_service_deleted(dns_ref);
	pl_addrs_free(&old);
	return ret;
}

/* The listener nest @nest; -1 if it is malformed. */
static int service_listener(const struct nlattr *nest, struct pl_listener *l,
			    bool *has_target_port)
{
	const struct nlattr *tb[PLINK_A_LISTENER_MAX + 1] = { NULL };

	if (plnl_parse_nested(nest, "service", listener_types,
			      PLINK_A_LISTENER_MAX, tb))
		return -1;
	if (!tb[PLINK_A_LISTENER_PROTO] || !tb[PLINK_A_LISTENER_PORT]) {
		pl_err("malformed service message from the kernel");
		return -1;
	}
	l->proto = mnl_attr_get_u8(tb[PLINK_A_LISTENER_PROTO]);
	l->port = ntohs(mnl_attr_get_u16(tb[PLINK_A_LISTENER_PORT]));
	*has_target_port = tb[PLINK_A_LISTENER_TARGET_PORT];
	l->target_port = *has_target_port ?
		ntohs(mnl_attr_get_u16(tb[PLINK_A_LISTENER_TARGET_PORT])) : 0;
	return 0;
}

/*
 * The listeners of @nlh: in the text " listener PROTO:PORT[:TPORT]" each, in JSON
 * the array "listeners" of {"proto", "listener_port", "target_port"}.  With no @p,
 * only check them.
 */
static int service_listeners(struct pl_print *p, enum pl_kind kind,
			     const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;
	struct pl_listener l;
	bool has_tport;
	char buf[8];

	if (p && (kind & PL_JSON))
		pl_open_array(p, "listeners");
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != PLINK_A_SERVICE_LISTENER)
			continue;
		if (service_listener(attr, &l, &has_tport))
			return -1;
		if (!p)
			continue;
		if (kind & PL_JSON)
			pl_open_object(p, NULL);
		pl_print_string(p, kind, "proto", " listener %s",
				pl_proto_name(l.proto, buf, sizeof(buf)));
		pl_print_uint(p, kind, "listener_port", ":%u", l.port);
		if (has_tport)
			pl_print_uint(p, kind & PL_JSON, "target_port", NULL,
				      l.target_port);
		if (has_tport && l.target_port != l.port)
			pl_print_uint(p, kind & PL_TEXT, NULL, ":%u",
				      l.target_port);
		if (kind & PL_JSON)
			pl_close_object(p);
	}
	if (p && (kind & PL_JSON))
		pl_close_array(p);
	return 0;
}

/*
 * The principals of @nlh: in JSON the array "principals" (as the kernel
 * has them), in the text " allow PRINCIPAL" each ("*" as any).
 */
static void service_principals(struct pl_print *p, enum pl_kind kind,
			       const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;
	const char *name;

	if (kind & PL_JSON)
		pl_open_array(p, "principals");
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != PLINK_A_SERVICE_PRINCIPAL)
			continue;
		name = mnl_attr_get_str(attr);
		pl_print_string(p, kind & PL_JSON, NULL, NULL, name);
		pl_print_string(p, kind & PL_TEXT, NULL, " allow %s",
				pl_principal_name(name));
	}
	if (kind & PL_JSON)
		pl_close_array(p);
}

/*
 * The health check, as "service set" takes it: in the text
 * " health-check TYPE port P interval S ...", in JSON the object
 * "health_check".
 */
static int service_print_hc(struct pl_print *p, const struct nlattr *nest)
{
	const struct nlattr *tb[PLINK_A_HEALTH_CHECK_MAX + 1] = { NULL };
	const struct nlattr *port;

	if (!nest)
		return 0;
	if (plnl_parse_nested(nest, "health check", hc_types,
			      PLINK_A_HEALTH_CHECK_MAX, tb))
		return -1;
	pl_open_object(p, "health_check");
	pl_print_attr_name(p, PL_ANY, "type", " health-check %s",
			   tb[PLINK_A_HEALTH_CHECK_TYPE], pl_hc_types,
			   ARRAY_SIZE(pl_hc_types));
	/* JSON: "check_port" if it has its own, and "traffic_port". */
	port = tb[PLINK_A_HEALTH_CHECK_PORT];
	if (port && mnl_attr_get_u16(port))
		pl_print_uint(p, PL_ANY, "check_port", " port %u",
			      ntohs(mnl_attr_get_u16(port)));
	else if (port)
		pl_print_string(p, PL_TEXT, NULL, " port %s", "traffic-port");
	if (port)
		pl_print_bool(p, PL_JSON, "traffic_port", NULL,
			      !mnl_attr_get_u16(port));
	pl_print_attr_str(p, PL_ANY, "path", " path %s",
			  tb[PLINK_A_HEALTH_CHECK_PATH]);
	pl_print_attr_str(p, PL_ANY, "match", " match %s",
			  tb[PLINK_A_HEALTH_CHECK_MATCH]);
	pl_print_attr_u32(p, PL_ANY, "interval", " interval %u",
			  tb[PLINK_A_HEALTH_CHECK_INTERVAL]);
	pl_print_attr_u32(p, PL_ANY, "timeout", " timeout %u",
			  tb[PLINK_A_HEALTH_CHECK_TIMEOUT]);
	pl_print_attr_u32(p, PL_ANY, "healthy_threshold",
			  " healthy-threshold %u",
			  tb[PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD]);
	pl_print_attr_u32(p, PL_ANY, "unhealthy_threshold",
			  " unhealthy-threshold %u",
			  tb[PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD]);
	pl_print_attr_on_off(p, PL_ANY, "passive", " passive %s",
			     tb[PLINK_A_HEALTH_CHECK_PASSIVE]);
	pl_close_object(p);
	return 0;
}

/*
 * A service, in the text as "service add" takes it, NAME dev DEV addr ADDR
 * listener L... acceptance A allow P... SETTING..., then an indented line
 * of what only the kernel sets: id ID owner uid:N state S targets N
 * endpoints N.  JSON has every attribute, in another order.  Only the
 * provider's view has the device, addresses and principals.
 */
static void service_print(struct pl_print *p, const struct nlmsghdr *nlh,
			  const struct nlattr **tb)
{
	bool own = tb[PLINK_A_SERVICE_IFINDEX];

	pl_print_attr_str(p, PL_JSON, "id", NULL, tb[PLINK_A_SERVICE_ID]);
	pl_print_attr_str(p, PL_ANY, "name", "%s", tb[PLINK_A_SERVICE_NAME]);
	pl_print_attr_u32(p, PL_JSON, "owner_uid", NULL,
			  tb[PLINK_A_SERVICE_OWNER_UID]);
	pl_print_attr_dev(p, PL_ANY, " dev %s", tb[PLINK_A_SERVICE_IFINDEX]);
	if (own || tb[PLINK_A_SERVICE_ADDR])
		pl_print_addrs(p, PL_ANY, "nlb_addrs", " addr %s", nlh,
			       PLINK_A_SERVICE_ADDR);
	service_listeners(p, PL_ANY, nlh);
	pl_print_attr_name(p, PL_ANY, "acceptance", " acceptance %s",
			   tb[PLINK_A_SERVICE_ACCEPTANCE], pl_acceptances,
			   ARRAY_SIZE(pl_acceptances));
	if (own || tb[PLINK_A_SERVICE_PRINCIPAL])
		service_principals(p, PL_ANY, nlh);
	pl_print_attr_u32(p, PL_ANY, "timeout_tcp", " timeout tcp %u",
			  tb[PLINK_A_SERVICE_TIMEOUT_TCP]);
	pl_print_attr_u32(p, PL_ANY, "timeout_udp", " timeout udp %u",
			  tb[PLINK_A_SERVICE_TIMEOUT_UDP]);
	pl_print_attr_u32(p, PL_ANY, "deregistration_delay",
			  " deregistration-delay %u",
			  tb[PLINK_A_SERVICE_DEREG_DELAY]);
	pl_print_attr_u32(p, PL_ANY, "max_flows", " max-flows %u",
			  tb[PLINK_A_SERVICE_MAX_FLOWS]);
	pl_print_attr_u32(p, PL_JSON, "endpoint_max_flows", NULL,
			  tb[PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS]);
	pl_print_attr_name(p, PL_JSON, "state", NULL,
			   tb[PLINK_A_SERVICE_STATE], pl_service_states,
			   ARRAY_SIZE(pl_service_states));
	pl_print_attr_u32(p, PL_JSON, "n_targets", NULL,
			  tb[PLINK_A_SERVICE_N_TARGETS]);
	pl_print_attr_u32(p, PL_JSON, "n_endpoints", NULL,
			  tb[PLINK_A_SERVICE_N_ENDPOINTS]);
	/* The settings, as "service set" takes them. */
	pl_print_attr_u32(p, PL_ANY, "maglev_size", " maglev-size %u",
			  tb[PLINK_A_SERVICE_MAGLEV_SIZE]);
	pl_print_attr_on_off(p, PL_ANY, "fail_open", " fail-open %s",
			     tb[PLINK_A_SERVICE_FAIL_OPEN]);
	pl_print_attr_on_off(p, PL_ANY, "reset_unhealthy",
			     " reset-unhealthy %s",
			     tb[PLINK_A_SERVICE_RESET_UNHEALTHY]);
	pl_print_attr_u32(p, PL_TEXT, NULL, " endpoint-max-flows %u",
			  tb[PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS]);
	pl_print_attr_name(p, PL_ANY, "revoke", " revoke %s",
			   tb[PLINK_A_SERVICE_REVOKE], pl_revokes,
			   ARRAY_SIZE(pl_revokes));
	pl_print_attr_str(p, PL_ANY, "dns_name", " dns-name %s",
			  tb[PLINK_A_SERVICE_DNS_NAME]);
	pl_print_attr_name(p, PL_JSON, "proxy_protocol", NULL,
			   tb[PLINK_A_SERVICE_PROXY_PROTOCOL], service_proxies,
			   ARRAY_SIZE(service_proxies));
	/* Text shows it only when on: "off" is every other service's. */
	if (tb[PLINK_A_SERVICE_PROXY_PROTOCOL] &&
	    mnl_attr_get_u32(tb[PLINK_A_SERVICE_PROXY_PROTOCOL]))
		pl_print_attr_name(p, PL_TEXT, NULL, " proxy-protocol %s",
				   tb[PLINK_A_SERVICE_PROXY_PROTOCOL],
				   service_proxies,
				   ARRAY_SIZE(service_proxies));
	/* Last: its settings run to the end of the line. */
	service_print_hc(p, tb[PLINK_A_SERVICE_HEALTH_CHECK]);

	/* What only the kernel sets, on a line of its own. */
	if (!tb[PLINK_A_SERVICE_ID] && !tb[PLINK_A_SERVICE_OWNER_UID] &&
	    !tb[PLINK_A_SERVICE_STATE] && !tb[PLINK_A_SERVICE_N_TARGETS] &&
	    !tb[PLINK_A_SERVICE_N_ENDPOINTS])
		return;
	pl_print_text(p, "\n   ");
	pl_print_attr_str(p, PL_TEXT, NULL, " id %s", tb[PLINK_A_SERVICE_ID]);
	pl_print_attr_u32(p, PL_TEXT, NULL, " owner uid:%u",
			  tb[PLINK_A_SERVICE_OWNER_UID]);
	pl_print_attr_name(p, PL_TEXT, NULL, " state %s",
			   tb[PLINK_A_SERVICE_STATE], pl_service_states,
			   ARRAY_SIZE(pl_service_states));
	pl_print_attr_u32(p, PL_TEXT, NULL, " targets %u",
			  tb[PLINK_A_SERVICE_N_TARGETS]);
	pl_print_attr_u32(p, PL_TEXT, NULL, " endpoints %u",
			  tb[PLINK_A_SERVICE_N_ENDPOINTS]);
}

static int service_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_SERVICE_MAX + 1] = { NULL };
	struct pl_show *s = data;

	if (plnl_parse(nlh, "service", service_types, PLINK_A_SERVICE_MAX,
		       tb) ||
	    service_listeners(NULL, 0, nlh))
		return MNL_CB_ERROR;
	if (!tb[PLINK_A_SERVICE_NAME]) {
		pl_err("malformed service message from the kernel");
		return MNL_CB_ERROR;
	}
	/*
	 * "show NAME" is a get: its one reply is the service, whichever form
	 * (NAME, uid:N/NAME, plsvc-ID) named it.
	 */
	pl_open_object(&s->p, NULL);
	service_print(&s->p, nlh, tb);
	if (s->ctx->stats &&
	    pl_print_stats(&s->p, tb[PLINK_A_SERVICE_STATS], s->ctx->details))
		return MNL_CB_ERROR;
	pl_close_object(&s->p);
	pl_print_nl(&s->p, PL_TEXT);
	return MNL_CB_OK;
}

/* plinkctl service show [NAME] */
static int service_show(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_show_key(ctx, PLINK_CMD_SERVICE_GET, PLINK_A_SERVICE_NAME,
			   service_show_cb, argc, argv);
}

static const struct pl_cmd service_cmds[] = {
	{ .name = "add",	.fn = service_add },
	{ .name = "del",	.fn = service_del },
	{ .name = "delete",	.fn = service_del },
	{ .name = "show",	.fn = service_show },
	{ .name = "list",	.fn = service_show },
	{ .name = "set",	.fn = service_set },
	{ .name = "help",	.usage = service_usage },
};

void service_usage(FILE *out)
{
	fputs("  plinkctl service add NAME dev DEV addr ADDR [addr ADDR]...\n"
	      "                     listener LISTENER [listener LISTENER]... [OPTION]...\n"
	      "  plinkctl service set SERVICE [addr ADDR]... [listener LISTENER]... [OPTION]...\n"
	      "  plinkctl service del SERVICE [force]\n"
	      "  plinkctl service [{ show | list } [SERVICE]]\n"
	      "      SERVICE := { NAME | uid:UID/NAME | plsvc-ID }\n"
	      "      LISTENER := PROTO:PORT[:TPORT]   PROTO := { tcp | udp }\n"
	      "      OPTION := { acceptance { required | auto } | allow PRINCIPAL |\n"
	      "                  max-flows N | endpoint-max-flows N |\n"
	      "                  timeout { tcp | udp } SEC |\n"
	      "                  deregistration-delay SEC | maglev-size N |\n"
	      "                  fail-open { on | off } |\n"
	      "                  reset-unhealthy { on | off } |\n"
	      "                  revoke { reset | keep } |\n"
	      "                  health-check { tcp | http } [HCOPTION]... |\n"
	      "                  health-check off | proxy-protocol { v2 | off } }\n"
	      "      PRINCIPAL := { uid:UID | any | '*' }\n"
	      "      HCOPTION := { port { N | traffic-port } | path PATH | match CODES |\n"
	      "                    interval SEC | timeout SEC | healthy-threshold N |\n"
	      "                    unhealthy-threshold N | passive { on | off } }\n", out);
}

int do_service(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "service", service_cmds,
			   ARRAY_SIZE(service_cmds), "show", argc, argv);
}
