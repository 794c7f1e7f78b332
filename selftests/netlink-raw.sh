#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed requests, which no YNL client can express: attributes of the
# wrong length, unknown attributes, nesting errors, trailing bytes.  A
# second client that sends raw attributes (lib/genl.sh) gets the kernel's
# strict validation errors for them; each refused request has an accepted
# twin that differs only in what is checked.  What a well-formed request
# can reach (port 0, prefix length 33, ...) is ynl.sh's, through the
# kernel's own YNL client.

source "$(dirname "$0")/lib/datapath.sh"
source "$(dirname "$0")/lib/genl.sh"
require_plink
setup_ns P || exit $ksft_fail

FAM=$(genl_family plink)
expect_match "the plink family has an id" "$FAM" '^[0-9]+$'

# req NS CMD ATTRS: genl_req in NS.
req()
{
	local ns=$1

	shift
	GENL_NETNS=$ns genl_req "$FAM" "$@"
}

ip -n "$P" link add nlb0 type plink
ip -n "$P" link set nlb0 up
nlb=$(ip -n "$P" -j link show nlb0 | jq '.[0].ifindex')
A_IFINDEX=1 A_IFNAME=2

# --- dev-get: lengths, unknown attributes, NLA_F_NESTED -------------------------

CMD_DEV_GET=1
expect_eq "dev-get nlb0 by a 4-byte ifindex: accepted" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFINDEX "$(genl_le32 "$nlb")")")" "0 "
expect_eq "dev-get by a 2-byte ifindex: \"invalid attribute length\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFINDEX "$(genl_le16 "$nlb")")")" \
	"22 invalid attribute length"
expect_eq "dev-get by an 8-byte ifindex: \"invalid attribute length\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFINDEX "$(genl_le32 "$nlb")00000000")")" \
	"22 invalid attribute length"
expect_eq "dev-get with an unknown attribute (type 99): \"Unknown attribute type\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFINDEX "$(genl_le32 "$nlb")")$(genl_attr 99 "$(genl_le32 1)")")" \
	"22 Unknown attribute type"
expect_eq "dev-get with an attribute of type 0: \"Unknown attribute type\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFINDEX "$(genl_le32 "$nlb")")$(genl_attr 0 "$(genl_le32 1)")")" \
	"22 Unknown attribute type"
expect_eq "dev-get by an ifindex flagged NLA_F_NESTED: \"NLA_F_NESTED not expected\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_nest $A_IFINDEX "$(genl_le32 "$nlb")")")" \
	"22 NLA_F_NESTED not expected"
expect_eq "dev-get by an ifname without its NUL: \"Attribute failed policy validation\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFNAME "$(genl_str nlb0 | sed 's/00$//')")")" \
	"22 Attribute failed policy validation"
expect_eq "dev-get by an ifname with its NUL: accepted" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFNAME "$(genl_str nlb0)")")" "0 "
# An attribute whose length runs past the message: "bytes leftover".
expect_eq "dev-get with an attribute longer than the message: \"bytes leftover after parsing attributes\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_le16 12)$(genl_le16 $A_IFINDEX)$(genl_le32 "$nlb")")" \
	"22 bytes leftover after parsing attributes"

# --- service-new: the listener nest --------------------------------------------------

CMD_SERVICE_NEW=2
S_NAME=2 S_IFINDEX=3 S_ADDR=4 S_LISTENER=5 S_ACCEPTANCE=6 S_PRINCIPAL=7
L_PROTO=1 L_PORT=2
# svc NAME LISTENER: a service-new request, its listener attribute LISTENER
# (type and all).
svc()
{
	local a

	a="$(genl_attr $S_NAME "$(genl_str "$1")")$(genl_attr $S_IFINDEX "$(genl_le32 "$nlb")")"
	a+=$(genl_attr $S_ADDR "$(genl_ip4 10.0.1.1)")
	a+=$2
	# acceptance auto (1), principal "*"
	a+="$(genl_attr $S_ACCEPTANCE "$(genl_le32 1)")$(genl_attr $S_PRINCIPAL "$(genl_str '*')")"
	echo "$a"
}
tcp80="$(genl_attr $L_PROTO 06)$(genl_attr $L_PORT "$(genl_be16 80)")"
expect_eq "service-new, the listener not flagged NLA_F_NESTED: \"NLA_F_NESTED is missing\"" \
	"$(req "$P" $CMD_SERVICE_NEW "$(svc raw0 "$(genl_attr $S_LISTENER "$tcp80")")")" \
	"22 NLA_F_NESTED is missing"
expect_eq "service-new, a listener port of 4 bytes: \"invalid attribute length\"" \
	"$(req "$P" $CMD_SERVICE_NEW "$(svc raw0 "$(genl_nest $S_LISTENER "$(genl_attr $L_PROTO 06)$(genl_attr $L_PORT "$(genl_le32 80)")")")")" \
	"22 invalid attribute length"
expect_eq "service-new, an unknown attribute in the listener: \"Unknown attribute type\"" \
	"$(req "$P" $CMD_SERVICE_NEW "$(svc raw0 "$(genl_nest $S_LISTENER "$tcp80$(genl_attr 9 "$(genl_le32 1)")")")")" \
	"22 Unknown attribute type"
expect_eq "service-new, a listener nest shorter than an attribute: \"Attribute failed policy validation\"" \
	"$(req "$P" $CMD_SERVICE_NEW "$(svc raw0 "$(genl_nest $S_LISTENER 0600)")")" \
	"34 Attribute failed policy validation"
expect_eq "no service was made of them" \
	"$(plinkctl -n "$P" -j service show | jq length)" 0
expect_eq "service-new, a well-formed listener: accepted" \
	"$(req "$P" $CMD_SERVICE_NEW "$(svc raw0 "$(genl_nest $S_LISTENER "$tcp80")")")" "0 "

# --- service-del: a flag with a payload ------------------------------------------------

CMD_SERVICE_DEL=4 S_FORCE=13
expect_eq "service-del, the force flag with a payload: \"Attribute failed policy validation\"" \
	"$(req "$P" $CMD_SERVICE_DEL "$(genl_attr $S_NAME "$(genl_str raw0)")$(genl_attr $S_FORCE "$(genl_le32 1)")")" \
	"34 Attribute failed policy validation"
expect_eq "service-del, the force flag empty: accepted" \
	"$(req "$P" $CMD_SERVICE_DEL "$(genl_attr $S_NAME "$(genl_str raw0)")$(genl_attr $S_FORCE "")")" "0 "

exit "$EXIT_STATUS"
