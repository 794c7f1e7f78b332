// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl save: the netns's plink configuration as plinkctl lines, which
 * "plinkctl -batch" runs to rebuild it in an empty netns:
 *
 *	dev add DEV mtu MTU [up]
 *	service add NAME dev DEV addr ADDR... listener L... SETTINGS...
 *		[accepted uid:N/plep-ID]...
 *	target add SERVICE ADDR[:PORT] weight W [zone Z] [health H]
 *	endpoint add uid:N/SERVICE dev DEV addr ADDR... [allow RULE]... id ID
 *	endpoint set ID mark N	(a provider's mark on a consumer's endpoint)
 *
 * Every setting is written, defaults too, so that a save of the restored
 * netns is the same, byte for byte.  The host routes come back with the
 * services and endpoints (plinkctl adds them).  An endpoint keeps its id,
 * and a service whose acceptance is required lists the endpoints it has
 * accepted, so that they are available again once both sides are back.
 * A provider's marks apply to endpoints that exist: its "endpoint set"
 * lines fail until their consumers are back (run them again then).
 */

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/plink.h>

#include "addr.h"
#include "plinkctl.h"

/* An endpoint the netns sees (its own, or of one of its services). */
struct save_ep {
	char id[32];
	char svc[80];
	unsigned int svc_owner;
	unsigned int owner;
	bool available;
};

struct save {
	FILE *out;
	int fd;			/* for the devices' MTU and flags */
	struct save_ep *eps;	/* for the services' accepted endpoints */
	size_t neps;
};

static const char *save_ifname(const struct nlattr *attr, char *buf)
{
	if (!attr || !if_indextoname(mnl_attr_get_u32(attr), buf))
		snprintf(buf, IF_NAMESIZE, "%u",
			 attr ? mnl_attr_get_u32(attr) : 0);
	return buf;
}

/* " KW ADDR" for each address attribute @type of @nlh. */
static void save_addrs(FILE *out, const char *kw, const struct nlmsghdr *nlh,
		       unsigned int type)
{
	const struct nlattr *attr;
	char buf[PL_ADDRSTRLEN];

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == type)
			fprintf(out, " %s %s", kw,
				pl_addr_fmt(mnl_attr_get_payload(attr),
					    mnl_attr_get_payload_len(attr),
					    buf));
}

static const struct nlattr *save_attr(const struct nlmsghdr *nlh,
				      unsigned int type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

static const struct nlattr *save_nested(const struct nlattr *nest,
					unsigned int type)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest)
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

static unsigned int save_u32(const struct nlmsghdr *nlh, unsigned int type)
{
	const struct nlattr *attr = save_attr(nlh, type);

	return attr ? mnl_attr_get_u32(attr) : 0;
}

static int save_dev_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *name = save_attr(nlh, PLINK_A_DEV_IFNAME);
	struct save *s = data;
	struct ifreq ifr = { 0 };

	if (!name)
		return MNL_CB_OK;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s",
		 mnl_attr_get_str(name));
	fprintf(s->out, "dev add %s", ifr.ifr_name);
	if (!ioctl(s->fd, SIOCGIFMTU, &ifr))
		fprintf(s->out, " mtu %d", ifr.ifr_mtu);
	if (!ioctl(s->fd, SIOCGIFFLAGS, &ifr) && (ifr.ifr_flags & IFF_UP))
		fputs(" up", s->out);
	fputc('\n', s->out);
	return MNL_CB_OK;
}

/* uid:N/plep-ID entries, sorted so that the order is always the same. */
static int save_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One "uid:N/plep-ID" more in *@v (of *@n); false if out of memory. */
static bool save_accepted_add(char ***v, size_t *n, unsigned int uid,
			      const char *id)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return false;
	*v = nv;
	if (asprintf(&nv[*n], "uid:%u/%s", uid, id) < 0)
		return false;
	(*n)++;
	return true;
}

/*
 * The endpoints service NAME of OWNER accepted: those available (of a
 * service whose acceptance is required), and those it accepted in advance
 * that no endpoint has claimed yet.
 */
static void save_accepted(struct save *s, const struct nlmsghdr *nlh,
			  const char *name, unsigned int owner, bool required)
{
	const struct nlattr *attr, *id, *uid;
	FILE *out = s->out;
	char **v = NULL;
	size_t n = 0, i;

	for (i = 0; required && i < s->neps; i++)
		if (s->eps[i].available && s->eps[i].svc_owner == owner &&
		    !strcmp(s->eps[i].svc, name) &&
		    !save_accepted_add(&v, &n, s->eps[i].owner, s->eps[i].id))
			break;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != PLINK_A_SERVICE_ACCEPTED)
			continue;
		id = save_nested(attr, PLINK_A_ACCEPTED_ID);
		uid = save_nested(attr, PLINK_A_ACCEPTED_OWNER_UID);
		if (!id || !uid)
			continue;
		if (!save_accepted_add(&v, &n, mnl_attr_get_u32(uid),
				       mnl_attr_get_str(id)))
			break;
	}
	qsort(v, n, sizeof(*v), save_cmp);
	for (i = 0; i < n; i++) {
		fprintf(out, " accepted %s", v[i]);
		free(v[i]);
	}
	free(v);
}

/*
 * The service's health check, as "service add" takes it (nothing when it
 * has none): " health-check TYPE port P|traffic-port [path P match M]
 * interval S timeout S healthy-threshold N unhealthy-threshold N passive
 * on|off".
 */
static void save_health_check(struct save *s, const struct nlattr *nest)
{
	const struct nlattr *a;
	char tbuf[PL_NAMELEN];
	unsigned int type;

	a = nest ? save_nested(nest, PLINK_A_HEALTH_CHECK_TYPE) : NULL;
	type = a ? mnl_attr_get_u32(a) : PLINK_HEALTH_CHECK_TYPE_OFF;
	if (type == PLINK_HEALTH_CHECK_TYPE_OFF)
		return;
	fprintf(s->out, " health-check %s",
		pl_name_of(pl_hc_types, ARRAY_SIZE(pl_hc_types), type, tbuf));
	a = save_nested(nest, PLINK_A_HEALTH_CHECK_PORT);
	if (a && mnl_attr_get_u16(a))
		fprintf(s->out, " port %u", ntohs(mnl_attr_get_u16(a)));
	else
		fputs(" port traffic-port", s->out);
	a = save_nested(nest, PLINK_A_HEALTH_CHECK_PATH);
	if (a)
		fprintf(s->out, " path %s", mnl_attr_get_str(a));
	a = save_nested(nest, PLINK_A_HEALTH_CHECK_MATCH);
	if (a)
		fprintf(s->out, " match %s", mnl_attr_get_str(a));
	a = save_nested(nest, PLINK_A_HEALTH_CHECK_INTERVAL);
	if (a)
		fprintf(s->out, " interval %u", mnl_attr_get_u32(a));
	a = save_nested(nest, PLINK_A_HEALTH_CHECK_TIMEOUT);
	if (a)
		fprintf(s->out, " timeout %u", mnl_attr_get_u32(a));
	a = save_nested(nest, PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD);
	if (a)
		fprintf(s->out, " healthy-threshold %u", mnl_attr_get_u32(a));
	a = save_nested(nest, PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD);
	if (a)
		fprintf(s->out, " unhealthy-threshold %u", mnl_attr_get_u32(a));
	a = save_nested(nest, PLINK_A_HEALTH_CHECK_PASSIVE);
	fprintf(s->out, " passive %s", a && mnl_attr_get_u8(a) ? "on" : "off");
}

static int save_service_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr, *name = save_attr(nlh, PLINK_A_SERVICE_NAME);
	const struct nlattr *tport;
	char buf[IF_NAMESIZE], proto[8];
	struct save *s = data;
	unsigned int port;

	/* Only the provider's view has the device: a service of this netns. */
	if (!name || !save_attr(nlh, PLINK_A_SERVICE_IFINDEX))
		return MNL_CB_OK;
	fprintf(s->out, "service add %s dev %s", mnl_attr_get_str(name),
		save_ifname(save_attr(nlh, PLINK_A_SERVICE_IFINDEX), buf));
	save_addrs(s->out, "addr", nlh, PLINK_A_SERVICE_ADDR);
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != PLINK_A_SERVICE_LISTENER)
			continue;
		port = ntohs(mnl_attr_get_u16(save_nested(attr,
							  PLINK_A_LISTENER_PORT)));
		tport = save_nested(attr, PLINK_A_LISTENER_TARGET_PORT);
		fprintf(s->out, " listener %s:%u:%u",
			pl_proto_name(mnl_attr_get_u8(save_nested(attr,
								  PLINK_A_LISTENER_PROTO)),
				      proto, sizeof(proto)),
			port, tport ? ntohs(mnl_attr_get_u16(tport)) : port);
	}
	fprintf(s->out, " acceptance %s",
		save_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE) ==
		PLINK_ACCEPTANCE_AUTO ? "auto" : "required");
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == PLINK_A_SERVICE_PRINCIPAL)
			fprintf(s->out, " allow %s", mnl_attr_get_str(attr));
	fprintf(s->out, " timeout tcp %u timeout udp %u deregistration-delay %u",
		save_u32(nlh, PLINK_A_SERVICE_TIMEOUT_TCP),
		save_u32(nlh, PLINK_A_SERVICE_TIMEOUT_UDP),
		save_u32(nlh, PLINK_A_SERVICE_DEREG_DELAY));
	fprintf(s->out, " max-flows %u endpoint-max-flows %u maglev-size %u",
		save_u32(nlh, PLINK_A_SERVICE_MAX_FLOWS),
		save_u32(nlh, PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS),
		save_u32(nlh, PLINK_A_SERVICE_MAGLEV_SIZE));
	attr = save_attr(nlh, PLINK_A_SERVICE_FAIL_OPEN);
	fprintf(s->out, " fail-open %s",
		attr && mnl_attr_get_u8(attr) ? "on" : "off");
	attr = save_attr(nlh, PLINK_A_SERVICE_RESET_UNHEALTHY);
	fprintf(s->out, " reset-unhealthy %s",
		attr && mnl_attr_get_u8(attr) ? "on" : "off");
	save_health_check(s, save_attr(nlh, PLINK_A_SERVICE_HEALTH_CHECK));
	attr = save_attr(nlh, PLINK_A_SERVICE_DNS_NAME);
	if (attr)
		fprintf(s->out, " dns-name %s", mnl_attr_get_str(attr));
	/* Off is the default, and what a kernel without it does. */
	if (save_u32(nlh, PLINK_A_SERVICE_PROXY_PROTOCOL) ==
	    PLINK_PROXY_PROTOCOL_V2)
		fputs(" proxy-protocol v2", s->out);
	save_accepted(s, nlh, mnl_attr_get_str(name),
		      save_u32(nlh, PLINK_A_SERVICE_OWNER_UID),
		      save_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE) ==
		      PLINK_ACCEPTANCE_REQUIRED);
	fputc('\n', s->out);
	return MNL_CB_OK;
}

static int save_target_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *svc = save_attr(nlh, PLINK_A_TARGET_SERVICE);
	const struct nlattr *addr = save_attr(nlh, PLINK_A_TARGET_ADDR);
	const struct nlattr *port = save_attr(nlh, PLINK_A_TARGET_PORT);
	const struct nlattr *zone = save_attr(nlh, PLINK_A_TARGET_ZONE);
	const struct nlattr *health = save_attr(nlh, PLINK_A_TARGET_HEALTH);
	const struct nlattr *reason = save_attr(nlh, PLINK_A_TARGET_REASON);
	char buf[PL_ADDRSTRLEN], hbuf[PL_NAMELEN];
	struct save *s = data;

	if (!svc || !addr)
		return MNL_CB_OK;
	fprintf(s->out, "target add %s %s weight %u", mnl_attr_get_str(svc),
		pl_addr_port_fmt(mnl_attr_get_payload(addr),
				 mnl_attr_get_payload_len(addr),
				 port ? ntohs(mnl_attr_get_u16(port)) : 0, buf),
		save_u32(nlh, PLINK_A_TARGET_WEIGHT));
	if (zone && *mnl_attr_get_str(zone))
		fprintf(s->out, " zone %s", mnl_attr_get_str(zone));
	/*
	 * Health is the health checks' to find again; only one set by the
	 * provider (reason "manual") is kept.
	 */
	if (health && reason &&
	    mnl_attr_get_u32(reason) == PLINK_HEALTH_REASON_MANUAL)
		fprintf(s->out, " health %s",
			pl_name_of(pl_healths, ARRAY_SIZE(pl_healths),
				   mnl_attr_get_u32(health), hbuf));
	fputc('\n', s->out);
	return MNL_CB_OK;
}

static int save_endpoint_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr, *a, *id = save_attr(nlh, PLINK_A_ENDPOINT_ID);
	const struct nlattr *svc = save_attr(nlh, PLINK_A_ENDPOINT_SERVICE);
	const struct nlattr *dev = save_attr(nlh, PLINK_A_ENDPOINT_IFINDEX);
	char buf[PL_ADDRSTRLEN], proto[8];
	struct save *s = data;
	unsigned int pmin, pmax;

	/* The provider's view has the mark, if it set one. */
	a = save_attr(nlh, PLINK_A_ENDPOINT_MARK);
	if (id && !dev && a && mnl_attr_get_u32(a))
		fprintf(s->out, "endpoint set %s mark %u\n",
			mnl_attr_get_str(id), mnl_attr_get_u32(a));
	/* Only the consumer's view has the device: an endpoint of this netns. */
	if (!id || !svc || !dev)
		return MNL_CB_OK;
	if (save_u32(nlh, PLINK_A_ENDPOINT_STATE) ==
	    PLINK_ENDPOINT_STATE_DELETED) {
		fprintf(s->out, "# endpoint %s: its service %s is gone\n",
			mnl_attr_get_str(id), mnl_attr_get_str(svc));
		return MNL_CB_OK;
	}
	fprintf(s->out, "endpoint add uid:%u/%s dev %s",
		save_u32(nlh, PLINK_A_ENDPOINT_SERVICE_OWNER),
		mnl_attr_get_str(svc), save_ifname(dev, buf));
	save_addrs(s->out, "addr", nlh, PLINK_A_ENDPOINT_ADDR);
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != PLINK_A_ENDPOINT_RULE)
			continue;
		a = save_nested(attr, PLINK_A_RULE_PREFIX);
		if (!a)
			continue;
		fprintf(s->out, " allow %s/%u",
			pl_addr_fmt(mnl_attr_get_payload(a),
				    mnl_attr_get_payload_len(a), buf),
			mnl_attr_get_u8(save_nested(attr,
						    PLINK_A_RULE_PREFIX_LEN)));
		a = save_nested(attr, PLINK_A_RULE_PROTO);
		if (!a)
			continue;
		pmin = ntohs(mnl_attr_get_u16(save_nested(attr,
							  PLINK_A_RULE_PORT_MIN)));
		pmax = ntohs(mnl_attr_get_u16(save_nested(attr,
							  PLINK_A_RULE_PORT_MAX)));
		fprintf(s->out, " %s:%u",
			pl_proto_name(mnl_attr_get_u8(a), proto, sizeof(proto)),
			pmin);
		if (pmax != pmin)
			fprintf(s->out, "-%u", pmax);
	}
	a = save_attr(nlh, PLINK_A_ENDPOINT_PRIVATE_DNS);
	if (a && !mnl_attr_get_u8(a))
		fputs(" private-dns off", s->out);
	fprintf(s->out, " id %s\n", mnl_attr_get_str(id));
	return MNL_CB_OK;
}

/* First, every endpoint, for the services' accepted ones. */
static int save_ep_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *id = save_attr(nlh, PLINK_A_ENDPOINT_ID);
	const struct nlattr *svc = save_attr(nlh, PLINK_A_ENDPOINT_SERVICE);
	struct save *s = data;
	struct save_ep *v, *ep;

	if (!id || !svc)
		return MNL_CB_OK;
	v = realloc(s->eps, (s->neps + 1) * sizeof(*v));
	if (!v) {
		pl_err("%s", strerror(errno));
		return MNL_CB_ERROR;
	}
	s->eps = v;
	ep = &v[s->neps++];
	snprintf(ep->id, sizeof(ep->id), "%s", mnl_attr_get_str(id));
	snprintf(ep->svc, sizeof(ep->svc), "%s", mnl_attr_get_str(svc));
	ep->svc_owner = save_u32(nlh, PLINK_A_ENDPOINT_SERVICE_OWNER);
	ep->owner = save_u32(nlh, PLINK_A_ENDPOINT_OWNER_UID);
	ep->available = save_u32(nlh, PLINK_A_ENDPOINT_STATE) ==
			PLINK_ENDPOINT_STATE_AVAILABLE;
	return MNL_CB_OK;
}

static int save_dump(struct plnl *nl, unsigned char cmd, mnl_cb_t cb,
		     struct save *s)
{
	struct plnl_msg m = plnl_msg_req(nl, cmd, NLM_F_DUMP);

	return pl_request(nl, &m, cb, s);
}

/* plinkctl [-n NETNS] save */
int do_save(struct pl_ctx *ctx, int argc, char **argv)
{
	struct save s = { .fd = -1 };
	char *text = NULL;
	struct plnl nl;
	size_t len = 0;
	int ret;

	if (pl_args_max(argc, argv, 0))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	s.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	s.out = open_memstream(&text, &len);
	if (s.fd < 0 || !s.out) {
		pl_err("%s", strerror(errno));
		ret = PL_EXIT_USAGE;
		goto out;
	}
	fputs("# plinkctl save\n", s.out);
	ret = save_dump(&nl, PLINK_CMD_ENDPOINT_GET, save_ep_cb, &s);
	if (!ret)
		ret = save_dump(&nl, PLINK_CMD_DEV_GET, save_dev_cb, &s);
	if (!ret)
		ret = save_dump(&nl, PLINK_CMD_SERVICE_GET, save_service_cb, &s);
	if (!ret)
		ret = save_dump(&nl, PLINK_CMD_TARGET_GET, save_target_cb, &s);
	if (!ret)
		ret = save_dump(&nl, PLINK_CMD_ENDPOINT_GET, save_endpoint_cb,
				&s);
out:
	plnl_close(&nl);
	if (s.fd >= 0)
		close(s.fd);
	free(s.eps);
	if (s.out && fclose(s.out) && !ret) {
		pl_err("%s", strerror(errno));
		ret = PL_EXIT_USAGE;
	}
	/* All of it, or nothing. */
	if (!ret)
		fwrite(text, 1, len, stdout);
	free(text);
	return ret;
}

void save_usage(FILE *out)
{
	fputs("  plinkctl [-n NETNS] save\n"
	      "  plinkctl [-n NETNS] [-force] -batch { FILE | - }\n", out);
}
