#!/bin/sh
# extranoc-collector and maintenance windows, live (doc/maintenance.md):
# windows are filed and approved with `extranoc maintenance` into the
# collector's journal while it runs, and its ticket engine judges them on
# the shipped calendar and the policy. The sample county with a short
# policy (correlation window 5 s, flap grace 10 s, carrier notices 10 s
# ahead and approved); telecom's tickets go by SMTP to a real sink
# (t/tools/smtp-sink); dong-core sends its traps from loopback.
# - A compliant, approved window on L-dong-qingshan: the link goes down
#   inside it; the outage is recorded, but no ticket opens and telecom
#   hears nothing while the window lasts. Still down at its end: the
#   ticket opens then, report time the window's end, and #opened goes out.
# - A late, unapproved window on L-dong-baishui, the link down inside it:
#   the ticket opens after the correlation window as if there were no
#   window, #opened goes out, and the ticket names the flagged window.
test_description='extranoc-collector: a compliant window holds the carrier message, a late one does not'
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
COMMUNITY=xn-t3215-community
unset EXTRANOC_DB SUDO_USER

jq --arg smtp "smtp://127.0.0.1:$P_SMTP" '
	.["extranoc-inventory:inventory"].node |= map(
		if .name == "dong-core" then ."management-address" = "127.0.0.1" else . end)
	| .["extranoc-inventory:inventory"].carrier |= map(
		if .name == "telecom" then ."ticket-channel" = { "smtp-to": ["noc@telecom.example"], "smtp-server": $smtp }
		else . end)' \
	"$top_srcdir/data/sample-county.json" >county.json || exit 1
jq '.["extranoc-policy:policy"]["fault-repair"]["response-target"] = 600
	| .["extranoc-policy:policy"]["fault-repair"]["flap-grace"] = 10
	| .["extranoc-policy:policy"].outages["correlation-window"] = 5
	| .["extranoc-policy:policy"].notice.carrier["lead-time"] = 10' \
	"$top_srcdir/data/policy-default.json" >policy.json || exit 1
(
	umask 077
	echo "{ \"extranoc-secrets:secrets\": { \"snmp-community\": [ { \"name\": \"simnet-v2c\", \"community\": \"$COMMUNITY\" } ] } }" >secrets.json
)
cat >extranoc.conf <<EOF || exit 1
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

# link_trap DOWN|UP IFINDEX IFNAME: an SNMPv2c linkDown/linkUp from dong-core.
link_trap () {
	if [ "$1" = DOWN ]; then _lt_oid=3; _lt_oper=2; else _lt_oid=4; _lt_oper=1; fi
	snmptrap -v 2c -c $COMMUNITY --clientaddr=127.0.0.1 127.0.0.1:$P "" 1.3.6.1.6.3.1.1.5.$_lt_oid \
		1.3.6.1.2.1.2.2.1.1.$2 i $2 1.3.6.1.2.1.2.2.1.7.$2 i 1 1.3.6.1.2.1.2.2.1.8.$2 i $_lt_oper \
		1.3.6.1.2.1.31.1.1.1.1.$2 s "$3"
}

start_sink () {
	rm -f sink.pid
	"$SINK" --port "$P_SMTP" --dir mail --pidfile sink.pid 2>>sink.log &
	test_wait_for 20 test -s sink.pid || { cat sink.log; return 1; }
	test_atexit "kill $(cat sink.pid)"
}

sql () { sqlite3 -batch -noheader journal.db "$1"; }
ticket_of () { sql "SELECT id FROM tickets WHERE carrier = '$1' AND json_extract (json, '\$.link') = '$2'"; }
ticket_json () { sql "SELECT json FROM tickets WHERE id = '$1'"; }
instant_of () { sql "SELECT instant FROM outbox_messages WHERE event_id = '$1'"; }
opened_count () { sql "SELECT count (*) FROM outbox_messages WHERE event_id LIKE '%#opened'"; }
mails () { grep -l -F "X-Extranoc-Event: $1" mail/*.eml 2>/dev/null | wc -l; }
has_mail () { test "$(mails "$1")" -ge 1; }
# local_time EPOCH: the instant in the policy's zone, with its offset.
local_time () { TZ=Asia/Shanghai date -d "@$1" +%Y-%m-%dT%H:%M:%S+08:00; }
# open_outage LINK: the collector has an open outage of the link.
open_outage () {
	extranoc outages --db journal.db --json |
		jq -e ".outages | map(select(.object == \"link/$1\" and .end == null)) | length == 1" >/dev/null
}
# until_epoch S: sleep until the clock reaches S (epoch seconds).
until_epoch () { while [ "$(date +%s)" -lt "$1" ]; do sleep 1; done; }

start_sink || exit 1
start_collector || exit 1

# T0: the work starts at T0 + 20 s on qingshan (filed about 20 s ahead,
# approved at once) and at T0 + 8 s on baishui (filed about 8 s ahead, of
# the 10 required: late); both windows end at T0 + 65 s. The links go down
# at T0 + 21 s.
T0=$(date +%s)
START_A=$(( T0 + 20 )) START_B=$(( T0 + 8 )) END=$(( T0 + 65 ))

test_expect_success 'a window filed and approved in time, one filed late: judged by the CLI' '
	extranoc maintenance file -c extranoc.conf -u ops -i carrier -n telecom --link L-dong-qingshan \
		--start "$(local_time $START_A)" --end "$(local_time $END)" -r 割接 >file-a.out &&
	sed -n "1s/:.*//p" file-a.out >mw-a &&
	extranoc maintenance approve -c extranoc.conf -u ops "$(cat mw-a)" --by 王科长 &&
	extranoc maintenance file -c extranoc.conf -u ops -i carrier -n telecom --link L-dong-baishui \
		--start "$(local_time $START_B)" --end "$(local_time $END)" -r 割接 >file-b.out &&
	sed -n "1s/:.*//p" file-b.out >mw-b &&
	extranoc maintenance show -c extranoc.conf "$(cat mw-a)" | grep "^$(cat mw-a): approved, compliant$" &&
	extranoc maintenance show -c extranoc.conf "$(cat mw-b)" | grep "^$(cat mw-b): filed, not compliant: filed .* late.*; not approved$"
'

test_expect_success 'both links down inside their windows: the late window'"'"'s link is ticketed as usual' '
	until_epoch $(( START_A + 1 )) &&
	link_trap DOWN 11 ge-0-1-1 &&
	link_trap DOWN 12 ge-0-1-2 &&
	test_wait_for 20 eval "test -n \"\$(ticket_of telecom L-dong-baishui)\"" &&
	B=$(ticket_of telecom L-dong-baishui) && echo "$B" >baishui.id &&
	test_wait_for 20 has_mail "$B#opened" &&
	ticket_json "$B" | jq -e ".report.rule == \"recorded\" and .maintenance_flagged == [\"$(cat mw-b)\"]"
'

test_expect_success 'inside the compliant window: the outage is recorded, no ticket, no message' '
	test_wait_for 10 open_outage L-dong-qingshan &&
	until_epoch $(( END - 10 )) &&
	open_outage L-dong-qingshan &&
	test -z "$(ticket_of telecom L-dong-qingshan)" &&
	test "$(opened_count)" -eq 1 &&
	test "$(sql "SELECT count (*) FROM outbox_messages WHERE event_id NOT LIKE '"'"'$(cat baishui.id)%'"'"'")" -eq 0
'

test_expect_success 'still down at the window'"'"'s end: the ticket opens then, R = the end, #opened sent' '
	test_wait_for 30 eval "test -n \"\$(ticket_of telecom L-dong-qingshan)\"" &&
	Q=$(ticket_of telecom L-dong-qingshan) &&
	test_wait_for 20 has_mail "$Q#opened" &&
	end_us=$(( END * 1000000 )) &&
	test "$(instant_of "$Q#opened")" = "$end_us" &&
	ticket_json "$Q" | jq -e ".report.rule == \"window-end\" and .report.window == \"$(cat mw-a)\"" &&
	test "$(mails "$Q#opened")" -eq 1
'

test_expect_success 'linkUp: both restored and closed; each event stored once' '
	link_trap UP 11 ge-0-1-1 &&
	link_trap UP 12 ge-0-1-2 &&
	Q=$(ticket_of telecom L-dong-qingshan) && B=$(cat baishui.id) &&
	test_wait_for 30 has_mail "$Q#closed" &&
	test_wait_for 10 has_mail "$B#closed" &&
	stop_collector &&
	test "$(cat collector.status)" = 0 &&
	sql "SELECT event_id FROM outbox_messages" | sort >events &&
	printf "%s\n" "$B#closed" "$B#opened" "$Q#closed" "$Q#opened" | sort >expect &&
	test_cmp expect events
'

test_done
