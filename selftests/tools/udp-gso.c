// SPDX-License-Identifier: GPL-2.0
/*
 * udp-gso ADDR PORT SIZE N: send N datagrams of SIZE bytes to ADDR:PORT
 * in one send() with UDP_SEGMENT (one UDP GSO packet), then print how many
 * answers came back, each within a second of the one before (or of the
 * send).  Exit status 0 once the send succeeded.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifndef SOL_UDP
#define SOL_UDP		17
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT	103
#endif

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	static char buf[65536];
	long port, size, n;
	struct pollfd pfd;
	int fd, gso, answers = 0;
	socklen_t sl;
	char *end;

	if (argc != 5)
		goto usage;
	port = strtol(argv[2], &end, 10);
	if (*end || port < 1 || port > 65535)
		goto usage;
	size = strtol(argv[3], &end, 10);
	if (*end || size < 1)
		goto usage;
	n = strtol(argv[4], &end, 10);
	if (*end || n < 1 || size * n > 65000)
		goto usage;
	memset(&ss, 0, sizeof(ss));
	if (strchr(argv[1], ':')) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) != 1)
			goto usage;
		sl = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, argv[1], &s4->sin_addr) != 1)
			goto usage;
		sl = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	gso = size;
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, sl) ||
	    setsockopt(fd, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso))) {
		perror("udp-gso");
		return 1;
	}
	memset(buf, 'x', size * n);
	if (send(fd, buf, size * n, 0) != size * n) {
		perror("udp-gso: send");
		return 1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 1000) == 1 && recv(fd, buf, sizeof(buf), 0) >= 0)
		answers++;
	printf("%d\n", answers);
	return 0;
usage:
	fprintf(stderr, "usage: udp-gso ADDR PORT SIZE N\n");
	return 2;
}
