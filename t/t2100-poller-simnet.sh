#!/bin/sh
# extranoc-poller on the simulated extranet (t/simnet: a namespace and a real
# snmpd per node of the sample county, every node polled every 10 s): the
# first polls re-assert all 9 nodes and their link interfaces in the journal;
# a link taken down gives interface.down (and admin-down at the A end), and
# up again interface.up; a stopped node gives node.unreachable dated at its
# first failed poll, and started again node.reachable and node.rebooted
# (snmpd restarted, sysUpTime reset) with no counter spike in RRD; the RRD
# files of nodes and interfaces hold data; SIGTERM stops it with status 0
# at once; started again, it re-asserts every node. Waits are bounded polls
# of the journal, never fixed sleeps.
test_description='extranoc-poller on the simulated extranet'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
. "$top_srcdir/t/simnet/lib-simnet.sh"

# The sample county, every node polled every 10 s (the YANG minimum).
jq '.["extranoc-inventory:inventory"].node[].snmp."poll-interval" = 10' \
	"$top_srcdir/data/sample-county.json" >county-fast.json || {
	echo "Bail out! cannot rewrite the sample inventory with jq"
	exit 1
}
simnet_up "$TRASH_DIRECTORY/county-fast.json"

cat >extranoc.conf <<EOF
[extranoc]
config = $SIMNET_INVENTORY; $SIMNET_STATE/secrets.json
journal = journal.db
log-level = info
[poller]
rrd-dir = rrd
failing-repoll = 5
EOF

. "$top_srcdir/t/lib-poller.sh"

poller_exited () { test -s poller.status; }

facts () {
	extranoc journal export --db journal.db >facts.json.tmp && mv facts.json.tmp facts.json
}

# count FILTER: how many facts after $after_seq (0 unless set) match the jq filter.
after_seq=0
count () {
	facts && jq -s --argjson after "$after_seq" "[.[] | select(.seq > \$after) | select($1)] | length" facts.json
}

# has_fact FILTER: at least one such fact.
has_fact () { [ "$(count "$1")" -ge 1 ]; }

# reasserted: all 9 nodes re-asserted reachable, and the 20 link ends up.
reasserted () {
	[ "$(count '.kind == "node.reachable" and .attrs.reassert')" -eq 9 ] &&
	[ "$(count '.kind == "interface.up" and .attrs.reassert')" -eq 20 ]
}

# max_seq: the last seq of the journal as last exported.
max_seq () { jq -s 'map(.seq) | max // 0' facts.json; }

# last_update FILE: "TIME VALUE..." of the RRD file's last update (U: unknown).
last_update () { rrdtool lastupdate "$1" | sed -n 's/^\([0-9]*\): /\1 /p'; }

# updated_since FILE T: the file's last update is at T (epoch s) or later.
updated_since () {
	_t=$(last_update "$1" | cut -d" " -f1) && [ -n "$_t" ] && [ "$_t" -ge "$2" ]
}

epoch () { jq -rn --arg t "$1" '$t | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601'; }

test_expect_success 'simnet up builds the sample county' '
	test "$simnet_up_status" -eq 0 || { cat "$TRASH_DIRECTORY/simnet-up.log"; false; }
'

start_poller

test_expect_success 'the poller starts and says what it polls' '
	test_wait_for 10 grep -q "started with" poller.log &&
	grep "started with .*extranoc.conf: 9 nodes in group default; journal .*journal.db; RRD files in .*rrd;" poller.log
'

test_expect_success 'the first polls re-assert all 9 nodes and the 20 link ends up' '
	test_wait_for 30 reasserted &&
	[ "$(count "true")" -eq 29 ] &&
	jq -s -e "all(.[]; .source == \"poller\" and .attrs.reassert)" facts.json
'

test_expect_success 'link-down: interface.down at the Z end, admin-down at the A end' '
	after_seq=$(max_seq) &&
	simnet link-down L-city-dong &&
	test_wait_for 30 has_fact ".kind == \"interface.down\" and .subject == \"interface/dong-core/ge-0-0-0\"" &&
	test_wait_for 15 has_fact ".kind == \"interface.admin-down\" and .subject == \"interface/city-core/ge-0-0-1\"" &&
	jq -s -e "map(select(.subject == \"interface/dong-core/ge-0-0-0\" and .seq > $after_seq))[0]
		| .attrs.link == \"L-city-dong\" and .attrs.oper_status != \"up\" and .attrs.reassert == false" facts.json
'

test_expect_success 'link-up: interface.up at both ends' '
	after_seq=$(max_seq) &&
	simnet link-up L-city-dong &&
	test_wait_for 30 has_fact ".kind == \"interface.up\" and .subject == \"interface/dong-core/ge-0-0-0\"" &&
	test_wait_for 15 has_fact ".kind == \"interface.up\" and .subject == \"interface/city-core/ge-0-0-1\""
'

test_expect_success 'node-stop: node.unreachable dated at the first failed poll' '
	after_seq=$(max_seq) &&
	stopped_at=$(date +%s) &&
	simnet node-stop taohua &&
	test_wait_for 45 has_fact ".kind == \"node.unreachable\" and .subject == \"node/taohua\"" &&
	jq -s -c "map(select(.kind == \"node.unreachable\" and .seq > $after_seq))[0]" facts.json >unreachable.json &&
	cat unreachable.json &&
	jq -e ".attrs.failures == 2 and .attrs.result == \"timeout\" and .attrs.reassert == false" unreachable.json &&
	ts=$(epoch "$(jq -r .ts unreachable.json)") &&
	recorded=$(epoch "$(jq -r .recorded unreachable.json)") &&
	# the first failed poll came after the stop, and the one that confirmed
	# it at least failing-repoll (5 s) after that one ended
	[ "$ts" -ge "$stopped_at" ] && [ $((recorded - ts)) -ge 5 ] &&
	# and RRD has it unreachable
	test_wait_for 5 updated_since rrd/taohua/node.rrd "$ts" &&
	last_update rrd/taohua/node.rrd | awk "{ exit !(\$2 == \"0\") }" &&
	grep "warning: node taohua ($(simnet_addr taohua):161) is failing: no answer to SNMPv2c" poller.log
'

test_expect_success 'node-start: node.reachable and node.rebooted (snmpd restarted)' '
	after_seq=$(max_seq) &&
	simnet node-start taohua &&
	test_wait_for 20 has_fact ".kind == \"node.reachable\" and .subject == \"node/taohua\"" &&
	# the update of that poll, before the next one (at least 5 s later)
	ts=$(epoch "$(jq -s -r "map(select(.kind == \"node.reachable\" and .seq > $after_seq))[0].ts" facts.json)") &&
	test_wait_for 3 updated_since rrd/taohua/if-ge-0-0-0.rrd "$ts" &&
	last_update rrd/taohua/if-ge-0-0-0.rrd >"$TRASH_DIRECTORY/if-after-restart" &&
	last_update rrd/taohua/node.rrd >"$TRASH_DIRECTORY/node-after-restart" &&
	echo "$ts" >"$TRASH_DIRECTORY/restarted-at" &&
	test_wait_for 5 has_fact ".kind == \"node.rebooted\" and .subject == \"node/taohua\"" &&
	has_fact ".kind == \"node.reachable\" and .attrs.failures >= 2 and .attrs.reassert == false" &&
	grep "notice: node taohua ($(simnet_addr taohua):161) answers again after [0-9]* failed polls" poller.log
'

# small FILE: the last update holds six numbers, none absurd for a link no
# one sends traffic on (a counter reset read as a rate is gigabytes per
# second, 2^64 octets a lot more; 10 MB/s is already absurd here).
small () {
	last_update "$1" | awk '{ if (NF != 7) exit 1; for (i = 2; i <= NF; i++) if ($i !~ /^[0-9.e+-]+$/ || $i + 0 >= 1e7) exit 1 }'
}

test_expect_success 'RRD: files for nodes and interfaces, no spike across the restart, data again' '
	for n in city-core dong-core taohua shiban; do
		test -f "rrd/$n/node.rrd" || { echo "no rrd/$n/node.rrd"; false; }
	done &&
	test -f rrd/city-core/if-ge-0-0-1.rrd && test -f rrd/dong-core/if-ge-0-0-0.rrd &&
	test -f rrd/taohua/if-ge-0-0-0.rrd && test -f rrd/taohua/if-mgmt0.rrd &&
	rrdtool info rrd/taohua/if-ge-0-0-0.rrd | grep -x "step = 10" &&
	restarted=$(cat restarted-at) &&
	cat if-after-restart node-after-restart &&
	# the first poll after the restart: reachable, and every rate unknown
	# (sysUpTime was reset: the counters may have been too)
	awk -v t="$restarted" "{ exit !(\$1 == t && \$2 == 1) }" node-after-restart &&
	awk -v t="$restarted" "{ u = 0; for (i = 2; i <= NF; i++) u += \$i == \"U\"; exit !(\$1 == t && NF == 7 && u == 6) }" if-after-restart &&
	# the next: rates again, small ones
	test_wait_for 15 updated_since rrd/taohua/if-ge-0-0-0.rrd $((restarted + 1)) &&
	for f in rrd/taohua/if-*.rrd rrd/dong-core/if-*.rrd rrd/city-core/if-ge-0-0-1.rrd; do
		test_wait_for 15 updated_since "$f" $((restarted + 1)) &&
		echo "$f: $(last_update "$f")" &&
		small "$f" || { echo "$f: not six small rates"; false; }
	done
'

test_expect_success 'SIGTERM: status 0, at once' '
	kill -TERM "$poller_pid" &&
	test_wait_for 12 poller_exited &&
	[ "$(cat poller.status)" -eq 0 ] &&
	tail -n 1 poller.log | grep -x "extranoc-poller: notice: stopped"
'

facts
after_seq=$(max_seq)
start_poller

test_expect_success 'restarted, it re-asserts every node' '
	test_wait_for 30 reasserted &&
	kill -TERM "$poller_pid" &&
	test_wait_for 12 poller_exited &&
	[ "$(cat poller.status)" -eq 0 ]
'

test_expect_success 'no warning but those of the stopped node' '
	! grep ": warning: " poller.log | grep -v "node taohua"
'

test_done
