/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host routes of the addresses of services (NLB addresses, on the NLB
 * device) and of endpoints (on the endpoint's device), over rtnetlink:
 * ADDR/32 or ADDR/128, dev DEV, table main, scope link, proto static.
 */
#ifndef PLINKCTL_ROUTE_H
#define PLINKCTL_ROUTE_H

#include <stddef.h>

#include "addr.h"
#include "nl.h"

/* The device and the addresses of an object, as the kernel holds them. */
struct pl_addrs {
	unsigned int ifindex;	/* 0: not known */
	struct pl_addr *v;
	size_t n;
};

void pl_addrs_free(struct pl_addrs *a);

/*
 * Run the "get" request @req of one object quietly (printing nothing if
 * the kernel refuses it), and read its attribute @ifindex_type and every
 * attribute @addr_type into @out (empty if it failed: it is up to the
 * request that follows to report what is wrong).
 */
void pl_addrs_get(struct plnl *nl, struct plnl_msg *req,
		  unsigned int ifindex_type, unsigned int addr_type,
		  struct pl_addrs *out);

/*
 * Add the host route of each of the @n addresses at @v on @ifindex
 * (replacing any route to the same address), or remove it (a route that
 * is not there is no error), but for the addresses also in @keep.  @done
 * says what the command did already; an error is then the line
 * "DONE, but cannot add the route to ADDR dev DEV: MESSAGE".  Returns 0,
 * or PL_EXIT_KERNEL.
 */
int pl_routes_add(unsigned int ifindex, const struct pl_addr *v, size_t n,
		  const char *done);
int pl_routes_del(unsigned int ifindex, const struct pl_addr *v, size_t n,
		  const struct pl_addrs *keep, const char *done);

#endif /* PLINKCTL_ROUTE_H */
