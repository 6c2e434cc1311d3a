#!/bin/sh
# extranoc-collector receiving traps and informs on 127.0.0.1, sent with
# Net-SNMP's snmptrap and snmpinform: -n prints the configuration
# normalised (known-good file) and a bad one exits 1 with FILE:LINE; a trap
# address another process holds is a clear start failure. SNMPv1 and
# SNMPv2c traps, an SNMPv2c inform, SNMPv3 traps (authPriv SHA/AES, from two
# engines the collector was never told about) and an SNMPv3 inform arrive
# as facts of the right kind, subject and attrs, and every inform gets its
# answer (snmpinform exits 0). A linkDown naming only its ifIndex is mapped
# to the interface through the poller's fact already in the journal, and to
# its inventory link. A trap from an address that is no node's (sent from
# 127.0.0.2) is trap.unknown-source; a forwarded one (snmpTrapAddress.0) is
# about the node it names. A wrong community, an unknown SNMPv3 user and a
# wrong SNMPv3 password are stored as nothing and logged once per sender
# and reason, naming the sender, however often they come. Garbage, empty,
# truncated and lying datagrams crash nothing, are counted as malformed,
# and the collector still answers an inform after them. SIGTERM exits 0
# with the totals.
test_description='extranoc-collector: v1, v2c, v3 traps and informs; unknown, forwarded, refused, malformed'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

if ! command -v snmptrap >/dev/null 2>&1 || ! command -v snmpinform >/dev/null 2>&1 ||
   ! command -v jq >/dev/null 2>&1 || ! test -x /usr/bin/python3; then
	test_skip_all "needs snmptrap and snmpinform (Debian snmp), jq and /usr/bin/python3"
fi
. "$top_srcdir/t/lib-collector.sh"

P=$(test_port 1)
COMMUNITY=xn-t3000-community
V3="-v 3 -u xnt3000 -l authPriv -a SHA -A xn-t3000-auth -x AES -X xn-t3000-priv"

cat >inventory.json <<'EOF'
{ "extranoc-inventory:inventory": {
  "region": [ { "name": "lab-city", "level": "city" } ],
  "site": [ { "name": "lab", "region": "lab-city", "sla-class": "core-room" } ],
  "node": [
    { "name": "a", "role": "aggregation", "site": "lab", "management-address": "127.0.0.1",
      "snmp": { "credential": "v3", "version": "v3" } },
    { "name": "b", "role": "access", "site": "lab", "management-address": "127.0.0.3", "parent": "a",
      "snmp": { "credential": "lab" } }
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
  "snmp-usm": [ { "name": "v3", "user": "xnt3000", "auth-protocol": "sha", "auth-password": "xn-t3000-auth",
                  "priv-protocol": "aes", "priv-password": "xn-t3000-priv" } ] } }
EOF
)
cat >extranoc.conf <<EOF
# the collector of the lab
[extranoc]
config = inventory.json; secrets.json
journal = journal.db
[collector]
listen = 127.0.0.1:$P
EOF

# What the poller said about a's link interface before the collector
# started: ifIndex 7 is eth7.
cat >poller-fact.json <<'EOF'
{"ts":"2025-01-26T16:00:00.000000Z","kind":"interface.up","subject":"interface/a/eth7","source":"poller","recorded":"2025-01-26T16:00:01.000000Z","attrs":{"reassert":true,"node":"a","if_name":"eth7","present":true,"if_index":7,"admin_status":"up","oper_status":"up","link":"L-a-b"}}
EOF

# trap_from ADDRESS ARGS...: snmptrap from a given loopback address.
trap_from () {
	_tf_from=$1; shift
	snmptrap --clientaddr="$_tf_from" "$@"
}

# fact_count: how many facts the journal holds.
fact_count () { facts && jq -s length facts.json; }

test_expect_success '-n prints the configuration normalised and what it accepts' '
	extranoc-collector -n -c "$TRASH_DIRECTORY/extranoc.conf" >check.out 2>check.err &&
	{ test ! -s check.err || { cat check.err; false; }; } &&
	sed -e "s|$TRASH_DIRECTORY|TRASH|g" -e "s|$top_srcdir|SRC|g" -e "s|:$P|:PORT|" check.out >check.actual &&
	test_cmp_golden "$top_srcdir/t/t3000-collector-traps.d/check.ok" check.actual &&
	cp check.out again.conf &&
	extranoc-collector -n -c "$TRASH_DIRECTORY/again.conf" >again.out &&
	test_cmp check.out again.out
'

test_expect_success '-n accepts the installed sample extranoc.conf' '
	mkdir sample &&
	cp "$top_srcdir/data/extranoc.conf.sample" sample/extranoc.conf &&
	cp inventory.json sample/inventory.json &&
	cp "$top_srcdir/data/policy-default.json" sample/policy.json &&
	cp -p secrets.json sample/secrets.json &&
	extranoc-collector -n -c sample/extranoc.conf >sample.out &&
	grep -x "listen = udp:0.0.0.0:162" sample.out &&
	tail -n 1 sample.out | grep "^# listening on udp:0.0.0.0:162; 2 nodes known by address"
'

test_expect_success '-n on a bad [collector]: exit 1, every problem with its line' '
	printf "[extranoc]\nconfig = inventory.json\n[collector]\nlisten = udp:trap-host:162\nstorm-rate = 0\nrcvbuff = 1\n" >bad.conf &&
	test_exit_code 1 extranoc-collector -n -c "$TRASH_DIRECTORY/bad.conf" >bad.out 2>bad.err &&
	cat bad.err &&
	test ! -s bad.out &&
	grep "bad.conf:4: \[collector\] listen: .udp:trap-host:162.: .trap-host. is not an IPv4 address" bad.err &&
	grep "bad.conf:5: \[collector\] storm-rate: .0. is not a whole number from 1 to 1000000" bad.err &&
	grep "bad.conf:6: \[collector\] rcvbuff: unknown key" bad.err &&
	printf "1.3.6 IF-MIB::x\n1.3.6 IF-MIB::y\n" >dup.oids && mkdir badmibs && mv dup.oids badmibs/ &&
	sed "s|^listen.*|&\nmibs-dir = badmibs|" extranoc.conf >badmibs.conf &&
	test_exit_code 1 extranoc-collector -n -c "$TRASH_DIRECTORY/badmibs.conf" 2>badmibs.err &&
	cat badmibs.err &&
	grep "badmibs.conf: \[collector\] mibs-dir: .*badmibs/dup.oids:2: 1.3.6 is already named IF-MIB::x at .*dup.oids:1" badmibs.err
'

test_expect_success 'a trap address held by another process: exit 1, naming it' '
	# a port the kernel says is free, held by this other process
	/usr/bin/python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((\"127.0.0.1\", 0))
open(\"held.tmp\", \"w\").write(str(s.getsockname()[1]))
import os; os.rename(\"held.tmp\", \"held\")
time.sleep(20)
" &
	holder=$! &&
	test_wait_for 5 test -s held &&
	BUSY=$(cat held) &&
	sed "s|^listen.*|listen = udp:127.0.0.1:$BUSY|" extranoc.conf >busy.conf &&
	test_exit_code 1 extranoc-collector -c "$TRASH_DIRECTORY/busy.conf" 2>busy.err &&
	cat busy.err &&
	grep "busy.conf: \[collector\] listen: cannot listen on udp:127.0.0.1:$BUSY: Address already in use" busy.err &&
	kill $holder
'

extranoc journal import --db journal.db poller-fact.json >import.out 2>&1
start_collector

test_expect_success 'the collector starts, with the poller'"'"'s fact in its journal' '
	kill -0 $(cat collector.pid) &&
	cat collector.log &&
	grep "notice: started with .*listening on udp:127.0.0.1:$P; 2 nodes known by address; 1 community and 1 SNMPv3 user accepted" collector.log &&
	grep "notice: trap socket udp:127.0.0.1:$P: receive buffer [0-9]* bytes (asked 33554432" collector.log
'

test_expect_success 'SNMPv2c linkDown by ifIndex: the link interface, mapped through the poller fact' '
	snmptrap -v 2c -c $COMMUNITY 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.3 \
		1.3.6.1.2.1.2.2.1.1.7 i 7 1.3.6.1.2.1.2.2.1.7.7 i 1 1.3.6.1.2.1.2.2.1.8.7 i 2 &&
	test_wait_for 5 has_fact "select(.kind == \"trap.link-down\")" &&
	jq -s -c "map(select(.kind == \"trap.link-down\"))[0] | [.subject, .source,
		(.attrs | .node, .if_index, .if_name, .admin_status, .oper_status, .link, .version, .source_address,
		 .trap_oid, .trap_name, .inform, (.varbinds | length), .varbinds[2])]" facts.json >actual &&
	cat >expect <<-\EOF &&
	["interface/a/eth7","collector","a",7,"eth7","up","down","L-a-b","v2c","127.0.0.1","1.3.6.1.6.3.1.1.5.3","IF-MIB::linkDown",false,5,{"oid":"1.3.6.1.2.1.2.2.1.1.7","type":"INTEGER","value":7}]
	EOF
	test_cmp expect actual
'

test_expect_success 'SNMPv1 linkUp: generic trap 3 is linkUp, the agent-addr names the node' '
	snmptrap -v 1 -c $COMMUNITY 127.0.0.1:$P 1.3.6.1.4.1.8072.3.2.10 127.0.0.1 3 0 "" \
		1.3.6.1.2.1.2.2.1.1.7 i 7 1.3.6.1.2.1.31.1.1.1.1.7 s eth7 &&
	test_wait_for 5 has_fact "select(.kind == \"trap.link-up\")" &&
	jq -s -c "map(select(.kind == \"trap.link-up\"))[0] | [.subject, (.attrs | .version, .agent_address,
		.if_name, .link, .trap_oid, (.uptime | type))]" facts.json >actual &&
	echo "[\"interface/a/eth7\",\"v1\",\"127.0.0.1\",\"eth7\",\"L-a-b\",\"1.3.6.1.6.3.1.1.5.4\",\"number\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'SNMPv2c inform: answered (exit 0) and recorded with inform true' '
	snmpinform -v 2c -c $COMMUNITY -t 2 -r 1 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.1 &&
	test_wait_for 5 has_fact "select(.kind == \"trap.cold-start\")" &&
	jq -s -c "map(select(.kind == \"trap.cold-start\"))[0] | [.subject, .attrs.version, .attrs.inform]" facts.json >actual &&
	echo "[\"node/a\",\"v2c\",true]" >expect &&
	test_cmp expect actual
'

test_expect_success 'SNMPv3 authPriv (SHA, AES) traps from two engines the collector never heard of' '
	snmptrap $V3 -e 0x8000e0ab0101 127.0.0.1:$P "" 1.3.6.1.4.1.8072.4.0.1 1.3.6.1.2.1.1.5.0 s "机房 a" &&
	snmptrap $V3 -e 0x8000e0ab0202 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.42 1.3.6.1.4.1.99999.1 x 00ff10 &&
	test_wait_for 5 has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.0.42\")" &&
	jq -s -c "map(select(.kind == \"trap.other\")) | map([.subject, .attrs.version, .attrs.user, .attrs.inform,
		.attrs.trap_name, .attrs.varbinds[2]]) | .[]" facts.json >actual &&
	cat >expect <<-\EOF &&
	["node/a","v3","xnt3000",false,"NET-SNMP-AGENT-MIB::nsNotifyStart",{"oid":"1.3.6.1.2.1.1.5.0","type":"OCTET STRING","value":"机房 a"}]
	["node/a","v3","xnt3000",false,null,{"oid":"1.3.6.1.4.1.99999.1","type":"OCTET STRING","value":"00ff10","encoding":"hex"}]
	EOF
	test_cmp expect actual
'

test_expect_success 'SNMPv3 authPriv inform: the sender discovers the engine, is answered, and it is recorded' '
	snmpinform $V3 -t 2 -r 1 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.2 &&
	test_wait_for 5 has_fact "select(.kind == \"trap.warm-start\")" &&
	jq -s -c "map(select(.kind == \"trap.warm-start\"))[0] | [.subject, .attrs.version, .attrs.user, .attrs.inform]" facts.json >actual &&
	echo "[\"node/a\",\"v3\",\"xnt3000\",true]" >expect &&
	test_cmp expect actual
'

test_expect_success 'a trap from an address that is no node: trap.unknown-source, logged once' '
	trap_from 127.0.0.2 -v 2c -c $COMMUNITY 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.3 1.3.6.1.2.1.2.2.1.1.3 i 3 &&
	trap_from 127.0.0.2 -v 2c -c $COMMUNITY 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.4 1.3.6.1.2.1.2.2.1.1.3 i 3 &&
	test_wait_for 5 has_fact "select(.kind == \"trap.unknown-source\" and .attrs.trap_oid == \"1.3.6.1.6.3.1.1.5.4\")" &&
	jq -s -c "map(select(.kind == \"trap.unknown-source\")) | map([.subject, .attrs.source_address, (.attrs | has(\"node\"))]) | .[]" facts.json >actual &&
	cat >expect <<-\EOF &&
	["source/127.0.0.2","127.0.0.2",false]
	["source/127.0.0.2","127.0.0.2",false]
	EOF
	test_cmp expect actual &&
	test $(grep -c "trap from 127.0.0.2, which is no node.s management address: recorded as trap.unknown-source" collector.log) = 1
'

test_expect_success 'a forwarded trap (snmpTrapAddress.0) is about the node it names' '
	trap_from 127.0.0.2 -v 2c -c $COMMUNITY 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.5 1.3.6.1.6.3.18.1.3.0 a 127.0.0.3 &&
	test_wait_for 5 has_fact "select(.kind == \"trap.auth-failure\")" &&
	jq -s -c "map(select(.kind == \"trap.auth-failure\"))[0] | [.subject, .attrs.node, .attrs.source_address, .attrs.trap_address]" facts.json >actual &&
	echo "[\"node/b\",\"b\",\"127.0.0.2\",\"127.0.0.3\"]" >expect &&
	test_cmp expect actual
'

test_expect_success 'wrong community, unknown v3 user, wrong v3 password: nothing stored, each logged once' '
	before=$(fact_count) &&
	for i in 1 2 3; do
		trap_from 127.0.0.3 -v 2c -c not-ours 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.3 &&
		snmptrap -v 3 -e 0x8000e0ab0303 -u nobody -l authPriv -a SHA -A xn-t3000-auth -x AES -X xn-t3000-priv \
			127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.3 &&
		snmptrap -v 3 -e 0x8000e0ab0303 -u xnt3000 -l authPriv -a SHA -A not-the-password -x AES -X xn-t3000-priv \
			127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.3 || exit 1
	done &&
	# an inform with a wrong password is not answered either
	test_must_fail snmpinform -v 3 -u xnt3000 -l authPriv -a SHA -A not-the-password -x AES -X xn-t3000-priv \
		-t 0.5 -r 0 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.3 &&
	# the socket is read in order: once this one is stored, the others were handled
	trap_from 127.0.0.2 -v 2c -c $COMMUNITY 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.6 &&
	test_wait_for 5 has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.0.6\")" &&
	grep "trap from 127.0.0.1 (node a) refused, not recorded: unknown SNMPv3 user" collector.log &&
	grep "trap from 127.0.0.1 (node a) refused, not recorded: wrong SNMPv3 credentials" collector.log &&
	grep "trap from 127.0.0.3 (node b) refused, not recorded: wrong community" collector.log &&
	test $(grep -c "refused, not recorded" collector.log) = 3 &&
	test $(fact_count) = $(( before + 1 ))
'

# datagrams ARGS: sends what malformed.py makes, from 127.0.0.2.
cat >malformed.py <<'EOF'
import socket, sys

def tlv(tag, value):
    n = len(value)
    if n < 128:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + value

def oid(text):
    arcs = [int(a) for a in text.split(".")]
    out = bytes([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        enc = [a & 0x7f]
        a >>= 7
        while a:
            enc.insert(0, 0x80 | (a & 0x7f))
            a >>= 7
        out += bytes(enc)
    return tlv(0x06, out)

def v2c_trap(community, trap_oid):
    vbs = tlv(0x30, oid("1.3.6.1.2.1.1.3.0") + tlv(0x43, b"\x01")) + \
          tlv(0x30, oid("1.3.6.1.6.3.1.1.4.1.0") + oid(trap_oid))
    pdu = tlv(0xa7, tlv(0x02, b"\x01") + tlv(0x02, b"\x00") + tlv(0x02, b"\x00") + tlv(0x30, vbs))
    return tlv(0x30, tlv(0x02, b"\x01") + tlv(0x04, community.encode()) + pdu)

port, community = int(sys.argv[1]), sys.argv[2]
good = v2c_trap(community, "1.3.6.1.4.1.99999.0.7")
bad = [b"garbage", b"", b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x30\x03\x02\x01\x07"]
bad += [good[:n] for n in range(1, len(good), 7)]
# SNMPv3 headers that lie: an engine ID of 200 bytes, a user name longer than the message
bad.append(bytes.fromhex("3081") + bytes([0x40]) + bytes.fromhex("020103") + tlv(0x30, b"\x02\x01\x01\x02\x02\x05\xdc\x04\x01\x04\x02\x01\x03")
           + tlv(0x04, tlv(0x30, tlv(0x04, b"\x80" * 200) + b"\x02\x01\x00\x02\x01\x00\x04\x7fxx")))
bad.append(bytes(range(256)) * 200)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.2", 0))
for b in bad:
    s.sendto(b, ("127.0.0.1", port))
# a well-formed trap from the same sender last: it is stored
s.sendto(good, ("127.0.0.1", port))
print(len(bad))
EOF

test_expect_success 'garbage, empty, truncated and lying datagrams: counted, no crash, informs still answered' '
	/usr/bin/python3 malformed.py $P $COMMUNITY >sent-malformed &&
	test_wait_for 5 has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.0.7\")" &&
	kill -0 $(cat collector.pid) &&
	snmpinform -v 2c -c $COMMUNITY -t 2 -r 1 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.8 &&
	test_wait_for 5 has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.0.8\" and .attrs.inform)" &&
	grep "datagram from 127.0.0.2 refused, not recorded: malformed" collector.log &&
	grep "127.0.0.2: a trap from it is accepted again, after $(cat sent-malformed) refused" collector.log
'

test_expect_success 'every fact is the collector'"'"'s, and valid (the journal took it)' '
	facts &&
	test $(count_facts ".source != \"collector\" and .source != \"poller\"") = 0 &&
	test $(count_facts ".source == \"collector\"") = $(( $(fact_count) - 1 ))
'

test_expect_success 'SIGTERM: exit 0, with the totals' '
	stop_collector &&
	test "$(cat collector.status)" = 0 &&
	tail -n 3 collector.log &&
	n=$(cat sent-malformed) &&
	grep "notice: [0-9]* datagrams read: 12 traps and informs (12 stored as facts, 0 counted in storm summaries; 3 informs answered), [0-9]* refused (3 wrong community, 3 unknown SNMPv3 user, [0-9]* wrong SNMPv3 credentials, 0 outside the time window, 0 not notifications, $n malformed)" collector.log &&
	grep "notice: stopped" collector.log
'

test_done
