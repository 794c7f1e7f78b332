// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl endpoint: interface endpoints, and their addresses' routes.
 *
 *	plinkctl endpoint add SERVICE dev DEV addr ADDR... [allow RULE]...
 *	plinkctl endpoint { accept | reject | del } ID
 *	plinkctl endpoint [{ show | list } [ID]]
 */

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "plinkctl.h"
#include "req.h"
#include "route.h"

static const enum mnl_attr_data_type
endpoint_types[PLINK_A_ENDPOINT_MAX + 1] = {
	[PLINK_A_ENDPOINT_ID]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_ENDPOINT_SERVICE]	= MNL_TYPE_NUL_STRING,
	[PLINK_A_ENDPOINT_IFINDEX]	= MNL_TYPE_U32,
	[PLINK_A_ENDPOINT_ADDR]		= MNL_TYPE_BINARY,
	[PLINK_A_ENDPOINT_RULE]		= MNL_TYPE_NESTED,
	[PLINK_A_ENDPOINT_STATE]	= MNL_TYPE_U32,
	[PLINK_A_ENDPOINT_OWNER_UID]	= MNL_TYPE_U32,
	[PLINK_A_ENDPOINT_SERVICE_OWNER] = MNL_TYPE_U32,
};

static const enum mnl_attr_data_type rule_types[PLINK_A_RULE_MAX + 1] = {
	[PLINK_A_RULE_PREFIX]		= MNL_TYPE_BINARY,
	[PLINK_A_RULE_PREFIX_LEN]	= MNL_TYPE_U8,
	[PLINK_A_RULE_PROTO]		= MNL_TYPE_U8,
	[PLINK_A_RULE_PORT_MIN]		= MNL_TYPE_U16,
	[PLINK_A_RULE_PORT_MAX]		= MNL_TYPE_U16,
};

/* One keyword of "endpoint add", argv[*i], and its value(s). */
static int endpoint_parse_kw(struct endpoint_req *req, int argc, char **argv,
			     int *i)
{
	const char *kw = argv[*i], *val;
	struct pl_rule *r;
	bool seen;

	if (strcmp(kw, "dev") && strcmp(kw, "addr") && strcmp(kw, "allow"))
		return pl_unknown(kw, "endpoint add");
	val = pl_value(argc, argv, i);
	if (!val)
		return -1;

	if (!strcmp(kw, "addr"))
		return pl_addr_parse(val, &req->addrs[req->naddrs++]);
	if (!strcmp(kw, "allow")) {
		/* allow PREFIX [PROTO:PORT[-PORT]] */
		r = &req->rules[req->nrules++];
		if (pl_prefix_parse(val, &r->prefix, &r->prefix_len))
			return -1;
		if (*i + 1 < argc && pl_is_proto_word(argv[*i + 1]))
			return pl_ports_parse(argv[++*i], r);
		return 0;
	}
	/* dev */
	seen = req->dev;
	req->dev = val;
	if (pl_once(&seen, kw))
		return -1;
	return pl_dev_check(val);
}

int endpoint_req_parse(struct endpoint_req *req, int argc, char **argv)
{
	size_t slots = argc > 0 ? (size_t)argc : 1;
	int i;

	memset(req, 0, sizeof(*req));
	req->addrs = calloc(slots, sizeof(*req->addrs));
	req->rules = calloc(slots, sizeof(*req->rules));
	if (!req->addrs || !req->rules) {
		pl_err("%s", strerror(errno));
		return -1;
	}

	if (argc < 1)
		return pl_missing("SERVICE", "endpoint add");
	req->service = argv[0];
	for (i = 1; i < argc; i++)
		if (endpoint_parse_kw(req, argc, argv, &i))
			return -1;
	if (!req->dev)
		return pl_missing("dev", "endpoint add");
	if (!req->naddrs)
		return pl_missing("addr", "endpoint add");
	return 0;
}

void endpoint_req_put(struct plnl_msg *m, const struct endpoint_req *req)
{
	const struct pl_rule *r;
	struct nlattr *nest;
	size_t i;

	plnl_put_strz(m, PLINK_A_ENDPOINT_SERVICE, req->service);
	if (req->ifindex)
		plnl_put_u32(m, PLINK_A_ENDPOINT_IFINDEX, req->ifindex);
	for (i = 0; i < req->naddrs; i++)
		plnl_put(m, PLINK_A_ENDPOINT_ADDR, req->addrs[i].len,
			 req->addrs[i].bytes);
	for (i = 0; i < req->nrules; i++) {
		r = &req->rules[i];
		nest = plnl_nest_start(m, PLINK_A_ENDPOINT_RULE);
		plnl_put(m, PLINK_A_RULE_PREFIX, r->prefix.len, r->prefix.bytes);
		plnl_put_u8(m, PLINK_A_RULE_PREFIX_LEN,
			    (unsigned char)r->prefix_len);
		if (r->proto) {
			plnl_put_u8(m, PLINK_A_RULE_PROTO, r->proto);
			plnl_put_be16(m, PLINK_A_RULE_PORT_MIN, r->port_min);
			plnl_put_be16(m, PLINK_A_RULE_PORT_MAX, r->port_max);
		}
		plnl_nest_end(m, nest);
	}
}

void endpoint_req_free(struct endpoint_req *req)
{
	free(req->addrs);
	free(req->rules);
	memset(req, 0, sizeof(*req));
}

/* Check an endpoint message into @tb; -1 after printing if malformed. */
static int endpoint_parse(const struct nlmsghdr *nlh,
			  const struct nlattr **tb)
{
	if (plnl_parse(nlh, "endpoint", endpoint_types, PLINK_A_ENDPOINT_MAX,
		       tb))
		return -1;
	if (!tb[PLINK_A_ENDPOINT_ID]) {
		pl_err("malformed endpoint message from the kernel");
		return -1;
	}
	return 0;
}

/* What ENDPOINT_NEW answers. */
struct endpoint_new {
	char id[32];
	unsigned int state;
	bool has_state;
};

static int endpoint_new_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_ENDPOINT_MAX + 1] = { NULL };
	struct endpoint_new *ep = data;

	if (endpoint_parse(nlh, tb))
		return MNL_CB_ERROR;
	snprintf(ep->id, sizeof(ep->id), "%s",
		 mnl_attr_get_str(tb[PLINK_A_ENDPOINT_ID]));
	ep->has_state = tb[PLINK_A_ENDPOINT_STATE];
	if (ep->has_state)
		ep->state = mnl_attr_get_u32(tb[PLINK_A_ENDPOINT_STATE]);
	return MNL_CB_OK;
}

/* plinkctl endpoint add SERVICE dev DEV addr ADDR... [allow RULE]... */
static int endpoint_add(struct pl_ctx *ctx, int argc, char **argv)
{
	struct endpoint_new ep = { .id = "" };
	struct endpoint_req req;
	struct json_writer jw;
	char done[64], state[PL_NAMELEN];
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	ret = endpoint_req_parse(&req, argc, argv) ? PL_EXIT_USAGE :
	      pl_open_dev(ctx, req.dev, &req.ifindex, &nl);
	if (ret)
		goto out;

	m = plnl_msg_req(&nl, PLINK_CMD_ENDPOINT_NEW, 0);
	endpoint_req_put(&m, &req);
	ret = pl_request(&nl, &m, endpoint_new_cb, &ep);
	plnl_close(&nl);
	if (!ret && !ep.id[0]) {
		pl_err("endpoint added, but the kernel did not say its id");
		ret = PL_EXIT_KERNEL;
	}
	if (!ret) {
		snprintf(done, sizeof(done), "endpoint %s added", ep.id);
		ret = pl_routes_add(req.ifindex, req.addrs, req.naddrs, done);
	}
out:
	endpoint_req_free(&req);
	if (ret)
		return ret;

	if (!ctx->json) {
		printf("%s\n", ep.id);
		return PL_EXIT_OK;
	}
	json_init(&jw, stdout);
	json_object_begin(&jw);
	json_kv_string(&jw, "id", ep.id);
	if (ep.has_state)
		json_kv_string(&jw, "state",
			       pl_name_of(pl_endpoint_states,
					  ARRAY_SIZE(pl_endpoint_states),
					  ep.state, state));
	json_object_end(&jw);
	putchar('\n');
	return PL_EXIT_OK;
}

/*
 * plinkctl endpoint { accept | reject | del } ID: request @nlcmd for the
 * endpoint ID; with @old, get its device and addresses first (into @old,
 * which the caller frees).
 */
static int endpoint_by_id(struct pl_ctx *ctx, const char *cmd,
			  unsigned char nlcmd, int argc, char **argv,
			  struct pl_addrs *old)
{
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	if (argc < 1) {
		pl_missing("ID", cmd);
		return PL_EXIT_USAGE;
	}
	if (pl_args_max(argc, argv, 1))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;

	if (old) {
		m = plnl_msg_req(&nl, PLINK_CMD_ENDPOINT_GET, 0);
		plnl_put_strz(&m, PLINK_A_ENDPOINT_ID, argv[0]);
		pl_addrs_get(&nl, &m, PLINK_A_ENDPOINT_IFINDEX,
			     PLINK_A_ENDPOINT_ADDR, old);
	}
	m = plnl_msg_req(&nl, nlcmd, 0);
	plnl_put_strz(&m, PLINK_A_ENDPOINT_ID, argv[0]);
	ret = pl_request(&nl, &m, NULL, NULL);
	plnl_close(&nl);
	return ret;
}

static int endpoint_accept(struct pl_ctx *ctx, int argc, char **argv)
{
	return endpoint_by_id(ctx, "endpoint accept",
			      PLINK_CMD_ENDPOINT_ACCEPT, argc, argv, NULL);
}

static int endpoint_reject(struct pl_ctx *ctx, int argc, char **argv)
{
	return endpoint_by_id(ctx, "endpoint reject",
			      PLINK_CMD_ENDPOINT_REJECT, argc, argv, NULL);
}

/* plinkctl endpoint del ID, and the routes of its addresses. */
static int endpoint_del(struct pl_ctx *ctx, int argc, char **argv)
{
	struct pl_addrs old = { 0 };
	char done[64];
	int ret;

	ret = endpoint_by_id(ctx, "endpoint del", PLINK_CMD_ENDPOINT_DEL,
			     argc, argv, &old);
	if (!ret && old.ifindex) {
		snprintf(done, sizeof(done), "endpoint %.32s deleted", argv[0]);
		ret = pl_routes_del(old.ifindex, old.v, old.n, NULL, done);
	}
	pl_addrs_free(&old);
	return ret;
}

/* The rule nest @nest, checked, into @tb; -1 after printing if malformed. */
static int endpoint_rule(const struct nlattr *nest, const struct nlattr **tb)
{
	memset(tb, 0, (PLINK_A_RULE_MAX + 1) * sizeof(*tb));
	if (plnl_parse_nested(nest, "endpoint", rule_types, PLINK_A_RULE_MAX,
			      tb))
		return -1;
	if (!tb[PLINK_A_RULE_PREFIX] || !tb[PLINK_A_RULE_PREFIX_LEN]) {
		pl_err("malformed endpoint message from the kernel");
		return -1;
	}
	return 0;
}

/* A port attribute of a rule, or 0. */
static unsigned int endpoint_rule_port(const struct nlattr *attr)
{
	return attr ? ntohs(mnl_attr_get_u16(attr)) : 0;
}

/*
 * Print (to @out) or write as JSON (with @jw) the rules of @nlh:
 * PREFIX[,PROTO[:PORT[-PORT]]], or {"prefix", "proto", "port_min",
 * "port_max"}.  With neither, only check them.
 */
static int endpoint_rules(const struct nlmsghdr *nlh, FILE *out,
			  struct json_writer *jw)
{
	char prefix[PL_ADDRSTRLEN + 4], addr[PL_ADDRSTRLEN], pbuf[8];
	const struct nlattr *tb[PLINK_A_RULE_MAX + 1], *attr;
	const char *proto;
	unsigned int min, max;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != PLINK_A_ENDPOINT_RULE)
			continue;
		if (endpoint_rule(attr, tb))
			return -1;
		pl_addr_fmt(mnl_attr_get_payload(tb[PLINK_A_RULE_PREFIX]),
			    mnl_attr_get_payload_len(tb[PLINK_A_RULE_PREFIX]),
			    addr);
		snprintf(prefix, sizeof(prefix), "%s/%u", addr,
			 mnl_attr_get_u8(tb[PLINK_A_RULE_PREFIX_LEN]));
		proto = tb[PLINK_A_RULE_PROTO] ?
			pl_proto_name(mnl_attr_get_u8(tb[PLINK_A_RULE_PROTO]),
				      pbuf, sizeof(pbuf)) : NULL;
		min = endpoint_rule_port(tb[PLINK_A_RULE_PORT_MIN]);
		max = endpoint_rule_port(tb[PLINK_A_RULE_PORT_MAX]);

		if (jw) {
			json_object_begin(jw);
			json_kv_string(jw, "prefix", prefix);
			if (proto)
				json_kv_string(jw, "proto", proto);
			if (tb[PLINK_A_RULE_PORT_MIN])
				json_kv_uint(jw, "port_min", min);
			if (tb[PLINK_A_RULE_PORT_MAX])
				json_kv_uint(jw, "port_max", max);
			json_object_end(jw);
		} else if (out) {
			fprintf(out, " %s", prefix);
			if (proto)
				fprintf(out, ",%s", proto);
			if (min)
				fprintf(out, ":%u", min);
			if (max && max != min)
				fprintf(out, "-%u", max);
		}
	}
	return 0;
}

/* The members of an endpoint's JSON object. */
static void endpoint_json(struct json_writer *jw, const struct nlmsghdr *nlh,
			  const struct nlattr **tb)
{
	/* Only the consumer's view has the device, addresses and rules. */
	bool own = tb[PLINK_A_ENDPOINT_IFINDEX];

	pl_json_str(jw, "id", tb[PLINK_A_ENDPOINT_ID]);
	pl_json_str(jw, "service", tb[PLINK_A_ENDPOINT_SERVICE]);
	pl_json_dev(jw, tb[PLINK_A_ENDPOINT_IFINDEX]);
	if (own || tb[PLINK_A_ENDPOINT_ADDR])
		pl_json_addrs(jw, "addrs", nlh, PLINK_A_ENDPOINT_ADDR);
	if (own || tb[PLINK_A_ENDPOINT_RULE]) {
		json_key(jw, "rules");
		json_array_begin(jw);
		endpoint_rules(nlh, NULL, jw);
		json_array_end(jw);
	}
	pl_json_name(jw, "state", tb[PLINK_A_ENDPOINT_STATE],
		     pl_endpoint_states, ARRAY_SIZE(pl_endpoint_states));
	pl_json_u32(jw, "owner_uid", tb[PLINK_A_ENDPOINT_OWNER_UID]);
	pl_json_u32(jw, "service_owner", tb[PLINK_A_ENDPOINT_SERVICE_OWNER]);
}

static int endpoint_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_ENDPOINT_MAX + 1] = { NULL };
	char dev[IF_NAMESIZE], state[PL_NAMELEN], owner[16];
	struct pl_show *s = data;
	const char *id = s->priv;
	bool rest;

	if (endpoint_parse(nlh, tb) || endpoint_rules(nlh, NULL, NULL))
		return MNL_CB_ERROR;
	if (id && strcmp(id, mnl_attr_get_str(tb[PLINK_A_ENDPOINT_ID])))
		return MNL_CB_OK;

	if (s->ctx->json) {
		json_object_begin(&s->jw);
		endpoint_json(&s->jw, nlh, tb);
		json_object_end(&s->jw);
		return MNL_CB_OK;
	}
	/* ID  STATE  SERVICE  DEV  OWNER  ADDR... RULE... */
	if (tb[PLINK_A_ENDPOINT_OWNER_UID])
		snprintf(owner, sizeof(owner), "uid:%u",
			 mnl_attr_get_u32(tb[PLINK_A_ENDPOINT_OWNER_UID]));
	else
		snprintf(owner, sizeof(owner), "-");
	/* No padding at the end of a line. */
	rest = tb[PLINK_A_ENDPOINT_ADDR] || tb[PLINK_A_ENDPOINT_RULE];
	fprintf(s->out, "%-22s %-18s %-16s %-8s %-*s",
		mnl_attr_get_str(tb[PLINK_A_ENDPOINT_ID]),
		pl_attr_name(tb[PLINK_A_ENDPOINT_STATE], pl_endpoint_states,
			     ARRAY_SIZE(pl_endpoint_states), state),
		pl_str(tb[PLINK_A_ENDPOINT_SERVICE]),
		pl_attr_dev(tb[PLINK_A_ENDPOINT_IFINDEX], dev), rest ? 10 : 0,
		owner);
	pl_print_addrs(s->out, nlh, PLINK_A_ENDPOINT_ADDR);
	endpoint_rules(nlh, s->out, NULL);
	fputc('\n', s->out);
	return MNL_CB_OK;
}

/* plinkctl endpoint show [ID] */
static int endpoint_show(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_show_key(ctx, PLINK_CMD_ENDPOINT_GET, PLINK_A_ENDPOINT_ID,
			   endpoint_show_cb, argc, argv);
}

int endpoint_event(struct pl_ctx *ctx, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PLINK_A_ENDPOINT_MAX + 1] = { NULL };
	struct json_writer jw;
	char state[PL_NAMELEN];

	if (endpoint_parse(nlh, tb) || endpoint_rules(nlh, NULL, NULL))
		return -1;
	if (ctx->json) {
		pl_event_begin(&jw, "endpoint");
		endpoint_json(&jw, nlh, tb);
		pl_event_end(&jw);
		return 0;
	}
	printf("endpoint %s %s service %s\n",
	       mnl_attr_get_str(tb[PLINK_A_ENDPOINT_ID]),
	       pl_attr_name(tb[PLINK_A_ENDPOINT_STATE], pl_endpoint_states,
			    ARRAY_SIZE(pl_endpoint_states), state),
	       pl_str(tb[PLINK_A_ENDPOINT_SERVICE]));
	return 0;
}

static const struct pl_cmd endpoint_cmds[] = {
	{ .name = "add",	.fn = endpoint_add },
	{ .name = "accept",	.fn = endpoint_accept },
	{ .name = "reject",	.fn = endpoint_reject },
	{ .name = "del",	.fn = endpoint_del },
	{ .name = "delete",	.fn = endpoint_del },
	{ .name = "show",	.fn = endpoint_show },
	{ .name = "list",	.fn = endpoint_show },
	{ .name = "help",	.usage = endpoint_usage },
};

void endpoint_usage(FILE *out)
{
	fputs("  plinkctl endpoint add SERVICE dev DEV addr ADDR [addr ADDR]...\n"
	      "                      [allow PREFIX [PORTS]]...\n"
	      "  plinkctl endpoint { accept | reject | del } ID\n"
	      "  plinkctl endpoint [{ show | list } [ID]]\n"
	      "      SERVICE := { NAME | uid:UID/NAME | plsvc-ID }\n"
	      "      PREFIX := { ADDR/LEN | ADDR }   PORTS := PROTO:PORT[-PORT]\n"
	      "      PROTO := { tcp | udp }\n", out);
}

int do_endpoint(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "endpoint", endpoint_cmds,
			   ARRAY_SIZE(endpoint_cmds), "show", argc, argv);
}
