#!/bin/sh
# extranoc-collector derives outages from the journal as it grows and keeps
# them beside it (storage/derived.h); at every check below the store equals
# what `extranoc replay` derives from the same journal, up to the stored
# position and at the stored `now`, compared outage by outage.
# - Replay equals live: the sample county (dong-core and xi-core sending
#   traps from 127.0.0.1 and 127.0.0.2) and a collector on an empty journal
#   to which the test appends the parent-down scenario (extranoc journal
#   import), poller-like facts of its own, and traps sent with snmptrap.
#   SIGTERM commits a last step, and the next start resumes there; SIGHUP
#   with the same topology carries on, with another one derives again from
#   the journal's start, said once.
# - kill -9: three bursts of 50,000 link-down/link-up traps over dong-core's
#   three township links (t/tools/trapgen), each with the collector killed
#   at another moment (after 2,000, 15,000 and 35,000 stored facts of the
#   burst) and started again; once it has caught up, the store equals the
#   replay of the journal. The parent-down outages, dated 2025, settle once
#   facts dated now arrive: they stay as rows and leave the snapshot.
# - Parent-down on the simulated extranet (t/simnet): a poller and a
#   collector on one journal; dong-core and its three townships stop (the
#   townships are reached through it in a real county; simnet's management
#   network is flat, so they are stopped with it): one root incident,
#   dong-core's node outage, with every other outage attributed to it; all
#   four started again: everything closes. Skipped with simnet's reason
#   where it cannot run.
test_description='extranoc-collector: outages derived from the journal, equal to replay, across kill -9'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

TRAPGEN="$top_builddir/t/tools/trapgen"
if ! command -v snmptrap >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1 || ! test -x "$TRAPGEN"; then
	test_skip_all "needs snmptrap (Debian snmp), jq and t/tools/trapgen (make check builds it)"
fi
. "$top_srcdir/t/lib-collector.sh"

P=$(test_port 1)
COMMUNITY=xn-t3030-community
N=50000
unset EXTRANOC_DB

# The sample county; dong-core and xi-core send their traps from loopback.
jq '.["extranoc-inventory:inventory"].node |= map(
	if .name == "dong-core" then ."management-address" = "127.0.0.1"
	elif .name == "xi-core" then ."management-address" = "127.0.0.2" else . end)' \
	"$top_srcdir/data/sample-county.json" >county.json || exit 1
(
	umask 077
	echo "{ \"extranoc-secrets:secrets\": { \"snmp-community\": [ { \"name\": \"simnet-v2c\", \"community\": \"$COMMUNITY\" } ] } }" >secrets.json
)
cat >extranoc.conf <<EOF
[extranoc]
config = county.json; secrets.json
journal = journal.db
[collector]
listen = udp:127.0.0.1:$P
storm-rate = 1000000
# the sample county's telecom delivers by SMTP: nothing listens here, its
# messages wait in the outbox (t3210 is about delivery)
smtp-relay = smtp://127.0.0.1:9
smtp-from = extranoc@noc.example
EOF

# caught_up [DB]: the derivation has reached the journal's last seq.
caught_up () {
	extranoc outages --db "${1:-journal.db}" --json >caught.json 2>/dev/null &&
	jq -e '.last_seq > 0 and .last_seq == .journal_last_seq' caught.json >/dev/null
}

# same_as_replay NAME [DB [CONF]]: the stored outages (NAME.stored.json)
# are those `extranoc replay` derives from the journal's facts up to the
# stored position, at the stored `now` (NAME.replay.json).
same_as_replay () {
	_sr_db=${2:-journal.db}
	extranoc outages --db "$_sr_db" --json >"$1.stored.json" &&
	_sr_last=$(jq .last_seq "$1.stored.json") &&
	_sr_at=$(jq -r .derived_at "$1.stored.json") &&
	extranoc journal export --db "$_sr_db" | jq -c "select(.seq <= $_sr_last)" >"$1.jsonl" &&
	extranoc replay --config "${3:-extranoc.conf}" --journal "$1.jsonl" --at "$_sr_at" --json >"$1.replay.json" &&
	jq -e ".facts.last_seq == $_sr_last and .facts.after_at == 0" "$1.replay.json" >/dev/null &&
	jq -S .outages "$1.stored.json" >"$1.stored.outages" &&
	jq -S .outages "$1.replay.json" >"$1.replay.outages" &&
	echo "$1: $(jq length "$1.stored.outages") outages, derived up to seq $_sr_last at $_sr_at" &&
	test_cmp "$1.replay.outages" "$1.stored.outages"
}

# last_seq [DB]: the journal's last seq.
last_seq () { extranoc journal stats --db "${1:-journal.db}" | sed -n 's/^last-seq: //p'; }

# iso_ago S: the instant S seconds ago, as the journal writes instants.
iso_ago () { date -u -d "@$(( $(date +%s) - $1 ))" +%Y-%m-%dT%H:%M:%S.000000Z; }
# iso_now: this instant, to the microsecond.
iso_now () { date -u +%Y-%m-%dT%H:%M:%S.%6NZ; }

# poll_fact KIND NODE IFNAME IFINDEX LINK OPER TS: a poller's interface fact, one JSON line.
poll_fact () {
	printf '{"ts":"%s","kind":"%s","subject":"interface/%s/%s","source":"poller","recorded":"%s","attrs":{"reassert":false,"node":"%s","if_name":"%s","present":true,"if_index":%s,"admin_status":"up","oper_status":"%s","link":"%s"}}\n' \
		"$7" "$1" "$2" "$3" "$7" "$2" "$3" "$4" "$6" "$5"
}

# link_trap FROM DOWN|UP IFINDEX IFNAME: an SNMPv2c linkDown/linkUp from a loopback address.
link_trap () {
	if [ "$2" = DOWN ]; then _lt_oid=3; _lt_oper=2; else _lt_oid=4; _lt_oper=1; fi
	snmptrap -v 2c -c $COMMUNITY --clientaddr="$1" 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.$_lt_oid \
		1.3.6.1.2.1.2.2.1.1.$3 i $3 1.3.6.1.2.1.2.2.1.7.$3 i 1 1.3.6.1.2.1.2.2.1.8.$3 i $_lt_oper \
		1.3.6.1.2.1.31.1.1.1.1.$3 s "$4"
}

# restart_collector: start_collector from a test body, whose errexit the
# subshell waiting for the collector must not inherit (it would leave
# before writing collector.status).
restart_collector () {
	set +e
	start_collector "$@"
	_rc=$?
	set -e
	return $_rc
}

# ---- replay equals live ----

start_collector

test_expect_success 'on an empty journal the derivation starts at its start' '
	kill -0 $(cat collector.pid) &&
	grep "notice: outages: derived from the journal.s start (no derived state in .*journal.db yet)" collector.log
'

test_expect_success 'the parent-down scenario appended while it runs: one root, stored as replay derives it' '
	extranoc journal import --db journal.db --renumber "$top_srcdir/t/t3100-replay-scenarios.d/parent-down.jsonl" &&
	test_wait_for 10 caught_up &&
	same_as_replay scenario &&
	jq -e "map(select(.object == \"node/dong-core\")) | length == 1 and (.[0].id == \"2:node/dong-core\")
		and (.[0].dependents | length == 9)" scenario.stored.outages &&
	jq -e "length == 10 and all(.[]; .end != null)" scenario.stored.outages
'

test_expect_success 'traps and polls of the same links: merged into one outage each, as replay derives them' '
	before=$(last_seq) &&
	poll_ts=$(iso_ago 30) &&
	poll_fact interface.down xi-core ge-0-2-1 21 L-xi-civil down "$poll_ts" >poll.jsonl &&
	extranoc journal import --db journal.db poll.jsonl &&
	link_trap 127.0.0.2 DOWN 21 ge-0-2-1 &&
	link_trap 127.0.0.1 DOWN 11 ge-0-1-1 &&
	link_trap 127.0.0.1 UP 11 ge-0-1-1 &&
	test_wait_for 10 has_fact "select(.kind == \"trap.link-up\" and .subject == \"interface/dong-core/ge-0-1-1\")" &&
	test $(count_facts ".seq > $before") = 4 &&
	test_wait_for 10 caught_up &&
	same_as_replay traps &&
	jq -c "map(select(.object == \"link/L-xi-civil\")) | map([.start, .end, (.evidence | length), .cause, .provisional])" \
		traps.stored.outages >actual &&
	echo "[[\"$poll_ts\",null,2,\"interface-down xi-core ge-0-2-1\",true]]" >expect &&
	test_cmp expect actual &&
	jq -e "map(select(.object == \"link/L-dong-qingshan\" and .end != null and (.evidence | length) == 2
		and .cause == \"interface-down dong-core ge-0-1-1\" and .start > \"2026\")) | length == 1" traps.stored.outages
'

test_expect_success 'SIGTERM: a last step; started again, it resumes there and derives what came meanwhile' '
	stop_collector &&
	test "$(cat collector.status)" = 0 &&
	last=$(last_seq) &&
	grep "notice: outages: derived up to seq $last and stored" collector.log &&
	poll_fact interface.up xi-core ge-0-2-1 21 L-xi-civil up "$(iso_now)" >poll-up.jsonl &&
	extranoc journal import --db journal.db poll-up.jsonl &&
	restart_collector &&
	grep "notice: outages: the derivation resumes after seq $last (" collector.log &&
	test_wait_for 10 caught_up &&
	same_as_replay resumed &&
	jq -e "map(select(.object == \"link/L-xi-civil\" and .end == null)) | length == 0" resumed.stored.outages
'

test_expect_success 'SIGHUP with the same topology: the derivation carries on' '
	jq ".[\"extranoc-inventory:inventory\"].node[0].\"display-name\" = \"市核心\"" county.json >county.new &&
	mv county.new county.json &&
	lines=$(wc -l <collector.log) &&
	kill -HUP $(cat collector.pid) &&
	test_wait_for 10 eval "tail -n +$(( lines + 1 )) collector.log | grep -q \"notice: reloaded\"" &&
	! tail -n +$(( lines + 1 )) collector.log | grep "outages:" &&
	before=$(last_seq) &&
	link_trap 127.0.0.2 DOWN 21 ge-0-2-1 &&
	test_wait_for 10 has_fact "select(.kind == \"trap.link-down\" and .seq > $before)" &&
	test_wait_for 10 caught_up &&
	same_as_replay same-topology
'

test_expect_success 'SIGHUP with another topology: derived again from the journal start, said once' '
	jq ".[\"extranoc-inventory:inventory\"] |= (
		.node += [{\"name\": \"bei-core\", \"role\": \"backbone\", \"site\": \"city-dc\", \"parent\": \"city-core\",
			   \"management-address\": \"127.0.0.5\", \"snmp\": {\"credential\": \"simnet-v2c\"}}]
		| .link += [{\"id\": \"L-city-bei\", \"bandwidth\": 1000, \"sla-site\": \"city-dc\",
			     \"a-end\": {\"node\": \"city-core\", \"interface\": \"ge-0-0-3\"},
			     \"z-end\": {\"node\": \"bei-core\", \"interface\": \"ge-0-0-0\"}}])" county.json >county.new &&
	mv county.new county.json &&
	extranoc-collector -n -c "$TRASH_DIRECTORY/extranoc.conf" >/dev/null &&
	lines=$(wc -l <collector.log) &&
	kill -HUP $(cat collector.pid) &&
	test_wait_for 10 eval "tail -n +$(( lines + 1 )) collector.log | grep -q \"notice: reloaded\"" &&
	tail -n +$(( lines + 1 )) collector.log >reload.log &&
	cat reload.log &&
	test $(grep -c "warning: outages: the inventory.s topology changed (.*): outages are derived again from the journal.s start" reload.log) = 1 &&
	test $(grep -c "outages:" reload.log) = 1 &&
	test_wait_for 10 caught_up &&
	same_as_replay new-topology &&
	test_cmp same-topology.stored.outages new-topology.stored.outages &&
	before=$(last_seq) &&
	link_trap 127.0.0.5 DOWN 1 ge-0-0-0 &&
	test_wait_for 10 has_fact "select(.kind == \"trap.link-down\" and .seq > $before)" &&
	test_wait_for 10 caught_up &&
	same_as_replay new-link &&
	jq -e "map(select(.object == \"link/L-city-bei\" and .end == null)) | length == 1" new-link.stored.outages
'

# ---- kill -9 in the middle of bursts ----

# burst_stored: trap facts stored since the burst began.
burst_stored () { echo $(( $(last_seq) - burst_from )); }

round=0
for at in 2000 15000 35000; do
	round=$(( round + 1 ))
	test_expect_success "burst $round of $N traps: kill -9 after $at stored facts, start again, catch up: equal to replay" '
		burst_from=$(last_seq) &&
		{ "$TRAPGEN" -v 2c -c $COMMUNITY -n $N -r 10000 --first-seq $(( round * 100000 )) -k linkflap \
			--interfaces 3 --ifindex 1 --if-name ge-0-1- -s 127.0.0.1 127.0.0.1:$P >trapgen.$round.out 2>&1 & } &&
		sender=$! &&
		test_wait_for 30 eval "[ \$(burst_stored) -ge $at ]" &&
		killed=$(cat collector.pid) &&
		kill -9 $killed &&
		test_wait_for 10 gone $killed &&
		extranoc outages --db journal.db --json >killed.$round.json &&
		echo "killed with $(burst_stored) facts of the burst stored; derived up to seq $(jq .last_seq killed.$round.json) of $(last_seq)" &&
		restart_collector &&
		grep "notice: outages: the derivation resumes after seq $(jq .last_seq killed.$round.json) (" collector.log &&
		{ wait $sender || :; } &&
		cat trapgen.$round.out &&
		test_wait_for 60 caught_up &&
		same_as_replay kill$round &&
		jq -e "map(select(.object == \"link/L-dong-baishui\" and .start > \"2026\")) | length > 100" kill$round.stored.outages
	'
done

test_expect_success 'after the bursts: SIGTERM, and the store equals replay once more' '
	stop_collector &&
	test "$(cat collector.status)" = 0 &&
	grep "notice: outages: derived up to seq $(last_seq) and stored" collector.log &&
	same_as_replay bursts
'

# The parent-down scenario is dated 2025, the traps and polls now: its
# outages settled, left the engine and its snapshot, and stayed as rows
# (equal to the replay's, above).
test_expect_success 'what settled is in the store, not in the snapshot' '
	/usr/bin/python3 - <<-\EOF
	import json, sqlite3
	db = sqlite3.connect("journal.db")
	# the ticket engine's snapshot holds the outage engine's
	snapshot = json.loads(db.execute("SELECT snapshot FROM derived_state").fetchone()[0])["outages"]
	assert snapshot["version"] == 2 and snapshot["settle"] is True, snapshot["version"]
	assert snapshot["sealed"] is not None
	assert all(r[0] > snapshot["sealed"] for s in snapshot["signals"] for r in s["reports"] if s["subject"] == "node/dong-core")
	ids = [r[0] for r in db.execute("SELECT id FROM outages")]
	assert "2:node/dong-core" in ids, ids[:20]
	EOF
'

# ---- parent-down on the simulated extranet ----

. "$top_srcdir/t/simnet/lib-simnet.sh"
jq '.["extranoc-inventory:inventory"].node[].snmp."poll-interval" = 10' \
	"$top_srcdir/data/sample-county.json" >county-fast.json || exit 1
# simnet_up skips the whole script when simnet cannot run; here only its
# own tests are skipped, with its reason.
simnet_skip=
test_skip_all () { simnet_skip=$*; }
simnet_up "$TRASH_DIRECTORY/county-fast.json"

TOWNSHIPS="qingshan baishui taohua"
cat >simnet.conf <<EOF
[extranoc]
config = ${SIMNET_INVENTORY:-}; ${SIMNET_STATE:-}/secrets.json
journal = sim.db
log-level = info
[poller]
failing-repoll = 5
[collector]
listen = udp:127.0.0.1:$P
smtp-relay = smtp://127.0.0.1:9
smtp-from = extranoc@noc.example
EOF

# open_outages: the open outages of sim.db as "OBJECT ROOT" lines, sorted.
open_outages () {
	extranoc outages --db sim.db --open --json | jq -r '.outages[] | "\(.object) \(.segments | last | .root)"' | sort
}

# all_said KIND NODE...: the journal holds a KIND fact after $after for each NODE.
all_said () {
	_as_kind=$1; shift
	for _as_n in "$@"; do
		extranoc journal export --db sim.db | jq -e -s --argjson after "$after" \
			"any(.[]; .seq > \$after and .kind == \"$_as_kind\" and .subject == \"node/$_as_n\")" >/dev/null || return 1
	done
}

if [ -n "$simnet_skip" ]; then
	test_skip 'parent-down on the simulated extranet' "$simnet_skip"
else
	. "$top_srcdir/t/lib-poller.sh"
	start_poller -c "$TRASH_DIRECTORY/simnet.conf"
	start_collector -c "$TRASH_DIRECTORY/simnet.conf" -l simnet-collector.log

	test_expect_success 'simnet, a poller and a collector on one journal: every node re-asserted, nothing open' '
		test "$simnet_up_status" -eq 0 &&
		after=0 &&
		test_wait_for 40 all_said node.reachable city-core dong-core xi-core $TOWNSHIPS hongqiao songlin shiban &&
		test_wait_for 10 caught_up sim.db &&
		open_outages >open.before &&
		test ! -s open.before
	'

	test_expect_success 'dong-core and its townships stop: one root incident, the others attributed to it' '
		after=$(last_seq sim.db) &&
		simnet node-stop dong-core &&
		for n in $TOWNSHIPS; do simnet node-stop $n; done &&
		test_wait_for 60 all_said node.unreachable dong-core $TOWNSHIPS &&
		test_wait_for 10 caught_up sim.db &&
		same_as_replay parent-down sim.db simnet.conf &&
		root=$(jq -r "map(select(.object == \"node/dong-core\" and .end == null))[0].id" parent-down.stored.outages) &&
		echo "root: $root" &&
		open_outages >actual &&
		cat actual &&
		for o in node/dong-core node/qingshan node/baishui node/taohua link/L-city-dong link/L-dong-qingshan \
			 link/L-dong-baishui link/L-dong-taohua link/L-dong-finance link/L-dong-health; do
			echo "$o $root"
		done | sort >expect &&
		test_cmp expect actual &&
		jq -e "map(select(.id == \"$root\"))[0] | (.dependents | length) == 9 and .cause == \"node-unreachable\"" \
			parent-down.stored.outages
	'

	test_expect_success 'started again: every outage closes' '
		after=$(last_seq sim.db) &&
		simnet node-start dong-core &&
		for n in $TOWNSHIPS; do simnet node-start $n; done &&
		test_wait_for 60 all_said node.reachable dong-core $TOWNSHIPS &&
		test_wait_for 10 caught_up sim.db &&
		same_as_replay parent-up sim.db simnet.conf &&
		open_outages >open.after &&
		test ! -s open.after &&
		jq -e "length == 10" parent-up.stored.outages
	'
fi

test_done
