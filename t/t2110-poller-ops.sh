#!/bin/sh
# extranoc-poller as operators run it, against a real snmpd on 127.0.0.1,
# .2 and .4 and an address (127.0.0.3) where nothing listens: -n prints a
# good configuration normalised (known-good file) and the installed sample
# passes, and a bad extranoc.conf or inventory exits 1 with FILE:LINE
# messages; a node whose agent never answers is recorded unreachable and
# logged once however many polls fail; SIGHUP with a broken inventory is
# logged and polling goes on; SIGHUP with a node added and one removed takes
# effect (and a new window is said to need a restart); SIGTERM exits 0.
test_description='extranoc-poller: check, reload, failing node, stop'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

SNMPD=$(command -v snmpd || true)
if [ -z "$SNMPD" ] || ! command -v jq >/dev/null 2>&1 || ! command -v rrdtool >/dev/null 2>&1; then
	test_skip_all "needs snmpd (Debian snmpd), jq and rrdtool"
fi

P=$(test_port 1)
DEAD=$(test_port 2)
MIBS=:
SNMP_PERSISTENT_DIR="$TRASH_DIRECTORY/snmp-client"
export MIBS SNMP_PERSISTENT_DIR

mkdir -p persist
cat >snmpd.conf <<EOF
[snmp] persistentDir $TRASH_DIRECTORY/persist
agentAddress udp:127.0.0.1:$P,udp:127.0.0.2:$P,udp:127.0.0.4:$P
sysName xn-t2110
rocommunity xn-t2110-community 127.0.0.0/8
EOF
"$SNMPD" -f -C -c "$TRASH_DIRECTORY/snmpd.conf" -Lf "$TRASH_DIRECTORY/snmpd.log" </dev/null >/dev/null 2>&1 &
SNMPD_PID=$!
test_atexit "kill $SNMPD_PID"

# inventory NODE...: each NODE is NAME:ADDRESS:PORT; a link ends on a's lo.
inventory () {
	echo '{ "extranoc-inventory:inventory": {'
	echo '  "region": [ { "name": "lab-city", "level": "city" } ],'
	echo '  "site": [ { "name": "lab", "region": "lab-city", "sla-class": "core-room" } ],'
	echo '  "node": ['
	_sep=
	for _n in "$@"; do
		_name=${_n%%:*} _rest=${_n#*:}
		_addr=${_rest%%:*} _port=${_rest#*:}
		printf '%s    { "name": "%s", "role": "access", "site": "lab", "management-address": "%s",\n' "$_sep" "$_name" "$_addr"
		printf '      "snmp": { "credential": "lab", "port": %s, "timeout": 300, "retries": 0, "poll-interval": 10 } }' "$_port"
		_sep=',
'
	done
	echo
	echo '  ],'
	echo '  "link": [ { "id": "L-lab", "bandwidth": 1000, "a-end": { "node": "a", "interface": "lo" },'
	echo '              "z-end": { "interface": "cpe0" }, "sla-site": "lab" } ]'
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

# reachable_twice NODE: the node was stated reachable twice (start, reload).
reachable_twice () {
	facts && [ "$(jq -s "map(select(.kind == \"node.reachable\" and .subject == \"node/$1\")) | length" facts.json)" -ge 2 ]
}

epoch () { jq -rn --arg t "$1" '$t | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601'; }

test_expect_success 'snmpd answers on 127.0.0.1' '
	test_wait_for 10 snmpget -v2c -c xn-t2110-community -t 0.2 -r 0 127.0.0.1:$P .1.3.6.1.2.1.1.5.0 ||
	{ cat snmpd.log; false; }
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

test_expect_success 'SIGHUP adding c and removing b: takes effect' '
	inventory a:127.0.0.1:$P c:127.0.0.4:$P dead:127.0.0.3:$DEAD >inventory.json &&
	printf "window = 64\n" >>extranoc.conf &&
	kill -HUP "$poller_pid" &&
	test_wait_for 10 grep -q "reloaded .*extranoc.conf" poller.log &&
	grep "notice: reloaded .*extranoc.conf: 3 nodes in group default (1 added, 1 removed)" poller.log &&
	grep "window = 64 takes effect at the next start; 256 until then" poller.log &&
	reload_at=$(date +%s) &&
	test_wait_for 25 has_fact ".kind == \"node.reachable\" and .subject == \"node/c\" and .attrs.reassert" &&
	# every node re-asserts after a reload: a again, and dead once more
	test_wait_for 25 reachable_twice a &&
	test_wait_for 25 updated_after a $((reload_at + 10)) &&
	b_last=$(last_update b) &&
	[ "$b_last" -le $((reload_at + 1)) ] &&
	test -f rrd/c/node.rrd &&
	[ "$(grep -c "node dead (127.0.0.3:$DEAD) is failing" poller.log)" -eq 1 ]
'

test_expect_success 'SIGTERM: exit 0' '
	kill -TERM "$poller_pid" &&
	test_wait_for 12 test -s poller.status &&
	[ "$(cat poller.status)" -eq 0 ] &&
	tail -n 1 poller.log | grep -x "extranoc-poller: notice: stopped"
'

test_done
