#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A raw generic netlink client in bash and socat, for malformed requests
# that no YNL client sends (attributes of the wrong length, unknown
# attributes, nesting errors): the kernel's strict validation must answer
# them.  Well-formed requests go through the kernel's own YNL client,
# cli.py (ynl.sh).
#
# Attributes are built as hex strings: genl_attr TYPE HEX, genl_nest TYPE
# HEX, and the helpers below for the usual payloads.  genl_req FAMILY CMD
# ATTRS sends one request (with NLM_F_ACK, extended ACKs on, the request
# not echoed back) and prints "ERRNO MESSAGE" of its ACK: "0 " on success.
# With GENL_NETNS set, the request is sent from that netns.

# genl_le16 N, genl_le32 N: N in little-endian hex.
genl_le16()
{
	printf '%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255))
}

genl_le32()
{
	printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# genl_be16 N: N in network order.
genl_be16()
{
	printf '%02x%02x' $(($1 >> 8 & 255)) $(($1 & 255))
}

# genl_str S: S and its NUL.
genl_str()
{
	printf '%s\0' "$1" | od -An -v -tx1 | tr -d ' \n'
}

# genl_ip4 A.B.C.D
genl_ip4()
{
	local IFS=.
	# shellcheck disable=SC2086
	printf '%02x%02x%02x%02x' $1
}

# genl_attr TYPE HEX: one attribute, padded to 4 bytes.
genl_attr()
{
	local len=$((4 + ${#2} / 2))

	printf '%s%s%s' "$(genl_le16 $len)" "$(genl_le16 "$1")" "$2"
	case $((len % 4)) in
	1) printf '000000' ;;
	2) printf '0000' ;;
	3) printf '00' ;;
	esac
}

# genl_nest TYPE HEX: a nest (NLA_F_NESTED) of the attributes in HEX.
genl_nest()
{
	genl_attr $((0x8000 | $1)) "$2"
}

# genl_raw TYPE CMD ATTRS: send the request, print every reply as hex.
genl_raw()
{
	local body len hex

	body="$(printf '%02x01' "$2")0000$3"
	len=$((16 + ${#body} / 2))
	# NLM_F_REQUEST | NLM_F_ACK, sequence 1, port id 0 (the kernel).
	hex="$(genl_le32 $len)$(genl_le16 "$1")$(genl_le16 5)$(genl_le32 1)$(genl_le32 0)$body"
	# NETLINK_EXT_ACK (11) on, NETLINK_CAP_ACK (10) on: SOL_NETLINK 270.
	# The kernel queues its answer before sendto() returns: socat need
	# not wait long for it (-t) once the request is sent.
	printf '%b' "$(sed 's/../\\x&/g' <<<"$hex")" |
		${GENL_NETNS:+ip netns exec "$GENL_NETNS"} socat -t 0.5 - SOCKET-DATAGRAM:16:3:16:x00000000000000000000,setsockopt-int=270:11:1,setsockopt-int=270:10:1 |
		od -An -v -tx1 | tr -d ' \n'
}

# genl_u16at HEX OFF, genl_u32at HEX OFF: a little-endian number at byte OFF.
genl_u16at()
{
	echo $((16#${1:$(($2 * 2 + 2)):2}${1:$(($2 * 2)):2}))
}

genl_u32at()
{
	echo $((16#${1:$(($2 * 2 + 6)):2}${1:$(($2 * 2 + 4)):2}${1:$(($2 * 2 + 2)):2}${1:$(($2 * 2)):2}))
}

# genl_family NAME: the family's id (CTRL_CMD_GETFAMILY), or nothing.
genl_family()
{
	local r off=20 end alen

	r=$(genl_raw 16 3 "$(genl_attr 2 "$(genl_str "$1")")")
	[ "$(genl_u16at "$r" 4)" = 16 ] || return 1
	end=$(genl_u32at "$r" 0)
	while ((off + 4 <= end)); do
		alen=$(genl_u16at "$r" "$off")
		if [ "$(genl_u16at "$r" $((off + 2)))" = 1 ]; then
			genl_u16at "$r" $((off + 4))
			return 0
		fi
		off=$((off + (alen + 3) / 4 * 4))
	done
	return 1
}

# genl_req FAMILY CMD ATTRS: "ERRNO MESSAGE" of the request's ACK.
genl_req()
{
	local r pos=0 mlen err off alen msg=

	r=$(genl_raw "$@")
	while ((pos * 2 + 32 <= ${#r})); do
		mlen=$(genl_u32at "$r" $pos)
		((mlen >= 16)) || break
		if [ "$(genl_u16at "$r" $((pos + 4)))" = 2 ]; then
			err=$(genl_u32at "$r" $((pos + 16)))
			((err >= 2 ** 31)) && err=$((2 ** 32 - err))
			# The TLVs follow the error and the request's header.
			off=$((pos + 36))
			while ((off + 4 <= pos + mlen)); do
				alen=$(genl_u16at "$r" "$off")
				((alen >= 4)) || break
				if [ "$(genl_u16at "$r" $((off + 2)))" = 1 ]; then
					msg=$(printf '%b' "$(sed 's/../\\x&/g' <<<"${r:$(((off + 4) * 2)):$(((alen - 5) * 2))}")")
				fi
				off=$((off + (alen + 3) / 4 * 4))
			done
			echo "$err $msg"
			return 0
		fi
		pos=$((pos + (mlen + 3) / 4 * 4))
	done
	echo "noack"
}
