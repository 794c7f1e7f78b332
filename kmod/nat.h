/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PLINK_NAT_H
#define _PLINK_NAT_H

#include <linux/skbuff.h>

#include "plink.h"

/* One side of a translated flow: an address and a port. */
struct plink_hostport {
	struct plink_addr addr;
	__be16 port;
};

int plink_nat_rewrite(struct sk_buff *skb, unsigned int l4off, u8 proto,
		      const struct plink_hostport *src,
		      const struct plink_hostport *dst);

#endif /* _PLINK_NAT_H */
