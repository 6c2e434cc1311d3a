#!/bin/sh
# A trap storm: 50,000 linkDown/linkUp traps sent back to back by
# t/tools/trapgen from one node over 8 interfaces, in a network namespace of
# the script's own so the kernel's UDP counters (/proc/net/snmp) are this
# run's alone. The node is marked storming (trap.storm-start), its traps are
# counted and summarised (trap.storm-summary, trap.storm-end) except the
# first link-down and link-up of each interface per summary period, and
# every trap is accounted for: stored facts + counted = sent − the datagrams
# the kernel itself dropped (RcvbufErrors), with no sequence number stored
# twice. Each interface's last stored link fact says what the last trap sent
# for it said (up). An inform from another node sent during the burst is
# answered within seconds and stored, and so is one after it. Then, with a
# receive buffer made small by a reload, a second burst overflows it: the
# kernel drops datagrams, and what reached the collector is still exactly
# stored + counted.
test_description='extranoc-collector: a storm of 50,000 traps is fully accounted and the collector stays responsive'

# The script runs itself again in a network namespace of its own when it can.
if [ -z "${XN_T3010_NETNS:-}" ] && command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
	XN_T3010_NETNS=1 exec unshare -n /bin/sh "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

TRAPGEN="$top_builddir/t/tools/trapgen"
if ! test -x "$TRAPGEN" || ! command -v snmpinform >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	test_skip_all "needs t/tools/trapgen (make check builds it), snmpinform (Debian snmp) and jq"
fi
if [ -n "${XN_T3010_NETNS:-}" ]; then
	ip link set lo up || test_skip_all "cannot bring up the loopback of the new network namespace"
	say "in a network namespace of its own: the kernel's UDP counters are this run's"
fi
. "$top_srcdir/t/lib-collector.sh"

P=$(test_port 1)
N=50000
K=8
COMMUNITY=xn-t3010-community

cat >inventory.json <<'EOF'
{ "extranoc-inventory:inventory": {
  "region": [ { "name": "lab-city", "level": "city" } ],
  "site": [ { "name": "lab", "region": "lab-city", "sla-class": "core-room" } ],
  "node": [
    { "name": "flood", "role": "aggregation", "site": "lab", "management-address": "127.0.0.1",
      "snmp": { "credential": "lab" } },
    { "name": "quiet", "role": "access", "site": "lab", "management-address": "127.0.0.3", "parent": "flood",
      "snmp": { "credential": "lab" } }
  ],
  "link": [ { "id": "L-flood-quiet", "bandwidth": 1000, "a-end": { "node": "flood", "interface": "eth1" },
              "z-end": { "node": "quiet", "interface": "eth0" }, "sla-site": "lab" } ]
} }
EOF
(
	umask 077
	echo "{ \"extranoc-secrets:secrets\": { \"snmp-community\": [ { \"name\": \"lab\", \"community\": \"$COMMUNITY\" } ] } }" >secrets.json
)
cat >extranoc.conf <<EOF
[extranoc]
config = inventory.json; secrets.json
journal = journal.db
[collector]
listen = udp:127.0.0.1:$P
storm-rate = 200
storm-window = 2
storm-summary = 3
EOF

# rcvbuf_errors: the kernel's UDP RcvbufErrors (datagrams it dropped for a full socket buffer).
rcvbuf_errors () {
	awk '/^Udp:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") col = i; n = 1 } else print $col }' /proc/net/snmp
}

start_collector

test_expect_success 'the collector runs' '
	kill -0 $(cat collector.pid) &&
	grep "storms above 200 traps/s over 2 s, summarised every 3 s" collector.log
'

test_expect_success "a burst of $N traps, and an inform from another node in the middle of it" '
	rcvbuf_errors >drops.before &&
	{ "$TRAPGEN" -v 2c -c $COMMUNITY -n $N -k linkflap --interfaces $K --if-name eth -s 127.0.0.1 127.0.0.1:$P \
		>trapgen.out 2>&1 & } &&
	sender=$! &&
	t0=$(date +%s%N) &&
	snmpinform -v 2c -c $COMMUNITY -t 1 -r 4 --clientaddr=127.0.0.3 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.1 &&
	t1=$(date +%s%N) &&
	wait $sender &&
	cat trapgen.out &&
	grep "RESULT .* sent=$N refused=0 " trapgen.out &&
	echo "inform answered in $(( (t1 - t0) / 1000000 )) ms during the burst" &&
	test $(( (t1 - t0) / 1000000 )) -lt 5000
'

test_expect_success 'the storm starts, is summarised and ends' '
	test_wait_for 20 has_fact "select(.kind == \"trap.storm-end\" and .subject == \"node/flood\")" &&
	rcvbuf_errors >drops.after &&
	test $(count_facts ".kind == \"trap.storm-start\"") = 1 &&
	test $(count_facts ".kind == \"trap.storm-end\"") = 1 &&
	jq -s -c "map(select(.kind == \"trap.storm-start\"))[0] | [.subject, .attrs.node, .attrs.threshold, .attrs.window,
		.attrs.counted, (.attrs.rate > 200)]" facts.json >actual &&
	echo "[\"node/flood\",\"flood\",200,2,{},true]" >expect &&
	test_cmp expect actual &&
	grep "warning: node/flood is storming" collector.log &&
	grep "notice: node/flood: the storm is over after" collector.log
'

test_expect_success 'every trap is a fact, or counted in a summary, or dropped by the kernel' '
	sel_link="(.kind == \"trap.link-down\" or .kind == \"trap.link-up\") and .attrs.node == \"flood\"" &&
	stored=$(count_facts "$sel_link") &&
	counted=$(jq -s "map(select(.subject == \"node/flood\" and (.kind == \"trap.storm-summary\" or
		.kind == \"trap.storm-end\")) | .attrs.counted_period) | add" facts.json) &&
	by_oid=$(jq -s "map(select(.subject == \"node/flood\" and (.kind == \"trap.storm-summary\" or
		.kind == \"trap.storm-end\")) | .attrs.counted | to_entries[] | .value) | add" facts.json) &&
	seqs=$(jq -s "map(select($sel_link) | .attrs.varbinds[] | select(.oid == \"1.3.6.1.4.1.99999.1.1.0\") | .value)
		| unique | length" facts.json) &&
	dropped=$(( $(cat drops.after) - $(cat drops.before) )) &&
	echo "sent $N: stored $stored, counted $counted, kernel drops $dropped" &&
	test "$counted" = "$by_oid" &&
	test "$seqs" = "$stored" &&
	test "$stored" -lt 2000 &&
	if [ -n "${XN_T3010_NETNS:-}" ]; then
		test $(( stored + counted )) = $(( N - dropped ))
	else
		# other programs share these counters: they bound our loss only
		test $(( stored + counted )) -le $N && test $(( stored + counted + dropped )) -ge $N
	fi
'

test_expect_success 'each interface'"'"'s last link fact says what its last trap said' '
	dropped=$(( $(cat drops.after) - $(cat drops.before) )) &&
	jq -s -r "map(select((.kind == \"trap.link-down\" or .kind == \"trap.link-up\") and .attrs.node == \"flood\"))
		| group_by(.subject) | map(\"\(.[0].subject) \(last.kind)\") | .[]" facts.json >actual &&
	cat actual &&
	test $(wc -l <actual) = $K &&
	if [ "$dropped" = 0 ]; then
		! grep -v " trap.link-up$" actual
	fi
'

test_expect_success 'after the burst: the inform of the other node was stored, and another is answered at once' '
	has_fact "select(.subject == \"node/quiet\" and .attrs.trap_oid == \"1.3.6.1.4.1.99999.0.1\" and .attrs.inform)" &&
	snmpinform -v 2c -c $COMMUNITY -t 1 -r 0 --clientaddr=127.0.0.3 127.0.0.1:$P "" 1.3.6.1.4.1.99999.0.2 &&
	test_wait_for 5 has_fact "select(.attrs.trap_oid == \"1.3.6.1.4.1.99999.0.2\")"
'

test_expect_success 'a reload to a small receive buffer, and a second burst: the kernel drops, we lose nothing' '
	end1=$(jq -s "map(select(.kind == \"trap.storm-end\"))[0].seq" facts.json) &&
	sed -i "s/^storm-summary = 3$/&\nrcvbuf = 65536/" extranoc.conf &&
	lines=$(wc -l <collector.log) &&
	kill -HUP $(cat collector.pid) &&
	test_wait_for 5 grep -q "notice: reloaded" collector.log &&
	tail -n +$(( lines + 1 )) collector.log | grep "notice: trap socket udp:127.0.0.1:$P: receive buffer [0-9]* bytes (asked 65536" &&
	rcvbuf_errors >drops2.before &&
	"$TRAPGEN" -v 2c -c $COMMUNITY -n $N --first-seq 100001 -k linkflap --interfaces $K --if-name eth \
		-s 127.0.0.1 127.0.0.1:$P >trapgen2.out &&
	test_wait_for 20 has_fact "select(.kind == \"trap.storm-end\" and .seq > $end1)" &&
	rcvbuf_errors >drops2.after &&
	sel_link="(.kind == \"trap.link-down\" or .kind == \"trap.link-up\") and .attrs.node == \"flood\" and .seq > $end1" &&
	stored=$(count_facts "$sel_link") &&
	counted=$(jq -s "map(select(.seq > $end1 and .subject == \"node/flood\" and (.kind == \"trap.storm-summary\" or
		.kind == \"trap.storm-end\")) | .attrs.counted_period) | add" facts.json) &&
	dropped=$(( $(cat drops2.after) - $(cat drops2.before) )) &&
	echo "second burst: sent $N: stored $stored, counted $counted, kernel drops $dropped" &&
	if [ -n "${XN_T3010_NETNS:-}" ]; then
		test $(( stored + counted )) = $(( N - dropped ))
	else
		test $(( stored + counted )) -le $N && test $(( stored + counted + dropped )) -ge $N
	fi
'

test_expect_success 'SIGTERM: exit 0; the totals agree with the journal' '
	stop_collector &&
	test "$(cat collector.status)" = 0 &&
	grep "notice: stopped" collector.log &&
	dropped=$(( $(cat drops.after) - $(cat drops.before) )) &&
	facts &&
	total=$(count_facts ".source == \"collector\"") &&
	grep "notice: .* facts appended to the journal" collector.log | tail -n 1 >totals &&
	cat totals &&
	grep " $total facts appended to the journal" totals
'

test_done
