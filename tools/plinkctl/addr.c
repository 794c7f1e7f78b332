// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses, ports, prefixes, protocols, listeners and rules; see addr.h.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <linux/plink.h>

#include "addr.h"
#include "plinkctl.h"

/* The port in the @n bytes at @s, part of @word: 1 to 65535. */
static int pl_port(const char *s, size_t n, const char *word,
		   unsigned short *port)
{
	unsigned long v;

	if (pl_ulong(s, n, 65535, &v) || !v) {
		pl_err("invalid port \"%.*s\" in \"%s\" (1-65535)", (int)n, s,
		       word);
		return -1;
	}
	*port = (unsigned short)v;
	return 0;
}

/* The protocol in the @n bytes at @s, part of @word: tcp or udp. */
static int pl_proto(const char *s, size_t n, const char *word,
		    unsigned char *proto)
{
	if (n == 3 && !strncmp(s, "tcp", n)) {
		*proto = PLINK_PROTO_TCP;
		return 0;
	}
	if (n == 3 && !strncmp(s, "udp", n)) {
		*proto = PLINK_PROTO_UDP;
		return 0;
	}
	pl_err("invalid protocol \"%.*s\" in \"%s\" (tcp or udp)", (int)n, s,
	       word);
	return -1;
}

/*
 * The address in the @n bytes at @s, of @family (AF_UNSPEC: either);
 * -1, printing nothing, if it is not one.
 */
static int pl_addr_text(const char *s, size_t n, int family,
			struct pl_addr *addr)
{
	char buf[INET6_ADDRSTRLEN];

	memset(addr, 0, sizeof(*addr));
	if (!n || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';

	if (family != AF_INET6 && inet_pton(AF_INET, buf, addr->bytes) == 1) {
		addr->family = AF_INET;
		addr->len = 4;
		return 0;
	}
	if (family != AF_INET && inet_pton(AF_INET6, buf, addr->bytes) == 1) {
		addr->family = AF_INET6;
		addr->len = 16;
		return 0;
	}
	return -1;
}

int pl_addr_parse(const char *word, struct pl_addr *addr)
{
	if (pl_addr_text(word, strlen(word), AF_UNSPEC, addr)) {
		pl_err("invalid address \"%s\"", word);
		return -1;
	}
	return 0;
}

int pl_addr_port_parse(const char *word, struct pl_addr *addr,
		       unsigned short *port)
{
	const char *end, *colon;

	*port = 0;
	if (word[0] == '[') {
		/* [IPv6] or [IPv6]:PORT */
		end = strchr(word, ']');
		if (!end ||
		    pl_addr_text(word + 1, (size_t)(end - word - 1), AF_INET6,
				 addr) ||
		    (end[1] && end[1] != ':'))
			goto bad;
		if (!end[1])
			return 0;
		return pl_port(end + 2, strlen(end + 2), word, port);
	}

	/* One colon: IPv4:PORT; more: a bare IPv6 address, no port. */
	colon = strchr(word, ':');
	if (colon && !strchr(colon + 1, ':')) {
		if (pl_addr_text(word, (size_t)(colon - word), AF_INET, addr))
			goto bad;
		return pl_port(colon + 1, strlen(colon + 1), word, port);
	}
	if (!pl_addr_text(word, strlen(word), AF_UNSPEC, addr))
		return 0;
bad:
	pl_err("invalid address \"%s\"", word);
	return -1;
}

int pl_prefix_parse(const char *word, struct pl_addr *addr,
		    unsigned int *len)
{
	const char *slash = strchr(word, '/');
	unsigned int max, i, bit;
	unsigned long v;
	unsigned char mask;

	if (pl_addr_text(word, slash ? (size_t)(slash - word) : strlen(word),
			 AF_UNSPEC, addr)) {
		pl_err("invalid prefix \"%s\"", word);
		return -1;
	}
	max = addr->len * 8;
	if (!slash) {
		*len = max;
		return 0;
	}
	if (pl_ulong(slash + 1, strlen(slash + 1), max, &v)) {
		pl_err("invalid prefix length \"%s\" in \"%s\" (0-%u)",
		       slash + 1, word, max);
		return -1;
	}

	for (i = 0; i < addr->len; i++) {
		bit = i * 8;
		if (bit >= v)
			mask = 0xff;
		else if (v - bit >= 8)
			mask = 0;
		else
			mask = 0xff >> (v - bit);
		if (addr->bytes[i] & mask) {
			pl_err("invalid prefix \"%s\": host bits are set",
			       word);
			return -1;
		}
	}
	*len = (unsigned int)v;
	return 0;
}

/*
 * PROTO:PORT[<@sep>PORT2], @word, a @what of @form (for the error);
 * *@port2 is 0 without PORT2.
 */
static int pl_proto_ports(const char *word, char sep, const char *what,
			  const char *form, unsigned char *proto,
			  unsigned short *port, unsigned short *port2)
{
	const char *colon = strchr(word, ':'), *p, *end;

	*port2 = 0;
	if (!colon) {
		pl_err("invalid %s \"%s\" (%s)", what, word, form);
		return -1;
	}
	if (pl_proto(word, (size_t)(colon - word), word, proto))
		return -1;
	p = colon + 1;
	end = strchr(p, sep);
	if (pl_port(p, end ? (size_t)(end - p) : strlen(p), word, port))
		return -1;
	if (end && pl_port(end + 1, strlen(end + 1), word, port2))
		return -1;
	return 0;
}

int pl_listener_parse(const char *word, struct pl_listener *l)
{
	memset(l, 0, sizeof(*l));
	return pl_proto_ports(word, ':', "listener", "PROTO:PORT[:TPORT]",
			      &l->proto, &l->port, &l->target_port);
}

bool pl_is_proto_word(const char *word)
{
	return !strncmp(word, "tcp:", 4) || !strncmp(word, "udp:", 4);
}

int pl_ports_parse(const char *word, struct pl_rule *r)
{
	if (pl_proto_ports(word, '-', "ports", "PROTO:PORT[-PORT]", &r->proto,
			   &r->port_min, &r->port_max))
		return -1;
	if (!r->port_max)
		r->port_max = r->port_min;
	if (r->port_max < r->port_min) {
		pl_err("invalid ports \"%s\": the range is empty", word);
		return -1;
	}
	return 0;
}

bool pl_addr_eq(const struct pl_addr *a, const struct pl_addr *b)
{
	return a->len == b->len && !memcmp(a->bytes, b->bytes, a->len);
}

void pl_addr_set(struct pl_addr *addr, const void *bytes, size_t len)
{
	memset(addr, 0, sizeof(*addr));
	addr->len = len == 4 ? 4 : 16;
	addr->family = len == 4 ? AF_INET : AF_INET6;
	memcpy(addr->bytes, bytes, addr->len);
}

/* inet_ntop() of the address of @len bytes at @bytes, or "?". */
static void pl_ntop(const void *bytes, size_t len, char *buf, size_t size)
{
	if ((len != 4 && len != 16) ||
	    !inet_ntop(len == 4 ? AF_INET : AF_INET6, bytes, buf,
		       (socklen_t)size))
		snprintf(buf, size, "?");
}

const char *pl_addr_fmt(const void *bytes, size_t len, char *buf)
{
	pl_ntop(bytes, len, buf, PL_ADDRSTRLEN);
	return buf;
}

const char *pl_addr_port_fmt(const void *bytes, size_t len, unsigned short port,
			     char *buf)
{
	char addr[INET6_ADDRSTRLEN];

	if (!port)
		return pl_addr_fmt(bytes, len, buf);
	pl_ntop(bytes, len, addr, sizeof(addr));
	snprintf(buf, PL_ADDRSTRLEN, len == 16 ? "[%s]:%u" : "%s:%u", addr,
		 port);
	return buf;
}

const char *pl_proto_name(unsigned int proto, char *buf, size_t len)
{
	if (proto == PLINK_PROTO_TCP)
		return "tcp";
	if (proto == PLINK_PROTO_UDP)
		return "udp";
	snprintf(buf, len, "%u", proto);
	return buf;
}
