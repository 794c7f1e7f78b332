// SPDX-License-Identifier: GPL-2.0
/*
 * A service request's configuration, parsed: listeners, principals, the
 * health check, the settings and the endpoints accepted in advance, for
 * service-new and service-set (nl-service.c).  The policy has checked
 * each attribute's type and range; what is left is what depends on more
 * than one attribute or on the module's state.
 */

#include <linux/slab.h>
#include <net/genetlink.h>

#include "maglev.h"
#include "netlink-gen.h"
#include "netlink.h"

static int plink_nl_parse_listener(const struct nlattr *nest,
				   struct plink_listener *l,
				   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PLINK_A_LISTENER_MAX + 1];
	int err;

	err = nla_parse_nested(tb, PLINK_A_LISTENER_MAX, nest,
			       plink_listener_nl_policy, extack);
	if (err)
		return err;
	if (!tb[PLINK_A_LISTENER_PROTO] || !tb[PLINK_A_LISTENER_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "listener needs a protocol and a port");
		return -EINVAL;
	}
	l->proto = nla_get_u8(tb[PLINK_A_LISTENER_PROTO]);
	if (l->proto != IPPROTO_TCP && l->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PLINK_A_LISTENER_PROTO],
				    "listener protocol must be tcp or udp");
		return -EINVAL;
	}
	l->port = nla_get_be16(tb[PLINK_A_LISTENER_PORT]);
	l->target_port = tb[PLINK_A_LISTENER_TARGET_PORT] ?
			 nla_get_be16(tb[PLINK_A_LISTENER_TARGET_PORT]) :
			 l->port;
	return 0;
}

/* The request's listeners, if it has any, replace @cfg's. */
static int plink_nl_parse_listeners(const struct genl_info *info,
				    struct plink_service_cfg *cfg)
{
	const struct nlattr *attr;
	int rem, err;

	if (!plink_nl_count(info, PLINK_A_SERVICE_LISTENER))
		return 0;
	cfg->nlisteners = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != PLINK_A_SERVICE_LISTENER)
			continue;
		if (cfg->nlisteners >= PLINK_MAX_LISTENERS) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many listeners (max 50)");
			return -E2BIG;
		}
		err = plink_nl_parse_listener(attr,
					      &cfg->listeners[cfg->nlisteners],
					      info->extack);
		if (err)
			return err;
		cfg->nlisteners++;
	}
	return 0;
}

/* The request's principals, if it has any, replace @cfg's. */
static int plink_nl_parse_principals(const struct genl_info *info,
				     struct plink_service_cfg *cfg)
{
	const struct nlattr *attr;
	char buf[PLINK_PRINCIPAL_LEN];
	int rem;

	if (!plink_nl_count(info, PLINK_A_SERVICE_PRINCIPAL))
		return 0;
	cfg->nprincipals = 0;
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != PLINK_A_SERVICE_PRINCIPAL)
			continue;
		if (cfg->nprincipals >= PLINK_MAX_PRINCIPALS) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many principals (max 64)");
			return -E2BIG;
		}
		nla_strscpy(buf, attr, sizeof(buf));
		if (plink_principal_parse(&cfg->principals[cfg->nprincipals],
					  buf)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "principal must be \"uid:N\" or \"*\"");
			return -EINVAL;
		}
		cfg->nprincipals++;
	}
	return 0;
}

/* A path of printable characters without spaces, beginning with "/". */
static bool plink_hc_path_valid(const char *path)
{
	if (*path != '/')
		return false;
	for (; *path; path++) {
		if (*path <= ' ' || *path > '~')
			return false;
	}
	return true;
}

/*
 * The request's health check, applied to @hc: each attribute given
 * replaces its value; type off removes the check (and its settings).
 */
static int plink_nl_parse_health_check(const struct nlattr *nest,
				       struct plink_health_cfg *hc,
				       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PLINK_A_HEALTH_CHECK_MAX + 1];
	struct plink_health_cfg new = *hc;
	char buf[PLINK_HC_PATH_LEN];
	struct nlattr *attr;
	int err;

	err = nla_parse_nested(tb, PLINK_A_HEALTH_CHECK_MAX, nest,
			       plink_health_check_nl_policy, extack);
	if (err)
		return err;
	if (tb[PLINK_A_HEALTH_CHECK_TYPE])
		new.type = nla_get_u32(tb[PLINK_A_HEALTH_CHECK_TYPE]);
	if (new.type == PLINK_HEALTH_CHECK_TYPE_OFF) {
		plink_health_cfg_init(hc);
		return 0;
	}
	attr = tb[PLINK_A_HEALTH_CHECK_PATH];
	if (attr) {
		nla_strscpy(buf, attr, sizeof(buf));
		if (!plink_hc_path_valid(buf)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "health-check path must begin with \"/\" and hold no spaces or control characters");
			return -EINVAL;
		}
		strscpy(new.path, buf, sizeof(new.path));
	}
	attr = tb[PLINK_A_HEALTH_CHECK_MATCH];
	if (attr) {
		nla_strscpy(new.match, attr, sizeof(new.match));
		err = plink_hc_match_parse(new.match, new.ranges,
					   PLINK_HC_MAX_RANGES, &new.nranges);
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "health-check match must be HTTP codes (100-599) and ranges, such as 200,202-299 (at most 16)");
			return err;
		}
	}
	if (tb[PLINK_A_HEALTH_CHECK_PORT])
		new.port = nla_get_be16(tb[PLINK_A_HEALTH_CHECK_PORT]);
	if (tb[PLINK_A_HEALTH_CHECK_INTERVAL])
		new.interval = nla_get_u32(tb[PLINK_A_HEALTH_CHECK_INTERVAL]);
	if (tb[PLINK_A_HEALTH_CHECK_TIMEOUT])
		new.timeout = nla_get_u32(tb[PLINK_A_HEALTH_CHECK_TIMEOUT]);
	if (tb[PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD])
		new.healthy =
			nla_get_u32(tb[PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD]);
	if (tb[PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD])
		new.unhealthy =
			nla_get_u32(tb[PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD]);
	if (tb[PLINK_A_HEALTH_CHECK_PASSIVE])
		new.passive = nla_get_u8(tb[PLINK_A_HEALTH_CHECK_PASSIVE]);
	if (new.timeout >= new.interval) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PLINK_A_HEALTH_CHECK_TIMEOUT] ?:
				    tb[PLINK_A_HEALTH_CHECK_INTERVAL] ?: nest,
				    "health-check timeout must be less than its interval");
		return -EINVAL;
	}
	*hc = new;
	return 0;
}

static void plink_nl_parse_u32(const struct genl_info *info, int type,
			       u32 *val)
{
	if (info->attrs[type])
		*val = nla_get_u32(info->attrs[type]);
}

static bool plink_cfg_has_tcp(const struct plink_service_cfg *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nlisteners; i++) {
		if (cfg->listeners[i].proto == IPPROTO_TCP)
			return true;
	}
	return false;
}

/*
 * The PROXY protocol applies to TCP listeners only: a service that has
 * none may not have it (whether the request sets it or its listeners).
 */
static int plink_nl_parse_proxy_protocol(const struct genl_info *info,
					 struct plink_service_cfg *cfg)
{
	struct nlattr *attr = info->attrs[PLINK_A_SERVICE_PROXY_PROTOCOL];

	if (attr)
		cfg->proxy_protocol = nla_get_u32(attr);
	if (cfg->proxy_protocol == PLINK_PROXY_PROTOCOL_OFF ||
	    plink_cfg_has_tcp(cfg))
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, attr ?:
			    info->attrs[PLINK_A_SERVICE_NAME],
			    "proxy-protocol applies to TCP listeners: the service has none");
	return -EINVAL;
}

/*
 * Apply the request's service attributes to @cfg (a copy, or defaults).
 * The policy has checked their ranges; what depends on the module's
 * parameters or is no range is checked here.
 */
int plink_nl_parse_service_cfg(const struct genl_info *info,
			       struct plink_service_cfg *cfg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	struct nlattr *attr;
	int err;

	if (plink_nl_count(info, PLINK_A_SERVICE_ADDR)) {
		err = plink_nl_parse_addrs(info, PLINK_A_SERVICE_ADDR,
					   cfg->addrs, &cfg->naddrs);
		if (err)
			return err;
	}
	err = plink_nl_parse_listeners(info, cfg) ?:
	      plink_nl_parse_principals(info, cfg);
	if (err)
		return err;
	attr = attrs[PLINK_A_SERVICE_HEALTH_CHECK];
	if (attr) {
		err = plink_nl_parse_health_check(attr, &cfg->hc, extack);
		if (err)
			return err;
	}
	if (attrs[PLINK_A_SERVICE_FAIL_OPEN])
		cfg->fail_open = nla_get_u8(attrs[PLINK_A_SERVICE_FAIL_OPEN]);
	if (attrs[PLINK_A_SERVICE_RESET_UNHEALTHY])
		cfg->reset_unhealthy =
			nla_get_u8(attrs[PLINK_A_SERVICE_RESET_UNHEALTHY]);
	if (attrs[PLINK_A_SERVICE_REVOKE])
		cfg->revoke = nla_get_u32(attrs[PLINK_A_SERVICE_REVOKE]);
	attr = attrs[PLINK_A_SERVICE_MAGLEV_SIZE];
	if (attr) {
		u32 m = nla_get_u32(attr);

		if (m < PLINK_MAGLEV_MIN_SIZE || !plink_maglev_size_valid(m)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "Maglev table size must be a prime from 251 to 65537");
			return -EINVAL;
		}
		cfg->maglev_size = m;
	}
	attr = attrs[PLINK_A_SERVICE_MAX_FLOWS];
	if (attr && nla_get_u32(attr) > plink_flows_max()) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "max-flows is above the global flow table (max_flows)");
		return -ERANGE;
	}
	plink_nl_parse_u32(info, PLINK_A_SERVICE_ACCEPTANCE, &cfg->acceptance);
	plink_nl_parse_u32(info, PLINK_A_SERVICE_TIMEOUT_TCP, &cfg->timeout_tcp);
	plink_nl_parse_u32(info, PLINK_A_SERVICE_TIMEOUT_UDP, &cfg->timeout_udp);
	plink_nl_parse_u32(info, PLINK_A_SERVICE_DEREG_DELAY, &cfg->dereg_delay);
	plink_nl_parse_u32(info, PLINK_A_SERVICE_MAX_FLOWS, &cfg->max_flows);
	plink_nl_parse_u32(info, PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS,
			   &cfg->endpoint_max_flows);
	attr = attrs[PLINK_A_SERVICE_DNS_NAME];
	if (attr) {
		nla_strscpy(cfg->dns_name, attr, sizeof(cfg->dns_name));
		if (cfg->dns_name[0] && !plink_dns_name_valid(cfg->dns_name)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "DNS name must be labels of 1-63 letters, digits or '-', joined by '.'");
			return -EINVAL;
		}
	}
	return plink_nl_parse_proxy_protocol(info, cfg);
}

/* The endpoints service-new accepts in advance: a new array in *@out. */
int plink_nl_parse_accepted(const struct genl_info *info,
			    struct plink_accepted **out, unsigned int *n)
{
	unsigned int max = plink_nl_count(info, PLINK_A_SERVICE_ACCEPTED);
	struct nlattr *tb[PLINK_A_ACCEPTED_MAX + 1];
	struct plink_accepted *v, *a;
	const struct nlattr *attr;
	int rem, err;

	*out = NULL;
	*n = 0;
	if (!max)
		return 0;
	if (max > PLINK_MAX_ACCEPTED) {
		NL_SET_ERR_MSG(info->extack, "too many accepted endpoints (max 64)");
		return -E2BIG;
	}
	v = kcalloc(max, sizeof(*v), PLINK_GFP_TENANT);
	if (!v) {
		NL_SET_ERR_MSG(info->extack, "no memory for the service");
		return -ENOMEM;
	}
	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) != PLINK_A_SERVICE_ACCEPTED)
			continue;
		err = nla_parse_nested(tb, PLINK_A_ACCEPTED_MAX, attr,
				       plink_accepted_nl_policy, info->extack);
		if (err)
			goto err_free;
		a = &v[*n];
		if (!tb[PLINK_A_ACCEPTED_ID] || !tb[PLINK_A_ACCEPTED_OWNER_UID]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "accepted endpoint needs an id and an owner");
			err = -EINVAL;
			goto err_free;
		}
		if (nla_strscpy(a->id, tb[PLINK_A_ACCEPTED_ID], sizeof(a->id)) < 0 ||
		    !plink_endpoint_id_valid(a->id)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[PLINK_A_ACCEPTED_ID],
					    "endpoint id must be \"plep-\" and 16 lowercase hex digits");
			err = -EINVAL;
			goto err_free;
		}
		a->uid = nla_get_u32(tb[PLINK_A_ACCEPTED_OWNER_UID]);
		(*n)++;
	}
	*out = v;
	return 0;

err_free:
	kfree(v);
	*n = 0;
	return err;
}
