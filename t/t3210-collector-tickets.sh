#!/bin/sh
# extranoc-collector derives carrier tickets from its outages and delivers
# their events: the ticket engine (sla/ticket.h) inside the derivation
# (collector/derive.c), the tickets and the outbox messages stored in the
# same step (storage/derived.h, storage/outbox.h), the dispatcher
# (collector/dispatch.h) sending them, and a timer for the next deadline.
# The sample county with a short demo policy (correlation window 5 s,
# response 60 s, escalation 100/150/200 %, flap grace 10 s); telecom's
# tickets go by SMTP to a real sink (t/tools/smtp-sink), mobile's to a
# spool directory; dong-core and xi-core send their traps from loopback.
# - A linkDown on a telecom link and one on a mobile link: an outage each,
#   a ticket each once the window has passed, #opened in the sink and in
#   the spool, the tickets stored (open, their carrier).
# - No acknowledgement: XN-…-R#1 at the response deadline, with no new
#   fact, delivered within seconds of it; `extranoc fault ack` after it:
#   no R#2 at 150 %; the mobile ticket, acknowledged in time, raises none.
# - linkUp: restored, and #closed when the grace has passed with no flap.
# - kill -9 before a deadline, a start after it: the breach is raised at
#   once with the instant it fell due, and delivered once.
# - The collector refuses (-n) a configuration its dispatcher could not use.
test_description='extranoc-collector: carrier tickets derived live, their messages delivered'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

SINK="$top_srcdir/t/tools/smtp-sink"
if ! command -v snmptrap >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
	test_skip_all "needs snmptrap (Debian snmp), jq and sqlite3"
fi
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
	test_skip_all "needs python3-aiosmtpd (scripts/install-deps)"
fi
. "$top_srcdir/t/lib-collector.sh"

P=$(test_port 1)
P_SMTP=$(test_port 2)
COMMUNITY=xn-t3210-community
SPOOL=$TRASH_DIRECTORY/spool/mobile
unset EXTRANOC_DB

jq --arg smtp "smtp://127.0.0.1:$P_SMTP" --arg spool "$SPOOL" '
	.["extranoc-inventory:inventory"].node |= map(
		if .name == "dong-core" then ."management-address" = "127.0.0.1"
		elif .name == "xi-core" then ."management-address" = "127.0.0.2" else . end)
	| .["extranoc-inventory:inventory"].carrier |= map(
		if .name == "telecom" then ."ticket-channel" = { "smtp-to": ["noc@telecom.example"], "smtp-server": $smtp }
		elif .name == "mobile" then ."ticket-channel" = { "spool-directory": $spool } else . end)' \
	"$top_srcdir/data/sample-county.json" >county.json || exit 1
jq '.["extranoc-policy:policy"]["fault-repair"]["response-target"] = 60
	| .["extranoc-policy:policy"]["fault-repair"]["flap-grace"] = 10
	| .["extranoc-policy:policy"]["fault-repair"]["escalation"] = [100, 150, 200]
	| .["extranoc-policy:policy"]["fault-repair"]["noc-contact"] = { name: "示例市电子政务外网运维中心", phone: "0000-12345" }
	| .["extranoc-policy:policy"].outages["correlation-window"] = 5' \
	"$top_srcdir/data/policy-default.json" >policy.json || exit 1
(
	umask 077
	echo "{ \"extranoc-secrets:secrets\": { \"snmp-community\": [ { \"name\": \"simnet-v2c\", \"community\": \"$COMMUNITY\" } ] } }" >secrets.json
)
conf () {
	cat <<-EOF
	[extranoc]
	config = county.json; policy.json; secrets.json
	journal = journal.db
	log-level = info
	[collector]
	listen = udp:127.0.0.1:$P
	smtp-from = extranoc@noc.example
	retry-first = 1
	retry-max = 2
	EOF
}
conf >extranoc.conf || exit 1
mkdir -p "$SPOOL" || exit 1

# link_trap FROM DOWN|UP IFINDEX IFNAME: an SNMPv2c linkDown/linkUp from a loopback address.
link_trap () {
	if [ "$2" = DOWN ]; then _lt_oid=3; _lt_oper=2; else _lt_oid=4; _lt_oper=1; fi
	snmptrap -v 2c -c $COMMUNITY --clientaddr="$1" 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.$_lt_oid \
		1.3.6.1.2.1.2.2.1.1.$3 i $3 1.3.6.1.2.1.2.2.1.7.$3 i 1 1.3.6.1.2.1.2.2.1.8.$3 i $_lt_oper \
		1.3.6.1.2.1.31.1.1.1.1.$3 s "$4"
}

start_sink () {
	rm -f sink.pid
	"$SINK" --port "$P_SMTP" --dir mail --pidfile sink.pid 2>>sink.log &
	test_wait_for 20 test -s sink.pid || { cat sink.log; return 1; }
	test_atexit "kill $(cat sink.pid)"
}

restart_collector () {
	set +e
	start_collector "$@"
	_rc=$?
	set -e
	return $_rc
}

sql () { sqlite3 -batch -noheader journal.db "$1"; }
# ticket_of CARRIER LINK: the id of the ticket whose root is that link.
ticket_of () { sql "SELECT id FROM tickets WHERE carrier = '$1' AND json_extract (json, '\$.link') = '$2'"; }
ticket_json () { sql "SELECT json FROM tickets WHERE id = '$1'"; }
status_of () { sql "SELECT status FROM tickets WHERE id = '$1'"; }
# message_count EVENT: outbox messages of the event.
message_count () { sql "SELECT count (*) FROM outbox_messages WHERE event_id = '$1'"; }
is_sent () { test "$(sql "SELECT state FROM outbox_messages WHERE event_id = '$1'")" = sent; }
# mails ID: e-mails the sink kept with this event's Message-ID.
mails () { grep -l -F "X-Extranoc-Event: $1" mail/*.eml 2>/dev/null | wc -l; }
has_mail () { test "$(mails "$1")" -ge 1; }
# lateness EVENT: how long after the instant it fell due its message was
# inserted, in ms.
lateness () { sql "SELECT (created - instant) / 1000 FROM outbox_messages WHERE event_id = '$1'"; }
# deadline_us TICKET: its response deadline, in µs since the epoch.
deadline_us () {
	ticket_json "$1" | jq -r .response.deadline | sed 's/Z$//' | {
		read -r t && echo $(( $(date -u -d "${t%.*}" +%s) * 1000000 + 10#${t#*.} ))
	}
}
instant_of () { sql "SELECT instant FROM outbox_messages WHERE event_id = '$1'"; }
closed_of () { sql "SELECT closed FROM tickets WHERE id = '$1'"; }
# restored_of TICKET: when its root outage ended, in µs.
restored_of () {
	sql "SELECT \"end\" FROM outages WHERE id = (SELECT json_extract (json, '\$.root_outage') FROM tickets WHERE id = '$1')"
}

test_expect_success 'a configuration the dispatcher could not use is refused by -n' '
	sed "/^smtp-from/d" extranoc.conf >no-from.conf &&
	test_must_fail extranoc-collector -n -c no-from.conf 2>no-from.err &&
	grep "delivery of tickets to the carriers: .*telecom" no-from.err &&
	extranoc-collector -n -c extranoc.conf >/dev/null
'

start_sink || exit 1
start_collector || exit 1

test_expect_success 'a linkDown on a carrier link: an outage, a ticket, #opened by mail and in the spool' '
	link_trap 127.0.0.1 DOWN 11 ge-0-1-1 &&
	link_trap 127.0.0.2 DOWN 11 ge-0-1-1 &&
	test_wait_for 20 eval "test -n \"\$(ticket_of telecom L-dong-qingshan)\"" &&
	test_wait_for 10 eval "test -n \"\$(ticket_of mobile L-xi-hongqiao)\"" &&
	T=$(ticket_of telecom L-dong-qingshan) && M=$(ticket_of mobile L-xi-hongqiao) &&
	echo "$T" >telecom.id && echo "$M" >mobile.id &&
	test "$(status_of "$T")" = open && test "$(status_of "$M")" = open &&
	test_wait_for 20 has_mail "$T#opened" &&
	test_wait_for 20 test -s "$SPOOL/${M}_opened.mobile.json" &&
	test_wait_for 10 is_sent "$T#opened" &&
	grep -F "Message-ID: <${T}_opened.telecom@extranoc>" mail/*.eml &&
	jq -e ".event_id == \"$M#opened\" and .carrier.name == \"mobile\"" "$SPOOL/${M}_opened.mobile.json" &&
	ticket_json "$T" | jq -e ".response.target_s == 60 and .attribution.carrier == \"telecom\"" &&
	extranoc outages --db journal.db --json | jq -e ".outages | map(select(.object == \"link/L-dong-qingshan\" and .end == null)) | length == 1"
'

test_expect_success 'the mobile ticket acknowledged in time raises no breach' '
	M=$(cat mobile.id) &&
	extranoc fault ack -c extranoc.conf --user alice --carrier-ref YD-778 --contact 李工 "$M" &&
	test_wait_for 10 eval "ticket_json $M | jq -e \".response.carrier_ref == \\\"YD-778\\\"\""
'

test_expect_success 'no acknowledgement: R#1 at the response deadline, with no new fact' '
	T=$(cat telecom.id) &&
	seq_before=$(sql "SELECT max (seq) FROM facts") &&
	test_wait_for 75 has_mail "$T-R#1" &&
	test "$(sql "SELECT max (seq) FROM facts")" = "$seq_before" &&
	test "$(instant_of "$T-R#1")" = "$(deadline_us "$T")" &&
	late=$(lateness "$T-R#1") &&
	echo "R#1 inserted $late ms after its deadline" >figures &&
	test "$late" -lt 3000 &&
	grep -F "Message-ID: <${T}-R_1.telecom@extranoc>" mail/*.eml
'

test_expect_success 'acknowledged after R#1: no R#2 at 150 %' '
	T=$(cat telecom.id) && M=$(cat mobile.id) &&
	extranoc fault ack -c extranoc.conf --user alice --carrier-ref DX-4411 --contact 王工 "$T" &&
	test_wait_for 10 eval "ticket_json $T | jq -e \".response.carrier_ref == \\\"DX-4411\\\"\"" &&
	r2=$(( $(deadline_us "$T") + 30000000 )) &&
	while [ $(( $(date +%s) * 1000000 )) -lt $(( r2 + 3000000 )) ]; do sleep 1; done &&
	test "$(message_count "$T-R#2")" -eq 0 &&
	test "$(mails "$T-R#2")" -eq 0 &&
	test "$(message_count "$M-R#1")" -eq 0 &&
	ticket_json "$T" | jq -e ".escalation.response | map(.raised != null) == [true, false, false]" &&
	ticket_json "$M" | jq -e ".escalation.response | map(.raised != null) == [false, false, false]"
'

test_expect_success 'linkUp: restored, and #closed once the flap grace has passed' '
	T=$(cat telecom.id) &&
	link_trap 127.0.0.1 UP 11 ge-0-1-1 &&
	test_wait_for 10 eval "test \"\$(status_of $T)\" = restored" &&
	test_wait_for 25 has_mail "$T#closed" &&
	test "$(status_of "$T")" = closed &&
	test "$(mails "$T#closed")" -eq 1 &&
	test "$(closed_of "$T")" = "$(instant_of "$T#closed")" &&
	test "$(closed_of "$T")" -eq $(( $(restored_of "$T") + 10000000 ))
'

test_expect_success 'kill -9 before a deadline, a start after it: the breach at once, at its instant, sent once' '
	link_trap 127.0.0.1 DOWN 12 ge-0-1-2 &&
	test_wait_for 20 eval "test -n \"\$(ticket_of telecom L-dong-baishui)\"" &&
	B=$(ticket_of telecom L-dong-baishui) && echo "$B" >baishui.id &&
	test_wait_for 20 has_mail "$B#opened" &&
	due=$(deadline_us "$B") &&
	kill -9 "$(cat collector.pid)" &&
	test_wait_for 10 test -s collector.status &&
	while [ $(( $(date +%s) * 1000000 )) -lt $(( due + 5000000 )) ]; do sleep 1; done &&
	test "$(message_count "$B-R#1")" -eq 0 &&
	restart_collector -l restart.log &&
	test_wait_for 10 eval "test \"\$(message_count \"$B-R#1\")\" -eq 1" &&
	test "$(instant_of "$B-R#1")" = "$due" &&
	grep -F "tickets: $B-R#1 (response-breach) for telecom" restart.log &&
	test_wait_for 20 has_mail "$B-R#1" &&
	stop_collector &&
	test "$(cat collector.status)" = 0 &&
	restart_collector -l restart2.log &&
	sleep 2 &&
	test "$(mails "$B-R#1")" -eq 1 &&
	test "$(mails "$B#opened")" -eq 1 &&
	test "$(message_count "$B-R#1")" -eq 1
'

test_expect_success 'the stored tickets are the engine'"'"'s: every ticket of the journal, each event once' '
	stop_collector &&
	test "$(cat collector.status)" = 0 &&
	sql "SELECT event_id FROM outbox_messages ORDER BY event_id" >events &&
	sort -u events >events.unique &&
	test_cmp events.unique events &&
	test "$(sql "SELECT count (*) FROM outbox_messages WHERE state <> '"'sent'"'")" -eq 0 &&
	test "$(sql "SELECT count (*) FROM tickets")" -eq 3
'

test -s figures && while read -r line; do say "$line"; done <figures

test_done
