#!/bin/sh
# extranoc-poller as operators run it, against a real snmpd on 127.0.0.1,
# .2 and .4, a second one on .5 that the test stops and continues, and an
# address (127.0.0.3) where nothing listens: -n prints a good configuration
# normalised (known-good file) and the installed sample passes, and a bad
# extranoc.conf or inventory exits 1 with FILE:LINE messages; a node whose
# agent never answers is recorded unreachable and logged once however many
# polls fail; SIGHUP with a broken inventory is logged and polling goes on;
# SIGHUP with nodes added and one removed takes effect (and a new window is
# said to need a restart) and keeps what was said: the unreachable node stays
# one outage with its first start, nothing is re-asserted, the new nodes are
# stated; another process holding the journal's write lock stalls no poll,
# and the facts held back meanwhile come in order once it lets go; SIGTERM
# exits 0. Then, under prlimit: a hard descriptor limit below what 40 nodes
# need is named by -n and at start, and the nodes left without a socket are
# named once each and not recorded unreachable; a soft limit below the hard
# one is raised at start.
test_description='extranoc-poller: check, reload, failing node, busy journal, descriptors, stop'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

SNMPD=$(command -v snmpd || true)
if [ -z "$SNMPD" ] || ! command -v jq >/dev/null 2>&1 || ! command -v rrdtool >/dev/null 2>&1 ||
   ! command -v prlimit >/dev/null 2>&1 || ! /usr/bin/python3 -c "import sqlite3" 2>/dev/null; then
	test_skip_all "needs snmpd (Debian snmpd), jq, rrdtool, prlimit (util-linux) and python3 with sqlite3"
fi

P=$(test_port 1)
DEAD=$(test_port 2)
P2=$(test_port 3)
MIBS=:
SNMP_PERSISTENT_DIR="$TRASH_DIRECTORY/snmp-client"
export MIBS SNMP_PERSISTENT_DIR

# the agent also answers on 127.0.1.1 to .40, for the 40 nodes of the
# descriptor tests
fds_addresses=
for i in $(seq 1 40); do fds_addresses="$fds_addresses,udp:127.0.1.$i:$P"; done
mkdir -p persist
cat >snmpd.conf <<EOF
[snmp] persistentDir $TRASH_DIRECTORY/persist
agentAddress udp:127.0.0.1:$P,udp:127.0.0.2:$P,udp:127.0.0.4:$P$fds_addresses
sysName xn-t2110
rocommunity xn-t2110-community 127.0.0.0/8
EOF
"$SNMPD" -f -C -c "$TRASH_DIRECTORY/snmpd.conf" -Lf "$TRASH_DIRECTORY/snmpd.log" </dev/null >/dev/null 2>&1 &
SNMPD_PID=$!
test_atexit "kill $SNMPD_PID"

# node e's own agent, so that stopping it (SIGSTOP) takes e alone down
mkdir -p persist2
cat >snmpd2.conf <<EOF
[snmp] persistentDir $TRASH_DIRECTORY/persist2
agentAddress udp:127.0.0.5:$P2
sysName xn-t2110-e
rocommunity xn-t2110-community 127.0.0.0/8
EOF
"$SNMPD" -f -C -c "$TRASH_DIRECTORY/snmpd2.conf" -Lf "$TRASH_DIRECTORY/snmpd2.log" </dev/null >/dev/null 2>&1 &
SNMPD2_PID=$!
test_atexit "kill -CONT $SNMPD2_PID; kill $SNMPD2_PID"

# inventory NODE...: each NODE is NAME:ADDRESS:PORT; a link ends on a's lo
# when there is a node a.
inventory () {
	echo '{ "extranoc-inventory:inventory": {'
	echo '  "region": [ { "name": "lab-city", "level": "city" } ],'
	echo '  "site": [ { "name": "lab", "region": "lab-city", "sla-class": "core-room" } ],'
	echo '  "node": ['
	_sep=
	_link=
	for _n in "$@"; do
		_name=${_n%%:*} _rest=${_n#*:}
		[ "$_name" != a ] || _link=yes
		_addr=${_rest%%:*} _port=${_rest#*:}
		printf '%s    { "name": "%s", "role": "access", "site": "lab", "management-address": "%s",\n' "$_sep" "$_name" "$_addr"
		printf '      "snmp": { "credential": "lab", "port": %s, "timeout": 300, "retries": 0, "poll-interval": 10 } }' "$_port"
		_sep=',
'
	done
	echo
	if [ -n "$_link" ]; then
		echo '  ],'
		echo '  "link": [ { "id": "L-lab", "bandwidth": 1000, "a-end": { "node": "a", "interface": "lo" },'
		echo '              "z-end": { "interface": "cpe0" }, "sla-site": "lab" } ]'
	else
		echo '  ]'
	fi
	echo '} }'
}

inventory a:127.0.0.1:$P b:127.0.0.2:$P dead:127.0.0.3:$DEAD >inventory.json
(
	umask 077
	echo '{ "extranoc-secrets:secrets": { "snmp-community": [ { "name": "lab", "community": "xn-t2110-community" } ] } }' >secrets.json
)
cat >extranoc.conf <<EOF
# the poller of the lab
[extranoc]
config = inventory.json; secrets.json
journal = journal.db
[poller]
rrd-dir = rrd
failing-repoll = 5
EOF

. "$top_srcdir/t/lib-poller.sh"

facts () {
	extranoc journal export --db journal.db >facts.json.tmp && mv facts.json.tmp facts.json
}

# has_fact FILTER: a fact matches the jq filter.
has_fact () {
	facts && jq -s -e "any(.[]; $1)" facts.json >/dev/null
}

# last_update NODE: when the node's RRD file was last updated (epoch s).
last_update () {
	rrdtool lastupdate "rrd/$1/node.rrd" | sed -n 's/^\([0-9]*\):.*/\1/p'
}

# updated_after NODE T: the node's RRD file has an update after T.
updated_after () {
	_lu=$(last_update "$1") && [ -n "$_lu" ] && [ "$_lu" -gt "$2" ]
}

# count_facts SUBJECT: how many facts about SUBJECT facts.json holds.
count_facts () {
	jq -s "map(select(.subject == \"$1\")) | length" facts.json
}

max_seq () { facts && jq -s "map(.seq) | max // 0" facts.json; }

epoch () { jq -rn --arg t "$1" '$t | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601'; }

# gone PID: the process has exited.
gone () { ! kill -0 "$1" 2>/dev/null; }

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

test_expect_success 'snmpd answers on 127.0.0.1 and 127.0.0.5' '
	{ test_wait_for 10 snmpget -v2c -c xn-t2110-community -t 0.2 -r 0 127.0.0.1:$P .1.3.6.1.2.1.1.5.0 ||
	  { cat snmpd.log; false; }; } &&
	{ test_wait_for 10 snmpget -v2c -c xn-t2110-community -t 0.2 -r 0 127.0.0.5:$P2 .1.3.6.1.2.1.1.5.0 ||
	  { cat snmpd2.log; false; }; } &&
	# ours, not those of another run of this script that holds the ports
	{ kill -0 $SNMPD_PID || { cat snmpd.log; false; }; } &&
	{ kill -0 $SNMPD2_PID || { cat snmpd2.log; false; }; }
'

test_expect_success '-n prints the configuration normalised, and what it polls' '
	extranoc-poller -n -c "$TRASH_DIRECTORY/extranoc.conf" >check.out 2>check.err &&
	{ test ! -s check.err || { cat check.err; false; }; } &&
	sed "s|$TRASH_DIRECTORY|TRASH|g" check.out >check.actual &&
	test_cmp_golden "$top_srcdir/t/t2110-poller-ops.d/check.ok" check.actual &&
	# what it printed is a valid extranoc.conf that prints the same
	cp check.out again.conf &&
	extranoc-poller -n -c "$TRASH_DIRECTORY/again.conf" >again.out &&
	test_cmp check.out again.out
'

test_expect_success '-n accepts the installed sample extranoc.conf' '
	mkdir sample &&
	cp "$top_srcdir/data/extranoc.conf.sample" sample/extranoc.conf &&
	cp inventory.json sample/inventory.json &&
	cp "$top_srcdir/data/policy-default.json" sample/policy.json &&
	cp -p secrets.json sample/secrets.json &&
	extranoc-poller -n -c sample/extranoc.conf >sample.out &&
	tail -n 1 sample.out | grep -x "# 3 nodes in group default" &&
	grep -x "rrd-dir = /var/lib/extranoc/rrd" sample.out
'

test_expect_success '-n on a bad extranoc.conf: exit 1, every problem with its line' '
	printf "[extranoc]\nconfig = inventory.json\n[poller]\nwindow = 0\nrrd-dri = rrd\n" >bad.conf &&
	test_exit_code 1 extranoc-poller -n -c "$TRASH_DIRECTORY/bad.conf" >bad.out 2>bad.err &&
	cat bad.err &&
	test ! -s bad.out &&
	grep "bad.conf:4: \[poller\] window: .0. is not a whole number from 1 to 65536" bad.err &&
	grep "bad.conf:5: \[poller\] rrd-dri: unknown key" bad.err &&
	printf "[extranoc]\nconfig = inventory.json\n[poller]\nrrdcached = unix:/nowhere\n" >cached.conf &&
	test_exit_code 1 extranoc-poller -n -c "$TRASH_DIRECTORY/cached.conf" 2>cached.err &&
	grep "cached.conf: \[poller\] rrdcached: needs rrd-dir" cached.err
'

test_expect_success '-n on a bad inventory: exit 1, the inventory named with its line' '
	sed "0,/\"poll-interval\": 10/s//\"poll-interval\": 5/" inventory.json >bad-inventory.json &&
	! cmp -s inventory.json bad-inventory.json &&
	sed "s/inventory.json/bad-inventory.json/" extranoc.conf >bad-inv.conf &&
	test_exit_code 1 extranoc-poller -n -c "$TRASH_DIRECTORY/bad-inv.conf" 2>bad-inv.err &&
	cat bad-inv.err &&
	grep "^extranoc-poller: .*bad-inv.conf: the configuration it names: " bad-inv.err &&
	grep "bad-inventory.json:[0-9]*: .*poll-interval" bad-inv.err &&
	test_exit_code 2 extranoc-poller --no-such-option 2>usage.err &&
	grep "^usage: extranoc-poller" usage.err
'

start_poller

test_expect_success 'started: a and b re-asserted reachable, dead unreachable' '
	test_wait_for 30 has_fact ".kind == \"node.reachable\" and .subject == \"node/a\" and .attrs.reassert" &&
	test_wait_for 10 has_fact ".kind == \"node.reachable\" and .subject == \"node/b\" and .attrs.reassert" &&
	test_wait_for 10 has_fact ".kind == \"interface.up\" and .subject == \"interface/a/lo\"" &&
	test_wait_for 30 has_fact ".kind == \"node.unreachable\" and .subject == \"node/dead\"" &&
	grep "notice: started with .*extranoc.conf: 3 nodes in group default; journal .*journal.db; RRD files in .*rrd;" poller.log
'

test_expect_success 'an agent that never answers: unreachable, logged once over several failed polls' '
	jq -s -c "map(select(.kind == \"node.unreachable\" and .subject == \"node/dead\"))" facts.json >dead.json &&
	jq -e "length == 1 and (.[0].attrs | .failures == 2 and .result == \"timeout\" and .reassert)" dead.json &&
	first=$(epoch "$(jq -r ".[0].ts" dead.json)") &&
	# re-polled every 5 s: wait until a poll 20 s after the first failed
	# one, the fifth or so, has been recorded in RRD
	test_wait_for 40 updated_after dead $((first + 20)) &&
	rrdtool fetch rrd/dead/node.rrd AVERAGE -r 10 -s $((first - 10)) -e now |
		awk "NR > 2 && \$2 ~ /^[0-9]/ && \$2 + 0 > 0 { bad = 1 } END { exit bad }" &&
	[ "$(grep -c "node dead (127.0.0.3:$DEAD) is failing" poller.log)" -eq 1 ] &&
	grep "warning: node dead (127.0.0.3:$DEAD) is failing: no answer to SNMPv2c after 1 try of 300 ms" poller.log &&
	facts && [ "$(jq -s "map(select(.subject == \"node/dead\")) | length" facts.json)" -eq 1 ]
'

test_expect_success 'SIGHUP with a broken inventory: logged, polling goes on' '
	cp inventory.json good-inventory.json &&
	sed "s/\"role\": \"access\"/\"role\": \"acess\"/" good-inventory.json >inventory.json &&
	hup_at=$(date +%s) &&
	kill -HUP "$poller_pid" &&
	test_wait_for 10 grep -q "reload failed" poller.log &&
	grep "warning: reload failed, still running on the previous configuration: .*extranoc.conf: the configuration it names: " poller.log &&
	grep "^extranoc-poller: warning:   .*/inventory.json:[0-9]*: .*node\[name=.a.\]/role" poller.log &&
	test_wait_for 25 updated_after a "$hup_at" &&
	test_wait_for 25 updated_after b "$hup_at" &&
	kill -0 "$poller_pid"
'

test_expect_success 'SIGHUP adding c and e and removing b: what was said is kept, c and e are stated' '
	dead_ts=$(jq -r ".[0].ts" dead.json) &&
	inventory a:127.0.0.1:$P c:127.0.0.4:$P dead:127.0.0.3:$DEAD e:127.0.0.5:$P2 >inventory.json &&
	printf "window = 64\n" >>extranoc.conf &&
	kill -HUP "$poller_pid" &&
	test_wait_for 10 grep -q "reloaded .*extranoc.conf" poller.log &&
	grep "notice: reloaded .*extranoc.conf: 4 nodes in group default (2 added, 1 removed)" poller.log &&
	grep "window = 64 takes effect at the next start; 256 until then" poller.log &&
	reload_at=$(date +%s) &&
	test_wait_for 25 has_fact ".kind == \"node.reachable\" and .subject == \"node/c\" and .attrs.reassert" &&
	test_wait_for 25 has_fact ".kind == \"node.reachable\" and .subject == \"node/e\" and .attrs.reassert" &&
	# a and dead polled since the reload (a poll records its facts before
	# its RRD update) ...
	test_wait_for 25 updated_after a $((reload_at + 1)) &&
	test_wait_for 25 updated_after dead $((reload_at + 1)) &&
	facts &&
	# ... and re-asserted nothing: a and its link end were stated once, at
	# the start, and dead is still the one outage from its first failed poll
	[ "$(count_facts node/a)" -eq 1 ] &&
	[ "$(count_facts interface/a/lo)" -eq 1 ] &&
	jq -s -c "map(select(.subject == \"node/dead\"))" facts.json >dead-after.json &&
	jq -e --arg ts "$dead_ts" "length == 1 and .[0].kind == \"node.unreachable\" and .[0].ts == \$ts" dead-after.json &&
	b_last=$(last_update b) &&
	[ "$b_last" -le $((reload_at + 1)) ] &&
	test -f rrd/c/node.rrd &&
	[ "$(grep -c "node dead (127.0.0.3:$DEAD) is failing" poller.log)" -eq 1 ]
'

test_expect_success 'journal locked by another writer: polls go on, facts wait and come in order' '
	after_seq=$(max_seq) &&
	kill -STOP $SNMPD2_PID &&
	test_wait_for 15 grep -q "node e (127.0.0.5:$P2) is failing" poller.log &&
	{ /usr/bin/python3 hold-lock.py "$TRASH_DIRECTORY/journal.db" & } &&
	echo $! >holder.pid &&
	test_wait_for 10 test -f locked &&
	locked_at=$(date +%s) &&
	# the next failed poll confirms the outage while the lock is held ...
	test_wait_for 15 grep -q "info: node.unreachable node/e" poller.log &&
	test_wait_for 5 grep -q "notice: .*/journal.db: another writer holds the journal.s lock (waited 20 ms): 1 fact is kept in memory" poller.log &&
	kill -CONT $SNMPD2_PID &&
	# ... and the loop does not wait for the journal: the quick re-poll
	# finds e back, and a is polled on schedule
	test_wait_for 15 grep -q "info: node.reachable node/e" poller.log &&
	test_wait_for 15 updated_after a "$locked_at" &&
	[ "$(max_seq)" -eq "$after_seq" ] &&
	touch release &&
	test_wait_for 10 gone "$(cat holder.pid)" &&
	test_wait_for 10 grep -q "notice: journal .*/journal.db: appending again after [0-9.]* s; the 2 facts kept meanwhile are written" poller.log &&
	facts &&
	jq -s -c "map(select(.seq > $after_seq))" facts.json >while-locked.json &&
	cat while-locked.json &&
	jq -e "map(.kind + \" \" + .subject) == [\"node.unreachable node/e\", \"node.reachable node/e\"]" while-locked.json &&
	jq -e ".[1].attrs.failures >= 2 and .[0].ts < .[0].recorded and .[0].recorded < .[1].ts" while-locked.json &&
	# the re-poll came failing-repoll (5 s) after the poll that confirmed
	# the outage, not after a wait for the lock
	confirmed=$(epoch "$(jq -r ".[0].recorded" while-locked.json)") &&
	back=$(epoch "$(jq -r ".[1].ts" while-locked.json)") &&
	[ $((back - confirmed)) -le 7 ] &&
	[ "$(grep -c "another writer holds the journal" poller.log)" -eq 1 ] &&
	[ "$(grep -c "appending again after" poller.log)" -eq 1 ]
'

test_expect_success 'SIGTERM: exit 0' '
	kill -TERM "$poller_pid" &&
	test_wait_for 12 test -s poller.status &&
	[ "$(cat poller.status)" -eq 0 ] &&
	tail -n 1 poller.log | grep -x "extranoc-poller: notice: stopped"
'

# 40 nodes need 40 sockets and 64 descriptors more.
nodes=
for i in $(seq 1 40); do nodes="$nodes n$i:127.0.1.$i:$P"; done
inventory $nodes >fds-inventory.json
cat >fds.conf <<EOF
[extranoc]
config = fds-inventory.json; secrets.json
journal = fds.db
log-level = debug
EOF

# warned_nodes, answered_nodes: the nodes said to lack a descriptor, and
# those stated reachable, one per line, sorted.
warned_nodes () {
	sed -n "s/.*warning: node \(n[0-9]*\) (127.0.1.[0-9]*:$P) cannot be polled: .*/\1/p" fds.log | sort
}
answered_nodes () {
	extranoc journal export --db fds.db | jq -r "select(.kind == \"node.reachable\") | .subject | ltrimstr(\"node/\")" | sort
}
# fds_accounted: every node either answered or was said to lack a descriptor.
fds_accounted () {
	[ $(($(warned_nodes | wc -l) + $(answered_nodes | wc -l))) -eq 40 ]
}

test_expect_success '-n: a hard descriptor limit below what the nodes need is named' '
	prlimit --nofile=30:30 extranoc-poller -n -c "$TRASH_DIRECTORY/fds.conf" >fds-check.out 2>fds-check.err &&
	tail -n 1 fds-check.out | grep -x "# 40 nodes in group default" &&
	cat fds-check.err &&
	grep -x "extranoc-poller: warning: file descriptors: 40 nodes need 104 (a socket each, and 64 for the journal, RRD and logs) but the hard limit here is 30: polls of the nodes past it fail; raise the hard limit (LimitNOFILE= of the service, ulimit -Hn) to at least 104" fds-check.err &&
	extranoc-poller -n -c "$TRASH_DIRECTORY/fds.conf" >/dev/null 2>fds-check-ok.err &&
	test ! -s fds-check-ok.err
'

start_poller -c "$TRASH_DIRECTORY/fds.conf" -l fds.log prlimit --nofile=30:30

test_expect_success 'hard limit too low: said at start; nodes left without a socket named once, not recorded down' '
	test_wait_for 10 grep -q "started with" fds.log &&
	grep "warning: file descriptors: 40 nodes need 104 (.*) but the limit is 30: " fds.log &&
	# tried again at their next slot, 10 s on
	test_wait_for 30 grep -q "debug: node n[0-9]* (127.0.1.[0-9]*:$P): still no descriptor for its session" fds.log &&
	test_wait_for 10 fds_accounted &&
	warned_nodes >warned &&
	answered_nodes >answered &&
	test -s warned && test -s answered &&
	uniq -d warned >twice && test ! -s twice &&
	comm -12 warned answered >both && test ! -s both &&
	grep "warning: node n[0-9]* (127.0.1.[0-9]*:$P) cannot be polled: this process has no descriptor left for its SNMP session (Too many open files; limit 30, 104 needed): not counted as a failure of the node" fds.log &&
	extranoc journal export --db fds.db >fds.json &&
	! grep -q node.unreachable fds.json &&
	kill -0 "$poller_pid" &&
	kill -TERM "$poller_pid" &&
	test_wait_for 12 test -s poller.status &&
	[ "$(cat poller.status)" -eq 0 ]
'

hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -lt 200 ]; then
	test_skip 'soft limit below the hard one: raised at start' "the hard limit here is $hard"
else
	start_poller -c "$TRASH_DIRECTORY/fds.conf" -l raise.log prlimit --nofile=40:$hard
	test_expect_success 'soft limit below the hard one: raised at start' '
		test_wait_for 10 grep -q "started with" raise.log &&
		grep -x "extranoc-poller: notice: file descriptors: soft limit raised from 40 to the hard limit $hard" raise.log &&
		grep "^Max open files  *$hard  *$hard " /proc/$poller_pid/limits &&
		! grep "warning: file descriptors" raise.log &&
		kill -TERM "$poller_pid" &&
		test_wait_for 12 test -s poller.status &&
		[ "$(cat poller.status)" -eq 0 ]
	'
fi

test_done
