// SPDX-License-Identifier: GPL-2.0
/*
 * plinkctl flow: the flow table of the caller's netns's services and
 * endpoints.
 *
 *	plinkctl flow [{ show | list } [service NAME] [endpoint ID]]
 *	plinkctl flow get endpoint ID proto PROTO client ADDR:PORT dst ADDR:PORT
 *	plinkctl flow get service NAME proto PROTO nlb ADDR:PORT target ADDR:PORT
 *	plinkctl flow flush [service NAME | endpoint ID]
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "plinkctl.h"
#include "req.h"

static const enum mnl_attr_data_type flow_types[PLINK_A_FLOW_MAX + 1] = {
	[PLINK_A_FLOW_SERVICE]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_FLOW_ENDPOINT]		= MNL_TYPE_NUL_STRING,
	[PLINK_A_FLOW_PROTO]		= MNL_TYPE_U8,
	[PLINK_A_FLOW_CLIENT_ADDR]	= MNL_TYPE_BINARY,
	[PLINK_A_FLOW_CLIENT_PORT]	= MNL_TYPE_U16,
	[PLINK_A_FLOW_ENDPOINT_ADDR]	= MNL_TYPE_BINARY,
	[PLINK_A_FLOW_ENDPOINT_PORT]	= MNL_TYPE_U16,
	[PLINK_A_FLOW_NLB_ADDR]		= MNL_TYPE_BINARY,
	[PLINK_A_FLOW_NLB_PORT]		= MNL_TYPE_U16,
	[PLINK_A_FLOW_TARGET_ADDR]	= MNL_TYPE_BINARY,
	[PLINK_A_FLOW_TARGET_PORT]	= MNL_TYPE_U16,
	[PLINK_A_FLOW_STATE]		= MNL_TYPE_U32,
	[PLINK_A_FLOW_AGE_MS]		= MNL_TYPE_U32,
	[PLINK_A_FLOW_IDLE_MS]		= MNL_TYPE_U32,
	[PLINK_A_FLOW_PACKETS]		= MNL_TYPE_U64,
	[PLINK_A_FLOW_BYTES]		= MNL_TYPE_U64,
	[PLINK_A_FLOW_OWNER_UID]	= MNL_TYPE_U32,
};

static const struct pl_name flow_states[5] = {
	{ "syn",		PLINK_FLOW_STATE_SYN },
	{ "established",	PLINK_FLOW_STATE_ESTABLISHED },
	{ "fin",		PLINK_FLOW_STATE_FIN },
	{ "closed",		PLINK_FLOW_STATE_CLOSED },
	{ "udp",		PLINK_FLOW_STATE_UDP },
};

static const struct pl_name flow_protos[2] = {
	{ "tcp",	PLINK_PROTO_TCP },
	{ "udp",	PLINK_PROTO_UDP },
};

/*
 * The addresses of a flow, in the order a packet of the consumer meets
 * them: their JSON keys, their text format, and their attributes.
 */
static const struct {
	const char *key;
	const char *port_key;
	const char *fmt;
	unsigned short addr;
	unsigned short port;
} flow_addrs[4] = {
	{ "client_addr", "client_port", " %s", PLINK_A_FLOW_CLIENT_ADDR,
	  PLINK_A_FLOW_CLIENT_PORT },
	{ "endpoint_addr", "endpoint_port", " -> %s",
	  PLINK_A_FLOW_ENDPOINT_ADDR, PLINK_A_FLOW_ENDPOINT_PORT },
	{ "nlb_addr", "nlb_port", " via %s", PLINK_A_FLOW_NLB_ADDR,
	  PLINK_A_FLOW_NLB_PORT },
	{ "target_addr", "target_port", " -> %s", PLINK_A_FLOW_TARGET_ADDR,
	  PLINK_A_FLOW_TARGET_PORT },
};

/* client|dst ADDR:PORT, into @addr and @port: once, and with a port. */
static int flow_parse_addr(const char *kw, const char *val,
			   struct pl_addr *addr, unsigned short *port)
{
	bool seen = addr->len;

	if (pl_once(&seen, kw) || pl_addr_port_parse(val, addr, port))
		return -1;
	if (!*port) {
		pl_err("missing port in \"%s\" (ADDR:PORT, or [IPV6]:PORT)",
		       val);
		return -1;
	}
	return 0;
}

/* A string keyword, once. */
static int flow_parse_str(const char *kw, const char *val, const char **to)
{
	bool seen = *to;

	*to = val;
	return pl_once(&seen, kw);
}

/* One keyword, argv[*i], and its value; @get: of "flow get". */
static int flow_parse_kw(struct flow_req *req, const char *cmd, bool get,
			 int argc, char **argv, int *i)
{
	const char *kw = argv[*i], *val;
	bool seen;

	if (strcmp(kw, "endpoint") && strcmp(kw, "dev") &&
	    strcmp(kw, "service") &&
	    (!get || (strcmp(kw, "proto") && strcmp(kw, "client") &&
		      strcmp(kw, "dst") && strcmp(kw, "nlb") &&
		      strcmp(kw, "target"))))
		return pl_unknown(kw, cmd);
	val = pl_value(argc, argv, i);
	if (!val)
		return -1;

	if (!strcmp(kw, "service"))
		return flow_parse_str(kw, val, &req->service);
	if (!strcmp(kw, "endpoint"))
		return flow_parse_str(kw, val, &req->endpoint);
	if (!strcmp(kw, "dev"))
		return flow_parse_str(kw, val, &req->dev) ?: pl_dev_check(val);
	if (!strcmp(kw, "proto")) {
		seen = req->proto;
		if (pl_once(&seen, kw))
			return -1;
		return pl_name_parse(kw, flow_protos, ARRAY_SIZE(flow_protos),
				     val, &req->proto);
	}
	if (!strcmp(kw, "client"))
		return flow_parse_addr(kw, val, &req->client,
				       &req->client_port);
	if (!strcmp(kw, "nlb"))
		return flow_parse_addr(kw, val, &req->nlb, &req->nlb_port);
	if (!strcmp(kw, "target"))
		return flow_parse_addr(kw, val, &req->target,
				       &req->target_port);
	return flow_parse_addr(kw, val, &req->dst, &req->dst_port);
}

/*
 * flow get in the service's netns: service, proto, and the NLB and target
 * addresses a target sees (its peer's and its own).
 */
static int flow_req_check_provider(const struct flow_req *req,
				   const char *cmd)
{
	if (req->endpoint || req->client.len || req->dst.len) {
		pl_err("\"service\" takes nlb and target, not endpoint, client or dst, in \"%s\"",
		       cmd);
		return -1;
	}
	if (!req->service)
		return pl_missing("service", cmd);
	if (!req->proto)
		return pl_missing("proto", cmd);
	if (!req->nlb.len)
		return pl_missing("nlb", cmd);
	if (!req->target.len)
		return pl_missing("target", cmd);
	return 0;
}

int flow_req_parse(struct flow_req *req, const char *cmd, int argc,
		   char **argv)
{
	bool get = !strcmp(cmd, "flow get");
	bool one = !strcmp(cmd, "flow flush") || !strcmp(cmd, "stats");
	int i;

	memset(req, 0, sizeof(*req));
	for (i = 0; i < argc; i++)
		if (flow_parse_kw(req, cmd, get, argc, argv, &i))
			return -1;
	if (req->endpoint && req->dev) {
		pl_err("\"endpoint\" and \"dev\" do not go together in \"%s\"",
		       cmd);
		return -1;
	}
	if (one && req->service && (req->endpoint || req->dev)) {
		pl_err("\"service\" and \"endpoint\" do not go together in \"%s\"",
		       cmd);
		return -1;
	}
	if (!get)
		return 0;
	if (req->service || req->nlb.len || req->target.len)
		return flow_req_check_provider(req, cmd);
	if (!req->endpoint && !req->dev)
		return pl_missing("endpoint", cmd);
	if (!req->proto)
		return pl_missing("proto", cmd);
	if (!req->client.len)
		return pl_missing("client", cmd);
	if (!req->dst.len)
		return pl_missing("dst", cmd);
	return 0;
}

void flow_req_put(struct plnl_msg *m, const struct flow_req *req)
{
	if (req->service)
		plnl_put_strz(m, PLINK_A_FLOW_SERVICE, req->service);
	if (req->endpoint)
		plnl_put_strz(m, PLINK_A_FLOW_ENDPOINT, req->endpoint);
	if (req->proto)
		plnl_put_u8(m, PLINK_A_FLOW_PROTO, (unsigned char)req->proto);
	if (req->client.len) {
		plnl_put(m, PLINK_A_FLOW_CLIENT_ADDR, req->client.len,
			 req->client.bytes);
		plnl_put_be16(m, PLINK_A_FLOW_CLIENT_PORT, req->client_port);
	}
	if (req->dst.len) {
		plnl_put(m, PLINK_A_FLOW_ENDPOINT_ADDR, req->dst.len,
			 req->dst.bytes);
		plnl_put_be16(m, PLINK_A_FLOW_ENDPOINT_PORT, req->dst_port);
	}
	if (req->nlb.len) {
		plnl_put(m, PLINK_A_FLOW_NLB_ADDR, req->nlb.len,
			 req->nlb.bytes);
		plnl_put_be16(m, PLINK_A_FLOW_NLB_PORT, req->nlb_port);
	}
	if (req->target.len) {
		plnl_put(m, PLINK_A_FLOW_TARGET_ADDR, req->target.len,
			 req->target.bytes);
		plnl_put_be16(m, PLINK_A_FLOW_TARGET_PORT, req->target_port);
	}
}

/* A port attribute, or 0. */
static unsigned short flow_port(const struct nlattr *attr)
{
	return attr ? ntohs(mnl_attr_get_u16(attr)) : 0;
}

/* Address @k of the flow, with its port ("-" if the kernel sent none). */
static const char *flow_addr(const struct nlattr **tb, unsigned int k,
			     char *buf)
{
	const struct nlattr *addr = tb[flow_addrs[k].addr];

	if (!addr)
		return "-";
	return pl_addr_port_fmt(mnl_attr_get_payload(addr),
				mnl_attr_get_payload_len(addr),
				flow_port(tb[flow_addrs[k].port]), buf);
}

/* The same, into @buf (PL_ADDRSTRLEN bytes). */
static void flow_addr_into(const struct nlattr **tb, unsigned int k,
			   char *buf)
{
	char tmp[PL_ADDRSTRLEN];

	snprintf(buf, PL_ADDRSTRLEN, "%s", flow_addr(tb, k, tmp));
}

/* In the text " WORD S.Ds", milliseconds as seconds; in JSON @key. */
static void flow_print_ms(struct pl_print *p, const char *key,
			  const char *word, const struct nlattr *attr)
{
	unsigned int ms;

	if (!attr)
		return;
	ms = mnl_attr_get_u32(attr);
	pl_print_uint(p, PL_JSON, key, NULL, ms);
	pl_print_text(p, " %s %u.%us", word, ms / 1000, ms % 1000 / 100);
}

/*
 * A flow: PROTO CLIENT -> ENDPOINT via NLB -> TARGET STATE age S idle S
 * pkts N bytes N endpoint ID service NAME, "-" for what the kernel did not
 * say; in JSON the addresses and ports apart, and only what it said.
 */
static void flow_print(struct pl_print *p, const struct nlattr **tb)
{
	const struct nlattr *proto = tb[PLINK_A_FLOW_PROTO], *attr;
	char buf[PL_ADDRSTRLEN];
	unsigned int k;

	pl_print_attr_str(p, PL_JSON, "service", NULL,
			  tb[PLINK_A_FLOW_SERVICE]);
	pl_print_attr_str(p, PL_JSON, "endpoint", NULL,
			  tb[PLINK_A_FLOW_ENDPOINT]);
	pl_print_string(p, proto ? PL_ANY : PL_TEXT, "proto", "%s",
			proto ? pl_proto_name(mnl_attr_get_u8(proto), buf,
					      sizeof(buf)) : "-");
	for (k = 0; k < ARRAY_SIZE(flow_addrs); k++) {
		pl_print_string(p, PL_TEXT, NULL, flow_addrs[k].fmt,
				flow_addr(tb, k, buf));
		attr = tb[flow_addrs[k].addr];
		if (attr)
			pl_print_string(p, PL_JSON, flow_addrs[k].key, NULL,
					pl_addr_fmt(mnl_attr_get_payload(attr),
						    mnl_attr_get_payload_len(attr),
						    buf));
		if (tb[flow_addrs[k].port])
			pl_print_uint(p, PL_JSON, flow_addrs[k].port_key, NULL,
				      flow_port(tb[flow_addrs[k].port]));
	}
	pl_print_attr_name(p, PL_ANY | PL_DASH, "state", " %s",
			   tb[PLINK_A_FLOW_STATE], flow_states,
			   ARRAY_SIZE(flow_states));
	flow_print_ms(p, "age_ms", "age", tb[PLINK_A_FLOW_AGE_MS]);
	flow_print_ms(p, "idle_ms", "idle", tb[PLINK_A_FLOW_IDLE_MS]);
	pl_print_attr_u64(p, PL_ANY, "packets", " pkts %llu",
			  tb[PLINK_A_FLOW_PACKETS]);
	pl_print_attr_u64(p, PL_ANY, "bytes", " bytes %llu",
			  tb[PLINK_A_FLOW_BYTES]);
	pl_print_attr_str(p, PL_TEXT, NULL, " endpoint %s",
			  tb[PLINK_A_FLOW_ENDPOINT]);
	pl_print_attr_str(p, PL_TEXT, NULL, " service %s",
			  tb[PLINK_A_FLOW_SERVICE]);
	pl_print_attr_u32(p, PL_ANY, "owner_uid", " owner uid:%u",
			  tb[PLINK_A_FLOW_OWNER_UID]);
}

static int flow_show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_FLOW_MAX + 1] = { NULL };
	struct pl_show *s = data;

	if (plnl_parse(nlh, "flow", flow_types, PLINK_A_FLOW_MAX, tb))
		return MNL_CB_ERROR;
	pl_open_object(&s->p, NULL);
	flow_print(&s->p, tb);
	pl_close_object(&s->p);
	pl_print_nl(&s->p, PL_TEXT);
	return MNL_CB_OK;
}

/*
 * "flow show" in the text: a table as ss -tn prints, with only the half of
 * a flow this side sees (the consumer's CLIENT and ENDPOINT addresses, or
 * the provider's NLB-SIDE and TARGET ones), sorted, oldest first.  A
 * netns that is both sides of a flow sees it in both tables.
 */
struct flow_row {
	bool provider;
	char proto[8];
	char state[PL_NAMELEN];
	char side[2][PL_ADDRSTRLEN];
	unsigned int age_ms, idle_ms;
	unsigned long long packets;
	char endpoint[40];
};

struct flow_table {
	struct flow_row *v;
	size_t n;
};

/* The row of @tb for one side: its two addresses are flow_addrs[@k...]. */
static int flow_table_add(struct flow_table *t, const struct nlattr **tb,
			  bool provider)
{
	unsigned int k = provider ? 2 : 0, i;
	struct flow_row *r;
	char buf[PL_NAMELEN];

	r = realloc(t->v, (t->n + 1) * sizeof(*r));
	if (!r) {
		pl_err("%s", strerror(errno));
		return -1;
	}
	t->v = r;
	r = &t->v[t->n++];
	memset(r, 0, sizeof(*r));
	r->provider = provider;
	snprintf(r->proto, sizeof(r->proto), "%s",
		 tb[PLINK_A_FLOW_PROTO] ?
		 pl_proto_name(mnl_attr_get_u8(tb[PLINK_A_FLOW_PROTO]), buf,
			       sizeof(buf)) : "-");
	snprintf(r->state, sizeof(r->state), "%s",
		 tb[PLINK_A_FLOW_STATE] ?
		 pl_name_of(flow_states, ARRAY_SIZE(flow_states),
			    mnl_attr_get_u32(tb[PLINK_A_FLOW_STATE]), buf) :
		 "-");
	for (i = 0; i < 2; i++)
		flow_addr_into(tb, k + i, r->side[i]);
	if (tb[PLINK_A_FLOW_AGE_MS])
		r->age_ms = mnl_attr_get_u32(tb[PLINK_A_FLOW_AGE_MS]);
	if (tb[PLINK_A_FLOW_IDLE_MS])
		r->idle_ms = mnl_attr_get_u32(tb[PLINK_A_FLOW_IDLE_MS]);
	if (tb[PLINK_A_FLOW_PACKETS])
		r->packets = mnl_attr_get_u64(tb[PLINK_A_FLOW_PACKETS]);
	snprintf(r->endpoint, sizeof(r->endpoint), "%s",
		 tb[PLINK_A_FLOW_ENDPOINT] ?
		 mnl_attr_get_str(tb[PLINK_A_FLOW_ENDPOINT]) : "-");
	return 0;
}

static int flow_table_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PLINK_A_FLOW_MAX + 1] = { NULL };
	struct flow_table *t = data;

	if (plnl_parse(nlh, "flow", flow_types, PLINK_A_FLOW_MAX, tb))
		return MNL_CB_ERROR;
	if (tb[PLINK_A_FLOW_CLIENT_ADDR] && flow_table_add(t, tb, false))
		return MNL_CB_ERROR;
	if (tb[PLINK_A_FLOW_NLB_ADDR] && flow_table_add(t, tb, true))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/* Consumers' rows first, then the oldest, then by address. */
static int flow_row_cmp(const void *a, const void *b)
{
	const struct flow_row *x = a, *y = b;
	int c;

	if (x->provider != y->provider)
		return x->provider ? 1 : -1;
	if (x->age_ms != y->age_ms)
		return x->age_ms > y->age_ms ? -1 : 1;
	c = strcmp(x->side[0], y->side[0]);
	return c ? c : strcmp(x->side[1], y->side[1]);
}

/* The columns of a table. */
enum {
	FC_PROTO, FC_STATE, FC_A, FC_B, FC_AGE, FC_IDLE, FC_PKTS, FC_N
};

static void flow_table_side(FILE *out, const struct flow_table *t,
			    bool provider)
{
	static const char *const head[2][FC_N] = {
		{ "PROTO", "STATE", "CLIENT", "ENDPOINT", "AGE", "IDLE",
		  "PACKETS" },
		{ "PROTO", "STATE", "NLB-SIDE", "TARGET", "AGE", "IDLE",
		  "PACKETS" },
	};
	char cell[FC_N][PL_ADDRSTRLEN];
	const struct flow_row *r;
	int w[FC_N], len;
	bool any = false;
	size_t i, c;
	int pass;

	for (c = 0; c < FC_N; c++)
		w[c] = (int)strlen(head[provider][c]);
	/* Pass 0 measures, pass 1 prints. */
	for (pass = 0; pass < 2; pass++) {
		if (pass && !any)
			return;
		if (pass) {
			for (c = 0; c < FC_N; c++)
				fprintf(out, c >= FC_AGE ? "%*s " : "%-*s ",
					w[c], head[provider][c]);
			fputs("ENDPOINT-ID\n", out);
		}
		for (i = 0; i < t->n; i++) {
			r = &t->v[i];
			if (r->provider != provider)
				continue;
			any = true;
			snprintf(cell[FC_PROTO], PL_ADDRSTRLEN, "%s", r->proto);
			snprintf(cell[FC_STATE], PL_ADDRSTRLEN, "%s", r->state);
			snprintf(cell[FC_A], PL_ADDRSTRLEN, "%s", r->side[0]);
			snprintf(cell[FC_B], PL_ADDRSTRLEN, "%s", r->side[1]);
			snprintf(cell[FC_AGE], PL_ADDRSTRLEN, "%u.%us",
				 r->age_ms / 1000, r->age_ms % 1000 / 100);
			snprintf(cell[FC_IDLE], PL_ADDRSTRLEN, "%u.%us",
				 r->idle_ms / 1000, r->idle_ms % 1000 / 100);
			snprintf(cell[FC_PKTS], PL_ADDRSTRLEN, "%llu",
				 r->packets);
			for (c = 0; c < FC_N; c++) {
				len = (int)strlen(cell[c]);
				if (!pass && len > w[c])
					w[c] = len;
				if (pass)
					fprintf(out, c >= FC_AGE ? "%*s " :
						"%-*s ", w[c], cell[c]);
			}
			if (pass)
				fprintf(out, "%s\n", r->endpoint);
		}
	}
}

static void flow_table_print(FILE *out, struct flow_table *t)
{
	qsort(t->v, t->n, sizeof(*t->v), flow_row_cmp);
	flow_table_side(out, t, false);
	/* Sorted: a consumer's row first, a provider's last. */
	if (t->n && !t->v[0].provider && t->v[t->n - 1].provider)
		fputc('\n', out);
	flow_table_side(out, t, true);
}

/*
 * The flow commands: one request, FLOW_FLUSH (no reply to print), or
 * FLOW_GET, a dump (@flags NLM_F_DUMP) or not, whose flows are printed.
 */
static int flow_cmd(struct pl_ctx *ctx, const char *cmd, unsigned char nlcmd,
		    unsigned short flags, int argc, char **argv)
{
	struct flow_req req;
	char id[64];
	struct plnl_msg m;
	struct plnl nl;
	int ret;

	if (flow_req_parse(&req, cmd, argc, argv))
		return PL_EXIT_USAGE;
	ret = pl_open(ctx, &nl);
	if (ret)
		return ret;
	if (req.dev) {
		ret = pl_endpoint_of_dev(&nl, req.dev, id, sizeof(id));
		if (ret) {
			plnl_close(&nl);
			return ret;
		}
		req.endpoint = id;
	}

	m = plnl_msg_req(&nl, nlcmd, flags);
	flow_req_put(&m, &req);
	if (nlcmd == PLINK_CMD_FLOW_GET && (flags & NLM_F_DUMP) && !ctx->json) {
		struct flow_table t = { 0 };

		ret = pl_request(&nl, &m, flow_table_cb, &t);
		plnl_close(&nl);
		if (!ret)
			flow_table_print(stdout, &t);
		free(t.v);
		return ret;
	}
	if (nlcmd == PLINK_CMD_FLOW_GET)
		return pl_show(ctx, &nl, &m, flow_show_cb, NULL);
	ret = pl_request(&nl, &m, NULL, NULL);
	plnl_close(&nl);
	return ret;
}

/* plinkctl flow show [service NAME] [endpoint ID] */
static int flow_show(struct pl_ctx *ctx, int argc, char **argv)
{
	return flow_cmd(ctx, "flow show", PLINK_CMD_FLOW_GET, NLM_F_DUMP, argc,
			argv);
}

/*
 * plinkctl flow get endpoint ID proto PROTO client ADDR:PORT dst ADDR:PORT
 * plinkctl flow get service NAME proto PROTO nlb ADDR:PORT target ADDR:PORT
 */
static int flow_get(struct pl_ctx *ctx, int argc, char **argv)
{
	return flow_cmd(ctx, "flow get", PLINK_CMD_FLOW_GET, 0, argc, argv);
}

/* plinkctl flow flush [service NAME | endpoint ID] */
static int flow_flush(struct pl_ctx *ctx, int argc, char **argv)
{
	return flow_cmd(ctx, "flow flush", PLINK_CMD_FLOW_FLUSH, 0, argc,
			argv);
}

static const struct pl_cmd flow_cmds[] = {
	{ .name = "show",	.fn = flow_show },
	{ .name = "list",	.fn = flow_show },
	{ .name = "get",	.fn = flow_get },
	{ .name = "flush",	.fn = flow_flush },
	{ .name = "help",	.usage = flow_usage },
};

void flow_usage(FILE *out)
{
	fputs("  plinkctl flow [{ show | list } [service NAME] [EP]]\n"
	      "  plinkctl flow get EP proto PROTO client ADDR:PORT dst ADDR:PORT\n"
	      "  plinkctl flow get service NAME proto PROTO nlb ADDR:PORT\n"
	      "                    target ADDR:PORT\n"
	      "  plinkctl flow flush [service NAME | EP]\n"
	      "      EP := { endpoint ID | dev DEV }\n"
	      "      ADDR:PORT := { IPV4:PORT | [IPV6]:PORT }\n", out);
}

int do_flow(struct pl_ctx *ctx, int argc, char **argv)
{
	return pl_dispatch(ctx, "flow", flow_cmds, ARRAY_SIZE(flow_cmds),
			   "show", argc, argv);
}
