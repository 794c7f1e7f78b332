#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own validation, reached by a second client that sends raw
# attributes (lib/genl.sh): requests plinkctl refuses before sending, or
# cannot express, get the documented extended-ACK errors.  Each refused
# request has an accepted twin that differs only in what is checked.

source "$(dirname "$0")/lib/datapath.sh"
source "$(dirname "$0")/lib/genl.sh"
require_plink
setup_ns P C || exit $ksft_fail

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
ip -n "$C" link add pl0 type plink
ip -n "$C" link set pl0 up
nlb=$(ip -n "$P" -j link show nlb0 | jq '.[0].ifindex')
pl=$(ip -n "$C" -j link show pl0 | jq '.[0].ifindex')
lo=$(ip -n "$P" -j link show lo | jq '.[0].ifindex')
A_IFINDEX=1 A_IFNAME=2

# --- dev-get ------------------------------------------------------------------

CMD_DEV_GET=1
expect_eq "dev-get nlb0 by ifname and ifindex: accepted" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFINDEX "$(genl_le32 "$nlb")")$(genl_attr $A_IFNAME "$(genl_str nlb0)")")" \
	"0 "
expect_eq "dev-get with neither: \"missing ifindex or ifname\"" \
	"$(req "$P" $CMD_DEV_GET "")" "22 missing ifindex or ifname"
expect_eq "dev-get of a name that does not exist: \"no such device\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFNAME "$(genl_str nosuch0)")")" \
	"19 no such device"
expect_eq "dev-get of pl0 in another netns: \"no such device\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFNAME "$(genl_str pl0)")")" \
	"19 no such device"
expect_match "dev-get of lo: \"not a plink device\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFINDEX "$(genl_le32 "$lo")")")" \
	'^[0-9]+ not a plink device$'
expect_match "dev-get of nlb0's ifindex and lo's name: \"ifname and ifindex name different devices\"" \
	"$(req "$P" $CMD_DEV_GET "$(genl_attr $A_IFINDEX "$(genl_le32 "$nlb")")$(genl_attr $A_IFNAME "$(genl_str lo)")")" \
	'^[0-9]+ ifname and ifindex name different devices$'

# --- service-new: a listener port 0, too many addresses ---------------------------

CMD_SERVICE_NEW=2
S_NAME=2 S_IFINDEX=3 S_ADDR=4 S_LISTENER=5 S_ACCEPTANCE=6 S_PRINCIPAL=7
L_PROTO=1 L_PORT=2
# svc NAME PORT NADDRS: a service-new request.
svc()
{
	local a i

	a="$(genl_attr $S_NAME "$(genl_str "$1")")$(genl_attr $S_IFINDEX "$(genl_le32 "$nlb")")"
	for ((i = 1; i <= $3; i++)); do
		a+=$(genl_attr $S_ADDR "$(genl_ip4 "10.0.1.$i")")
	done
	a+=$(genl_nest $S_LISTENER "$(genl_attr $L_PROTO 06)$(genl_attr $L_PORT "$(genl_be16 "$2")")")
	# acceptance auto (1), principal "*"
	a+="$(genl_attr $S_ACCEPTANCE "$(genl_le32 1)")$(genl_attr $S_PRINCIPAL "$(genl_str '*')")"
	echo "$a"
}
expect_match "service-new, listener port 0: the kernel refuses it (policy min 1)" \
	"$(req "$P" $CMD_SERVICE_NEW "$(svc raw0 0 1)")" '^34 integer out of range$'
expect_match "service-new, 9 addresses: \"too many addresses\"" \
	"$(req "$P" $CMD_SERVICE_NEW "$(svc raw0 80 9)")" '^[0-9]+ too many addresses$'
expect_eq "no service was made of them" \
	"$(plinkctl -n "$P" -j service show | jq length)" 0
expect_eq "service-new, port 80 and 8 addresses: accepted" \
	"$(req "$P" $CMD_SERVICE_NEW "$(svc raw0 80 8)")" "0 "
expect_eq "the service has its 8 addresses" \
	"$(plinkctl -n "$P" -j service show raw0 | jq '.[0].addrs | length')" 8
plinkctl -n "$P" target add raw0 10.0.1.10

# --- endpoint-new: prefix length 33, 61 rules ---------------------------------------

CMD_ENDPOINT_NEW=10
E_SERVICE=2 E_IFINDEX=3 E_ADDR=4 E_RULE=5
R_PREFIX=1 R_PREFIX_LEN=2
# ep PLEN NRULES: an endpoint-new request.
ep()
{
	local a i

	a="$(genl_attr $E_SERVICE "$(genl_str raw0)")$(genl_attr $E_IFINDEX "$(genl_le32 "$pl")")"
	a+=$(genl_attr $E_ADDR "$(genl_ip4 10.0.1.100)")
	for ((i = 0; i < $2; i++)); do
		a+=$(genl_nest $E_RULE "$(genl_attr $R_PREFIX "$(genl_ip4 "10.$i.0.0")")$(genl_attr $R_PREFIX_LEN "$(printf %02x "$1")")")
	done
	echo "$a"
}
expect_match "endpoint-new, a rule of prefix length 33: refused by the kernel" \
	"$(req "$C" $CMD_ENDPOINT_NEW "$(ep 33 1)")" \
	"^[0-9]+ prefix length exceeds the address family's\$"
expect_match "endpoint-new, 61 rules: \"too many rules (max 60)\"" \
	"$(req "$C" $CMD_ENDPOINT_NEW "$(ep 16 61)")" '^[0-9]+ too many rules \(max 60\)$'
expect_eq "no endpoint was made of them" \
	"$(plinkctl -n "$C" -j endpoint show | jq length)" 0
expect_eq "endpoint-new, 60 rules of prefix length 16: accepted" \
	"$(req "$C" $CMD_ENDPOINT_NEW "$(ep 16 60)")" "0 "
expect_eq "the endpoint has its 60 rules" \
	"$(plinkctl -n "$C" -j endpoint show | jq '.[0].rules | length')" 60

exit "$EXIT_STATUS"
