// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the netlink messages of plinkctl's commands, with no plink
 * module: the requests they build (words in, attributes out, rendered as
 * text, "name=value" and nests in braces), the replies and events they
 * print (attributes in, text and JSON out), and the address parsers.
 * Each result is compared with the exact expected text.  Prints TAP, the
 * plan last.
 *
 * The object files are included, WireGuard's way, to reach their static
 * functions; the rest of plinkctl is linked.
 *
 * "nl_test route-add IFNAME ADDR..." and "nl_test route-del IFNAME ADDR..."
 * instead add or remove host routes, as the commands do (tests/run.sh runs
 * them in a network namespace of its own).
 */

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "../endpoint.c"
#include "../service.c"
#include "../target.c"

/* The words of a command line, NULL-terminated. */
#define ARGV(...)	((char *[]){ __VA_ARGS__, NULL })

/*
 * How to render one attribute set: a name and a kind by attribute type.
 * Kinds: s string, u u32, b u8, p big-endian u16, a address, f flag,
 * n nest (of @nest's set).
 */
struct aset {
	const char *names[16];
	const char *kinds;
	const struct aset *nest;
};

static const struct aset listener_aset = {
	.names = { NULL, "proto", "port", "target_port" },
	.kinds = "?bpp",
};

static const struct aset rule_aset = {
	.names = { NULL, "prefix", "prefix_len", "proto", "port_min",
		   "port_max" },
	.kinds = "?abbpp",
};

static const struct aset service_aset = {
	.names = { NULL, "id", "name", "ifindex", "addr", "listener",
		   "acceptance", "principal", "timeout_tcp", "timeout_udp",
		   "dereg_delay", "max_flows", "state", "force", "n_targets",
		   "n_endpoints" },
	.kinds = "?ssuanusuuuuufuu",
	.nest = &listener_aset,
};

static const struct aset target_aset = {
	.names = { NULL, "service", "addr", "port", "weight", "zone",
		   "health" },
	.kinds = "?sapusu",
};

static const struct aset endpoint_aset = {
	.names = { NULL, "id", "service", "ifindex", "addr", "rule", "state",
		   "owner_uid" },
	.kinds = "?ssuanuu",
	.nest = &rule_aset,
};

static int tests, failures;
static struct plnl nl;

/* The number of words of @argv, a NULL-terminated array. */
static int count(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

/*
 * The expected text: the strings of @ap up to a NULL, joined (so that
 * long ones can be written in pieces, one a line).
 */
static const char *want_of(va_list ap)
{
	static char buf[4096];
	const char *piece;
	size_t len = 0;

	buf[0] = '\0';
	while ((piece = va_arg(ap, const char *)) && len < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s",
					piece);
	return buf;
}

#define WANT(last)	({			\
	va_list ap;				\
	const char *want;			\
						\
	va_start(ap, last);			\
	want = want_of(ap);			\
	va_end(ap);				\
	want;					\
})

static void check(const char *name, const char *got, const char *want)
{
	tests++;
	if (!strcmp(got, want)) {
		printf("ok %d - %s\n", tests, name);
		return;
	}
	failures++;
	printf("not ok %d - %s\n# got:  %s\n# want: %s\n", tests, name, got,
	       want);
}

static void render_attrs(FILE *out, const struct nlattr *first, size_t len,
			 const struct aset *set);

static void render_attr(FILE *out, const struct nlattr *attr,
			const struct aset *set)
{
	unsigned int type = mnl_attr_get_type(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	const unsigned char *p = mnl_attr_get_payload(attr);
	char kind = type < strlen(set->kinds) ? set->kinds[type] : '?';
	char buf[INET6_ADDRSTRLEN];
	unsigned int u32;
	unsigned short be;

	if (kind == '?') {
		fprintf(out, " ?%u", type);
		return;
	}
	fprintf(out, " %s", set->names[type]);
	if (kind == 's' && len && !p[len - 1]) {
		fprintf(out, "=%s", (const char *)p);
	} else if (kind == 'u' && len == 4) {
		memcpy(&u32, p, 4);
		fprintf(out, "=%u", u32);
	} else if (kind == 'b' && len == 1) {
		fprintf(out, "=%u", p[0]);
	} else if (kind == 'p' && len == 2) {
		memcpy(&be, p, 2);
		fprintf(out, "=%u", ntohs(be));
	} else if (kind == 'a' && (len == 4 || len == 16)) {
		inet_ntop(len == 4 ? AF_INET : AF_INET6, p, buf, sizeof(buf));
		fprintf(out, "=%s", buf);
	} else if (kind == 'f' && !len) {
		return;
	} else if (kind == 'n') {
		/* A nest without NLA_F_NESTED fails strict validation. */
		if (!(attr->nla_type & NLA_F_NESTED))
			fputc('!', out);
		fputc('{', out);
		render_attrs(out, (const struct nlattr *)p, len, set->nest);
		fputs(" }", out);
	} else {
		fprintf(out, "=BAD(%zu bytes)", len);
	}
}

static void render_attrs(FILE *out, const struct nlattr *first, size_t len,
			 const struct aset *set)
{
	const struct nlattr *attr = first;
	int left = (int)len;

	while (mnl_attr_ok(attr, left)) {
		render_attr(out, attr, set);
		attr = mnl_attr_next(attr);
		left = (int)len - (int)((const char *)attr -
					(const char *)first);
	}
}

/* The request @m as text: "cmd=N flags" and its attributes. */
static void check_msg(const char *name, const struct plnl_msg *m,
		      const struct aset *set, const char *want)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(m->nlh);
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	out = open_memstream(&text, &len);
	if (!out) {
		perror("open_memstream");
		exit(1);
	}
	fprintf(out, "cmd=%u", genl->cmd);
	if (m->full)
		fputs(" FULL", out);
	render_attrs(out, mnl_nlmsg_get_payload_offset(m->nlh, GENL_HDRLEN),
		     mnl_nlmsg_get_payload_len(m->nlh) - GENL_HDRLEN, set);
	fclose(out);
	check(name, text, want);
	free(text);
}

/* Evaluate @expr with stderr sent to /dev/null: for errors we expect. */
#define QUIET(expr) ({						\
	int saved = dup(2), null = open("/dev/null", O_WRONLY);	\
	int ret;						\
								\
	dup2(null, 2);						\
	ret = (expr);						\
	dup2(saved, 2);						\
	close(null);						\
	close(saved);						\
	ret;							\
})

static void service_ok(const char *name, bool add, char **argv, ...)
{
	const char *want = WANT(argv);
	struct service_req req;
	struct plnl_msg m;

	if (service_req_parse(&req, add, count(argv), argv)) {
		check(name, "parse failed", want);
	} else {
		req.ifindex = req.dev ? 7 : 0;
		m = plnl_msg_req(&nl, add ? PLINK_CMD_SERVICE_NEW :
				 PLINK_CMD_SERVICE_SET, 0);
		service_req_put(&m, &req);
		check_msg(name, &m, &service_aset, want);
	}
	service_req_free(&req);
}

static void service_bad(const char *name, bool add, char **argv)
{
	struct service_req req;
	int ret = QUIET(service_req_parse(&req, add, count(argv), argv));

	check(name, ret ? "refused" : "accepted", "refused");
	service_req_free(&req);
}

static void target_ok(const char *name, const char *cmd, unsigned char nlcmd,
		      char **argv, ...)
{
	const char *want = WANT(argv);
	struct target_req req;
	struct plnl_msg m;

	if (target_req_parse(&req, cmd, count(argv), argv)) {
		check(name, "parse failed", want);
		return;
	}
	m = plnl_msg_req(&nl, nlcmd, 0);
	target_req_put(&m, &req);
	check_msg(name, &m, &target_aset, want);
}

static void target_bad(const char *name, const char *cmd, char **argv)
{
	struct target_req req;
	int ret = QUIET(target_req_parse(&req, cmd, count(argv), argv));

	check(name, ret ? "refused" : "accepted", "refused");
}

static void endpoint_ok(const char *name, char **argv, ...)
{
	const char *want = WANT(argv);
	struct endpoint_req req;
	struct plnl_msg m;

	if (endpoint_req_parse(&req, count(argv), argv)) {
		check(name, "parse failed", want);
	} else {
		req.ifindex = 9;
		m = plnl_msg_req(&nl, PLINK_CMD_ENDPOINT_NEW, 0);
		endpoint_req_put(&m, &req);
		check_msg(name, &m, &endpoint_aset, want);
	}
	endpoint_req_free(&req);
}

static void endpoint_bad(const char *name, char **argv)
{
	struct endpoint_req req;
	int ret = QUIET(endpoint_req_parse(&req, count(argv), argv));

	check(name, ret ? "refused" : "accepted", "refused");
	endpoint_req_free(&req);
}

/* ADDR[:PORT] parsed, then printed back. */
static void addr_port(const char *word, const char *want)
{
	char name[128], buf[PL_ADDRSTRLEN];
	struct pl_addr addr;
	unsigned short port;
	int ret;

	snprintf(name, sizeof(name), "ADDR[:PORT] \"%s\"", word);
	ret = QUIET(pl_addr_port_parse(word, &addr, &port));
	if (ret)
		check(name, "refused", want);
	else
		check(name, pl_addr_port_fmt(addr.bytes, addr.len, port, buf),
		      want);
}

static void test_service(void)
{
	service_ok("service add, every option",
		   true, ARGV("web", "dev", "nlb0", "addr", "192.0.2.1",
			      "addr", "2001:db8::1", "listener", "tcp:80:8080",
			      "listener", "udp:53", "acceptance", "auto",
			      "allow", "uid:1000", "allow", "*",
			      "max-flows", "100", "timeout", "tcp", "350",
			      "timeout", "udp", "120",
			      "deregistration-delay", "30"),
		   "cmd=2 name=web ifindex=7 addr=192.0.2.1 addr=2001:db8::1",
		   " listener{ proto=6 port=80 target_port=8080 }",
		   " listener{ proto=17 port=53 } acceptance=1",
		   " principal=uid:1000 principal=* max_flows=100",
		   " timeout_tcp=350 timeout_udp=120 dereg_delay=30", NULL);
	service_ok("service add, the least",
		   true, ARGV("web", "listener", "tcp:443", "addr", "10.0.0.1",
			      "dev", "nlb0"),
		   "cmd=2 name=web ifindex=7 addr=10.0.0.1",
		   " listener{ proto=6 port=443 }", NULL);
	service_ok("service set, no device",
		   false, ARGV("web", "acceptance", "required", "timeout",
			       "udp", "6000", "max-flows", "0"),
		   "cmd=3 name=web acceptance=0 max_flows=0 timeout_udp=6000", NULL);
	service_ok("service set, values are the kernel's to check",
		   false, ARGV("web", "timeout", "tcp", "4294967295",
			       "deregistration-delay", "999999"),
		   "cmd=3 name=web timeout_tcp=4294967295",
		   " dereg_delay=999999", NULL);
	service_ok("service set, addresses and listeners replaced",
		   false, ARGV("web", "addr", "198.51.100.1", "listener",
			       "udp:5353:53"),
		   "cmd=3 name=web addr=198.51.100.1",
		   " listener{ proto=17 port=5353 target_port=53 }", NULL);

	service_bad("service add without dev", true,
		    ARGV("web", "addr", "10.0.0.1", "listener", "tcp:80"));
	service_bad("service add without addr", true,
		    ARGV("web", "dev", "nlb0", "listener", "tcp:80"));
	service_bad("service add without listener", true,
		    ARGV("web", "dev", "nlb0", "addr", "10.0.0.1"));
	service_bad("service set dev", false, ARGV("web", "dev", "nlb0"));
	service_bad("service set nothing", false, ARGV("web"));
	service_bad("listener port 0", false, ARGV("web", "listener", "tcp:0"));
	service_bad("listener target port 65536", false,
		    ARGV("web", "listener", "tcp:80:65536"));
	service_bad("listener without port", false,
		    ARGV("web", "listener", "tcp"));
	service_bad("listener sctp", false, ARGV("web", "listener", "sctp:1"));
	service_bad("timeout sctp", false,
		    ARGV("web", "timeout", "sctp", "60"));
	service_bad("max-flows -1", false, ARGV("web", "max-flows", "-1"));
	service_bad("max-flows 2^32", false,
		    ARGV("web", "max-flows", "4294967296"));
	service_bad("acceptance twice", false,
		    ARGV("web", "acceptance", "auto", "acceptance", "auto"));
	service_bad("keyword without value", false, ARGV("web", "allow"));
}

static void test_target(void)
{
	target_ok("target add, IPv4 and port, every setting", "target add",
		  PLINK_CMD_TARGET_ADD,
		  ARGV("web", "192.0.2.10:8080", "weight", "5", "zone", "a",
		       "health", "up"),
		  "cmd=6 service=web addr=192.0.2.10 port=8080 weight=5",
		  " zone=a health=1", NULL);
	target_ok("target set, IPv6 and port, health down", "target set",
		  PLINK_CMD_TARGET_SET,
		  ARGV("web", "[2001:db8::10]:443", "health", "down"),
		  "cmd=7 service=web addr=2001:db8::10 port=443 health=2", NULL);
	target_ok("target set, weight 0 and draining", "target set",
		  PLINK_CMD_TARGET_SET,
		  ARGV("web", "2001:db8::10", "weight", "0", "health",
		       "draining"),
		  "cmd=7 service=web addr=2001:db8::10 weight=0 health=3", NULL);
	target_ok("target del, no port", "target del", PLINK_CMD_TARGET_DEL,
		  ARGV("web", "2001:db8::10"),
		  "cmd=8 service=web addr=2001:db8::10", NULL);
	target_ok("target add, weight over 999 is the kernel's", "target add",
		  PLINK_CMD_TARGET_ADD,
		  ARGV("web", "10.0.0.1", "weight", "1000", "health",
		       "initial"),
		  "cmd=6 service=web addr=10.0.0.1 weight=1000 health=0", NULL);

	target_bad("target health sick", "target add",
		   ARGV("web", "10.0.0.1", "health", "sick"));
	target_bad("target port 0", "target add", ARGV("web", "10.0.0.1:0"));
	target_bad("target del with a setting", "target del",
		   ARGV("web", "10.0.0.1", "weight", "1"));
	target_bad("target set nothing", "target set", ARGV("web", "10.0.0.1"));
	target_bad("target without address", "target add", ARGV("web"));
}

static void test_endpoint(void)
{
	endpoint_ok("endpoint add, rules of every form",
		    ARGV("web", "dev", "pl0", "addr", "10.1.0.5", "addr",
			 "fd00::5", "allow", "10.0.0.0/8", "tcp:80",
			 "allow", "2001:db8::/32", "udp:1000-2000",
			 "allow", "192.0.2.7", "allow", "0.0.0.0/0"),
		    "cmd=10 service=web ifindex=9 addr=10.1.0.5 addr=fd00::5",
		    " rule{ prefix=10.0.0.0 prefix_len=8 proto=6 port_min=80",
		    " port_max=80 }",
		    " rule{ prefix=2001:db8:: prefix_len=32 proto=17",
		    " port_min=1000 port_max=2000 }",
		    " rule{ prefix=192.0.2.7 prefix_len=32 }",
		    " rule{ prefix=0.0.0.0 prefix_len=0 }", NULL);
	endpoint_ok("endpoint add, an IPv6 host rule",
		    ARGV("web", "addr", "fd00::5", "dev", "pl0", "allow",
			 "fd00::1"),
		    "cmd=10 service=web ifindex=9 addr=fd00::5",
		    " rule{ prefix=fd00::1 prefix_len=128 }", NULL);

	endpoint_bad("prefix /33", ARGV("web", "dev", "pl0", "addr",
					"10.1.0.5", "allow", "10.0.0.0/33"));
	endpoint_bad("prefix /129", ARGV("web", "dev", "pl0", "addr",
					 "fd00::5", "allow", "fd00::/129"));
	endpoint_bad("prefix with host bits",
		     ARGV("web", "dev", "pl0", "addr", "10.1.0.5", "allow",
			  "10.0.0.1/8"));
	endpoint_bad("rule port 0", ARGV("web", "dev", "pl0", "addr",
					 "10.1.0.5", "allow", "10.0.0.0/8",
					 "tcp:0"));
	endpoint_bad("rule port range to 65536",
		     ARGV("web", "dev", "pl0", "addr", "10.1.0.5", "allow",
			  "10.0.0.0/8", "udp:1-65536"));
	endpoint_bad("endpoint without dev",
		     ARGV("web", "addr", "10.1.0.5"));
	endpoint_bad("endpoint without addr", ARGV("web", "dev", "pl0"));
	endpoint_bad("endpoint bad address",
		     ARGV("web", "dev", "pl0", "addr", "10.1.0.256"));
	endpoint_bad("endpoint word after a rule",
		     ARGV("web", "dev", "pl0", "addr", "10.1.0.5", "allow",
			  "10.0.0.0/8", "tcp"));
}

static void test_addr(void)
{
	addr_port("192.0.2.1", "192.0.2.1");
	addr_port("192.0.2.1:8080", "192.0.2.1:8080");
	addr_port("192.0.2.1:08080", "192.0.2.1:8080");
	addr_port("[2001:db8::1]:8080", "[2001:db8::1]:8080");
	addr_port("[2001:db8::1]", "2001:db8::1");
	addr_port("2001:db8::1", "2001:db8::1");
	addr_port("2001:db8::1:80", "2001:db8::1:80");
	addr_port("::ffff:192.0.2.1", "::ffff:192.0.2.1");
	addr_port("", "refused");
	addr_port("192.0.2", "refused");
	addr_port("192.0.2.1:", "refused");
	addr_port("192.0.2.1:0", "refused");
	addr_port("192.0.2.1:65536", "refused");
	addr_port("192.0.2.1:+80", "refused");
	addr_port("[192.0.2.1]:80", "refused");
	addr_port("[2001:db8::1", "refused");
	addr_port("[2001:db8::1]80", "refused");
	addr_port("[2001:db8::1]:", "refused");
	addr_port("localhost:80", "refused");
}

/* A request too large for the buffer is not sent half built. */
static void test_full(void)
{
	struct service_req req;
	struct plnl_msg m;
	char **argv;
	int i, argc = 1 + 2 * 2000;

	argv = calloc((size_t)argc, sizeof(*argv));
	if (!argv) {
		perror("calloc");
		exit(1);
	}
	argv[0] = "web";
	for (i = 1; i < argc; i += 2) {
		argv[i] = "allow";
		argv[i + 1] = "uid:4000000000-and-some-more";
	}
	if (service_req_parse(&req, false, argc, argv)) {
		check("a request over the buffer", "parse failed", "FULL");
	} else {
		m = plnl_msg_req(&nl, PLINK_CMD_SERVICE_SET, 0);
		service_req_put(&m, &req);
		check("a request over the buffer", m.full ? "FULL" : "fits",
		      "FULL");
		check("a full request stays in its buffer",
		      m.nlh->nlmsg_len <= m.size ? "yes" : "no", "yes");
	}
	service_req_free(&req);
	free(argv);
}

/* Replies, as the kernel would send them. */

static char reply_buf[4096];

static struct nlmsghdr *reply(unsigned char cmd)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	memset(reply_buf, 0, sizeof(reply_buf));
	nlh = mnl_nlmsg_put_header(reply_buf);
	nlh->nlmsg_type = nl.family;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = PLINK_FAMILY_VERSION;
	return nlh;
}

static void put_addr(struct nlmsghdr *nlh, unsigned short type,
		     const char *text)
{
	struct pl_addr addr;

	if (pl_addr_parse(text, &addr))
		exit(1);
	mnl_attr_put(nlh, type, addr.len, addr.bytes);
}

static void put_listener(struct nlmsghdr *nlh, unsigned char proto,
			 unsigned short port, unsigned short tport)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PLINK_A_SERVICE_LISTENER);

	mnl_attr_put_u8(nlh, PLINK_A_LISTENER_PROTO, proto);
	mnl_attr_put_u16(nlh, PLINK_A_LISTENER_PORT, htons(port));
	mnl_attr_put_u16(nlh, PLINK_A_LISTENER_TARGET_PORT, htons(tport));
	mnl_attr_nest_end(nlh, nest);
}

static void put_rule(struct nlmsghdr *nlh, const char *prefix,
		     unsigned char len, unsigned char proto,
		     unsigned short min, unsigned short max)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PLINK_A_ENDPOINT_RULE);

	put_addr(nlh, PLINK_A_RULE_PREFIX, prefix);
	mnl_attr_put_u8(nlh, PLINK_A_RULE_PREFIX_LEN, len);
	if (proto) {
		mnl_attr_put_u8(nlh, PLINK_A_RULE_PROTO, proto);
		mnl_attr_put_u16(nlh, PLINK_A_RULE_PORT_MIN, htons(min));
		mnl_attr_put_u16(nlh, PLINK_A_RULE_PORT_MAX, htons(max));
	}
	mnl_attr_nest_end(nlh, nest);
}

/* What show callback @cb prints for @nlh, with -j if @json. */
static void check_show(const char *name, mnl_cb_t cb,
		       const struct nlmsghdr *nlh, int json, ...)
{
	const char *want = WANT(json);
	struct pl_ctx ctx = { .json = json };
	struct pl_show s = { .ctx = &ctx };
	char *text = NULL;
	size_t len = 0;
	int ret;

	s.out = open_memstream(&text, &len);
	if (!s.out) {
		perror("open_memstream");
		exit(1);
	}
	json_init(&s.jw, s.out);
	ret = QUIET(cb(nlh, &s));
	fclose(s.out);
	check(name, ret == MNL_CB_OK ? text : "MNL_CB_ERROR", want);
	free(text);
}

/* What event printer @fn prints on stdout for @nlh, with -j if @json. */
static void check_event(const char *name,
			int (*fn)(struct pl_ctx *ctx,
				  const struct nlmsghdr *nlh),
			const struct nlmsghdr *nlh, int json, ...)
{
	const char *want = WANT(json);
	struct pl_ctx ctx = { .json = json };
	char text[1024] = "";
	FILE *tmp = tmpfile();
	int saved, ret;
	size_t n;

	if (!tmp) {
		perror("tmpfile");
		exit(1);
	}
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(tmp), 1);
	ret = QUIET(fn(&ctx, nlh));
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(text, 1, sizeof(text) - 1, tmp);
	text[n] = '\0';
	fclose(tmp);
	check(name, ret ? "error" : text, want);
}

static struct nlmsghdr *service_provider_reply(void)
{
	struct nlmsghdr *nlh = reply(PLINK_CMD_SERVICE_GET);

	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "web");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE, PLINK_ACCEPTANCE_AUTO);
	put_listener(nlh, PLINK_PROTO_TCP, 80, 8080);
	put_listener(nlh, PLINK_PROTO_UDP, 53, 53);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_ID, "plsvc-0123456789abcdef");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_IFINDEX, 1);	/* lo */
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_TIMEOUT_TCP, 350);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_TIMEOUT_UDP, 120);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_DEREG_DELAY, 300);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_MAX_FLOWS, 1000);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_STATE, 0);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_N_TARGETS, 2);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_N_ENDPOINTS, 1);
	put_addr(nlh, PLINK_A_SERVICE_ADDR, "192.0.2.1");
	put_addr(nlh, PLINK_A_SERVICE_ADDR, "2001:db8::1");
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_PRINCIPAL, "uid:1000");
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_PRINCIPAL, "*");
	return nlh;
}

static void test_service_show(void)
{
	struct nlmsghdr *nlh;

	nlh = service_provider_reply();
	check_show("service show, provider", service_show_cb, nlh, false,
		   "web              plsvc-0123456789abcdef available  auto    ",
		   " tcp:80:8080 udp:53 192.0.2.1 2001:db8::1\n", NULL);
	check_show("service show -j, provider", service_show_cb, nlh, true,
		   "{\"id\":\"plsvc-0123456789abcdef\",\"name\":\"web\",",
		   "\"ifindex\":1,\"dev\":\"lo\",",
		   "\"addrs\":[\"192.0.2.1\",\"2001:db8::1\"],",
		   "\"listeners\":[{\"proto\":\"tcp\",\"port\":80,",
		   "\"target_port\":8080},{\"proto\":\"udp\",\"port\":53,",
		   "\"target_port\":53}],\"acceptance\":\"auto\",",
		   "\"principals\":[\"uid:1000\",\"*\"],\"timeout_tcp\":350,",
		   "\"timeout_udp\":120,\"deregistration_delay\":300,",
		   "\"max_flows\":1000,\"state\":\"available\",\"targets\":2,",
		   "\"endpoints\":1}", NULL);

	/* What a consumer sees of another netns's service. */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "db");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE, 0);
	put_listener(nlh, PLINK_PROTO_TCP, 5432, 5432);
	check_show("service show, consumer", service_show_cb, nlh, false,
		   "db               -                      -          required",
		   " tcp:5432\n", NULL);
	check_show("service show -j, consumer", service_show_cb, nlh, true,
		   "{\"name\":\"db\",\"listeners\":[{\"proto\":\"tcp\",",
		   "\"port\":5432,\"target_port\":5432}],",
		   "\"acceptance\":\"required\"}", NULL);

	/* A provider's service with no principal yet: an empty list. */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "x");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_IFINDEX, 1);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE, 7);
	check_show("service show, nothing after the columns", service_show_cb,
		   nlh, false,
		   "x                -                      -          unknown(7)\n", NULL);
	check_show("service show -j, no principal, unknown acceptance",
		   service_show_cb, nlh, true,
		   "{\"name\":\"x\",\"ifindex\":1,\"dev\":\"lo\",\"addrs\":[],",
		   "\"listeners\":[],\"acceptance\":\"unknown(7)\",",
		   "\"principals\":[]}", NULL);

	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "x");
	mnl_attr_put(nlh, PLINK_A_SERVICE_ADDR, 5, "abcde");
	check_show("service show, a 5-byte address", service_show_cb, nlh,
		   false, "MNL_CB_ERROR", NULL);

	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "x");
	put_listener(nlh, PLINK_PROTO_TCP, 80, 80);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_LISTENER, 1);
	check_show("service show, a listener that is no nest", service_show_cb,
		   nlh, false, "MNL_CB_ERROR", NULL);

	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE, 0);
	check_show("service show, no name", service_show_cb, nlh, false,
		   "MNL_CB_ERROR", NULL);
}

static struct nlmsghdr *target_reply(unsigned char cmd, const char *addr,
				     unsigned short port, bool zone)
{
	struct nlmsghdr *nlh = reply(cmd);

	mnl_attr_put_strz(nlh, PLINK_A_TARGET_SERVICE, "web");
	put_addr(nlh, PLINK_A_TARGET_ADDR, addr);
	mnl_attr_put_u16(nlh, PLINK_A_TARGET_PORT, htons(port));
	mnl_attr_put_u32(nlh, PLINK_A_TARGET_WEIGHT, 5);
	mnl_attr_put_u32(nlh, PLINK_A_TARGET_HEALTH, PLINK_HEALTH_HEALTHY);
	if (zone)
		mnl_attr_put_strz(nlh, PLINK_A_TARGET_ZONE, "z1");
	return nlh;
}

static void test_target_show(void)
{
	struct nlmsghdr *nlh;

	nlh = target_reply(PLINK_CMD_TARGET_GET, "192.0.2.10", 0, false);
	check_show("target show, port 0, no zone", target_show_cb, nlh, false,
		   "web              192.0.2.10               5     -          ",
		   "  healthy\n", NULL);
	check_show("target show -j, port 0, no zone", target_show_cb, nlh,
		   true,
		   "{\"service\":\"web\",\"addr\":\"192.0.2.10\",\"port\":0,",
		   "\"weight\":5,\"health\":\"healthy\"}", NULL);
	nlh = target_reply(PLINK_CMD_TARGET_GET, "2001:db8::10", 443, true);
	check_show("target show, IPv6 and port, zone", target_show_cb, nlh,
		   false,
		   "web              [2001:db8::10]:443       5     z1         ",
		   "  healthy\n", NULL);
	check_show("target show -j, IPv6 and port, zone", target_show_cb, nlh,
		   true,
		   "{\"service\":\"web\",\"addr\":\"2001:db8::10\",\"port\":443,",
		   "\"weight\":5,\"zone\":\"z1\",\"health\":\"healthy\"}", NULL);

	nlh = target_reply(PLINK_CMD_TARGET_NTF, "192.0.2.10", 8080, false);
	check_event("target event", target_event, nlh, false,
		    "target web 192.0.2.10:8080 health healthy\n", NULL);
	check_event("target event -j", target_event, nlh, true,
		    "{\"event\":\"target\",\"service\":\"web\",",
		    "\"addr\":\"192.0.2.10\",\"port\":8080,\"weight\":5,",
		    "\"health\":\"healthy\"}\n", NULL);

	nlh = reply(PLINK_CMD_TARGET_GET);
	mnl_attr_put_strz(nlh, PLINK_A_TARGET_SERVICE, "web");
	check_show("target show, no address", target_show_cb, nlh, false,
		   "MNL_CB_ERROR", NULL);
}

static struct nlmsghdr *endpoint_reply(unsigned char cmd, bool consumer)
{
	struct nlmsghdr *nlh = reply(cmd);

	mnl_attr_put_strz(nlh, PLINK_A_ENDPOINT_ID, "plep-00000000000000ab");
	mnl_attr_put_strz(nlh, PLINK_A_ENDPOINT_SERVICE, "web");
	mnl_attr_put_u32(nlh, PLINK_A_ENDPOINT_STATE,
			 PLINK_ENDPOINT_STATE_PENDING_ACCEPTANCE);
	mnl_attr_put_u32(nlh, PLINK_A_ENDPOINT_OWNER_UID, 1000);
	if (!consumer)
		return nlh;
	mnl_attr_put_u32(nlh, PLINK_A_ENDPOINT_IFINDEX, 1);
	put_addr(nlh, PLINK_A_ENDPOINT_ADDR, "10.1.0.5");
	put_rule(nlh, "10.0.0.0", 8, PLINK_PROTO_TCP, 80, 80);
	put_rule(nlh, "2001:db8::", 32, PLINK_PROTO_UDP, 1000, 2000);
	put_rule(nlh, "192.0.2.7", 32, 0, 0, 0);
	return nlh;
}

static void test_endpoint_show(void)
{
	struct nlmsghdr *nlh;

	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, true);
	check_show("endpoint show, consumer", endpoint_show_cb, nlh, false,
		   "plep-00000000000000ab  pending-acceptance web             ",
		   " lo       uid:1000   10.1.0.5 10.0.0.0/8,tcp:80",
		   " 2001:db8::/32,udp:1000-2000 192.0.2.7/32\n", NULL);
	check_show("endpoint show -j, consumer", endpoint_show_cb, nlh, true,
		   "{\"id\":\"plep-00000000000000ab\",\"service\":\"web\",",
		   "\"ifindex\":1,\"dev\":\"lo\",\"addrs\":[\"10.1.0.5\"],",
		   "\"rules\":[{\"prefix\":\"10.0.0.0/8\",\"proto\":\"tcp\",",
		   "\"port_min\":80,\"port_max\":80},",
		   "{\"prefix\":\"2001:db8::/32\",\"proto\":\"udp\",",
		   "\"port_min\":1000,\"port_max\":2000},",
		   "{\"prefix\":\"192.0.2.7/32\"}],",
		   "\"state\":\"pending-acceptance\",\"owner_uid\":1000}", NULL);

	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, false);
	check_show("endpoint show, provider", endpoint_show_cb, nlh, false,
		   "plep-00000000000000ab  pending-acceptance web             ",
		   " -        uid:1000\n", NULL);
	check_show("endpoint show -j, provider", endpoint_show_cb, nlh, true,
		   "{\"id\":\"plep-00000000000000ab\",\"service\":\"web\",",
		   "\"state\":\"pending-acceptance\",\"owner_uid\":1000}", NULL);

	check_event("endpoint event", endpoint_event, nlh, false,
		    "endpoint plep-00000000000000ab pending-acceptance",
		    " service web\n", NULL);
	check_event("endpoint event -j", endpoint_event, nlh, true,
		    "{\"event\":\"endpoint\",\"id\":\"plep-00000000000000ab\",",
		    "\"service\":\"web\",\"state\":\"pending-acceptance\",",
		    "\"owner_uid\":1000}\n", NULL);

	nlh = reply(PLINK_CMD_ENDPOINT_GET);
	mnl_attr_put_strz(nlh, PLINK_A_ENDPOINT_ID, "plep-1");
	put_rule(nlh, "10.0.0.0", 8, 0, 0, 0);
	mnl_attr_put_u8(nlh, PLINK_A_ENDPOINT_RULE, 1);
	check_show("endpoint show, a rule that is no nest", endpoint_show_cb,
		   nlh, false, "MNL_CB_ERROR", NULL);
	nlh = reply(PLINK_CMD_ENDPOINT_GET);
	mnl_attr_put_strz(nlh, PLINK_A_ENDPOINT_SERVICE, "web");
	check_show("endpoint show, no id", endpoint_show_cb, nlh, false,
		   "MNL_CB_ERROR", NULL);
}

/* route-add|route-del IFNAME ADDR...: what the commands do. */
static int route_main(int argc, char **argv)
{
	struct pl_addr *addrs;
	unsigned int ifindex;
	int i, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: nl_test route-{add|del} IFNAME ADDR...\n");
		return 1;
	}
	ifindex = if_nametoindex(argv[2]);
	if (!ifindex)
		ifindex = (unsigned int)atoi(argv[2]);
	addrs = calloc((size_t)argc, sizeof(*addrs));
	if (!addrs)
		return 1;
	for (i = 3; i < argc; i++)
		if (pl_addr_parse(argv[i], &addrs[i - 3]))
			return 1;
	if (!strcmp(argv[1], "route-add"))
		ret = pl_routes_add(ifindex, addrs, (size_t)argc - 3, "test");
	else
		ret = pl_routes_del(ifindex, addrs, (size_t)argc - 3, NULL,
				    "test");
	free(addrs);
	return ret;
}

int main(int argc, char **argv)
{
	nl.buflen = 32768;
	nl.buf = malloc(nl.buflen);
	nl.family = 0x20;
	if (!nl.buf) {
		perror("malloc");
		return 1;
	}
	if (argc > 1) {
		free(nl.buf);
		return route_main(argc, argv);
	}
	printf("TAP version 13\n");
	test_service();
	test_target();
	test_endpoint();
	test_addr();
	test_full();
	test_service_show();
	test_target_show();
	test_endpoint_show();
	printf("1..%d\n", tests);
	free(nl.buf);
	return failures != 0;
}
