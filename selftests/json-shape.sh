#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# plinkctl's output against a real kernel: one JSON shape per object
# whatever the command's arguments ("stats -j" is always {"services",
# "endpoints"}), one key per fact (*_addr, *_port, n_*, dev), no invented
# zeros in a consumer's netns, -s adding the counters to "show", and
# "dev show" naming what a device carries.  plinkctl's host tests
# (tools/plinkctl/tests) check every key from crafted replies; this checks
# that the kernel's replies give the same shapes.

source "$(dirname "$0")/lib/datapath.sh"
require_plink
setup_ns P C || exit $ksft_fail

dp_provider "$P"
dp_target "$P" t1 10.0.0.1
plinkctl -n "$P" service add web dev nlb0 addr 10.0.0.200 \
	listener tcp:80:8080 acceptance auto allow any
plinkctl -n "$P" target add web 10.0.0.1
dp_consumer "$C"
ID=$(plinkctl -n "$C" endpoint add web dev pl0 addr 10.0.0.100)
js_reaches()
{
	dp_get "$C" 10.0.0.100 80 | grep -q '^t1 10\.0\.0\.200 '
}
slowwait 30 js_reaches
expect_match "setup: one connection through the endpoint" \
	"$(dp_get "$C" 10.0.0.100 80)" '^t1 10\.0\.0\.200 '

# What the report quotes: both sides' stats and devices.
for ns in "$P" "$C"; do
	echo "# $ns: plinkctl -j stats: $(plinkctl -n "$ns" -j stats)"
	plinkctl -n "$ns" dev show | sed "s/^/# $ns: plinkctl dev show: /"
done

# --- stats -j: one shape ----------------------------------------------------

shapes=
for args in "$P stats" "$P stats service web" "$C stats" \
	    "$C stats endpoint $ID" "$C stats dev pl0"; do
	set -- $args
	shapes+="$(plinkctl -n "$1" -j "${@:2}" | jq -c keys) "
done
expect_eq "stats -j: {services, endpoints} with or without a filter" \
	"$shapes" "$(printf '["endpoints","services"] %.0s' 1 2 3 4 5)"
expect_eq "stats -j service: the service and its target, by their keys" \
	"$(plinkctl -n "$P" -j stats service web | jq -c '[(.endpoints | length), (.services[0] | .name, (.stats.flows_new > 0), (.targets[0] | .target_addr, .target_port, (.stats.flows_new > 0)))]')" \
	'[0,"web",true,"10.0.0.1",0,true]'
expect_eq "stats -j in the consumer: its endpoint counted, no provider's service" \
	"$(plinkctl -n "$C" -j stats | jq -c --arg id "$ID" '[(.services | length), (.endpoints | length), .endpoints[0].id == $id, .endpoints[0].stats.flows_new > 0]')" \
	'[0,1,true,true]'
expect_eq "stats in the consumer: no row of the provider's service" \
	"$(plinkctl -n "$C" stats | grep -c '^web ')" 0

# --- one key per fact -------------------------------------------------------

expect_eq "service show -j: nlb_addrs, listener_port, n_targets, n_endpoints" \
	"$(plinkctl -n "$P" -j service show web | jq -c '.[0] | [.dev, .nlb_addrs, .listeners[0].listener_port, .n_targets, .n_endpoints, has("addrs"), has("targets"), has("endpoints")]')" \
	'["nlb0",["10.0.0.200"],80,1,1,false,false,false]'
expect_eq "target show -j: target_addr, target_port" \
	"$(plinkctl -n "$P" -j target show web | jq -c '.[0] | [.target_addr, .target_port, has("addr"), has("port")]')" \
	'["10.0.0.1",0,false,false]'
expect_eq "endpoint show -j: endpoint_addrs, service_owner_uid" \
	"$(plinkctl -n "$C" -j endpoint show "$ID" | jq -c '.[0] | [.dev, .endpoint_addrs, .service_owner_uid, has("addrs")]')" \
	'["pl0",["10.0.0.100"],0,false]'
expect_eq "flow show -j: each side's *_addr and *_port" \
	"$(plinkctl -n "$C" -j flow show | jq -c '.[0] | [.client_addr, .endpoint_addr, .endpoint_port]')/$(plinkctl -n "$P" -j flow show | jq -c '.[0] | [.nlb_addr, .target_addr, .target_port]')" \
	'["10.0.0.5","10.0.0.100",80]/["10.0.0.200","10.0.0.1",8080]'

# --- -s: counters on show ---------------------------------------------------

expect_eq "-s -j: the counters of a service, a target, an endpoint" \
	"$(plinkctl -n "$P" -s -j service show web | jq '.[0].stats.flows_new > 0') $(plinkctl -n "$P" -s -j target show web | jq '.[0].stats | has("checks")') $(plinkctl -n "$C" -s -j endpoint show "$ID" | jq '.[0].stats.flows_new > 0')" \
	"true true true"
expect_eq "-s -j in the consumer: the provider's counters are null, not 0" \
	"$(plinkctl -n "$C" -s -j service show web | jq -c '.[0].stats')" null
expect_match "-s: a stats line under the service" \
	"$(plinkctl -n "$P" -s service show web)" \
	'^    stats fwd-packets [1-9][0-9]* fwd-bytes [1-9][0-9]* rev-packets '
expect_eq "without -s: no counters" \
	"$(plinkctl -n "$P" -j service show web | jq '.[0] | has("stats")') $(plinkctl -n "$P" service show web | grep -c stats)" \
	"false 0"

# --- dev show names the endpoint and the service ----------------------------

expect_match "dev show: the consumer's device names its endpoint" \
	"$(plinkctl -n "$C" dev show pl0)" "^pl0 +[0-9]+ +endpoint $ID \\(web\\)\$"
expect_match "dev show: the NLB device names its service" \
	"$(plinkctl -n "$P" dev show nlb0)" '^nlb0 +[0-9]+ +nlb web$'
expect_eq "dev show -j: dev, and what the device carries" \
	"$(plinkctl -n "$C" -j dev show | jq -c '.[0] | [.dev, .binding, .endpoints, .services]')/$(plinkctl -n "$P" -j dev show | jq -c '.[0] | [.dev, .binding, .endpoints, .services]')" \
	"[\"pl0\",\"endpoint\",[{\"id\":\"$ID\",\"service\":\"web\"}],[]]/[\"nlb0\",\"nlb\",[],[{\"name\":\"web\"}]]"
expect_eq "-p: the same document, indented as jq indents it" \
	"$(plinkctl -n "$C" -p dev show)" "$(plinkctl -n "$C" -j dev show | jq .)"

exit "$EXIT_STATUS"
