// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: write structured-random and mutated IPv4/IPv6 packets onto a
 * device (AF_PACKET, SOCK_DGRAM: a plink device has no link layer).
 *
 *   pktfuzz --dev NAME [--seed N] [--count N] [--src4 A] [--dst4 A]
 *           [--src6 A] [--dst6 A] [--port P]... [--reverse]
 *           [--mode fuzz|syn|udp]
 *
 * Packets go from the --src addresses to the --dst ones (the endpoint's,
 * or on the provider side the NLB's from a target's) most of the time, to
 * the --port ports (listeners) or random ones: TCP with flag soup, UDP,
 * ICMP and ICMPv6 echo and errors that quote random or truncated inner
 * headers, IPv4 options, IPv6 extension-header chains (routing headers
 * with segments left, fragment headers, unknown ones), fragments, wrong
 * lengths, header lengths and checksums, truncations, random bytes, zero
 * and device-MTU sizes and larger (refused by the socket: EMSGSIZE).
 * --reverse sends from the --port ports (the provider's side, to SNAT
 * ports); --mode syn or udp floods well-formed packets instead.
 *
 * Prints the seed first, then "pktfuzz: seed S sent N refused-by-socket M"
 * (N: packets the socket took, each of which the device must count as
 * sent or dropped).  Exit status 1 when the socket fails otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXPKT 65536
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng;
static unsigned char src4[4] = { 10, 0, 0, 5 }, dst4[4] = { 10, 0, 0, 100 };
static unsigned char src6[16], dst6[16];
static unsigned int ports[16] = { 80 }, n_ports = 1, mtu = 1500;
/* --reverse: packets from the service's side (source port a --port). */
static int rev;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int n)
{
	return below(n) == 0;
}

static void randfill(unsigned char *p, unsigned int n)
{
	while (n--)
		*p++ = rnd();
}

static uint32_t csum_add(uint32_t s, const unsigned char *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i + 1 < n; i += 2)
		s += p[i] << 8 | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	return s;
}

static uint16_t csum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s;
}

static void put16(unsigned char *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }

static unsigned int some_port(void)
{
	if (chance(3))
		return below(65536);
	return ports[below(n_ports)];
}

/* A transport header and payload at P (at most ROOM bytes) for PROTO;
 * returns its length.  The checksum is filled later (csum_off).
 */
static unsigned int l4(unsigned char *p, unsigned int room, int proto,
		       int v6, int depth, int *csum_off);

/* An IP packet (v4 or v6) at P: returns its length. */
static unsigned int ip_packet(unsigned char *p, unsigned int room, int v6,
			      int depth)
{
	static const int protos[] = { 6, 6, 6, 17, 17, 17, 1, 58, 0, 47 };
	unsigned int hl, len, n, i, plen;
	int proto = protos[below(ARRAY_SIZE(protos))];
	int csum_off = -1;
	uint32_t s;
	unsigned char *nh;

	if (room < 60)
		return 0;
	if (proto == 1 && v6)
		proto = 58;
	if (proto == 58 && !v6)
		proto = 1;
	if (!v6) {
		hl = 20;
		memset(p, 0, 20);
		if (chance(12)) {	/* options */
			n = 4 * (1 + below(10));
			randfill(p + 20, n);
			if (chance(2))
				p[20] = 1;	/* NOP first */
			hl += n;
		}
		p[0] = 0x40 | (hl / 4);
		p[8] = chance(20) ? below(2) : 64;
		p[9] = proto;
		memcpy(p + 12, depth ? dst4 : src4, 4);
		memcpy(p + 16, depth ? src4 : dst4, 4);
		if (chance(40))
			randfill(p + 12, 8);
		if (chance(12)) {	/* a fragment */
			put16(p + 6, (chance(2) ? 0x2000 : 0) | below(0x2000));
		} else if (chance(2)) {
			p[6] = 0x40;	/* DF */
		}
		len = hl + l4(p + hl, room - hl, proto, 0, depth, &csum_off);
		put16(p + 2, len);
		if (chance(15))
			put16(p + 2, chance(2) ? len + 1 + below(64) : below(len + 1));
		if (chance(30))
			p[0] = (chance(4) ? below(16) << 4 : 0x40) | below(16);
		s = csum_add(0, p, hl);
		put16(p + 10, csum_fold(s));
		if (chance(15))
			put16(p + 10, rnd());
		if (csum_off >= 0 && len >= hl + csum_off + 2) {
			s = csum_add(0, p + 12, 8);
			s += proto + (len - hl);
			s = csum_add(s, p + hl, len - hl);
			put16(p + hl + csum_off, proto == 1 ?
			      csum_fold(csum_add(0, p + hl, len - hl)) : csum_fold(s));
			if (chance(10))
				put16(p + hl + csum_off, rnd());
		}
		return len;
	}
	memset(p, 0, 40);
	p[0] = 0x60;
	p[7] = chance(20) ? below(2) : 64;
	memcpy(p + 8, depth ? dst6 : src6, 16);
	memcpy(p + 24, depth ? src6 : dst6, 16);
	if (chance(40))
		randfill(p + 8, 32);
	hl = 40;
	nh = p + 6;
	/* An extension-header chain. */
	if (chance(4)) {
		n = 1 + below(4);
		for (i = 0; i < n && hl + 64 < room; i++) {
			static const int ext[] = { 0, 60, 43, 44, 135, 59 };
			int e = ext[below(6)];
			unsigned int elen = 8;

			*nh = chance(20) ? (int)below(256) : e;
			memset(p + hl, 0, 8);
			if (e == 44) {	/* fragment */
				put16(p + hl + 2, (below(0x2000) << 3) | below(2));
			} else if (e == 43) {	/* routing, segments left */
				elen = 8 * (1 + 2 * below(3));
				memset(p + hl, 0, elen);
				p[hl + 1] = elen / 8 - 1;
				p[hl + 2] = below(5);
				p[hl + 3] = below(3);
			} else {
				elen = 8 * (1 + below(3));
				randfill(p + hl + 2, elen - 2);
				p[hl + 1] = elen / 8 - 1;
				if (chance(10))
					p[hl + 1] = below(256);
			}
			nh = p + hl;
			hl += elen;
		}
	}
	*nh = proto;
	len = hl + l4(p + hl, room - hl, proto, 1, depth, &csum_off);
	plen = len - 40;
	put16(p + 4, plen);
	if (chance(15))
		put16(p + 4, chance(2) ? plen + 1 + below(64) : below(plen + 1));
	if (chance(30))
		p[0] = below(16) << 4;
	if (csum_off >= 0 && len >= hl + csum_off + 2) {
		s = csum_add(0, p + 8, 32);
		s += proto + (len - hl);
		s = csum_add(s, p + hl, len - hl);
		put16(p + hl + csum_off, csum_fold(s));
		if (chance(10))
			put16(p + hl + csum_off, rnd());
	}
	return len;
}

static unsigned int payload(unsigned char *p, unsigned int room)
{
	unsigned int n;

	switch (below(6)) {
	case 0:
		n = room < mtu ? room : mtu;
		break;
		/* up to the MTU */
	case 1:
		n = below(2000);
		break;
	default:
		n = below(64);
		break;
	}
	if (n > room)
		n = room;
	randfill(p, n);
	return n;
}

static const unsigned char tcpflags[] = {
	0x10, 0x12, 0x04, 0x11, 0x14, 0x18, 0x29, 0,
};

static unsigned int l4(unsigned char *p, unsigned int room, int proto,
		       int v6, int depth, int *csum_off)
{
	unsigned int n;

	if (room < 64)
		return 0;
	switch (proto) {
	case 6:
		memset(p, 0, 20);
		put16(p, !depth != !rev ? some_port() : 1024 + below(64512));
		put16(p + 2, !depth != !rev ? 1024 + below(64512) : some_port());
		randfill(p + 4, 8);
		p[12] = chance(10) ? below(256) : 0x50;
		if (chance(8) && room > 60) {	/* TCP options */
			randfill(p + 20, 20);
			p[12] = 0xa0;
		}
		p[13] = chance(2) ? 0x02 : chance(3) ? below(256) :
			tcpflags[below(ARRAY_SIZE(tcpflags))];
		put16(p + 14, 65535);
		*csum_off = 16;
		n = (p[12] >> 4) * 4;
		if (n < 20)
			n = 20;
		return n + payload(p + n, room - n);
	case 17:
		put16(p, !depth != !rev ? some_port() : 1024 + below(64512));
		put16(p + 2, !depth != !rev ? 1024 + below(64512) : some_port());
		p[6] = 0;
		p[7] = 0;
		*csum_off = chance(10) ? -1 : 6;
		n = 8 + payload(p + 8, room - 8);
		put16(p + 4, chance(12) ? below(65536) : n);
		return n;
	case 1:
	case 58:
		memset(p, 0, 8);
		*csum_off = 2;
		if (depth < 2 && !chance(3)) {	/* an error quoting a packet */
			static const unsigned char e4[][2] = {
				{ 3, 0 }, { 3, 1 }, { 3, 3 }, { 3, 4 }, { 11, 0 }, { 12, 0 },
				{ 5, 0 } };
			static const unsigned char e6[][2] = {
				{ 1, 0 }, { 1, 4 }, { 2, 0 }, { 3, 0 }, { 4, 0 }, { 4, 1 } };

			if (v6) {
				n = below(6);
				p[0] = e6[n][0];
				p[1] = e6[n][1];
			} else {
				n = below(7);
				p[0] = e4[n][0];
				p[1] = e4[n][1];
			}
			if (chance(10))
				p[1] = below(256);
			put16(p + 6, 1280);
			n = ip_packet(p + 8, room - 8, chance(10) ? !v6 : v6, depth + 1);
			if (n > 28 && chance(2))
				n = below(n);	/* truncated quote */
			return 8 + n;
		}
		p[0] = v6 ? (chance(2) ? 128 : below(256)) : (chance(2) ? 8 : below(256));
		return 8 + payload(p + 8, room - 8);
	default:
		return payload(p, room);
	}
}

/*
 * --mode syn|udp: a flood of well-formed IPv4 packets, each from a new
 * port of the --src4 address (--reverse: to a new port of --dst4): TCP
 * SYNs or 64-byte UDP datagrams to the first --port.
 */
static unsigned int flood_packet(unsigned char *p, int syn, unsigned int n)
{
	unsigned int len = syn ? 40 : 20 + 8 + 64, port = 1024 + n % 64512;
	uint32_t s;

	memset(p, 0, len);
	p[0] = 0x45;
	put16(p + 2, len);
	p[6] = 0x40;
	p[8] = 64;
	p[9] = syn ? 6 : 17;
	memcpy(p + 12, src4, 4);
	memcpy(p + 16, dst4, 4);
	put16(p + 10, csum_fold(csum_add(0, p, 20)));
	put16(p + 20, rev ? ports[0] : port);
	put16(p + 22, rev ? port : ports[0]);
	if (syn) {
		put16(p + 24, n >> 16);
		put16(p + 26, n);
		p[32] = 0x50;
		p[33] = 0x02;
		put16(p + 34, 65535);
	} else {
		put16(p + 24, len - 20);
	}
	s = csum_add(0, p + 12, 8) + p[9] + (len - 20);
	put16(p + 20 + (syn ? 16 : 6), csum_fold(csum_add(s, p + 20, len - 20)));
	return len;
}

int main(int argc, char **argv)
{
	unsigned long long seed, count = 1000, i, sent = 0, refused = 0;
	static unsigned char pkt[MAXPKT];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	const char *dev = NULL;
	unsigned int len, k;
	struct ifreq ifr;
	int fd, a, v6, given_ports = 0, mode = 0;

	inet_pton(AF_INET6, "fd00::5", src6);
	inet_pton(AF_INET6, "fd00::100", dst6);
	seed = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--reverse")) {
			rev = 1;
			continue;
		}
		if (a + 1 >= argc)
			goto usage;
		if (!strcmp(argv[a], "--mode"))
			mode = !strcmp(argv[++a], "syn") ? 1 : !strcmp(argv[a], "udp") ? 2 : 0;
		else if (!strcmp(argv[a], "--dev"))
			dev = argv[++a];
		else if (!strcmp(argv[a], "--seed"))
			seed = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--count"))
			count = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--src4"))
			inet_pton(AF_INET, argv[++a], src4);
		else if (!strcmp(argv[a], "--dst4"))
			inet_pton(AF_INET, argv[++a], dst4);
		else if (!strcmp(argv[a], "--src6"))
			inet_pton(AF_INET6, argv[++a], src6);
		else if (!strcmp(argv[a], "--dst6"))
			inet_pton(AF_INET6, argv[++a], dst6);
		else if (!strcmp(argv[a], "--port") && n_ports < 16)
			ports[given_ports ? n_ports++ : (n_ports = 1, given_ports = 1, 0)] =
				atoi(argv[++a]);
		else
			goto usage;
	}
	if (!dev)
		goto usage;
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	printf("pktfuzz: seed %llu count %llu dev %s\n", seed, count, dev);
	fflush(stdout);

	fd = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("pktfuzz: socket");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	sll.sll_ifindex = if_nametoindex(dev);
	if (!sll.sll_ifindex) {
		perror("pktfuzz: no such device");
		return 1;
	}
	for (i = 0; i < count; i++) {
		if (mode) {
			len = flood_packet(pkt, mode == 1, i);
			sll.sll_protocol = htons(ETH_P_IP);
			goto send;
		}
		v6 = chance(2);
		len = ip_packet(pkt, sizeof(pkt), v6, 0);
		switch (below(12)) {
		case 0: /* truncated */
			len = below(len + 1);
			break;
		case 1: /* bytes flipped */
			for (k = 0; k < 1 + below(4) && len; k++)
				pkt[below(len)] ^= 1 << below(8);
			break;
		case 2: /* random bytes after a version nibble */
			len = below(chance(4) ? mtu + 1 : 80);
			randfill(pkt, len);
			if (len)
				pkt[0] = (v6 ? 0x60 : 0x45) | (pkt[0] & (chance(2) ? 0xf : 0));
			break;
		case 3: /* the MTU exactly, or past it */
			if (len < mtu) {
				randfill(pkt + len, mtu - len);
				len = mtu + (chance(4) ? 1 + below(100) : 0);
				if (v6)
					put16(pkt + 4, len - 40);
				else
					put16(pkt + 2, len);
			}
			break;
		default:
			break;
		}
		sll.sll_protocol = htons(chance(50) ? below(65536) :
					 v6 ? ETH_P_IPV6 : ETH_P_IP);
send:
		if (sendto(fd, pkt, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
			if (errno == EMSGSIZE || errno == EINVAL) {
				refused++;
				continue;
			}
			if (errno == ENOBUFS) {
				/* The queue is full: the packet was not sent. */
				refused++;
				usleep(1000);
				continue;
			}
			fprintf(stderr, "pktfuzz: seed %llu packet %llu: sendto: %s\n",
				seed, i, strerror(errno));
			return 1;
		}
		sent++;
	}
	printf("pktfuzz: seed %llu sent %llu refused-by-socket %llu\n", seed, sent,
	       refused);
	return 0;
usage:
	fputs("usage: pktfuzz --dev NAME [--seed N] [--count N] [--src4 A] [--dst4 A]\n", stderr);
	fputs("               [--src6 A] [--dst6 A] [--port P]... [--reverse]\n", stderr);
	fputs("               [--mode fuzz|syn|udp]\n", stderr);
	return 2;
}
