/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses, ports, prefixes, protocols, listeners and rules: parsing the
 * words of the command line, and printing what the kernel sends back.
 *
 * The parsers print their own one-line error, which quotes the word, and
 * return -1.  They check syntax only (a port is 1-65535, a prefix length at
 * most 32 or 128); ranges of values are the kernel's to check.
 */
#ifndef PLINKCTL_ADDR_H
#define PLINKCTL_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An IPv4 or IPv6 address, in network order. */
struct pl_addr {
	int family;			/* AF_INET or AF_INET6 */
	unsigned int len;		/* 4 or 16 */
	unsigned char bytes[16];
};

/* Room for the text of an address and its port: "[" IPv6 "]:65535". */
#define PL_ADDRSTRLEN	(INET6_ADDRSTRLEN + 8)

/* A listener, PROTO:PORT[:TPORT]; host order, target_port 0 if not given. */
struct pl_listener {
	unsigned char proto;
	unsigned short port;
	unsigned short target_port;
};

/* A rule, PREFIX [PROTO:PORT[-PORT]]; host order, proto 0 if not given. */
struct pl_rule {
	struct pl_addr prefix;
	unsigned int prefix_len;
	unsigned char proto;
	unsigned short port_min;
	unsigned short port_max;
};

/* ADDR: an IPv4 or IPv6 address, no port. */
int pl_addr_parse(const char *word, struct pl_addr *addr);

/*
 * ADDR[:PORT]: 192.0.2.1, 192.0.2.1:80, 2001:db8::1, [2001:db8::1] or
 * [2001:db8::1]:80.  *@port is 0 when the word has no port.
 */
int pl_addr_port_parse(const char *word, struct pl_addr *addr,
		       unsigned short *port);

/* PREFIX: ADDR/LEN, or ADDR alone (/32 or /128); no host bits set. */
int pl_prefix_parse(const char *word, struct pl_addr *addr,
		    unsigned int *len);

/* PROTO:PORT[:TPORT] */
int pl_listener_parse(const char *word, struct pl_listener *l);

/* Whether @word looks like PROTO:..., the optional word after a prefix. */
bool pl_is_proto_word(const char *word);

/* PROTO:PORT[-PORT], into @r's proto and ports. */
int pl_ports_parse(const char *word, struct pl_rule *r);

/* Whether @a and @b are the same address. */
bool pl_addr_eq(const struct pl_addr *a, const struct pl_addr *b);

/* @len bytes at @bytes (4 or 16) as a struct pl_addr. */
void pl_addr_set(struct pl_addr *addr, const void *bytes, size_t len);

/*
 * The text of the address of @len bytes (4 or 16) at @bytes; with
 * pl_addr_port_fmt() followed by ":PORT" ("[ADDR]:PORT" for IPv6) unless
 * @port is 0.  @buf has PL_ADDRSTRLEN bytes.
 */
const char *pl_addr_fmt(const void *bytes, size_t len, char *buf);
const char *pl_addr_port_fmt(const void *bytes, size_t len, unsigned short port,
			     char *buf);

/* "tcp", "udp", or the number.  @buf has 4 bytes at least. */
const char *pl_proto_name(unsigned int proto, char *buf, size_t len);

#endif /* PLINKCTL_ADDR_H */
