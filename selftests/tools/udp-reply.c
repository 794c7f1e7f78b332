// SPDX-License-Identifier: GPL-2.0
/*
 * udp-reply NAME ADDR PORT: the selftests' UDP server.  It answers every
 * datagram to ADDR:PORT with one line, "NAME PEERADDR PEERPORT" (an IPv6
 * peer in brackets, written out whole), as socat's UDP-RECVFROM with fork and SYSTEM:echo
 * did, but from one process and one socket: socat's forked children share
 * the socket, and now and then one of them read, and dropped, a datagram
 * meant for the next peer.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	struct sockaddr_storage ss, peer;
	char buf[65536], out[192], a[INET6_ADDRSTRLEN];
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	socklen_t sl, pl;
	char *end;
	long port;
	int fd, len;

	if (argc != 4) {
		fprintf(stderr, "usage: udp-reply NAME ADDR PORT\n");
		return 2;
	}
	port = strtol(argv[3], &end, 10);
	memset(&ss, 0, sizeof(ss));
	if (*end || port < 1 || port > 65535)
		goto usage;
	if (strchr(argv[2], ':')) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, argv[2], &s6->sin6_addr) != 1)
			goto usage;
		sl = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, argv[2], &s4->sin_addr) != 1)
			goto usage;
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl)) {
		perror("udp-reply");
		return 1;
	}
	for (;;) {
		pl = sizeof(peer);
		if (recvfrom(fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&peer, &pl) < 0)
			continue;
		if (peer.ss_family == AF_INET6) {
			struct sockaddr_in6 *p6 = (struct sockaddr_in6 *)&peer;

			const unsigned char *b = p6->sin6_addr.s6_addr;
			int i, n = 0;

			/* Written out whole, as socat's SOCAT_PEERADDR. */
			for (i = 0; i < 16; i += 2)
				n += snprintf(a + n, sizeof(a) - n, "%s%02x%02x",
					      i ? ":" : "", b[i], b[i + 1]);
			len = snprintf(out, sizeof(out), "%s [%s] %u\n",
				       argv[1], a, ntohs(p6->sin6_port));
		} else {
			struct sockaddr_in *p4 = (struct sockaddr_in *)&peer;

			inet_ntop(AF_INET, &p4->sin_addr, a, sizeof(a));
			len = snprintf(out, sizeof(out), "%s %s %u\n",
				       argv[1], a, ntohs(p4->sin_port));
		}
		sendto(fd, out, len, 0, (struct sockaddr *)&peer, pl);
	}
usage:
	fprintf(stderr, "udp-reply: bad address or port\n");
	return 2;
}
