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
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/plink.h>

#include "../dev.c"
#include "../endpoint.c"
#include "../flow.c"
#include "../limits.c"
#include "../service.c"
#include "../stats.c"
#include "../target.c"

/* The words of a command line, NULL-terminated. */
#define ARGV(...)	((char *[]){ __VA_ARGS__, NULL })

/*
 * How to render one attribute set: a name and a kind by attribute type.
 * Kinds: s string, u u32, b u8, p big-endian u16, a address, f flag,
 * n nest (of @nest's set).
 */
struct aset {
	const char *names[32];
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
		   "n_endpoints", "maglev_size", "fail_open", "reset_unhealthy",
		   "stats", "owner_uid", "endpoint_max_flows", "health_check",
		   "accepted", "dns_name", "revoke", "revoked",
		   "proxy_protocol" },
	.kinds = "?ssuanusuuuuufuuubb?uu??suuu",
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

static const struct aset flow_aset = {
	.names = { NULL, "pad", "service", "endpoint", "proto", "client_addr",
		   "client_port", "endpoint_addr", "endpoint_port", "nlb_addr",
		   "nlb_port", "target_addr", "target_port" },
	.kinds = "??ssbapapapap",
};

static const struct aset limits_aset = {
	.names = { NULL, "uid", "flows", "services", "endpoints", "targets",
		   "maglev_slots", "n_flows", "n_services", "n_endpoints",
		   "n_targets", "n_maglev_slots", "default" },
	.kinds = "?uuuuuuuuuuuf",
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
			       "udp", "6000", "max-flows", "1"),
		   "cmd=3 name=web acceptance=0 max_flows=1 timeout_udp=6000", NULL);
	service_ok("service set, the ends of the spec's ranges",
		   false, ARGV("web", "timeout", "tcp", "60",
			       "deregistration-delay", "3600",
			       "max-flows", "4194304"),
		   "cmd=3 name=web max_flows=4194304 timeout_tcp=60",
		   " dereg_delay=3600", NULL);
	service_ok("service set, plink.rst's spellings",
		   false, ARGV("web", "timeout-tcp", "350", "timeout-udp",
			       "120", "dereg-delay", "0"),
		   "cmd=3 name=web timeout_tcp=350 timeout_udp=120",
		   " dereg_delay=0", NULL);
	service_bad("service set max-flows 0", false,
		    ARGV("web", "max-flows", "0"));
	service_bad("service set max-flows over the limit", false,
		    ARGV("web", "max-flows", "4194305"));
	service_bad("service set timeout tcp 59", false,
		    ARGV("web", "timeout", "tcp", "59"));
	service_bad("service set timeout-udp 6001", false,
		    ARGV("web", "timeout-udp", "6001"));
	service_bad("service set dereg-delay 3601", false,
		    ARGV("web", "dereg-delay", "3601"));
	service_bad("service set timeout-tcp twice", false,
		    ARGV("web", "timeout-tcp", "60", "timeout", "tcp", "60"));
	service_bad("service set health-check interval 4", false,
		    ARGV("web", "health-check", "tcp", "interval", "4"));
	service_bad("service set health-check healthy-threshold 11", false,
		    ARGV("web", "health-check", "tcp", "healthy-threshold",
			 "11"));
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
	service_bad("service set health-check without a type", false,
		    ARGV("web", "health-check"));
	service_bad("service set health-check udp", false,
		    ARGV("web", "health-check", "udp"));
	service_bad("service set health-check port 0", false,
		    ARGV("web", "health-check", "tcp", "port", "0"));
	service_bad("service set health-check interval twice", false,
		    ARGV("web", "health-check", "tcp", "interval", "5",
			 "interval", "6"));
	service_bad("service set health-check passive maybe", false,
		    ARGV("web", "health-check", "http", "passive", "maybe"));
	service_bad("service set health-check twice", false,
		    ARGV("web", "health-check", "off", "health-check", "tcp"));
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

	service_ok("service add, Maglev, fail-open, reset-unhealthy",
		   true, ARGV("web", "dev", "nlb0", "addr", "10.0.0.1",
			      "listener", "tcp:80", "maglev-size", "251",
			      "fail-open", "on", "reset-unhealthy", "off"),
		   "cmd=2 name=web ifindex=7 addr=10.0.0.1",
		   " listener{ proto=6 port=80 } maglev_size=251 fail_open=1",
		   " reset_unhealthy=0", NULL);
	service_ok("service set, endpoint-max-flows",
		   false, ARGV("web", "endpoint-max-flows", "100"),
		   "cmd=3 name=web endpoint_max_flows=100", NULL);
	service_ok("service set, fail-open alone",
		   false, ARGV("web", "fail-open", "off"),
		   "cmd=3 name=web fail_open=0", NULL);
	service_ok("service set, reset-unhealthy and maglev-size",
		   false, ARGV("web", "reset-unhealthy", "on", "maglev-size",
			       "65537"),
		   "cmd=3 name=web maglev_size=65537 reset_unhealthy=1", NULL);
	service_bad("fail-open yes", false, ARGV("web", "fail-open", "yes"));
	service_bad("fail-open twice", false,
		    ARGV("web", "fail-open", "on", "fail-open", "on"));
	service_bad("reset-unhealthy without value", false,
		    ARGV("web", "reset-unhealthy"));
	service_bad("maglev-size x", false, ARGV("web", "maglev-size", "x"));
	service_bad("maglev-size twice", false,
		    ARGV("web", "maglev-size", "251", "maglev-size", "251"));

	service_ok("service add, proxy-protocol v2",
		   true, ARGV("web", "dev", "nlb0", "addr", "10.0.0.1",
			      "listener", "tcp:80", "proxy-protocol", "v2"),
		   "cmd=2 name=web ifindex=7 addr=10.0.0.1",
		   " listener{ proto=6 port=80 } proxy_protocol=1", NULL);
	service_ok("service set, proxy-protocol off",
		   false, ARGV("web", "proxy-protocol", "off"),
		   "cmd=3 name=web proxy_protocol=0", NULL);
	service_bad("proxy-protocol v1", false,
		    ARGV("web", "proxy-protocol", "v1"));
	service_bad("proxy-protocol twice", false,
		    ARGV("web", "proxy-protocol", "v2", "proxy-protocol", "v2"));
	service_bad("proxy-protocol without value", false,
		    ARGV("web", "proxy-protocol"));
}

/* The request of a flow command, or "refused". */
static void flow_ok(const char *name, const char *cmd, char **argv, ...)
{
	const char *want = WANT(argv);
	struct flow_req req;
	struct plnl_msg m;

	if (QUIET(flow_req_parse(&req, cmd, count(argv), argv))) {
		check(name, "refused", want);
		return;
	}
	m = plnl_msg_req(&nl, PLINK_CMD_FLOW_GET, 0);
	flow_req_put(&m, &req);
	check_msg(name, &m, &flow_aset, want);
}

static void test_flow(void)
{
	flow_ok("flow show, no filter", "flow show", (char *[]){ NULL },
		"cmd=15", NULL);
	flow_ok("flow show, both filters", "flow show",
		ARGV("endpoint", "plep-1", "service", "web"),
		"cmd=15 service=web endpoint=plep-1", NULL);
	flow_ok("flow flush, one service", "flow flush",
		ARGV("service", "web"), "cmd=15 service=web", NULL);
	flow_ok("flow get, IPv4", "flow get",
		ARGV("endpoint", "plep-1", "proto", "tcp", "client",
		     "10.1.0.9:41234", "dst", "10.1.0.5:80"),
		"cmd=15 endpoint=plep-1 proto=6 client_addr=10.1.0.9",
		" client_port=41234 endpoint_addr=10.1.0.5 endpoint_port=80",
		NULL);
	flow_ok("flow get, IPv6 and udp, any order", "flow get",
		ARGV("dst", "[fd00::5]:53", "client", "[fd00::9]:5353",
		     "proto", "udp", "endpoint", "plep-2"),
		"cmd=15 endpoint=plep-2 proto=17 client_addr=fd00::9",
		" client_port=5353 endpoint_addr=fd00::5 endpoint_port=53",
		NULL);

	flow_ok("flow flush, service and endpoint", "flow flush",
		ARGV("service", "web", "endpoint", "plep-1"), "refused", NULL);
	flow_ok("stats, service and endpoint", "stats",
		ARGV("endpoint", "plep-1", "service", "web"), "refused", NULL);
	flow_ok("stats, twice service", "stats",
		ARGV("service", "a", "service", "b"), "refused", NULL);
	flow_ok("flow show, proto", "flow show", ARGV("proto", "tcp"),
		"refused", NULL);
	flow_ok("flow show, missing value", "flow show", ARGV("service"),
		"refused", NULL);
	flow_ok("flow get, no endpoint", "flow get",
		ARGV("proto", "tcp", "client", "10.1.0.9:1", "dst",
		     "10.1.0.5:80"), "refused", NULL);
	flow_ok("flow get, no dst", "flow get",
		ARGV("endpoint", "e", "proto", "tcp", "client",
		     "10.1.0.9:1"), "refused", NULL);
	flow_ok("flow get, client without port", "flow get",
		ARGV("endpoint", "e", "proto", "tcp", "client", "10.1.0.9",
		     "dst", "10.1.0.5:80"), "refused", NULL);
	flow_ok("flow get, IPv6 dst without brackets", "flow get",
		ARGV("endpoint", "e", "proto", "tcp", "client",
		     "[fd00::9]:1", "dst", "fd00::5"), "refused", NULL);
	flow_ok("flow get, proto sctp", "flow get",
		ARGV("endpoint", "e", "proto", "sctp", "client",
		     "10.1.0.9:1", "dst", "10.1.0.5:80"), "refused", NULL);
	flow_ok("flow get, service", "flow get",
		ARGV("service", "web", "endpoint", "e", "proto", "tcp",
		     "client", "10.1.0.9:1", "dst", "10.1.0.5:80"),
		"refused", NULL);
	flow_ok("flow get, provider, IPv4", "flow get",
		ARGV("service", "web", "proto", "tcp", "nlb", "10.9.0.1:1024",
		     "target", "10.9.0.10:8080"),
		"cmd=15 service=web proto=6 nlb_addr=10.9.0.1 nlb_port=1024",
		" target_addr=10.9.0.10 target_port=8080", NULL);
	flow_ok("flow get, provider, IPv6", "flow get",
		ARGV("target", "[fd09::10]:80", "nlb", "[fd09::1]:2000",
		     "proto", "tcp", "service", "web"),
		"cmd=15 service=web proto=6 nlb_addr=fd09::1 nlb_port=2000",
		" target_addr=fd09::10 target_port=80", NULL);
	flow_ok("flow get, provider, no target", "flow get",
		ARGV("service", "web", "proto", "tcp", "nlb", "10.9.0.1:1024"),
		"refused", NULL);
	flow_ok("flow get, provider, no service", "flow get",
		ARGV("proto", "tcp", "nlb", "10.9.0.1:1024", "target",
		     "10.9.0.10:80"), "refused", NULL);
	flow_ok("flow get, provider and client", "flow get",
		ARGV("service", "web", "proto", "tcp", "nlb", "10.9.0.1:1",
		     "target", "10.9.0.10:80", "client", "10.1.0.9:1"),
		"refused", NULL);
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
	target_ok("target add, weight 999", "target add",
		  PLINK_CMD_TARGET_ADD,
		  ARGV("web", "10.0.0.1", "weight", "999", "health",
		       "initial"),
		  "cmd=6 service=web addr=10.0.0.1 weight=999 health=0", NULL);

	target_bad("target weight 1000", "target add",
		   ARGV("web", "10.0.0.1", "weight", "1000"));

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

	endpoint_bad("endpoint allow, an empty port range",
		     ARGV("web", "dev", "pl0", "addr", "10.0.0.5", "allow",
			  "10.0.0.0/8", "tcp:80-70"));
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

static void limits_ok(const char *name, char **argv, ...)
{
	const char *want = WANT(argv);
	struct limits_req req;
	struct plnl_msg m;

	if (limits_req_parse(&req, count(argv), argv)) {
		check(name, "parse failed", want);
		return;
	}
	m = plnl_msg_req(&nl, PLINK_CMD_LIMITS_SET, 0);
	limits_req_put(&m, &req);
	check_msg(name, &m, &limits_aset, want);
}

static void limits_bad(const char *name, char **argv)
{
	struct limits_req req;
	int ret = QUIET(limits_req_parse(&req, count(argv), argv));

	check(name, ret ? "refused" : "accepted", "refused");
}

static void test_limits(void)
{
	limits_ok("limits set, every limit",
		  ARGV("uid:1000", "flows", "500", "services", "2",
		       "endpoints", "3", "targets", "4", "maglev-slots",
		       "70000"),
		  "cmd=20 uid=1000 flows=500 services=2 endpoints=3 targets=4",
		  " maglev_slots=70000", NULL);
	limits_ok("limits set, unlimited, back to the defaults first",
		  ARGV("uid:0", "default", "flows", "unlimited"),
		  "cmd=20 uid=0 flows=4294967295 default", NULL);
	limits_ok("limits set, back to the defaults", ARGV("uid:7", "default"),
		  "cmd=20 uid=7 default", NULL);
	limits_bad("limits set, nothing", ARGV("uid:7"));
	limits_bad("limits set, no uid", ARGV("flows", "5"));
	limits_bad("limits set, uid without number", ARGV("uid:", "flows", "5"));
	limits_bad("limits set, bad limit", ARGV("uid:7", "flows", "-1"));
	limits_bad("limits set, twice", ARGV("uid:7", "flows", "1", "flows", "2"));
	limits_bad("limits set, unknown", ARGV("uid:7", "slots", "1"));
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
		argv[i + 1] = "uid:4000000000";
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

/* A listener as a consumer sees it: no target port. */
static void put_listener_port(struct nlmsghdr *nlh, unsigned char proto,
			      unsigned short port)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, PLINK_A_SERVICE_LISTENER);

	mnl_attr_put_u8(nlh, PLINK_A_LISTENER_PROTO, proto);
	mnl_attr_put_u16(nlh, PLINK_A_LISTENER_PORT, htons(port));
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

/*
 * A stats nest: padding, then counter N = @base + N for every other
 * counter (the others absent: 0).
 */
static void put_stats(struct nlmsghdr *nlh, unsigned short type,
		      unsigned long long base)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	unsigned short t;

	mnl_attr_put(nlh, PLINK_A_STATS_PAD, 0, "");
	for (t = PLINK_A_STATS_FWD_PACKETS; t <= PLINK_A_STATS_MAX; t += 2)
		mnl_attr_put_u64(nlh, t, base + t);
	mnl_attr_nest_end(nlh, nest);
}

/* What show callback @cb prints for @nlh, with @ctx's options and @priv. */
static void show_into(const char *name, mnl_cb_t cb,
		      const struct nlmsghdr *nlh, struct pl_ctx *ctx,
		      const void *priv, const char *want)
{
	struct pl_show s = { .ctx = ctx, .priv = priv };
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int ret;

	out = open_memstream(&text, &len);
	if (!out) {
		perror("open_memstream");
		exit(1);
	}
	pl_print_init(&s.p, out, ctx->json);
	ret = QUIET(cb(nlh, &s));
	fclose(out);
	check(name, ret == MNL_CB_OK ? text : "MNL_CB_ERROR", want);
	free(text);
}

/* What show callback @cb prints for @nlh, with -j if @json. */
static void check_show(const char *name, mnl_cb_t cb,
		       const struct nlmsghdr *nlh, int json, ...)
{
	struct pl_ctx ctx = { .json = json };

	show_into(name, cb, nlh, &ctx, NULL, WANT(json));
}

/* The same with -s (and -d if @details): the counters too. */
static void check_show_s(const char *name, mnl_cb_t cb,
			 const struct nlmsghdr *nlh, bool details, int json,
			 ...)
{
	struct pl_ctx ctx = { .json = json, .stats = true,
			      .details = details };

	show_into(name, cb, nlh, &ctx, NULL, WANT(json));
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
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_OWNER_UID, 0);
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
	struct nlattr *nest;

	nlh = service_provider_reply();
	check_show("service show, provider", service_show_cb, nlh, false,
		   "web dev lo addr 192.0.2.1 addr 2001:db8::1",
		   " listener tcp:80:8080 listener udp:53 acceptance auto",
		   " allow uid:1000 allow any timeout tcp 350 timeout udp 120",
		   " deregistration-delay 300 max-flows 1000\n",
		   "    id plsvc-0123456789abcdef owner uid:0 state available",
		   " targets 2 endpoints 1\n", NULL);
	check_show("service show -j, provider", service_show_cb, nlh, true,
		   "{\"id\":\"plsvc-0123456789abcdef\",\"name\":\"web\",",
		   "\"owner_uid\":0,\"ifindex\":1,\"dev\":\"lo\",",
		   "\"nlb_addrs\":[\"192.0.2.1\",\"2001:db8::1\"],",
		   "\"listeners\":[{\"proto\":\"tcp\",\"listener_port\":80,",
		   "\"target_port\":8080},{\"proto\":\"udp\",",
		   "\"listener_port\":53,",
		   "\"target_port\":53}],\"acceptance\":\"auto\",",
		   "\"principals\":[\"uid:1000\",\"*\"],\"timeout_tcp\":350,",
		   "\"timeout_udp\":120,\"deregistration_delay\":300,",
		   "\"max_flows\":1000,\"state\":\"available\",\"n_targets\":2,",
		   "\"n_endpoints\":1}", NULL);

	/*
	 * What a consumer sees of another netns's service: its id, name,
	 * owner, listeners (no target port) and acceptance.
	 */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_ID, "plsvc-00000000000000db");
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "db");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_OWNER_UID, 4294967294U);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE, 0);
	put_listener_port(nlh, PLINK_PROTO_TCP, 5432);
	check_show("service show, consumer", service_show_cb, nlh, false,
		   "db listener tcp:5432 acceptance required\n",
		   "    id plsvc-00000000000000db owner uid:4294967294\n", NULL);
	check_show("service show -j, consumer", service_show_cb, nlh, true,
		   "{\"id\":\"plsvc-00000000000000db\",\"name\":\"db\",",
		   "\"owner_uid\":4294967294,",
		   "\"listeners\":[{\"proto\":\"tcp\",\"listener_port\":5432}],",
		   "\"acceptance\":\"required\"}", NULL);

	/* A provider's service with no principal yet: an empty list. */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "x");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_IFINDEX, 1);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE, 7);
	check_show("service show, no second line", service_show_cb,
		   nlh, false, "x dev lo acceptance unknown(7)\n", NULL);
	check_show("service show -j, no principal, unknown acceptance",
		   service_show_cb, nlh, true,
		   "{\"name\":\"x\",\"ifindex\":1,\"dev\":\"lo\",\"nlb_addrs\":[],",
		   "\"listeners\":[],\"acceptance\":\"unknown(7)\",",
		   "\"principals\":[]}", NULL);

	/* The balancing settings, after the rest; no stats in "show". */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "lb");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_ACCEPTANCE, 1);
	put_listener(nlh, PLINK_PROTO_TCP, 80, 80);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_MAGLEV_SIZE, 16381);
	mnl_attr_put_u8(nlh, PLINK_A_SERVICE_FAIL_OPEN, 1);
	mnl_attr_put_u8(nlh, PLINK_A_SERVICE_RESET_UNHEALTHY, 0);
	put_stats(nlh, PLINK_A_SERVICE_STATS, 7);
	check_show("service show, balancing settings", service_show_cb, nlh,
		   false,
		   "lb listener tcp:80 acceptance auto maglev-size 16381",
		   " fail-open on reset-unhealthy off\n", NULL);
	check_show("service show -j, balancing settings", service_show_cb, nlh,
		   true,
		   "{\"name\":\"lb\",\"listeners\":[{\"proto\":\"tcp\",",
		   "\"listener_port\":80,\"target_port\":80}],",
		   "\"acceptance\":\"auto\",",
		   "\"maglev_size\":16381,\"fail_open\":true,",
		   "\"reset_unhealthy\":false}", NULL);

	/* -s: the counters too, after the rest; -d: those at 0 too. */
	check_show_s("service show -s", service_show_cb, nlh, false, false,
		     "lb listener tcp:80 acceptance auto maglev-size 16381",
		     " fail-open on reset-unhealthy off\n",
		     "    stats fwd-packets 9 rev-packets 11 flows-new 13",
		     " flows-reset 15\n",
		     "    drop-malformed 17 drop-no-listener 19 drop-state 21",
		     " drop-table-full 23 drop-no-flow 25 drop-quota 27",
		     " passive-icmp-unreach 29 checks 31 ppv2-sent 33\n", NULL);
	check_show_s("service show -s -j", service_show_cb, nlh, false, true,
		     "{\"name\":\"lb\",\"listeners\":[{\"proto\":\"tcp\",",
		     "\"listener_port\":80,\"target_port\":80}],",
		     "\"acceptance\":\"auto\",\"maglev_size\":16381,",
		     "\"fail_open\":true,\"reset_unhealthy\":false,",
		     "\"stats\":{\"fwd_packets\":9,\"fwd_bytes\":0,",
		     "\"rev_packets\":11,\"rev_bytes\":0,\"flows_new\":13,",
		     "\"flows_active\":0,\"flows_reset\":15,",
		     "\"icmp_errors\":0,\"drop_malformed\":17,",
		     "\"drop_fragment\":0,\"drop_no_listener\":19,",
		     "\"drop_security_group\":0,\"drop_state\":21,",
		     "\"drop_no_target\":0,\"drop_table_full\":23,",
		     "\"drop_no_port\":0,\"drop_no_flow\":25,",
		     "\"drop_ip_options\":0,\"drop_quota\":27,",
		     "\"passive_syn_rst\":0,\"passive_icmp_unreach\":29,",
		     "\"passive_syn_timeout\":0,\"checks\":31,",
		     "\"checks_failed\":0,\"ppv2_sent\":33,",
		     "\"ppv2_retransmits\":0}}", NULL);
	check_show("service show -j, no -s: no counters", service_show_cb,
		   nlh, true,
		   "{\"name\":\"lb\",\"listeners\":[{\"proto\":\"tcp\",",
		   "\"listener_port\":80,\"target_port\":80}],",
		   "\"acceptance\":\"auto\",\"maglev_size\":16381,",
		   "\"fail_open\":true,\"reset_unhealthy\":false}", NULL);

	/* Counters at 0: only with -d. */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "z");
	nest = mnl_attr_nest_start(nlh, PLINK_A_SERVICE_STATS);
	mnl_attr_put_u64(nlh, PLINK_A_STATS_FWD_PACKETS, 5);
	mnl_attr_put_u64(nlh, PLINK_A_STATS_DROP_STATE, 0);
	mnl_attr_put_u64(nlh, PLINK_A_STATS_DROP_QUOTA, 2);
	mnl_attr_nest_end(nlh, nest);
	check_show_s("service show -s, a drop at 0", service_show_cb, nlh,
		     false, false,
		     "z\n    stats fwd-packets 5\n    drop-quota 2\n", NULL);
	check_show_s("service show -s -d, a drop at 0", service_show_cb, nlh,
		     true, false,
		     "z\n    stats fwd-packets 5\n    drop-state 0 drop-quota 2\n",
		     NULL);
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "z");
	nest = mnl_attr_nest_start(nlh, PLINK_A_SERVICE_STATS);
	mnl_attr_put_u32(nlh, PLINK_A_STATS_FWD_PACKETS, 5);
	mnl_attr_nest_end(nlh, nest);
	check_show_s("service show -s, a counter of 4 bytes", service_show_cb,
		     nlh, false, false, "MNL_CB_ERROR", NULL);

	/* Another netns's service: no counters, "stats" null, no text. */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "db");
	put_listener_port(nlh, PLINK_PROTO_TCP, 5432);
	check_show_s("service show -s, consumer", service_show_cb, nlh, false,
		     false, "db listener tcp:5432\n", NULL);
	check_show_s("service show -s -j, consumer", service_show_cb, nlh,
		     false, true,
		     "{\"name\":\"db\",\"listeners\":[{\"proto\":\"tcp\",",
		     "\"listener_port\":5432}],\"stats\":null}", NULL);

	/* The health check: its own port, or the traffic port. */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "hc");
	nest = mnl_attr_nest_start(nlh, PLINK_A_SERVICE_HEALTH_CHECK);
	mnl_attr_put_u32(nlh, PLINK_A_HEALTH_CHECK_TYPE,
			 PLINK_HEALTH_CHECK_TYPE_TCP);
	mnl_attr_put_u16(nlh, PLINK_A_HEALTH_CHECK_PORT, 0);
	mnl_attr_nest_end(nlh, nest);
	check_show("service show -j, health check on the traffic port",
		   service_show_cb, nlh, true,
		   "{\"name\":\"hc\",\"listeners\":[],\"health_check\":",
		   "{\"type\":\"tcp\",\"traffic_port\":true}}", NULL);
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "hc");
	nest = mnl_attr_nest_start(nlh, PLINK_A_SERVICE_HEALTH_CHECK);
	mnl_attr_put_u32(nlh, PLINK_A_HEALTH_CHECK_TYPE,
			 PLINK_HEALTH_CHECK_TYPE_HTTP);
	mnl_attr_put_u16(nlh, PLINK_A_HEALTH_CHECK_PORT, htons(8081));
	mnl_attr_nest_end(nlh, nest);
	check_show("service show -j, health check on its own port",
		   service_show_cb, nlh, true,
		   "{\"name\":\"hc\",\"listeners\":[],\"health_check\":",
		   "{\"type\":\"http\",\"check_port\":8081,",
		   "\"traffic_port\":false}}", NULL);

	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "x");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_FAIL_OPEN, 1);
	check_show("service show, a fail-open of 4 bytes", service_show_cb, nlh,
		   false, "MNL_CB_ERROR", NULL);

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

static void test_dev_show(void)
{
	struct nlmsghdr *nlh;

	nlh = reply(PLINK_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, PLINK_A_DEV_IFINDEX, 3);
	mnl_attr_put_strz(nlh, PLINK_A_DEV_IFNAME, "pl0");
	mnl_attr_put_u32(nlh, PLINK_A_DEV_BINDING, PLINK_BINDING_ENDPOINT);
	check_show("dev show", dev_show_cb, nlh, false,
		   "pl0              3        endpoint\n", NULL);
	check_show("dev show -j", dev_show_cb, nlh, true,
		   "{\"dev\":\"pl0\",\"ifindex\":3,",
		   "\"binding\":\"endpoint\",\"endpoints\":[],",
		   "\"services\":[]}", NULL);

	nlh = reply(PLINK_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, PLINK_A_DEV_IFINDEX, 4294967295U);
	mnl_attr_put_strz(nlh, PLINK_A_DEV_IFNAME, "nlb-with-a-name");
	mnl_attr_put_u32(nlh, PLINK_A_DEV_BINDING, 9);
	check_show("dev show, wide index, unknown binding", dev_show_cb, nlh,
		   false, "nlb-with-a-name  4294967295 unknown(9)\n", NULL);
	check_show("dev show -j, unknown binding", dev_show_cb, nlh, true,
		   "{\"dev\":\"nlb-with-a-name\",\"ifindex\":4294967295,",
		   "\"binding\":\"unknown(9)\",\"endpoints\":[],",
		   "\"services\":[]}", NULL);

	nlh = reply(PLINK_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, PLINK_A_DEV_IFINDEX, 3);
	mnl_attr_put_strz(nlh, PLINK_A_DEV_IFNAME, "pl0");
	check_show("dev show, no binding", dev_show_cb, nlh, false,
		   "MNL_CB_ERROR", NULL);
}

static struct nlmsghdr *endpoint_reply(unsigned char cmd, bool consumer);

/* What "dev show" prints for @nlh, the netns's endpoints and services @b. */
static void check_dev(const char *name, const struct nlmsghdr *nlh,
		      const struct dev_bounds *b, int json, ...)
{
	struct pl_ctx ctx = { .json = json };

	show_into(name, dev_show_cb, nlh, &ctx, b, WANT(json));
}

/* The devices name what they carry: endpoints, services. */
static void test_dev_bound(void)
{
	struct dev_bounds b = { 0 };
	struct nlmsghdr *nlh;

	/* The dumps of the netns's endpoints and services, first. */
	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, false);
	mnl_attr_put_u32(nlh, PLINK_A_ENDPOINT_IFINDEX, 3);
	check("dev show: an endpoint's device",
	      QUIET(dev_endpoint_cb(nlh, &b)) == MNL_CB_OK ? "ok" : "error",
	      "ok");
	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, false);
	check("dev show: a provider's view of an endpoint: no device",
	      QUIET(dev_endpoint_cb(nlh, &b)) == MNL_CB_OK && b.n == 1 ?
	      "ok" : "error", "ok");
	nlh = service_provider_reply();				/* on lo */
	check("dev show: a service's device",
	      QUIET(dev_service_cb(nlh, &b)) == MNL_CB_OK && b.n == 2 ?
	      "ok" : "error", "ok");
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "db");
	check("dev show: another netns's service: no device",
	      QUIET(dev_service_cb(nlh, &b)) == MNL_CB_OK && b.n == 2 ?
	      "ok" : "error", "ok");
	nlh = reply(PLINK_CMD_ENDPOINT_GET);
	mnl_attr_put_u32(nlh, PLINK_A_ENDPOINT_IFINDEX, 3);
	check("dev show: an endpoint without id",
	      QUIET(dev_endpoint_cb(nlh, &b)) == MNL_CB_ERROR && b.n == 2 ?
	      "ok" : "error", "ok");

	nlh = reply(PLINK_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, PLINK_A_DEV_IFINDEX, 3);
	mnl_attr_put_strz(nlh, PLINK_A_DEV_IFNAME, "pl0");
	mnl_attr_put_u32(nlh, PLINK_A_DEV_BINDING, PLINK_BINDING_ENDPOINT);
	check_dev("dev show, a consumer's device", nlh, &b, false,
		  "pl0              3        endpoint plep-00000000000000ab",
		  " (web)\n", NULL);
	check_dev("dev show -j, a consumer's device", nlh, &b, true,
		  "{\"dev\":\"pl0\",\"ifindex\":3,\"binding\":\"endpoint\",",
		  "\"endpoints\":[{\"id\":\"plep-00000000000000ab\",",
		  "\"service\":\"web\"}],\"services\":[]}", NULL);

	nlh = reply(PLINK_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, PLINK_A_DEV_IFINDEX, 1);
	mnl_attr_put_strz(nlh, PLINK_A_DEV_IFNAME, "nlb0");
	mnl_attr_put_u32(nlh, PLINK_A_DEV_BINDING, PLINK_BINDING_NLB);
	check_dev("dev show, an NLB device", nlh, &b, false,
		  "nlb0             1        nlb web\n", NULL);
	check_dev("dev show -j, an NLB device", nlh, &b, true,
		  "{\"dev\":\"nlb0\",\"ifindex\":1,\"binding\":\"nlb\",",
		  "\"endpoints\":[],\"services\":[{\"name\":\"web\"}]}",
		  NULL);
	free(b.v);
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

static const char *stats_want(char *buf, unsigned long long base, bool none);

static void test_target_show(void)
{
	struct nlmsghdr *nlh;
	char buf[1024];

	nlh = target_reply(PLINK_CMD_TARGET_GET, "192.0.2.10", 0, false);
	check_show("target show, port 0, no zone", target_show_cb, nlh, false,
		   "web 192.0.2.10 weight 5\n    health healthy\n", NULL);
	check_show("target show -j, port 0, no zone", target_show_cb, nlh,
		   true,
		   "{\"service\":\"web\",\"target_addr\":\"192.0.2.10\",\"target_port\":0,",
		   "\"weight\":5,\"health\":\"healthy\"}", NULL);
	nlh = target_reply(PLINK_CMD_TARGET_GET, "2001:db8::10", 443, true);
	check_show("target show, IPv6 and port, zone", target_show_cb, nlh,
		   false,
		   "web [2001:db8::10]:443 weight 5 zone z1\n",
		   "    health healthy\n", NULL);
	check_show("target show -j, IPv6 and port, zone", target_show_cb, nlh,
		   true,
		   "{\"service\":\"web\",\"target_addr\":\"2001:db8::10\",\"target_port\":443,",
		   "\"weight\":5,\"zone\":\"z1\",\"health\":\"healthy\"}", NULL);

	put_stats(nlh, PLINK_A_TARGET_STATS, 0);
	check_show_s("target show -s", target_show_cb, nlh, false, false,
		     "web [2001:db8::10]:443 weight 5 zone z1\n",
		     "    health healthy\n",
		     "    stats fwd-packets 2 rev-packets 4 flows-new 6",
		     " flows-reset 8\n",
		     "    drop-malformed 10 drop-no-listener 12 drop-state 14",
		     " drop-table-full 16 drop-no-flow 18 drop-quota 20",
		     " passive-icmp-unreach 22 checks 24 ppv2-sent 26\n", NULL);
	check_show_s("target show -s -j", target_show_cb, nlh, false, true,
		     "{\"service\":\"web\",\"target_addr\":\"2001:db8::10\",",
		     "\"target_port\":443,\"weight\":5,\"zone\":\"z1\",",
		     "\"health\":\"healthy\",", stats_want(buf, 0, false), "}",
		     NULL);

	nlh = target_reply(PLINK_CMD_TARGET_NTF, "192.0.2.10", 8080, false);
	check_event("target event", target_event, nlh, false,
		    "target web 192.0.2.10:8080 health healthy\n", NULL);
	check_event("target event -j", target_event, nlh, true,
		    "{\"event\":\"target\",\"service\":\"web\",",
		    "\"target_addr\":\"192.0.2.10\",\"target_port\":8080,\"weight\":5,",
		    "\"health\":\"healthy\"}\n", NULL);

	/* Only the keys: the text says "-" for the rest, JSON leaves it out. */
	nlh = reply(PLINK_CMD_TARGET_GET);
	mnl_attr_put_strz(nlh, PLINK_A_TARGET_SERVICE, "web");
	put_addr(nlh, PLINK_A_TARGET_ADDR, "192.0.2.10");
	check_show("target show, no settings", target_show_cb, nlh, false,
		   "web 192.0.2.10\n", NULL);
	check_show("target show -j, no settings", target_show_cb, nlh, true,
		   "{\"service\":\"web\",\"target_addr\":\"192.0.2.10\",\"target_port\":0}",
		   NULL);
	check_event("target event, no settings", target_event, nlh, false,
		    "target web 192.0.2.10 health -\n", NULL);
	check_event("target event -j, no settings", target_event, nlh, true,
		    "{\"event\":\"target\",\"service\":\"web\",",
		    "\"target_addr\":\"192.0.2.10\",\"target_port\":0}\n", NULL);

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
	char buf[1024];

	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, true);
	check_show("endpoint show, consumer", endpoint_show_cb, nlh, false,
		   "web id plep-00000000000000ab dev lo addr 10.1.0.5",
		   " allow 10.0.0.0/8 tcp:80 allow 2001:db8::/32 udp:1000-2000",
		   " allow 192.0.2.7/32\n",
		   "    state pending-acceptance owner uid:1000\n", NULL);
	check_show("endpoint show -j, consumer", endpoint_show_cb, nlh, true,
		   "{\"id\":\"plep-00000000000000ab\",\"service\":\"web\",",
		   "\"ifindex\":1,\"dev\":\"lo\",\"endpoint_addrs\":[\"10.1.0.5\"],",
		   "\"rules\":[{\"prefix\":\"10.0.0.0/8\",\"proto\":\"tcp\",",
		   "\"min_port\":80,\"max_port\":80},",
		   "{\"prefix\":\"2001:db8::/32\",\"proto\":\"udp\",",
		   "\"min_port\":1000,\"max_port\":2000},",
		   "{\"prefix\":\"192.0.2.7/32\"}],",
		   "\"state\":\"pending-acceptance\",\"owner_uid\":1000}", NULL);

	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, false);
	check_show("endpoint show, provider", endpoint_show_cb, nlh, false,
		   "web id plep-00000000000000ab\n",
		   "    state pending-acceptance owner uid:1000\n", NULL);
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

	/* Only the id: dashes in the text, nothing else in JSON. */
	nlh = reply(PLINK_CMD_ENDPOINT_GET);
	mnl_attr_put_strz(nlh, PLINK_A_ENDPOINT_ID, "plep-1");
	check_show("endpoint show, only an id", endpoint_show_cb, nlh, false,
		   "- id plep-1\n", NULL);
	check_show("endpoint show -j, only an id", endpoint_show_cb, nlh, true,
		   "{\"id\":\"plep-1\"}", NULL);
	check_event("endpoint event, only an id", endpoint_event, nlh, false,
		    "endpoint plep-1 - service -\n", NULL);

	/* -s: the counters after the rest; -j: "stats" null without them. */
	put_stats(nlh, PLINK_A_ENDPOINT_STATS, 0);
	check_show_s("endpoint show -s", endpoint_show_cb, nlh, false, false,
		     "- id plep-1\n",
		     "    stats fwd-packets 2 rev-packets 4 flows-new 6",
		     " flows-reset 8\n",
		     "    drop-malformed 10 drop-no-listener 12 drop-state 14",
		     " drop-table-full 16 drop-no-flow 18 drop-quota 20",
		     " passive-icmp-unreach 22 checks 24 ppv2-sent 26\n", NULL);
	check_show_s("endpoint show -s -j", endpoint_show_cb, nlh, false, true,
		     "{\"id\":\"plep-1\",", stats_want(buf, 0, false), "}",
		     NULL);
	nlh = reply(PLINK_CMD_ENDPOINT_GET);
	mnl_attr_put_strz(nlh, PLINK_A_ENDPOINT_ID, "plep-1");
	check_show_s("endpoint show -s -j, no counters", endpoint_show_cb, nlh,
		     false, true, "{\"id\":\"plep-1\",\"stats\":null}", NULL);

	/* The provider's view of a consumer's endpoint: a service owner. */
	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_NTF, false);
	mnl_attr_put_u32(nlh, PLINK_A_ENDPOINT_SERVICE_OWNER, 0);
	check_event("endpoint event -j, service owner", endpoint_event, nlh,
		    true,
		    "{\"event\":\"endpoint\",\"id\":\"plep-00000000000000ab\",",
		    "\"service\":\"web\",\"state\":\"pending-acceptance\",",
		    "\"owner_uid\":1000,\"service_owner_uid\":0}\n", NULL);

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

static struct nlmsghdr *flow_reply(bool v6)
{
	struct nlmsghdr *nlh = reply(PLINK_CMD_FLOW_GET);

	mnl_attr_put_strz(nlh, PLINK_A_FLOW_SERVICE, "web");
	mnl_attr_put_strz(nlh, PLINK_A_FLOW_ENDPOINT, "plep-00000000000000ab");
	mnl_attr_put_u8(nlh, PLINK_A_FLOW_PROTO, v6 ? PLINK_PROTO_UDP :
			PLINK_PROTO_TCP);
	put_addr(nlh, PLINK_A_FLOW_CLIENT_ADDR, v6 ? "fd00::9" : "10.0.0.5");
	mnl_attr_put_u16(nlh, PLINK_A_FLOW_CLIENT_PORT, htons(41234));
	put_addr(nlh, PLINK_A_FLOW_ENDPOINT_ADDR,
		 v6 ? "fd00::5" : "10.0.0.100");
	mnl_attr_put_u16(nlh, PLINK_A_FLOW_ENDPOINT_PORT, htons(80));
	put_addr(nlh, PLINK_A_FLOW_NLB_ADDR, v6 ? "2001:db8::1" : "10.0.0.200");
	mnl_attr_put_u16(nlh, PLINK_A_FLOW_NLB_PORT, htons(1234));
	put_addr(nlh, PLINK_A_FLOW_TARGET_ADDR,
		 v6 ? "2001:db8::10" : "10.0.0.1");
	mnl_attr_put_u16(nlh, PLINK_A_FLOW_TARGET_PORT, htons(8080));
	mnl_attr_put_u32(nlh, PLINK_A_FLOW_STATE, v6 ? PLINK_FLOW_STATE_UDP :
			 PLINK_FLOW_STATE_ESTABLISHED);
	mnl_attr_put_u32(nlh, PLINK_A_FLOW_AGE_MS, 3250);
	mnl_attr_put_u32(nlh, PLINK_A_FLOW_IDLE_MS, 99);
	mnl_attr_put(nlh, PLINK_A_FLOW_PAD, 0, "");
	mnl_attr_put_u64(nlh, PLINK_A_FLOW_PACKETS, 10);
	mnl_attr_put_u64(nlh, PLINK_A_FLOW_BYTES, 5000000000ULL);
	return nlh;
}

static void test_flow_show(void)
{
	struct nlmsghdr *nlh;

	nlh = flow_reply(false);
	check_show("flow show", flow_show_cb, nlh, false,
		   "tcp 10.0.0.5:41234 -> 10.0.0.100:80 via 10.0.0.200:1234 ->",
		   " 10.0.0.1:8080 established age 3.2s idle 0.0s pkts 10",
		   " bytes 5000000000 endpoint plep-00000000000000ab",
		   " service web\n", NULL);
	check_show("flow show -j", flow_show_cb, nlh, true,
		   "{\"service\":\"web\",\"endpoint\":\"plep-00000000000000ab\",",
		   "\"proto\":\"tcp\",\"client_addr\":\"10.0.0.5\",",
		   "\"client_port\":41234,\"endpoint_addr\":\"10.0.0.100\",",
		   "\"endpoint_port\":80,\"nlb_addr\":\"10.0.0.200\",",
		   "\"nlb_port\":1234,\"target_addr\":\"10.0.0.1\",",
		   "\"target_port\":8080,\"state\":\"established\",",
		   "\"age_ms\":3250,\"idle_ms\":99,\"packets\":10,",
		   "\"bytes\":5000000000}", NULL);
	nlh = flow_reply(true);
	check_show("flow show, IPv6 and udp", flow_show_cb, nlh, false,
		   "udp [fd00::9]:41234 -> [fd00::5]:80 via [2001:db8::1]:1234",
		   " -> [2001:db8::10]:8080 udp age 3.2s idle 0.0s pkts 10",
		   " bytes 5000000000 endpoint plep-00000000000000ab",
		   " service web\n", NULL);

	/* What the kernel does not say is "-", or left out. */
	nlh = reply(PLINK_CMD_FLOW_GET);
	mnl_attr_put_u8(nlh, PLINK_A_FLOW_PROTO, PLINK_PROTO_TCP);
	put_addr(nlh, PLINK_A_FLOW_CLIENT_ADDR, "10.0.0.5");
	mnl_attr_put_u32(nlh, PLINK_A_FLOW_STATE, 9);
	check_show("flow show, the least", flow_show_cb, nlh, false,
		   "tcp 10.0.0.5 -> - via - -> - unknown(9)\n", NULL);
	check_show("flow show -j, the least", flow_show_cb, nlh, true,
		   "{\"proto\":\"tcp\",\"client_addr\":\"10.0.0.5\",",
		   "\"state\":\"unknown(9)\"}", NULL);

	/*
	 * The table: a provider's flow (no client half), a consumer's
	 * (no NLB half), and one this netns is both sides of, newer; the
	 * consumer's table first, each oldest first.
	 */
	{
		struct flow_table t = { 0 };
		char *text = NULL;
		size_t len = 0;
		FILE *out;

		nlh = reply(PLINK_CMD_FLOW_GET);
		mnl_attr_put_strz(nlh, PLINK_A_FLOW_ENDPOINT, "plep-1");
		mnl_attr_put_u8(nlh, PLINK_A_FLOW_PROTO, PLINK_PROTO_TCP);
		put_addr(nlh, PLINK_A_FLOW_NLB_ADDR, "10.0.0.200");
		mnl_attr_put_u16(nlh, PLINK_A_FLOW_NLB_PORT, htons(39429));
		put_addr(nlh, PLINK_A_FLOW_TARGET_ADDR, "10.0.0.3");
		mnl_attr_put_u16(nlh, PLINK_A_FLOW_TARGET_PORT, htons(8080));
		mnl_attr_put_u32(nlh, PLINK_A_FLOW_STATE, PLINK_FLOW_STATE_FIN);
		mnl_attr_put_u32(nlh, PLINK_A_FLOW_AGE_MS, 6400);
		mnl_attr_put_u64(nlh, PLINK_A_FLOW_PACKETS, 12);
		mnl_attr_put_u64(nlh, PLINK_A_FLOW_BYTES, 929);
		check("flow table: a provider's flow",
		      QUIET(flow_table_cb(nlh, &t)) == MNL_CB_OK ? "ok" : "error",
		      "ok");
		nlh = reply(PLINK_CMD_FLOW_GET);
		mnl_attr_put_u8(nlh, PLINK_A_FLOW_PROTO, PLINK_PROTO_UDP);
		put_addr(nlh, PLINK_A_FLOW_CLIENT_ADDR, "10.0.0.5");
		mnl_attr_put_u16(nlh, PLINK_A_FLOW_CLIENT_PORT, htons(5353));
		put_addr(nlh, PLINK_A_FLOW_ENDPOINT_ADDR, "10.0.0.100");
		mnl_attr_put_u16(nlh, PLINK_A_FLOW_ENDPOINT_PORT, htons(53));
		mnl_attr_put_u32(nlh, PLINK_A_FLOW_AGE_MS, 9000);
		check("flow table: a consumer's flow",
		      QUIET(flow_table_cb(nlh, &t)) == MNL_CB_OK ? "ok" : "error",
		      "ok");
		nlh = flow_reply(false);
		check("flow table: both halves",
		      QUIET(flow_table_cb(nlh, &t)) == MNL_CB_OK ? "ok" : "error",
		      "ok");
		out = open_memstream(&text, &len);
		if (!out) {
			perror("open_memstream");
			exit(1);
		}
		flow_table_print(out, &t);
		fclose(out);
		check("flow show, the tables", text,
		      "PROTO STATE       CLIENT         ENDPOINT       AGE IDLE PACKETS ENDPOINT-ID\n"
		      "udp   -           10.0.0.5:5353  10.0.0.100:53 9.0s 0.0s       0 -\n"
		      "tcp   established 10.0.0.5:41234 10.0.0.100:80 3.2s 0.0s      10 plep-00000000000000ab\n"
		      "\n"
		      "PROTO STATE       NLB-SIDE         TARGET         AGE IDLE PACKETS ENDPOINT-ID\n"
		      "tcp   fin         10.0.0.200:39429 10.0.0.3:8080 6.4s 0.0s      12 plep-1\n"
		      "tcp   established 10.0.0.200:1234  10.0.0.1:8080 3.2s 0.0s      10 plep-00000000000000ab\n");
		free(text);
		free(t.v);
	}

	nlh = reply(PLINK_CMD_FLOW_GET);
	mnl_attr_put_u32(nlh, PLINK_A_FLOW_PACKETS, 10);
	check_show("flow show, packets of 4 bytes", flow_show_cb, nlh, false,
		   "MNL_CB_ERROR", NULL);
}

/* What "stats" prints for @r, collected from @n replies, with -j if @json. */
static void check_stats(const char *name, struct stats_report *r,
			int json, ...)
{
	const char *want = WANT(json);
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	out = open_memstream(&text, &len);
	if (!out) {
		perror("open_memstream");
		exit(1);
	}
	stats_report_print(out, json, r);
	fclose(out);
	check(name, text, want);
	free(text);
}

/* Collect @nlh, a reply of @kind, into @list; "ok" or "MNL_CB_ERROR". */
static const char *stats_collect(const struct stats_kind *kind,
				 struct stats_list *list,
				 const struct nlmsghdr *nlh)
{
	struct stats_collect c = { .kind = kind, .list = list };

	return QUIET(stats_cb(nlh, &c)) == MNL_CB_OK ? "ok" : "MNL_CB_ERROR";
}

/*
 * The "stats" member of every counter, in @buf (1024 bytes): those that
 * put_stats(@base) puts, or with @none all 0.
 */
static const char *stats_want(char *buf, unsigned long long base, bool none)
{
	static const char *const keys[] = {
		"fwd_packets", "fwd_bytes", "rev_packets", "rev_bytes",
		"flows_new", "flows_active", "flows_reset", "icmp_errors",
		"drop_malformed", "drop_fragment", "drop_no_listener",
		"drop_security_group", "drop_state", "drop_no_target",
		"drop_table_full", "drop_no_port", "drop_no_flow",
		"drop_ip_options", "drop_quota", "passive_syn_rst",
		"passive_icmp_unreach", "passive_syn_timeout", "checks",
		"checks_failed", "ppv2_sent", "ppv2_retransmits",
	};
	unsigned int i;
	int len;

	len = sprintf(buf, "\"stats\":{");
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		len += sprintf(buf + len, "%s\"%s\":%llu", i ? "," : "", keys[i],
			       none || i % 2 ? 0 : base + i + 2);
	sprintf(buf + len, "}");
	return buf;
}

static void test_limits_show(void)
{
	struct nlmsghdr *nlh;

	nlh = reply(PLINK_CMD_LIMITS_GET);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_UID, 1000);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_FLOWS, 500);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_SERVICES, 64);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_ENDPOINTS, 4294967295U);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_TARGETS, 4096);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_MAGLEV_SLOTS, 1048576);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_N_FLOWS, 12);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_N_SERVICES, 1);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_N_ENDPOINTS, 2);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_N_TARGETS, 3);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_N_MAGLEV_SLOTS, 16381);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_OWN, 5);
	check_show("limits show", limits_show_cb, nlh, false,
		   "uid:1000       flows 12/500* services 1/64 endpoints 2/unlimited*",
		   " targets 3/4096 maglev-slots 16381/1048576\n", NULL);
	check_show("limits show -j", limits_show_cb, nlh, true,
		   "{\"uid\":1000,\"flows_quota\":{\"used\":12,\"limit\":500,\"own\":true},",
		   "\"services_quota\":{\"used\":1,\"limit\":64,\"own\":false},",
		   "\"endpoints_quota\":{\"used\":2,\"limit\":null,\"own\":true},",
		   "\"targets_quota\":{\"used\":3,\"limit\":4096,\"own\":false},",
		   "\"maglev_slots_quota\":{\"used\":16381,\"limit\":1048576,",
		   "\"own\":false}}", NULL);

	/* Nothing but the uid: every limit and use 0, none of them own. */
	nlh = reply(PLINK_CMD_LIMITS_GET);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_UID, 0);
	check_show("limits show, only a uid", limits_show_cb, nlh, false,
		   "uid:0          flows 0/0 services 0/0 endpoints 0/0",
		   " targets 0/0 maglev-slots 0/0\n", NULL);
	check_show("limits show -j, only a uid", limits_show_cb, nlh, true,
		   "{\"uid\":0,\"flows_quota\":{\"used\":0,\"limit\":0,\"own\":false},",
		   "\"services_quota\":{\"used\":0,\"limit\":0,\"own\":false},",
		   "\"endpoints_quota\":{\"used\":0,\"limit\":0,\"own\":false},",
		   "\"targets_quota\":{\"used\":0,\"limit\":0,\"own\":false},",
		   "\"maglev_slots_quota\":{\"used\":0,\"limit\":0,",
		   "\"own\":false}}", NULL);

	nlh = reply(PLINK_CMD_LIMITS_GET);
	mnl_attr_put_u32(nlh, PLINK_A_LIMITS_FLOWS, 500);
	check_show("limits show, no uid", limits_show_cb, nlh, false,
		   "MNL_CB_ERROR", NULL);
}

static void test_stats(void)
{
	struct stats_report r = { .service = "web" };
	char svc[1024], tgt[1024];
	struct nlmsghdr *nlh;

	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "web");
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_N_TARGETS, 2);
	put_stats(nlh, PLINK_A_SERVICE_STATS, 1000);
	check("stats: a service", stats_collect(&stats_service, &r.services,
						nlh), "ok");
	nlh = target_reply(PLINK_CMD_TARGET_GET, "10.0.0.1", 0, true);
	put_stats(nlh, PLINK_A_TARGET_STATS, 0);
	check("stats: a target", stats_collect(&stats_target, &r.targets, nlh),
	      "ok");
	/* No stats nest: all 0. */
	nlh = target_reply(PLINK_CMD_TARGET_GET, "2001:db8::10", 8080, false);
	check("stats: a target without stats",
	      stats_collect(&stats_target, &r.targets, nlh), "ok");
	/* Another netns's service: no counters, left out. */
	nlh = reply(PLINK_CMD_SERVICE_GET);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_NAME, "theirs");
	check("stats: another netns's service, left out",
	      !strcmp(stats_collect(&stats_service, &r.services, nlh), "ok") &&
	      r.services.n == 1 ? "ok" : "kept", "ok");
	/* Another service's: not printed under "web". */
	nlh = reply(PLINK_CMD_TARGET_GET);
	mnl_attr_put_strz(nlh, PLINK_A_TARGET_SERVICE, "db");
	put_addr(nlh, PLINK_A_TARGET_ADDR, "10.9.9.9");
	check("stats: another service's target",
	      stats_collect(&stats_target, &r.targets, nlh), "ok");

	check_stats("stats service", &r, false,
		    "SERVICE/TARGET            NEW ACTIVE RESET FWD-PKTS",
		    " FWD-BYTES REV-PKTS REV-BYTES\n",
		    "web                      1006      0  1008     1002",
		    "         0     1004         0\n",
		    "    drop-malformed 1010 drop-no-listener 1012",
		    " drop-state 1014 drop-table-full 1016 drop-no-flow 1018",
		    " drop-quota 1020 passive-icmp-unreach 1022 checks 1024",
		    " ppv2-sent 1026\n",
		    "  -> 10.0.0.1               6      0     8        2",
		    "         0        4         0\n",
		    "       drop-malformed 10 drop-no-listener 12 drop-state 14",
		    " drop-table-full 16 drop-no-flow 18 drop-quota 20",
		    " passive-icmp-unreach 22 checks 24 ppv2-sent 26\n",
		    "  -> [2001:db8::10]:8080    -      -     -        -",
		    "         -        -         -\n", NULL);
	check_stats("stats service -j", &r, true,
		    "{\"services\":[{\"name\":\"web\",",
		    stats_want(svc, 1000, false),
		    ",\"targets\":[{\"target_addr\":\"10.0.0.1\",\"target_port\":0,",
		    stats_want(tgt, 0, false), "}",
		    ",{\"target_addr\":\"2001:db8::10\",\"target_port\":8080,",
		    "\"stats\":null}]}],\"endpoints\":[]}\n", NULL);

	/* All: the endpoints follow the services. */
	r.service = NULL;
	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, false);
	put_stats(nlh, PLINK_A_ENDPOINT_STATS, 0);
	check("stats: an endpoint",
	      stats_collect(&stats_endpoint, &r.endpoints, nlh), "ok");
	check_stats("stats -j", &r, true,
		    "{\"services\":[{\"name\":\"web\",",
		    stats_want(svc, 1000, false),
		    ",\"targets\":[{\"target_addr\":\"10.0.0.1\",\"target_port\":0,",
		    stats_want(tgt, 0, false), "}",
		    ",{\"target_addr\":\"2001:db8::10\",\"target_port\":8080,",
		    "\"stats\":null}]}],",
		    "\"endpoints\":[{\"id\":\"plep-00000000000000ab\",",
		    stats_want(tgt, 0, false), "}", "]}\n", NULL);
	stats_report_free(&r);

	/* One endpoint. */
	r = (struct stats_report){ .endpoint = "plep-00000000000000ab" };
	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, true);
	put_stats(nlh, PLINK_A_ENDPOINT_STATS, 1000000000000ULL);
	check("stats: an endpoint, large counters",
	      stats_collect(&stats_endpoint, &r.endpoints, nlh), "ok");
	check_stats("stats endpoint -j", &r, true,
		    "{\"services\":[],",
		    "\"endpoints\":[{\"id\":\"plep-00000000000000ab\",",
		    stats_want(tgt, 1000000000000ULL, false), "}]}\n", NULL);
	check_stats("stats endpoint, wide columns", &r, false,
		    "ENDPOINT                        NEW ACTIVE         RESET",
		    "      FWD-PKTS FWD-BYTES      REV-PKTS REV-BYTES\n",
		    "plep-00000000000000ab 1000000000006      0 1000000000008",
		    " 1000000000002         0 1000000000004         0\n",
		    "    drop-malformed 1000000000010",
		    " drop-no-listener 1000000000012 drop-state 1000000000014",
		    " drop-table-full 1000000000016 drop-no-flow 1000000000018",
		    " drop-quota 1000000000020",
		    " passive-icmp-unreach 1000000000022",
		    " checks 1000000000024 ppv2-sent 1000000000026\n",
		    NULL);
	stats_report_free(&r);

	/* -d: every counter the kernel sent, 0 or not; without, none at 0. */
	r = (struct stats_report){ .endpoint = "plep-1" };
	nlh = reply(PLINK_CMD_ENDPOINT_GET);
	mnl_attr_put_strz(nlh, PLINK_A_ENDPOINT_ID, "plep-1");
	{
		struct nlattr *nest;

		nest = mnl_attr_nest_start(nlh, PLINK_A_ENDPOINT_STATS);
		mnl_attr_put_u64(nlh, PLINK_A_STATS_FWD_PACKETS, 5);
		mnl_attr_put_u64(nlh, PLINK_A_STATS_DROP_STATE, 0);
		mnl_attr_put_u64(nlh, PLINK_A_STATS_DROP_QUOTA, 2);
		mnl_attr_nest_end(nlh, nest);
	}
	check("stats: an endpoint, a counter at 0",
	      stats_collect(&stats_endpoint, &r.endpoints, nlh), "ok");
	check_stats("stats endpoint, non-zero drops", &r, false,
		    "ENDPOINT NEW ACTIVE RESET FWD-PKTS FWD-BYTES REV-PKTS",
		    " REV-BYTES\n",
		    "plep-1     0      0     0        5         0        0",
		    "         0\n",
		    "    drop-quota 2\n", NULL);
	r.details = true;
	check_stats("stats -d endpoint", &r, false,
		    "ENDPOINT NEW ACTIVE RESET FWD-PKTS FWD-BYTES REV-PKTS",
		    " REV-BYTES\n",
		    "plep-1     0      0     0        5         0        0",
		    "         0\n",
		    "    drop-state 0 drop-quota 2\n", NULL);
	stats_report_free(&r);

	/* Nothing at all. */
	r = (struct stats_report){ 0 };
	check_stats("stats -j, nothing", &r, true,
		    "{\"services\":[],\"endpoints\":[]}\n", NULL);
	check_stats("stats, nothing", &r, false, "", NULL);

	/* Malformed: a counter of 4 bytes, a target without address. */
	nlh = reply(PLINK_CMD_ENDPOINT_GET);
	mnl_attr_put_strz(nlh, PLINK_A_ENDPOINT_ID, "plep-1");
	{
		struct nlattr *nest;

		nest = mnl_attr_nest_start(nlh, PLINK_A_ENDPOINT_STATS);
		mnl_attr_put_u32(nlh, PLINK_A_STATS_FWD_BYTES, 1);
		mnl_attr_nest_end(nlh, nest);
	}
	check("stats: a counter of 4 bytes",
	      stats_collect(&stats_endpoint, &r.endpoints, nlh),
	      "MNL_CB_ERROR");
	nlh = reply(PLINK_CMD_TARGET_GET);
	mnl_attr_put_strz(nlh, PLINK_A_TARGET_SERVICE, "web");
	check("stats: a target without address",
	      stats_collect(&stats_target, &r.targets, nlh), "MNL_CB_ERROR");
	nlh = reply(PLINK_CMD_SERVICE_GET);
	put_stats(nlh, PLINK_A_SERVICE_STATS, 0);
	check("stats: a service without name",
	      stats_collect(&stats_service, &r.services, nlh), "MNL_CB_ERROR");
	check("stats: nothing kept of them",
	      r.endpoints.n || r.targets.n || r.services.n ? "kept" : "no",
	      "no");
	stats_report_free(&r);
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

/*
 * "show" output is valid input: the first line of what @cb prints for @nlh
 * is what "OBJECT add" takes.  @parse reads its words into a request and
 * puts it into @m; printed again by @cb, it gives the same line.
 */
static void first_line(mnl_cb_t cb, const struct nlmsghdr *nlh, char *buf,
		       size_t size)
{
	struct pl_ctx ctx = { 0 };
	struct pl_show s = { .ctx = &ctx };
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int ret;

	out = open_memstream(&text, &len);
	if (!out) {
		perror("open_memstream");
		exit(1);
	}
	pl_print_init(&s.p, out, false);
	ret = QUIET(cb(nlh, &s));
	fclose(out);
	if (ret != MNL_CB_OK)
		snprintf(buf, size, "MNL_CB_ERROR");
	else
		snprintf(buf, size, "%.*s", (int)strcspn(text, "\n"), text);
	free(text);
}

static void round_trip(const char *name, mnl_cb_t cb,
		       const struct nlmsghdr *nlh,
		       int (*parse)(int argc, char **argv, struct plnl_msg *m))
{
	char line[1024], again[1024], words[1024], *argv[128], *w;
	struct plnl_msg m;
	int argc = 0;

	first_line(cb, nlh, line, sizeof(line));
	snprintf(words, sizeof(words), "%s", line);
	for (w = strtok(words, " "); w && argc < 127; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	m = plnl_msg_req(&nl, 0, 0);
	if (QUIET(parse(argc, argv, &m))) {
		check(name, "parse failed", line);
		return;
	}
	/* The request, read as the kernel's reply. */
	first_line(cb, m.nlh, again, sizeof(again));
	check(name, again, line);
}

static int service_reparse(int argc, char **argv, struct plnl_msg *m)
{
	struct service_req req;
	int ret = service_req_parse(&req, true, argc, argv);

	if (!ret) {
		req.ifindex = if_nametoindex(req.dev);
		service_req_put(m, &req);
	}
	service_req_free(&req);
	return ret;
}

static int target_reparse(int argc, char **argv, struct plnl_msg *m)
{
	struct target_req req;
	int ret = target_req_parse(&req, "target add", argc, argv);

	if (!ret)
		target_req_put(m, &req);
	return ret;
}

static int endpoint_reparse(int argc, char **argv, struct plnl_msg *m)
{
	struct endpoint_req req;
	int ret = endpoint_req_parse(&req, argc, argv);

	if (!ret) {
		req.ifindex = if_nametoindex(req.dev);
		endpoint_req_put(m, &req);
	}
	endpoint_req_free(&req);
	return ret;
}

static void test_round_trip(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = service_provider_reply();
	round_trip("service show into service add", service_show_cb, nlh,
		   service_reparse);

	/* Every setting: the balancing ones, a health check, a DNS name. */
	nlh = service_provider_reply();
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_MAGLEV_SIZE, 251);
	mnl_attr_put_u8(nlh, PLINK_A_SERVICE_FAIL_OPEN, 1);
	mnl_attr_put_u8(nlh, PLINK_A_SERVICE_RESET_UNHEALTHY, 0);
	mnl_attr_put_u32(nlh, PLINK_A_SERVICE_ENDPOINT_MAX_FLOWS, 250);
	mnl_attr_put_strz(nlh, PLINK_A_SERVICE_DNS_NAME, "web.example");
	nest = mnl_attr_nest_start(nlh, PLINK_A_SERVICE_HEALTH_CHECK);
	mnl_attr_put_u32(nlh, PLINK_A_HEALTH_CHECK_TYPE,
			 PLINK_HEALTH_CHECK_TYPE_HTTP);
	mnl_attr_put_u16(nlh, PLINK_A_HEALTH_CHECK_PORT, htons(8081));
	mnl_attr_put_strz(nlh, PLINK_A_HEALTH_CHECK_PATH, "/health");
	mnl_attr_put_strz(nlh, PLINK_A_HEALTH_CHECK_MATCH, "200-299");
	mnl_attr_put_u32(nlh, PLINK_A_HEALTH_CHECK_INTERVAL, 10);
	mnl_attr_put_u32(nlh, PLINK_A_HEALTH_CHECK_TIMEOUT, 5);
	mnl_attr_put_u32(nlh, PLINK_A_HEALTH_CHECK_HEALTHY_THRESHOLD, 3);
	mnl_attr_put_u32(nlh, PLINK_A_HEALTH_CHECK_UNHEALTHY_THRESHOLD, 2);
	mnl_attr_put_u8(nlh, PLINK_A_HEALTH_CHECK_PASSIVE, 1);
	mnl_attr_nest_end(nlh, nest);
	round_trip("service show into service add, every setting",
		   service_show_cb, nlh, service_reparse);

	nlh = target_reply(PLINK_CMD_TARGET_GET, "192.0.2.10", 0, false);
	round_trip("target show into target add", target_show_cb, nlh,
		   target_reparse);
	nlh = target_reply(PLINK_CMD_TARGET_GET, "2001:db8::10", 443, true);
	round_trip("target show into target add, IPv6, port, zone",
		   target_show_cb, nlh, target_reparse);

	nlh = endpoint_reply(PLINK_CMD_ENDPOINT_GET, true);
	mnl_attr_put_u8(nlh, PLINK_A_ENDPOINT_PRIVATE_DNS, 0);
	round_trip("endpoint show into endpoint add", endpoint_show_cb, nlh,
		   endpoint_reparse);
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
	test_flow();
	test_target();
	test_endpoint();
	test_limits();
	test_addr();
	test_full();
	test_dev_show();
	test_dev_bound();
	test_service_show();
	test_target_show();
	test_endpoint_show();
	test_flow_show();
	test_limits_show();
	test_stats();
	test_round_trip();
	printf("1..%d\n", tests);
	free(nl.buf);
	return failures != 0;
}
