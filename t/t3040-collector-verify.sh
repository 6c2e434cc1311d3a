#!/bin/sh
# extranoc-collector checks link traps with an SNMP GET to the node (over
# SNMPv3 here) against a real snmpd, in a network namespace of the
# script's own whose veth port eth7 the test takes down and up (its peer
# down: eth7 oper down, admin up), and closes the outages whose link-up
# was lost:
# (1) a linkDown while the port is up: interface.up recorded, verifies =
#     the trap fact's seq, the outage closed;
# (2) a linkDown while the port is down: nothing recorded while it stays
#     down, checked again every verify-interval (across a SIGHUP); the port
#     up and no linkUp sent: interface.up within the interval, outage closed;
# (3) a linkUp while the port is down: interface.down recorded (an outage
#     opens), then interface.up once the port is up;
# (4) the agent stopped: no fact, one log line however many retries; the
#     agent back: the check completes, said once.
# -n prints the settings; a bad one is refused with FILE:LINE; the stop
# logs what the checks did.
test_description='extranoc-collector: link traps verified by SNMP GET against snmpd'

# The script runs itself again in a network namespace of its own when it can.
if [ -z "${XN_T3040_NETNS:-}" ] && command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
	XN_T3040_NETNS=1 exec unshare -n /bin/sh "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

SNMPD=$(command -v snmpd || true)
if [ -z "${XN_T3040_NETNS:-}" ]; then
	test_skip_all "needs a network namespace of its own (unshare -n, as root) for an interface to take down"
fi
if [ -z "$SNMPD" ] || ! command -v snmptrap >/dev/null 2>&1 || ! command -v snmpget >/dev/null 2>&1 ||
   ! command -v jq >/dev/null 2>&1; then
	test_skip_all "needs snmpd, snmptrap and snmpget (Debian snmpd, snmp) and jq"
fi
ip link set lo up &&
ip link add eth7 type veth peer name peer7 &&
ip link set eth7 up && ip link set peer7 up ||
	test_skip_all "cannot make a veth pair in the network namespace"
. "$top_srcdir/t/lib-collector.sh"

P=$(test_port 1)
A=$(test_port 2)
COMMUNITY=xn-t3040-community
IF=$(ip -o link show eth7 | cut -d: -f1)

mkdir -p persist
cat >snmpd.conf <<EOF
[snmp] persistentDir $TRASH_DIRECTORY/persist
agentAddress udp:127.0.0.1:$A
rocommunity $COMMUNITY 127.0.0.0/8
createUser xnt3040 SHA "xn-t3040-auth" AES "xn-t3040-priv"
rouser xnt3040 priv
EOF
cat >inventory.json <<EOF
{ "extranoc-inventory:inventory": {
  "region": [ { "name": "lab-city", "level": "city" } ],
  "site": [ { "name": "lab", "region": "lab-city", "sla-class": "core-room" } ],
  "node": [
    { "name": "a", "role": "aggregation", "site": "lab", "management-address": "127.0.0.1",
      "snmp": { "credential": "v3", "version": "v3", "port": $A, "timeout": 500, "retries": 1 } },
    { "name": "b", "role": "access", "site": "lab", "management-address": "127.0.0.3", "parent": "a",
      "snmp": { "credential": "lab", "port": $A } }
  ],
  "link": [ { "id": "L-a-b", "bandwidth": 1000, "a-end": { "node": "a", "interface": "eth7" },
              "z-end": { "node": "b", "interface": "eth0" }, "sla-site": "lab" } ]
} }
EOF
(
	umask 077
	cat >secrets.json <<EOF
{ "extranoc-secrets:secrets": {
  "snmp-community": [ { "name": "lab", "community": "$COMMUNITY" } ],
  "snmp-usm": [ { "name": "v3", "user": "xnt3040", "auth-protocol": "sha", "auth-password": "xn-t3040-auth",
                  "priv-protocol": "aes", "priv-password": "xn-t3040-priv" } ] } }
EOF
)
cat >extranoc.conf <<EOF
[extranoc]
config = inventory.json; secrets.json
journal = journal.db
log-level = debug
[collector]
listen = udp:127.0.0.1:$P
verify-delay = 1
verify-interval = 2
EOF

# start_snmpd: the agent, killed at exit; its pid in snmpd.pid.
start_snmpd () {
	"$SNMPD" -f -C -c "$TRASH_DIRECTORY/snmpd.conf" -Lf "$TRASH_DIRECTORY/snmpd.log" </dev/null >/dev/null 2>&1 &
	echo $! >snmpd.pid
	test_atexit "kill $!"
}

# oper_is 1|2: the agent says eth7's ifOperStatus is up (1) or down (2).
oper_is () {
	[ "$(snmpget -v2c -c $COMMUNITY -t 0.3 -r 0 -Oqv 127.0.0.1:$A .1.3.6.1.2.1.2.2.1.8.$IF)" = "$1" ]
}

# link_trap DOWN|UP: an SNMPv2c linkDown/linkUp from node a about eth7.
link_trap () {
	if [ "$1" = DOWN ]; then _lt_oid=3; _lt_oper=2; else _lt_oid=4; _lt_oper=1; fi
	snmptrap -v 2c -c $COMMUNITY 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.$_lt_oid \
		1.3.6.1.2.1.2.2.1.1.$IF i $IF 1.3.6.1.2.1.2.2.1.7.$IF i 1 1.3.6.1.2.1.2.2.1.8.$IF i $_lt_oper \
		1.3.6.1.2.1.31.1.1.1.1.$IF s eth7
}

# trap_seq KIND: the seq of the last fact of KIND (trap.link-down, …) about eth7.
trap_seq () {
	facts && jq -s "map(select(.kind == \"$1\" and .subject == \"interface/a/eth7\")) | last | .seq // 0" facts.json
}

# verified KIND SEQ: the collector recorded KIND about eth7, verifying SEQ.
verified () {
	has_fact "select(.kind == \"$1\" and .source == \"collector\" and .attrs.verifies == $2)"
}

# outage_of SEQ: the link outage that the trap fact SEQ opened, as stored.
outage_of () {
	extranoc outages --db journal.db --json >outages.json &&
	jq -e -c ".outages | map(select(.id == \"$1:link/L-a-b\")) | .[0] // empty" outages.json
}
closed () { outage_of "$1" | jq -e ".end != null" >/dev/null; }
open_ () { outage_of "$1" | jq -e ".end == null" >/dev/null; }

# interface_facts_after SEQ: how many interface.* facts came after SEQ.
interface_facts_after () {
	facts && count_facts "(.kind | startswith(\"interface.\")) and .seq > $1"
}

# log_count TEXT: lines of the collector's log with TEXT.
log_count () { grep -c -F -- "$1" collector.log || true; }

start_snmpd

test_expect_success 'snmpd answers for eth7, which is up' '
	test_wait_for 10 oper_is 1 || { cat snmpd.log; false; }
'

test_expect_success '-n prints the settings of the checks; a bad one is refused with its line' '
	extranoc-collector -n -c "$TRASH_DIRECTORY/extranoc.conf" >check.out &&
	grep "^verify-delay = 1$" check.out &&
	grep "^verify-interval = 2$" check.out &&
	grep "^verify-give-up = 86400$" check.out &&
	grep "^verify-window = 16$" check.out &&
	sed "s/^verify-interval = 2$/verify-interval = 0/" extranoc.conf >bad.conf &&
	test_must_fail extranoc-collector -n -c "$TRASH_DIRECTORY/bad.conf" 2>bad.err &&
	grep "bad.conf:8: \[collector\] verify-interval: .0. is not a whole number from 1 to 86400" bad.err
'

start_collector

test_expect_success 'the start says how link traps are checked' '
	grep "notice: link traps checked by SNMP GET 1 s after them, every 2 s while down, for at most 86400 s, 16 at a time" \
		collector.log
'

test_expect_success '(1) a linkDown while the port is up: interface.up verifying it; the outage closes' '
	link_trap DOWN &&
	test_wait_for 10 has_fact "select(.kind == \"trap.link-down\")" &&
	s1=$(trap_seq trap.link-down) && echo "trap.link-down at seq $s1" &&
	test_wait_for 15 verified interface.up $s1 &&
	jq -s -c "map(select(.kind == \"interface.up\" and .attrs.verifies == $s1))
		| map([.subject, .source, .attrs.node, .attrs.if_name, .attrs.if_index, .attrs.link,
		       .attrs.admin_status, .attrs.oper_status, .attrs.method])" facts.json >actual &&
	echo "[[\"interface/a/eth7\",\"collector\",\"a\",\"eth7\",$IF,\"L-a-b\",\"up\",\"up\",\"get\"]]" >expect &&
	test_cmp expect actual &&
	test $(interface_facts_after $s1) = 1 &&
	grep "notice: interface/a/eth7: the journal last said down (the trap of seq $s1 is checked), the agent says up: recorded as interface.up" \
		collector.log &&
	test_wait_for 10 closed $s1
'

test_expect_success '(2) a linkDown while the port is down: nothing while down, checked again; up without linkUp: closed' '
	ip link set peer7 down &&
	test_wait_for 15 oper_is 2 &&
	before=$(trap_seq trap.link-down) &&
	link_trap DOWN &&
	test_wait_for 10 eval "test \$(trap_seq trap.link-down) -gt $before" &&
	s2=$(trap_seq trap.link-down) && echo "trap.link-down at seq $s2" &&
	said="interface/a/eth7: down, as the journal says (the trap of seq $s2 is checked)" &&
	test_wait_for 15 eval "test \$(log_count \"$said\") -ge 2" &&
	test $(interface_facts_after $s2) = 0 &&
	test_wait_for 10 open_ $s2 &&
	lines=$(wc -l <collector.log) &&
	kill -HUP $(cat collector.pid) &&
	test_wait_for 10 eval "tail -n +$(( lines + 1 )) collector.log | grep -q \"notice: reloaded\"" &&
	test_wait_for 15 eval "test \$(log_count \"$said\") -ge 4" &&
	test $(interface_facts_after $s2) = 0 &&
	ip link set peer7 up &&
	test_wait_for 20 verified interface.up $s2 &&
	test $(interface_facts_after $s2) = 1 &&
	test_wait_for 10 closed $s2
'

test_expect_success '(3) a linkUp while the port is down: interface.down, then interface.up once it is up' '
	ip link set peer7 down &&
	test_wait_for 15 oper_is 2 &&
	before=$(trap_seq trap.link-up) &&
	link_trap UP &&
	test_wait_for 10 eval "test \$(trap_seq trap.link-up) -gt $before" &&
	s3=$(trap_seq trap.link-up) && echo "trap.link-up at seq $s3" &&
	test_wait_for 15 verified interface.down $s3 &&
	down=$(jq -s "map(select(.kind == \"interface.down\" and .attrs.verifies == $s3)) | .[0].seq" facts.json) &&
	test_wait_for 10 open_ $down &&
	ip link set peer7 up &&
	test_wait_for 20 verified interface.up $s3 &&
	test $(interface_facts_after $s3) = 2 &&
	test_wait_for 10 closed $down
'

test_expect_success '(4) the agent stopped: no fact, one log line however many retries' '
	kill $(cat snmpd.pid) &&
	test_wait_for 10 gone $(cat snmpd.pid) &&
	before=$(trap_seq trap.link-down) &&
	link_trap DOWN &&
	test_wait_for 10 eval "test \$(trap_seq trap.link-down) -gt $before" &&
	s4=$(trap_seq trap.link-down) && echo "trap.link-down at seq $s4" && echo $s4 >s4 &&
	said="warning: node a: the check of eth7 after the trap of seq $s4 failed: no answer from 127.0.0.1:$A to SNMPv3 after 2 tries of 500 ms" &&
	test_wait_for 15 eval "test \$(log_count \"$said\") = 1" &&
	sleep 6 &&
	test $(log_count "failed: ") = 1 &&
	test $(interface_facts_after $s4) = 0 &&
	open_ $s4
'

# Started here, not inside a test body: that runs in a subshell, where
# test_atexit would be forgotten.
start_snmpd

test_expect_success '(4) the agent back: the check completes, said once' '
	s4=$(cat s4) &&
	test_wait_for 20 verified interface.up $s4 &&
	test $(log_count "notice: node a answers the link checks again") = 1 &&
	test $(interface_facts_after $s4) = 1 &&
	test_wait_for 10 closed $s4
'

test_expect_success 'SIGTERM: the stop says what the checks did' '
	stop_collector &&
	test "$(cat collector.status)" = 0 &&
	grep -E "notice: link trap checks: [0-9]+ GETs sent, [0-9]+ answered, ([2-9]|[1-9][0-9]+) without a usable answer, [0-9]+ moot; recorded 4 interface.up, 1 interface.down, 0 interface.admin-down; 0 given up" \
		collector.log
'

test_done
