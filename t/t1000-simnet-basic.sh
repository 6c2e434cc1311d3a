#!/bin/sh
# The simulated extranet itself: t/simnet/simnet brings the sample county up
# (one namespace and one real Net-SNMP snmpd per node, one veth pair per link),
# every node answers SNMP from the root namespace with the system group and
# IF-MIB the inventory implies, a link taken down shows ifOperStatus down at
# both ends, a stopped node stops answering and comes back, a second up is
# refused, a failing up and `down` leave nothing behind, and a host without
# namespace rights gets exit status 77 and a clear reason.
test_description='simnet: the simulated extranet'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
. "$top_srcdir/t/simnet/lib-simnet.sh"

OID_SYSDESCR=.1.3.6.1.2.1.1.1.0
OID_SYSUPTIME=.1.3.6.1.2.1.1.3.0
OID_SYSNAME=.1.3.6.1.2.1.1.5.0
OID_SYSLOCATION=.1.3.6.1.2.1.1.6.0
OID_IFADMINSTATUS=.1.3.6.1.2.1.2.2.1.7
OID_IFOPERSTATUS=.1.3.6.1.2.1.2.2.1.8
OID_IFNAME=.1.3.6.1.2.1.31.1.1.1.1
OID_IFALIAS=.1.3.6.1.2.1.31.1.1.1.18

inv_q () {
	jq -r ".[\"extranoc-inventory:inventory\"] | $1" "$SIMNET_INVENTORY"
}

# if_index NODE IFNAME: the ifIndex the node's agent reports for IFNAME.
if_index () {
	snmp_walk "$1" $OID_IFNAME |
	awk -v want="\"$2\"" '$2 == want { n = split($1, o, "."); print o[n]; f = 1 } END { exit !f }'
}

# if_status_is NODE IFNAME OID-COLUMN VALUE
if_status_is () {
	_idx=$(if_index "$1" "$2") &&
	[ "$(snmp_get "$1" "$3.$_idx")" = "$4" ]
}

# if_table NODE: "NODE IFNAME OPER ALIAS" for every interface but lo and mgmt0,
# joined on ifIndex from three walks.
if_table () {
	snmp_walk "$1" $OID_IFNAME >names && snmp_walk "$1" $OID_IFALIAS >aliases &&
	snmp_walk "$1" $OID_IFOPERSTATUS >oper &&
	awk -v node="$1" '
		function idx(oid,  o, n) { n = split(oid, o, "."); return o[n] }
		function val(line) { line = substr(line, index(line, " ") + 1); gsub(/^"|"$/, "", line); return line }
		FILENAME == "names" { name[idx($1)] = val($0) }
		FILENAME == "aliases" { alias[idx($1)] = val($0) }
		FILENAME == "oper" { oper[idx($1)] = val($0) }
		END { for (i in name) if (name[i] != "lo" && name[i] != "mgmt0")
			print node, name[i], oper[i], alias[i] }' names aliases oper
}

simnet_up "$top_srcdir/data/sample-county.json"

test_expect_success 'simnet up builds the sample county' '
	test "$simnet_up_status" -eq 0 || { cat "$TRASH_DIRECTORY/simnet-up.log"; false; }
'

test_expect_success 'simnet nodes lists every inventory node with its namespace and address' '
	inv_q ".node[] | [.name, \"$SIMNET_PREFIX-\" + .name, .\"management-address\"] | @tsv" >expect &&
	test "$(wc -l <expect)" -eq 9 &&
	simnet nodes >actual &&
	test_cmp expect actual
'

test_expect_success 'secrets.json holds the generated community in the agreed shape, mode 0600' '
	test "$(stat -c %a "$SIMNET_STATE/secrets.json")" = 600 &&
	jq -e "keys == [\"extranoc-secrets:secrets\"] and
		(.[\"extranoc-secrets:secrets\"] | keys == [\"snmp-community\"]) and
		(.[\"extranoc-secrets:secrets\"][\"snmp-community\"] | length == 1) and
		(.[\"extranoc-secrets:secrets\"][\"snmp-community\"][0] | keys == [\"community\", \"name\"]) and
		(.[\"extranoc-secrets:secrets\"][\"snmp-community\"][0].name == \"simnet-v2c\") and
		(.[\"extranoc-secrets:secrets\"][\"snmp-community\"][0].community | test(\"^[0-9a-f]{24}$\"))" \
		"$SIMNET_STATE/secrets.json"
'

test_expect_success 'every node answers with its sysName, sysLocation (Chinese intact) and sysDescr' '
	inv_q ".node[] | .name" >nodes &&
	while read -r node; do
		[ "$(snmp_get "$node" $OID_SYSNAME)" = "\"$node\"" ] ||
			{ echo "$node: sysName $(snmp_get "$node" $OID_SYSNAME)"; false; }
		site=$(inv_q ".node[] | select(.name == \"$node\") | .site")
		loc=$(inv_q ".site[] | select(.name == \"$site\") | .\"display-name\" + (if .address then \" (\" + .address + \")\" else \"\" end)")
		[ "$(snmp_get_hex "$node" $OID_SYSLOCATION)" = "$(hex_of "$loc")" ] ||
			{ echo "$node: sysLocation is not \"$loc\""; false; }
		role=$(inv_q ".node[] | select(.name == \"$node\") | .role")
		case $(snmp_get_hex "$node" $OID_SYSDESCR) in
		*"$(hex_of "extranoc simnet $role node $node")"*) ;;
		*) echo "$node: sysDescr lacks the role"; false ;;
		esac
		snmp_get "$node" $OID_SYSUPTIME | grep -q "^[0-9:.]*$"
	done <nodes
'

test_expect_success 'every link end has its ifName and ifAlias and is up; nothing else is there' '
	inv_q ".link[] | . as \$l
		| ([\$l.id, (\$l.\"circuit-id\" // empty)] | join(\" \")) as \$head
		| (\$l.\"a-end\".node + \" \" + \$l.\"a-end\".interface + \" 1 \" + \$head + \" to \"
			+ (\$l.\"z-end\".node // \"cpe\") + \" \" + \$l.\"z-end\".interface),
		  (select(\$l.\"z-end\".node) | \$l.\"z-end\".node + \" \" + \$l.\"z-end\".interface + \" 1 \"
			+ \$head + \" to \" + \$l.\"a-end\".node + \" \" + \$l.\"a-end\".interface)" |
		sort >expect &&
	test "$(wc -l <expect)" -eq 20 &&
	: >actual &&
	while read -r node; do if_table "$node" >>actual; done <nodes &&
	sort -o actual actual &&
	test_cmp expect actual
'

test_expect_success 'a wrong community gets no answer' '
	addr=$(simnet_addr city-core) &&
	ip -4 -o route get "$addr" | grep -q " dev $SIMNET_PREFIX-br " &&
	test_must_fail snmpget -v2c -c not-the-community -t 0.3 -r 0 "$addr" $OID_SYSNAME
'

test_expect_success 'link-down: ifOperStatus goes down at both ends, ifAdminStatus at the A end only' '
	simnet link-down L-city-dong &&
	test_wait_for 15 if_status_is city-core ge-0-0-1 $OID_IFOPERSTATUS 2 &&
	test_wait_for 15 if_status_is dong-core ge-0-0-0 $OID_IFOPERSTATUS 2 &&
	if_status_is city-core ge-0-0-1 $OID_IFADMINSTATUS 2 &&
	if_status_is dong-core ge-0-0-0 $OID_IFADMINSTATUS 1 &&
	if_status_is city-core ge-0-0-2 $OID_IFOPERSTATUS 1 &&
	simnet status | grep "^link L-city-dong  *down$"
'

test_expect_success 'link-up: both ends come back up' '
	simnet link-up L-city-dong &&
	test_wait_for 15 if_status_is city-core ge-0-0-1 $OID_IFOPERSTATUS 1 &&
	test_wait_for 15 if_status_is dong-core ge-0-0-0 $OID_IFOPERSTATUS 1 &&
	if_status_is city-core ge-0-0-1 $OID_IFADMINSTATUS 1
'

test_expect_success 'an unknown link or node is an error' '
	test_must_fail simnet link-down L-no-such-link 2>err &&
	grep "no link L-no-such-link" err &&
	test_must_fail simnet node-stop no-such-node 2>err &&
	grep "no node no-such-node" err
'

test_expect_success 'node-stop: the node no longer answers, its neighbours still do' '
	snmp_get taohua $OID_SYSUPTIME >uptime-before &&
	simnet node-stop taohua &&
	test_must_fail snmp_get taohua $OID_SYSNAME >out 2>&1 &&
	grep "^Timeout" out &&
	snmp_get dong-core $OID_SYSNAME &&
	simnet status | grep "^node taohua .* mgmt0 down  *snmpd stopped$"
'

test_expect_success 'node-start: it answers again, freshly restarted' '
	simnet node-start taohua &&
	[ "$(snmp_get taohua $OID_SYSNAME)" = "\"taohua\"" ] &&
	ticks() { echo "$1" | awk -F: "{ print ((\$1 * 24 + \$2) * 60 + \$3) * 60 + \$4 }"; } &&
	before=$(ticks "$(cat uptime-before)") && after=$(ticks "$(snmp_get taohua $OID_SYSUPTIME)") &&
	echo "sysUpTime before $before s, after $after s" &&
	awk -v a="$after" -v b="$before" "BEGIN { exit !(a < b) }"
'

test_expect_success 'simnet exec runs inside the node namespace' '
	simnet exec city-core ip -o -4 addr show dev mgmt0 >out &&
	grep " $(simnet_addr city-core)/24 " out
'

test_expect_success 'a second up is refused and the running simnet is untouched' '
	test_must_fail simnet up "$SIMNET_INVENTORY" --prefix "$SIMNET_PREFIX" 2>err &&
	grep "already up" err &&
	test_must_fail simnet --state "$TRASH_DIRECTORY/other" up "$SIMNET_INVENTORY" --prefix "$SIMNET_PREFIX" 2>err &&
	grep "prefix $SIMNET_PREFIX is already in use" err &&
	test ! -e "$TRASH_DIRECTORY/other" &&
	[ "$(snmp_get city-core $OID_SYSNAME)" = "\"city-core\"" ]
'

test_expect_success 'down leaves nothing: no namespaces, interfaces, routes, snmpd or state' '
	cat "$SIMNET_STATE"/nodes/*/snmpd.pid >pids &&
	test "$(wc -l <pids)" -eq 9 &&
	simnet_keep_logs &&
	simnet down &&
	test -z "$(ip netns list | grep "^$SIMNET_PREFIX-")" &&
	test -z "$(ip -o link show | grep ": $SIMNET_PREFIX-")" &&
	test -z "$(ip -4 route show to match "$SIMNET_NET.1" | grep -v "^default")" &&
	while read -r pid; do
		if simnet_pid_alive "$pid"; then echo "snmpd $pid still runs"; false; fi
	done <pids &&
	test ! -e "$SIMNET_STATE" &&
	test_exit_code 3 simnet status &&
	simnet down >out && grep "nothing to tear down" out
'

test_expect_success 'an up that fails midway removes what it made' '
	mkdir -p failing &&
	real=$(command -v snmpd) &&
	cat >failing/snmpd <<-EOF &&
	#!/bin/sh
	# test double: the real snmpd, except that node shiban fails to start
	# as an snmpd does when it cannot open its endpoint
	for a; do case \$a in */nodes/shiban/snmpd.conf)
		echo "Error opening specified endpoint" >&2; exit 1 ;; esac; done
	exec "$real" "\$@"
	EOF
	chmod +x failing/snmpd &&
	test_must_fail env PATH="$TRASH_DIRECTORY/failing:$PATH" "$SIMNET" \
		up "$SIMNET_INVENTORY" --prefix "$SIMNET_PREFIX" 2>err &&
	cat err &&
	grep "shiban" err && grep "removing what it made" err &&
	test -z "$(ip netns list | grep "^$SIMNET_PREFIX-")" &&
	test -z "$(ip -o link show | grep ": $SIMNET_PREFIX-")" &&
	test -z "$(pgrep -f -- "$SIMNET_STATE/nodes/" || true)" &&
	test ! -e "$SIMNET_STATE"
'

if command -v setpriv >/dev/null 2>&1; then
	test_expect_success 'without namespace rights: exit 77 and a clear reason, nothing made' '
		test_exit_code 77 setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all -- \
			"$SIMNET" --state "$TRASH_DIRECTORY/nocaps" up "$SIMNET_INVENTORY" \
			--prefix "$SIMNET_PREFIX" 2>err &&
		cat err &&
		grep "^simnet: cannot create network namespaces: .*; run as root with CAP_NET_ADMIN" err &&
		test ! -e "$TRASH_DIRECTORY/nocaps" &&
		test -z "$(ip netns list | grep "^$SIMNET_PREFIX-")"
	'
else
	test_skip 'without namespace rights: exit 77 and a clear reason' 'setpriv (util-linux) not installed'
fi

test_done
