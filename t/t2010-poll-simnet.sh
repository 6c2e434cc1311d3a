#!/bin/sh
# extranoc poll on the simulated extranet (t/simnet: a namespace and a real
# snmpd per node of the sample county): every node answers with its own
# sysName, and the ifName, ifAlias and oper status of every link end are
# what the inventory implies, read from the inventory itself, not from a
# copy; a link taken down shows oper down at both ends and admin down at the
# A end; a stopped node is a timeout (exit 1) and answers again once started.
test_description='extranoc poll on the simulated extranet'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
. "$top_srcdir/t/simnet/lib-simnet.sh"

inv_q () {
	jq -r ".[\"extranoc-inventory:inventory\"] | $1" "$SIMNET_INVENTORY"
}

# poll NODE [OPTION...]: refuses any address not routed through this
# test's own bridge, as lib-simnet.sh's queries do.
poll () {
	_p_node=$1; shift
	_p_addr=$(simnet_addr "$_p_node") || return 1
	ip -4 -o route get "$_p_addr" | grep -q " dev $SIMNET_PREFIX-br " ||
		{ echo "refusing to poll $_p_addr: not routed through $SIMNET_PREFIX-br"; return 1; }
	extranoc poll -c "$SIMNET_INVENTORY" -c "$SIMNET_STATE/secrets.json" "$@" "$_p_node"
}

# if_field NODE IFNAME FIELD: one interface's field from a fresh --json poll.
if_field () {
	poll "$1" --json >"if-$1.json" &&
	jq -r --arg n "$2" ".interfaces[] | select(.name == \$n) | .$3" "if-$1.json"
}

field_is () { [ "$(if_field "$1" "$2" "$3")" = "$4" ]; }

simnet_up "$top_srcdir/data/sample-county.json"

test_expect_success 'simnet up builds the sample county' '
	test "$simnet_up_status" -eq 0 || { cat "$TRASH_DIRECTORY/simnet-up.log"; false; }
'

test_expect_success 'every node answers extranoc poll with its own sysName' '
	inv_q ".node[] | .name" >nodes &&
	test "$(wc -l <nodes)" -eq 9 &&
	while read -r node; do
		poll "$node" --json >"$node.json" || { echo "$node: exit $?"; false; }
		jq -e --arg n "$node" ".result == \"ok\" and .sys_name == \$n and .used_getnext == false and
			(.interfaces | length) >= 2" "$node.json" >/dev/null || { cat "$node.json"; false; }
	done <nodes
'

test_expect_success 'every link end has the ifName and ifAlias the inventory implies, and is up' '
	inv_q ".link[] | . as \$l
		| ([\$l.id, (\$l.\"circuit-id\" // empty)] | join(\" \")) as \$head
		| (\$l.\"a-end\".node + \"\t\" + \$l.\"a-end\".interface + \"\tup\t\" + \$head + \" to \"
			+ (\$l.\"z-end\".node // \"cpe\") + \" \" + \$l.\"z-end\".interface),
		  (select(\$l.\"z-end\".node) | \$l.\"z-end\".node + \"\t\" + \$l.\"z-end\".interface + \"\tup\t\"
			+ \$head + \" to \" + \$l.\"a-end\".node + \" \" + \$l.\"a-end\".interface)" |
		sort >expect &&
	test "$(wc -l <expect)" -eq 20 &&
	while read -r node; do
		jq -r --arg n "$node" ".interfaces[] | select(.name != \"lo\" and .name != \"mgmt0\")
			| [\$n, .name, .oper_status, .alias] | @tsv" "$node.json"
	done <nodes | sort >actual &&
	test_cmp expect actual
'

test_expect_success 'the text form lists the same interfaces' '
	poll city-core >out &&
	grep "^city-core ($(simnet_addr city-core):161) answered SNMPv2c" out &&
	grep " ge-0-0-1 .* up .* L-city-dong DX-SAMPLE-0001 to dong-core ge-0-0-0$" out
'

test_expect_success 'link-down: oper down at both ends, admin down at the A end' '
	simnet link-down L-city-dong &&
	test_wait_for 15 field_is city-core ge-0-0-1 oper_status down &&
	test_wait_for 15 field_is dong-core ge-0-0-0 oper_status down &&
	field_is city-core ge-0-0-1 admin_status down &&
	field_is dong-core ge-0-0-0 admin_status up &&
	field_is city-core ge-0-0-2 oper_status up
'

test_expect_success 'link-up: both ends up again' '
	simnet link-up L-city-dong &&
	test_wait_for 15 field_is city-core ge-0-0-1 oper_status up &&
	test_wait_for 15 field_is dong-core ge-0-0-0 oper_status up
'

test_expect_success 'a stopped node times out with exit 1; started, it answers' '
	simnet node-stop taohua &&
	test_exit_code 1 poll taohua 2>err &&
	cat err &&
	grep "^extranoc poll: taohua ($(simnet_addr taohua):161): no answer to SNMPv2c after" err &&
	simnet node-start taohua &&
	poll taohua >out &&
	grep "^taohua .* answered" out
'

# Down before the scratch directory goes, which holds the simnet's state.
simnet_keep_logs
simnet down >/dev/null 2>&1
test_done
