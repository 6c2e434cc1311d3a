#!/bin/sh
# extranoc-collector as operators run it: SIGHUP with a broken inventory is
# logged and intake goes on with the old configuration; SIGHUP with a node
# added, the community changed and new storm thresholds takes effect on the
# same socket (a trap from the new node is its own, the old community is
# refused); SIGHUP with a new trap address moves the socket. Another process
# holding the journal's write lock stalls nothing: the facts are kept and
# come in arrival order once it lets go, and the lock is logged once when it
# starts and once when it ends. SIGTERM in the middle of a burst of traps
# stops the collector within two seconds, and what it read is all in the
# journal: stored facts and the counts of the final storm summary add up to
# the traps it says it read.
test_description='extranoc-collector: reload, a busy journal, SIGTERM during a burst'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

TRAPGEN="$top_builddir/t/tools/trapgen"
if ! command -v snmptrap >/dev/null 2>&1 || ! command -v snmpinform >/dev/null 2>&1 ||
   ! command -v jq >/dev/null 2>&1 || ! test -x "$TRAPGEN" || ! /usr/bin/python3 -c "import sqlite3" 2>/dev/null; then
	test_skip_all "needs snmptrap and snmpinform (Debian snmp), jq, t/tools/trapgen and python3 with sqlite3"
fi
. "$top_srcdir/t/lib-collector.sh"

P=$(test_port 1)
P2=$(test_port 2)

# inventory NODE...: each NODE is NAME:ADDRESS.
inventory () {
	echo '{ "extranoc-inventory:inventory": {'
	echo '  "region": [ { "name": "lab-city", "level": "city" } ],'
	echo '  "site": [ { "name": "lab", "region": "lab-city", "sla-class": "core-room" } ],'
	echo '  "node": ['
	_sep=
	for _n in "$@"; do
		printf '%s    { "name": "%s", "role": "access", "site": "lab", "management-address": "%s",\n' \
			"$_sep" "${_n%%:*}" "${_n#*:}"
		printf '      "snmp": { "credential": "lab" } }'
		_sep=',
'
	done
	echo
	echo '  ] } }'
}

# secrets COMMUNITY
secrets () {
	( umask 077
	  echo "{ \"extranoc-secrets:secrets\": { \"snmp-community\": [ { \"name\": \"lab\", \"community\": \"$1\" } ] } }" >secrets.json )
}

inventory a:127.0.0.1 >inventory.json
secrets xn-t3020-one
cat >extranoc.conf <<EOF
[extranoc]
config = inventory.json; secrets.json
journal = journal.db
[collector]
listen = udp:127.0.0.1:$P
EOF

# reload: SIGHUP, then wait for what it says about it (after the log's current end).
reload () {
	_rl_lines=$(wc -l <collector.log)
	kill -HUP "$(cat collector.pid)" &&
	test_wait_for 10 reload_said "$_rl_lines"
}
reload_said () { tail -n +"$(( $1 + 1 ))" collector.log | grep -q -e "notice: reloaded" -e "reload failed"; }
since_reload () { tail -n +"$(( _rl_lines + 1 ))" collector.log; }

# The other writer: holds the journal's write lock from when it writes the
# file "locked" until the file "release" appears (a minute at most).
cat >hold-lock.py <<'EOF'
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN IMMEDIATE")
open("locked", "w").close()
deadline = time.monotonic() + 60
while not os.path.exists("release") and time.monotonic() < deadline:
    time.sleep(0.05)
db.execute("ROLLBACK")
EOF
test_atexit "touch '$TRASH_DIRECTORY/release'"

start_collector

test_expect_success 'a trap from 127.0.0.3 is from an unknown source' '
	snmptrap -v 2c -c xn-t3020-one --clientaddr=127.0.0.3 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.1 &&
	test_wait_for 5 has_fact "select(.kind == \"trap.unknown-source\" and .subject == \"source/127.0.0.3\")"
'

test_expect_success 'SIGHUP with a broken inventory: logged, intake goes on as before' '
	cp inventory.json good-inventory.json &&
	echo "{ broken" >inventory.json &&
	reload &&
	since_reload | grep "warning: reload failed, still running on the previous configuration: .*extranoc.conf: the configuration it names" &&
	since_reload | grep "warning:   .*/inventory.json:1: " &&
	cp good-inventory.json inventory.json &&
	snmptrap -v 2c -c xn-t3020-one 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.2 &&
	test_wait_for 5 has_fact "select(.subject == \"node/a\" and .attrs.trap_oid == \"1.3.6.1.4.1.99999.0.2\")"
'

test_expect_success 'SIGHUP with a node added, a new community and new thresholds: on the same socket' '
	inventory a:127.0.0.1 c:127.0.0.3 >inventory.json &&
	secrets xn-t3020-two &&
	sed -i "s/^listen.*/&\nstorm-rate = 50/" extranoc.conf &&
	reload &&
	since_reload | grep "notice: reloaded .*: listening on udp:127.0.0.1:$P; 2 nodes known by address; .*storms above 50 traps/s" &&
	! since_reload | grep "trap socket" &&
	snmptrap -v 2c -c xn-t3020-two --clientaddr=127.0.0.3 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.3 &&
	test_wait_for 5 has_fact "select(.subject == \"node/c\" and .attrs.trap_oid == \"1.3.6.1.4.1.99999.0.3\")" &&
	snmptrap -v 2c -c xn-t3020-one 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.4 &&
	test_wait_for 5 grep -q "trap from 127.0.0.1 (node a) refused, not recorded: wrong community" collector.log &&
	! has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.0.4\")"
'

test_expect_success 'SIGHUP with a new trap address: the socket moves' '
	sed -i "s/^listen.*/listen = udp:127.0.0.1:$P2/" extranoc.conf &&
	reload &&
	since_reload | grep "notice: trap socket udp:127.0.0.1:$P2: receive buffer" &&
	snmpinform -v 2c -c xn-t3020-two -t 1 -r 1 127.0.0.1:$P2 "" 1.3.6.1.4.1.99999.0.5 &&
	test_must_fail snmpinform -v 2c -c xn-t3020-two -t 0.3 -r 0 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.6 &&
	test_wait_for 5 has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.0.5\")"
'

test_expect_success 'a busy journal: facts are kept, come in order once it is free, logged once each way' '
	{ /usr/bin/python3 hold-lock.py journal.db & } &&
	test_wait_for 10 test -e locked &&
	for i in 1 2 3 4 5; do
		snmpinform -v 2c -c xn-t3020-two -t 1 -r 1 127.0.0.1:$P2 "" 1.3.6.1.4.1.99999.1.$i || exit 1
	done &&
	test_wait_for 5 grep -q "notice: .*journal.db.*another writer holds" collector.log &&
	! has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.1.1\")" &&
	touch release &&
	test_wait_for 10 has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.1.5\")" &&
	jq -s -r "map(select(.attrs.trap_oid // \"\" | startswith(\"1.3.6.1.4.1.99999.1.\")) | .attrs.trap_oid) | .[]" facts.json >actual &&
	printf "1.3.6.1.4.1.99999.1.%s\n" 1 2 3 4 5 >expect &&
	test_cmp expect actual &&
	test_wait_for 5 grep -q "notice: journal .*journal.db: appending again after" collector.log &&
	test $(grep -c "another writer holds" collector.log) = 1 &&
	test $(grep -c "appending again after" collector.log) = 1
'

test_expect_success 'SIGTERM during a burst: stops within two seconds, and what it read is in the journal' '
	before=$(facts && jq -s "map(.seq) | max" facts.json) &&
	prior_traps=$(count_facts ".kind | startswith(\"trap.\")") &&
	{ "$TRAPGEN" -v 2c -c xn-t3020-two -n 200000 -r 50000 -k linkflap --interfaces 4 --if-name ge \
		-s 127.0.0.1 127.0.0.1:$P2 >trapgen.out 2>&1 & } &&
	sender=$! &&
	test_wait_for 10 grep -q "warning: node/a is storming" collector.log &&
	# a second into the burst, tens of thousands of traps in
	sleep 1 &&
	t0=$(date +%s%N) &&
	kill -TERM $(cat collector.pid) &&
	test_wait_for 10 test -s collector.status &&
	t1=$(date +%s%N) &&
	{ wait $sender || :; } &&
	cat trapgen.out &&
	echo "stopped $(( (t1 - t0) / 1000000 )) ms after SIGTERM" &&
	test $(( (t1 - t0) / 1000000 )) -lt 2000 &&
	test "$(cat collector.status)" = 0 &&
	tail -n 4 collector.log &&
	totals=$(grep "notice: [0-9]* datagrams read:" collector.log) &&
	read_traps=$(echo "$totals" | sed "s/.*datagrams read: \([0-9]*\) traps and informs.*/\1/") &&
	stored=$(echo "$totals" | sed "s/.*(\([0-9]*\) stored as facts.*/\1/") &&
	counted=$(echo "$totals" | sed "s/.* \([0-9]*\) counted in storm summaries.*/\1/") &&
	appended=$(echo "$totals" | sed "s/.* \([0-9]*\) facts appended to the journal/\1/") &&
	test $(( stored + counted )) = $read_traps &&
	facts &&
	test $(count_facts ".source == \"collector\"") = $appended &&
	# the burst: its stored link facts and the counts of its summaries, the final one included
	burst_stored=$(count_facts ".seq > $before and (.kind == \"trap.link-down\" or .kind == \"trap.link-up\")") &&
	burst_counted=$(jq -s "map(select(.seq > $before and .subject == \"node/a\" and
		(.kind == \"trap.storm-summary\" or .kind == \"trap.storm-end\")) | .attrs.counted_period) | add" facts.json) &&
	test $(count_facts ".seq > $before and .kind == \"trap.storm-summary\" and .attrs.final") = 1 &&
	echo "burst: $(( read_traps - prior_traps )) read, $burst_stored stored, $burst_counted counted" &&
	test $(( burst_stored + burst_counted )) = $(( read_traps - prior_traps ))
'

test_done
