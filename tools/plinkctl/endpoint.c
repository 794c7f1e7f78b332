// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl endpoint: interface endpoints, and their addresses' routes.
 *
 *	plinkctl endpoint add SERVICE dev DEV addr ADDR... [allow RULE]...
 *	plinkctl endpoint { accept | reject | del } ID
 *	plinkctl endpoint set ID [mark N] [allow { PREFIX [PORTS] | all }]...
 *	plinkctl endpoint [{ show | list } [ID]]
 */

#include <arpa/inet.h>
#include <errno.h>
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
	[PLINK_A_ENDPOINT_MARK]		= MNL_TYPE_U32,
	[PLINK_A_ENDPOINT_REVOKED]	= MNL_TYPE_U32,
	[PLINK_A_ENDPOINT_PRIVATE_DNS]	= MNL_TYPE_U8,
	[PLINK_A_ENDPOINT_STATS]	= MNL_TYPE_NESTED,
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

	if (strcmp(kw, "dev") && strcmp(kw, "addr") && strcmp(kw, "allow") &&
	    strcmp(kw, "id") && strcmp(kw, "private-dns"))
		return pl_unknown(kw, "endpoint add");
	val = pl_value(argc, argv, i);
	if (!val)
		return -1;

	if (!strcmp(kw, "private-dns")) {
		if (pl_once(&req->has_private_dns, kw))
			return -1;
		return pl_name_parse(kw, pl_onoff, ARRAY_SIZE(pl_onoff), val,
				     &req->private_dns);
	}

	if (!strcmp(kw, "id")) {
		seen = req->id;
		req->id = val;
		return pl_once(&seen, kw);
	}

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

static void endpoint_put_rules(struct plnl_msg *m, const struct pl_rule *rules,
			       size_t n)
{
	const struct pl_rule *r;
	struct nlattr *nest;
	size_t i;

	for (i = 0; i < n; i++) {
		r = &rules[i];
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

void endpoint_req_put(struct plnl_msg *m, const struct endpoint_req *req)
{
	size_t i;

	plnl_put_strz(m, PLINK_A_ENDPOINT_SERVICE, req->service);
	if (req->id)
		plnl_put_strz(m, PLINK_A_ENDPOINT_ID, req->id);
	if (req->has_private_dns)
		plnl_put_u8(m, PLINK_A_ENDPOINT_PRIVATE_DNS,
			    (unsigned char)req->private_dns);
	if (req->ifindex)
		plnl_put_u32(m, PLINK_A_ENDPOINT_IFINDEX, req->ifindex);
	for (i = 0; i < req->naddrs; i++)
		plnl_put(m, PLINK_A_ENDPOINT_ADDR, req->addrs[i].len,
			 req->addrs[i].bytes);
	endpoint_put_rules(m, req->rules, req->nrules);
}

/*
 * The words after "endpoint set": ID, then mark N and allow rules (which
 * replace the security group; "allow all": no rules, everything allowed).
 */
int endpoint_set_req_parse(struct endpoint_set_req *req, int argc,
			   char **argv)
{
	const char *val;
	struct pl_rule *r;
	bool all = false;
	int i;

	memset(req, 0, sizeof(*req));
	req->rules = calloc(argc > 0 ? (size_t)argc : 1, sizeof(*req->rules));
	if (!req->rules) {
		pl_err("%s", strerror(errno));
		return -1;
	}
	if (argc < 1)
		return pl_missing("ID", "endpoint set");
	req->id = argv[0];
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "mark") && strcmp(argv[i], "allow"))
			return pl_unknown(argv[i], "endpoint set");
		val = pl_value(argc, argv, &i);
		if (!val)
			return -1;
		if (!strcmp(argv[i - 1], "mark")) {
			if (pl_once(&req->has_mark, "mark") ||
			    pl_u32_parse("mark", val, &req->mark))
				return -1;
			continue;
		}
		req->rule_replace = true;
		if (!strcmp(val, "all")) {
			all = true;
			continue;
		}
		r = &req->rules[req->nrules++];
		if (pl_prefix_parse(val, &r->prefix, &r->prefix_len))
			return -1;
		if (i + 1 < argc && pl_is_proto_word(argv[i + 1]) &&
		    pl_ports_parse(argv[++i], r))
			return -1;
	}
	if (all && req->nrules) {
		pl_err("\"allow all\" and rules exclude each other");
		return -1;
	}
	if (!req->has_mark && !req->rule_replace)
		return pl_missing("mark or allow", "endpoint set");
	return 0;
}

void endpoint_set_req_put(struct plnl_msg *m,
			  const struct endpoint_set_req *req)
{
	plnl_put_strz(m, PLINK_A_ENDPOINT_ID, req->id);
	if (req->has_mark)
		plnl_put_u32(m, PLINK_A_ENDPOINT_MARK, req->mark);
	if (req->rule_replace)
		plnl_put(m, PLINK_A_ENDPOINT_RULE_REPLACE, 0, NULL);
	endpoint_put_rules(m, req->rules, req->nrules);
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
	char done[64], state[PL_NAMELEN];
	struct pl_print p;
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
	if (!ret && !pl_open(ctx, &nl)) {
		ret = pl_dns_endpoint_added(ctx, &nl, ep.id, req.service,
					    !req.has_private_dns ||
					    req.private_dns,
					    req.addrs, req.naddrs);
		plnl_close(&nl);
	}
out:
	endpoint_req_free(&req);
	if (ret)
		return ret;

	pl_print_init(&p, stdout, ctx->json);
	pl_open_object(&p, NULL);
	pl_print_string(&p, PL_ANY, "id", "%s", ep.id);
	if (ep.has_state)
		pl_print_string(&p, PL_JSON, "state", NULL,
				pl_name_of(pl_endpoint_states,
					   ARRAY_SIZE(pl_endpoint_states),
					   ep.state, state));
	pl_close_object(&p);
	pl_print_nl(&p, PL_ANY);
	return PL_EXIT_OK;
}

/* What pl_endpoint_of_dev() looks for, and what it found. */
struct endpoint_of_dev {
	unsigned int ifindex;
	char *id;
	size_t len;
	unsigned int n;
};

static int endpoint_of_dev_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_ENDPOINT_MAX + 1] = { NULL };
	struct endpoint_of_dev *d = data;

	if (endpoint_parse(nlh, tb))
		return MNL_CB_ERROR;
	if (!tb[PLINK_A_ENDPOINT_IFINDEX] ||
	    mnl_attr_get_u32(tb[PLINK_A_ENDPOINT_IFINDEX]) != d->ifindex)
		return MNL_CB_OK;
	if (!d->n++)
		snprintf(d->id, d->len, "%s",
			 mnl_attr_get_str(tb[PLINK_A_ENDPOINT_ID]));
	return MNL_CB_OK;
}

int pl_endpoint_of_dev(struct plnl *nl, const char *dev, char *id,
		       size_t len)
{
	struct endpoint_of_dev d = { .id = id, .len = len };
	struct plnl_msg m;
	int ret;

	ret = pl_ifindex(dev, &d.ifindex);
	if (ret)
		return ret;
	m = plnl_msg_req(nl, PLINK_CMD_ENDPOINT_GET, NLM_F_DUMP);
	ret = pl_request(nl, &m, endpoint_of_dev_cb, &d);
	if (ret)
		return ret;
	if (d.n == 1)
		return PL_EXIT_OK;
	if (!d.n)
		pl_err("no endpoint on device \"%s\"", dev);
	else
		pl_err("%u endpoints on device \"%s\": name one by its id",
		       d.n, dev);
	return PL_EXIT_USAGE;
}

/*
 * "dev DEV" where a command takes an endpoint ID: the words become the id
 * of DEV's endpoint, in @id (@len bytes).  Returns an exit status.
 */
static int endpoint_dev_words(struct pl_ctx *ctx, int *argc, char ***argv,
			      char *id, size_t len)
{
	static char *words[1];
	struct plnl nl;
	int ret;

	if (*argc < 1 || strcmp((*argv)[0], "dev"))
		return PL_EXIT_OK;
	if (*argc < 2) {
		pl_err("missing value after \"dev\"");
		return PL_EXIT_USAGE;
	}
	if (pl_args_max(*argc, *argv, 2) || pl_dev_check((*argv)[1]))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	ret = pl_endpoint_of_dev(&nl, (*argv)[1], id, len);
	plnl_close(&nl);
	words[0] = id;
	*argv = words;
	*argc = 1;
	return ret;
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

/* plinkctl endpoint reject ID: and how many flows that reset. */
static int endpoint_reject(struct pl_ctx *ctx, int argc, char **argv)
{
	struct pl_revoked revoked = { .type = PLINK_A_ENDPOINT_REVOKED };
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	if (argc < 1) {
		pl_missing("ID", "endpoint reject");
		return PL_EXIT_USAGE;
	}
	if (pl_args_max(argc, argv, 1))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	m = plnl_msg_req(&nl, PLINK_CMD_ENDPOINT_REJECT, 0);
	plnl_put_strz(&m, PLINK_A_ENDPOINT_ID, argv[0]);
	ret = pl_request(&nl, &m, pl_revoked_cb, &revoked);
	plnl_close(&nl);
	if (!ret)
		pl_revoked_print(ctx, &revoked);
	return ret;
}

/* plinkctl endpoint set ID [mark N] [allow { PREFIX [PORTS] | all }]... */
static int endpoint_set(struct pl_ctx *ctx, int argc, char **argv)
{
	struct pl_revoked revoked = { .type = PLINK_A_ENDPOINT_REVOKED };
	struct endpoint_set_req req;
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	ret = endpoint_set_req_parse(&req, argc, argv) ? PL_EXIT_USAGE :
	      pl_open(ctx, &nl);
	if (!ret) {
		m = plnl_msg_req(&nl, PLINK_CMD_ENDPOINT_SET, 0);
		endpoint_set_req_put(&m, &req);
		ret = pl_request(&nl, &m, pl_revoked_cb, &revoked);
		plnl_close(&nl);
	}
	free(req.rules);
	if (!ret)
		pl_revoked_print(ctx, &revoked);
	return ret;
}

/* plinkctl endpoint del { ID | dev DEV }, and the routes of its addresses. */
static int endpoint_del(struct pl_ctx *ctx, int argc, char **argv)
{
	struct pl_addrs old = { 0 };
	char done[64], id[64];
	int ret;

	ret = endpoint_dev_words(ctx, &argc, &argv, id, sizeof(id));
	if (ret)
		return ret;
	ret = endpoint_by_id(ctx, "endpoint del", PLINK_CMD_ENDPOINT_DEL,
			     argc, argv, &old);
	if (!ret && old.ifindex) {
		snprintf(done, sizeof(done), "endpoint %.32s deleted", argv[0]);
		ret = pl_routes_del(old.ifindex, old.v, old.n, NULL, done);
	}
	if (!ret)
		ret = pl_dns_endpoint_deleted(ctx, argv[0]);
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
 * The rules of @nlh: in the text " allow PREFIX[ PROTO:PORT[-PORT]]" each,
 * as "endpoint add" takes them, in
 * JSON the array "rules" of {"prefix", "proto", "min_port", "max_port"}.
 * With no @p, only check them.
 */
static int endpoint_rules(struct pl_print *p, enum pl_kind kind,
			  const struct nlmsghdr *nlh)
{
	char prefix[PL_ADDRSTRLEN + 4], addr[PL_ADDRSTRLEN], pbuf[8];
	const struct nlattr *tb[PLINK_A_RULE_MAX + 1], *attr;
	unsigned int min, max;

	if (p && (kind & PL_JSON))
		pl_open_array(p, "rules");
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) != PLINK_A_ENDPOINT_RULE)
			continue;
		if (endpoint_rule(attr, tb))
			return -1;
		if (!p)
			continue;
		pl_addr_fmt(mnl_attr_get_payload(tb[PLINK_A_RULE_PREFIX]),
			    mnl_attr_get_payload_len(tb[PLINK_A_RULE_PREFIX]),
			    addr);
		snprintf(prefix, sizeof(prefix), "%s/%u", addr,
			 mnl_attr_get_u8(tb[PLINK_A_RULE_PREFIX_LEN]));
		min = endpoint_rule_port(tb[PLINK_A_RULE_PORT_MIN]);
		max = endpoint_rule_port(tb[PLINK_A_RULE_PORT_MAX]);

		if (kind & PL_JSON)
			pl_open_object(p, NULL);
		pl_print_string(p, kind, "prefix", " allow %s", prefix);
		if (tb[PLINK_A_RULE_PROTO])
			pl_print_string(p, kind, "proto", " %s",
					pl_proto_name(mnl_attr_get_u8(tb[PLINK_A_RULE_PROTO]),
						      pbuf, sizeof(pbuf)));
		if (tb[PLINK_A_RULE_PORT_MIN])
			pl_print_uint(p, kind & PL_JSON, "min_port", NULL, min);
		if (tb[PLINK_A_RULE_PORT_MAX])
			pl_print_uint(p, kind & PL_JSON, "max_port", NULL, max);
		if (min)
			pl_print_uint(p, kind & PL_TEXT, NULL, ":%u", min);
		if (max && max != min)
			pl_print_uint(p, kind & PL_TEXT, NULL, "-%u", max);
		if (kind & PL_JSON)
			pl_close_object(p);
	}
	if (p && (kind & PL_JSON))
		pl_close_array(p);
	return 0;
}

/*
 * An @event: "ID STATE service SERVICE" (JSON: the object's keys).
 */
static void endpoint_print_event(struct pl_print *p,
				 const struct nlattr **tb)
{
	pl_print_attr_str(p, PL_ANY, "id", "%s ", tb[PLINK_A_ENDPOINT_ID]);
	pl_print_attr_name(p, PL_TEXT | PL_DASH, NULL, "%s ",
			   tb[PLINK_A_ENDPOINT_STATE], pl_endpoint_states,
			   ARRAY_SIZE(pl_endpoint_states));
	pl_print_attr_str(p, PL_ANY | PL_DASH, "service", "service %s",
			  tb[PLINK_A_ENDPOINT_SERVICE]);
	pl_print_attr_name(p, PL_JSON, "state", NULL,
			   tb[PLINK_A_ENDPOINT_STATE], pl_endpoint_states,
			   ARRAY_SIZE(pl_endpoint_states));
	pl_print_attr_u32(p, PL_JSON, "owner_uid", NULL,
			  tb[PLINK_A_ENDPOINT_OWNER_UID]);
	pl_print_attr_u32(p, PL_JSON, "service_owner_uid", NULL,
			  tb[PLINK_A_ENDPOINT_SERVICE_OWNER]);
	/* The provider's events carry the mark; a revocation's, its count. */
	pl_print_attr_u32(p, PL_JSON, "mark", NULL, tb[PLINK_A_ENDPOINT_MARK]);
	pl_print_attr_u32(p, PL_ANY, "revoked", " revoked %u",
			  tb[PLINK_A_ENDPOINT_REVOKED]);
}

/*
 * An endpoint, in the text as "endpoint add" takes it, SERVICE id ID dev
 * DEV addr ADDR... allow RULE... private-dns on|off, then an indented line
 * of what only the kernel sets: state S owner uid:N.  Only the consumer's
 * view has the device, addresses and rules.
 */
static void endpoint_print(struct pl_print *p, const struct nlmsghdr *nlh,
			   const struct nlattr **tb)
{
	bool own = tb[PLINK_A_ENDPOINT_IFINDEX];

	pl_print_attr_str(p, PL_JSON, "id", NULL, tb[PLINK_A_ENDPOINT_ID]);
	pl_print_attr_str(p, PL_ANY | PL_DASH, "service", "%s",
			  tb[PLINK_A_ENDPOINT_SERVICE]);
	pl_print_attr_str(p, PL_TEXT, NULL, " id %s", tb[PLINK_A_ENDPOINT_ID]);
	pl_print_attr_dev(p, PL_ANY, " dev %s", tb[PLINK_A_ENDPOINT_IFINDEX]);
	if (own || tb[PLINK_A_ENDPOINT_ADDR])
		pl_print_addrs(p, PL_ANY, "endpoint_addrs", " addr %s", nlh,
			       PLINK_A_ENDPOINT_ADDR);
	if (own || tb[PLINK_A_ENDPOINT_RULE])
		endpoint_rules(p, PL_ANY, nlh);
	pl_print_attr_on_off(p, PL_ANY, "private_dns", " private-dns %s",
			     tb[PLINK_A_ENDPOINT_PRIVATE_DNS]);
	pl_print_attr_name(p, PL_ANY, "state", "\n    state %s",
			   tb[PLINK_A_ENDPOINT_STATE], pl_endpoint_states,
			   ARRAY_SIZE(pl_endpoint_states));
	if (!tb[PLINK_A_ENDPOINT_STATE] && tb[PLINK_A_ENDPOINT_OWNER_UID])
		pl_print_text(p, "\n   ");
	pl_print_attr_u32(p, PL_ANY, "owner_uid", " owner uid:%u",
			  tb[PLINK_A_ENDPOINT_OWNER_UID]);
	pl_print_attr_u32(p, PL_JSON, "service_owner_uid", NULL,
			  tb[PLINK_A_ENDPOINT_SERVICE_OWNER]);
	/* Only the provider's view has the mark: its text shows one set. */
	pl_print_attr_u32(p, PL_JSON, "mark", NULL, tb[PLINK_A_ENDPOINT_MARK]);
	if (tb[PLINK_A_ENDPOINT_MARK] &&
	    mnl_attr_get_u32(tb[PLINK_A_ENDPOINT_MARK]))
		pl_print_attr_u32(p, PL_TEXT, NULL, " mark %u",
				  tb[PLINK_A_ENDPOINT_MARK]);
	pl_print_attr_u32(p, PL_ANY, "revoked", " revoked %u",
			  tb[PLINK_A_ENDPOINT_REVOKED]);
}

static int endpoint_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_ENDPOINT_MAX + 1] = { NULL };
	struct pl_show *s = data;
	const char *id = s->priv;

	if (endpoint_parse(nlh, tb) || endpoint_rules(NULL, 0, nlh))
		return MNL_CB_ERROR;
	if (id && strcmp(id, mnl_attr_get_str(tb[PLINK_A_ENDPOINT_ID])))
		return MNL_CB_OK;

	pl_open_object(&s->p, NULL);
	endpoint_print(&s->p, nlh, tb);
	if (s->ctx->stats &&
	    pl_print_stats(&s->p, tb[PLINK_A_ENDPOINT_STATS],
			   s->ctx->details))
		return MNL_CB_ERROR;
	pl_close_object(&s->p);
	pl_print_nl(&s->p, PL_TEXT);
	return MNL_CB_OK;
}

/* plinkctl endpoint show [ID | dev DEV] */
static int endpoint_show(struct pl_ctx *ctx, int argc, char **argv)
{
	char id[64];
	int ret;

	ret = endpoint_dev_words(ctx, &argc, &argv, id, sizeof(id));
	if (ret)
		return ret;
	return pl_show_key(ctx, PLINK_CMD_ENDPOINT_GET, PLINK_A_ENDPOINT_ID,
			   endpoint_show_cb, argc, argv);
}

int endpoint_event(struct pl_ctx *ctx, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PLINK_A_ENDPOINT_MAX + 1] = { NULL };
	struct pl_print p;

	if (endpoint_parse(nlh, tb) || endpoint_rules(NULL, 0, nlh))
		return -1;
	pl_event_begin(&p, ctx->json, "endpoint");
	endpoint_print_event(&p, tb);
	pl_event_end(&p);
	return 0;
}

static const struct pl_cmd endpoint_cmds[] = {
	{ .name = "add",	.fn = endpoint_add },
	{ .name = "del",	.fn = endpoint_del },
	{ .name = "delete",	.fn = endpoint_del },
	{ .name = "show",	.fn = endpoint_show },
	{ .name = "list",	.fn = endpoint_show },
	{ .name = "accept",	.fn = endpoint_accept },
	{ .name = "reject",	.fn = endpoint_reject },
	{ .name = "set",	.fn = endpoint_set },
	{ .name = "help",	.usage = endpoint_usage },
};

void endpoint_usage(FILE *out)
{
	fputs("  plinkctl endpoint add SERVICE dev DEV addr ADDR [addr ADDR]...\n"
	      "                      [allow PREFIX [PORTS]]...\n"
	      "  plinkctl endpoint { accept | reject } ID\n"
	      "  plinkctl endpoint set ID [mark N] [allow { PREFIX [PORTS] | all }]...\n"
	      "  plinkctl endpoint del { ID | dev DEV }\n"
	      "  plinkctl endpoint [{ show | list } [ID | dev DEV]]\n"
	      "      SERVICE := { NAME | uid:UID/NAME | plsvc-ID }\n"
	      "      PREFIX := { ADDR/LEN | ADDR }   PORTS := PROTO:PORT[-PORT]\n"
	      "      PROTO := { tcp | udp }\n", out);
}

int do_endpoint(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "endpoint", endpoint_cmds,
			   ARRAY_SIZE(endpoint_cmds), "show", argc, argv);
}
