#!/bin/sh
# The outbox delivered to carriers by the real dispatcher (collector/
# dispatch.c, driven by t/tools/outbox-tool, which inserts messages the way
# the derivation does and runs the dispatcher on an extranoc.conf) against
# real local receivers: an SMTP sink (t/tools/smtp-sink, Debian's
# python3-aiosmtpd), an HTTP(S) receiver (t/tools/http-receiver) and a spool
# directory, for the sample county's carriers telecom (SMTP), unicom
# (webhook, bearer token) and mobile (spool).
# - Each channel delivers: the e-mail's headers, its UTF-8 subject decoded,
#   Message-ID, body; the webhook's JSON, token and headers; the spool file.
#   Inserting the same messages again sends nothing.
# - The SMTP sink down, then up: nothing lost, each attempt recorded, each
#   message delivered once, in order; the failing channel logged once and
#   its recovery once.
# - The webhook answering 500, then 200; the spool directory missing, then
#   created; a reload that fixes an address applies to the waiting message
#   at once.
# - kill -9 in the middle of a burst and a restart: nothing lost, and
#   nothing delivered twice where the receiver can tell (Message-ID,
#   event_id, file name), but for the one message in flight at the kill.
# - STARTTLS with a certificate made here by openssl and a login, TLS
#   verification refusing it without the CA file, STARTTLS required of a
#   server that does not offer it, and an HTTPS webhook.
test_description='outbox delivery by SMTP, webhook and spool to real receivers'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

TOOL="$top_builddir/t/tools/outbox-tool"
SINK="$top_srcdir/t/tools/smtp-sink"
HTTP="$top_srcdir/t/tools/http-receiver"
if ! test -x "$TOOL" || ! command -v jq >/dev/null 2>&1; then
	test_skip_all "needs t/tools/outbox-tool (make check builds it) and jq"
fi
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
	test_skip_all "needs python3-aiosmtpd (scripts/install-deps)"
fi
unset EXTRANOC_DB

P_SMTP=$(test_port 1)
P_HTTP=$(test_port 2)
P_TLS=$(test_port 3)
P_HTTPS=$(test_port 4)
P_NONE=$(test_port 5)
TOKEN=s3cret-token-t3200
PASSWORD=pw-t3200-secret
SPOOL=$TRASH_DIRECTORY/spool/mobile

# county [TELECOM_SERVER [TELECOM_LOGIN [UNICOM_URL]]]: the sample county
# with the test's channels.
county () {
	jq --arg smtp "${1:-smtp://127.0.0.1:$P_SMTP}" --arg login "${2:-}" \
	   --arg hook "${3:-http://127.0.0.1:$P_HTTP/tickets}" --arg spool "$SPOOL" '
	.["extranoc-inventory:inventory"].carrier = [
		{ name: "telecom", "display-name": "中国电信示例市分公司",
		  "ticket-channel": ({ "smtp-to": ["noc@telecom.example", "duty@telecom.example"], "smtp-server": $smtp }
				    + (if $login == "" then {} else { "smtp-credential": $login } end)) },
		{ name: "mobile", "display-name": "中国移动示例市分公司",
		  "ticket-channel": { "spool-directory": $spool } },
		{ name: "unicom", "display-name": "中国联通示例市分公司",
		  "ticket-channel": { "webhook-url": $hook, "webhook-credential": "unicom-token" } } ]' \
		"$top_srcdir/data/sample-county.json" >county.json.tmp && mv county.json.tmp county.json
}

# settings [LINE...]: extranoc.conf with these [collector] lines added.
settings () {
	{
		printf '[extranoc]\nconfig = county.json; secrets.json\njournal = journal.db\nlog-level = info\n'
		printf '[collector]\nsmtp-from = extranoc@noc.example\nretry-first = 1\nretry-max = 2\nsend-timeout = 10\n'
		for line in "$@"; do printf '%s\n' "$line"; done
	} >extranoc.conf
}

county || exit 1
settings || exit 1
(
	umask 077
	cat >secrets.json <<EOF
{ "extranoc-secrets:secrets": {
	"snmp-community": [ { "name": "simnet-v2c", "community": "xn-t3200-community" } ],
	"token": [ { "name": "unicom-token", "token": "$TOKEN" } ],
	"login": [ { "name": "telecom-mail", "username": "noc", "password": "$PASSWORD" } ] } }
EOF
) || exit 1

# message EVENT CARRIER: one line for outbox-tool put.
message () {
	jq -n -c --arg e "$1" --arg c "$2" '($e | split("#")[0]) as $t | {
		event_id: $e, carrier: $c, ticket_id: $t, kind: ($e | split("#")[1]),
		instant: "2025-03-10T10:05:00+08:00",
		subject: "【故障工单】\($t) 东城—青山乡镇链路中断 Link down (\($e))",
		body_text: "工单号 Ticket ID: \($t)\n事件 Event: \($e)\n承载运营商 Carrier: \($c)\n\n.\n请尽快处理。",
		body_json: { event_id: $e, ticket_id: $t, carrier: $c, kind: ($e | split("#")[1]), circuit_id: "DX-2025-0042",
			     subject: "东城—青山乡镇链路中断" } }'
}

# put EVENT:CARRIER...: inserts them in one transaction, as one step would.
put () {
	for m in "$@"; do message "${m%%:*}" "${m#*:}"; done >put.jsonl &&
	"$TOOL" put journal.db <put.jsonl
}

# start_sink, start_http, start_dispatcher [ARGS]: in the background, the
# pid in sink.pid, http.pid, dispatch.pid (and the dispatcher's exit
# status, once it exits, in dispatch.status); ready when they return.
start_sink () {
	rm -f sink.pid
	"$SINK" --port "$P_SMTP" --dir mail --pidfile sink.pid "$@" 2>>sink.log &
	test_wait_for 20 test -s sink.pid || { cat sink.log; return 1; }
}

stop_sink () {
	_pid=$(cat sink.pid) && kill "$_pid" && test_wait_for 10 gone "$_pid" && rm -f sink.pid
}

start_http () {
	rm -f http.pid
	"$HTTP" --port "$P_HTTP" --dir hooks --status-file http-status --pidfile http.pid "$@" 2>>http.log &
	test_wait_for 20 test -s http.pid || { cat http.log; return 1; }
}

stop_http () {
	_pid=$(cat http.pid) && kill "$_pid" && test_wait_for 10 gone "$_pid" && rm -f http.pid
}

start_dispatcher () {
	: >>dispatch.log
	_lines=$(wc -l <dispatch.log)
	rm -f dispatch.pid dispatch.status
	( "$TOOL" run -c "$TRASH_DIRECTORY/extranoc.conf" 2>>dispatch.log &
	  echo $! >dispatch.pid; wait $!; echo $? >dispatch.status ) &
	test_wait_for 20 test -s dispatch.pid || return 1
	test_wait_for 20 started "$_lines" || { cat dispatch.log; return 1; }
	! gone "$(cat dispatch.pid)" || { cat dispatch.log; return 1; }
}

# stop_dispatcher: SIGTERM; it must exit 0 (under the sanitizers: without
# a leak or an error found).
stop_dispatcher () {
	kill -TERM "$(cat dispatch.pid)" && test_wait_for 20 test -s dispatch.status &&
	{ test "$(cat dispatch.status)" = 0 || { cat dispatch.log; false; }; }
}

gone () { ! kill -0 "$1" 2>/dev/null; }

# Daemons started inside test bodies (subshells) are killed at exit from
# their pid files, whatever test left them running.
kill_all () {
	for _f in dispatch sink http tls-sink https; do
		test -s "$TRASH_DIRECTORY/$_f.pid" && kill "$(cat "$TRASH_DIRECTORY/$_f.pid")" 2>/dev/null
	done
	return 0
}
test_atexit kill_all

# said_since LINES TEXT: dispatch.log says TEXT after its first LINES lines.
said_since () {
	tail -n +"$(( $1 + 1 ))" dispatch.log | grep -qF "$2"
}

# started LINES: the dispatcher said it runs, or it is gone.
started () { said_since "$1" "dispatching the outbox of" || gone "$(cat dispatch.pid)"; }

kick () { kill -USR1 "$(cat dispatch.pid)"; }
reload () {
	_lines=$(wc -l <dispatch.log)
	kill -HUP "$(cat dispatch.pid)" && test_wait_for 20 said_since "$_lines" "configuration reloaded"
}

messages () { "$TOOL" list journal.db >messages.json; }
attempts () { "$TOOL" attempts journal.db >attempts.json; }
# state EVENT CARRIER
state () { messages && jq -r "select(.event_id == \"$1\" and .carrier == \"$2\") | .state" messages.json; }
is_sent () { test "$(state "$1" "$2")" = sent; }
# failed_attempts EVENT CARRIER: how many failed attempts are recorded
failed_attempts () {
	attempts && jq -s "map(select(.event_id == \"$1\" and .carrier == \"$2\" and (.ok | not))) | length" attempts.json
}
has_failed () { test "$(failed_attempts "$1" "$2")" -ge "$3"; }
count_sent () { messages && jq -s 'map(select(.state == "sent")) | length' messages.json; }
all_sent () { test "$(count_sent)" -eq "$1"; }
sent_at_least () { test "$(count_sent)" -ge "$1"; }

# mail_with ID: how many kept e-mails carry this Message-ID.
mail_with () { grep -l -F "Message-ID: <$1@extranoc>" mail/*.eml 2>/dev/null | wc -l; }
# mail_file ID: the first of them.
mail_file () { grep -l -F "Message-ID: <$1@extranoc>" mail/*.eml | head -n 1; }

# check_mail FILE EVENT CARRIER: the e-mail as a reader sees it.
check_mail () {
	/usr/bin/python3 - "$@" <<'EOF'
import email, email.policy, json, sys
path, event, carrier = sys.argv[1:4]
ticket = event.split("#")[0]
msg = email.message_from_bytes(open(path, "rb").read().replace(b"\r\n", b"\n"), policy=email.policy.default)
expect_subject = "【故障工单】%s 东城—青山乡镇链路中断 Link down (%s)" % (ticket, event)
checks = {
    "Subject": (str(msg["Subject"]), expect_subject),
    "From": (str(msg["From"]), "extranoc@noc.example"),
    "To": (str(msg["To"]).replace("\n", "").replace(" ", ""), "noc@telecom.example,duty@telecom.example"),
    "Message-ID": (str(msg["Message-ID"]), "<%s.%s@extranoc>" % (event.replace("#", "_"), carrier)),
    "X-Extranoc-Ticket": (str(msg["X-Extranoc-Ticket"]), ticket),
    "X-Extranoc-Event": (str(msg["X-Extranoc-Event"]), event),
    "Content-Type": (msg.get_content_type() + ";" + str(msg.get_content_charset()), "text/plain;utf-8"),
    "body": (msg.get_content().replace("\r\n", "\n"),
             "工单号 Ticket ID: %s\n事件 Event: %s\n承载运营商 Carrier: %s\n\n.\n请尽快处理。\n" % (ticket, event, carrier)),
}
bad = ["%s: %r != %r" % (k, got, want) for k, (got, want) in checks.items() if got != want]
if msg["Date"] is None:
    bad.append("no Date")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
}

test_expect_success 'each channel delivers: headers, UTF-8 subject, Message-ID, JSON, token, spool file' '
	mkdir -p "$SPOOL" &&
	start_sink && start_http &&
	put XN-000101#opened:telecom XN-000102#opened:unicom XN-000103#opened:mobile >put.out &&
	grep -x "inserted 3, already there 0" put.out &&
	start_dispatcher &&
	test_wait_for 20 all_sent 3 &&
	test "$(mail_with XN-000101_opened.telecom)" -eq 1 &&
	check_mail "$(mail_file XN-000101_opened.telecom)" "XN-000101#opened" telecom &&
	jq -e ".mail_from == \"extranoc@noc.example\" and .rcpt_tos == [\"noc@telecom.example\", \"duty@telecom.example\"] and (.tls | not)" mail/0001.json &&
	jq -e ".path == \"/tickets\" and .headers.Authorization == \"Bearer $TOKEN\"
		and .headers[\"X-Extranoc-Event\"] == \"XN-000102#opened\" and .headers[\"X-Extranoc-Ticket\"] == \"XN-000102\"
		and (.headers[\"Content-Type\"] | startswith(\"application/json\"))" hooks/0001.json &&
	jq -S ".body | fromjson" hooks/0001.json >hook-body.json &&
	jq -S "select(.event_id == \"XN-000102#opened\") | .body_json" put.jsonl >expected-hook.json &&
	test_cmp expected-hook.json hook-body.json &&
	jq -S . "$SPOOL/XN-000103_opened.mobile.json" >spool-body.json &&
	jq -S "select(.event_id == \"XN-000103#opened\") | .body_json" put.jsonl >expected-spool.json &&
	test_cmp expected-spool.json spool-body.json &&
	test "$(ls -A "$SPOOL")" = XN-000103_opened.mobile.json &&
	attempts &&
	jq -s -e "length == 3 and all(.ok and .n == 1)" attempts.json &&
	jq -s -r "map(.channel + \" \" + .target) | sort | .[]" attempts.json >targets &&
	cat >expected-targets <<-EOF &&
	smtp smtp://127.0.0.1:$P_SMTP to noc@telecom.example, duty@telecom.example
	spool $SPOOL/XN-000103_opened.mobile.json
	webhook http://127.0.0.1:$P_HTTP/tickets
	EOF
	test_cmp expected-targets targets &&
	! grep -F -e "$TOKEN" -e "$PASSWORD" attempts.json messages.json dispatch.log
'

test_expect_success 'the same messages inserted again (a derivation from the start) send nothing' '
	put XN-000101#opened:telecom XN-000102#opened:unicom XN-000103#opened:mobile >put.out &&
	grep -x "inserted 0, already there 3" put.out &&
	kick && sleep 1 &&
	test "$(ls mail/*.eml | wc -l)" -eq 1 &&
	test "$(ls hooks/*.json | wc -l)" -eq 1 &&
	attempts && test "$(wc -l <attempts.json)" -eq 3
'

test_expect_success 'the SMTP sink down for a while, then up: nothing lost, delivered once, in order' '
	stop_sink &&
	lines=$(wc -l <dispatch.log) &&
	put XN-000201#opened:telecom XN-000201#closed:telecom &&
	kick &&
	test_wait_for 30 has_failed XN-000201#opened telecom 3 &&
	test "$(failed_attempts XN-000201#closed telecom)" -eq 0 &&
	start_sink &&
	test_wait_for 30 all_sent 5 &&
	test "$(mail_with XN-000201_opened.telecom)" -eq 1 &&
	test "$(mail_with XN-000201_closed.telecom)" -eq 1 &&
	test "$(mail_file XN-000201_opened.telecom)" = mail/0002.eml &&
	test "$(mail_file XN-000201_closed.telecom)" = mail/0003.eml &&
	attempts &&
	jq -s -e "map(select(.event_id == \"XN-000201#opened\")) | (.[:-1] | all(.ok | not)) and (.[-1].ok)
		and ([.[].n] == [range(1; length + 1)])" attempts.json &&
	jq -s -e "map(select(.event_id == \"XN-000201#opened\" and (.ok | not))) | all(.error | test(\"port $P_SMTP\"))" attempts.json &&
	tail -n +$((lines + 1)) dispatch.log >episode.log &&
	test "$(grep -c "carrier telecom: delivery by smtp (smtp://127.0.0.1:$P_SMTP to noc@telecom.example, duty@telecom.example) fails: .*messages queued for it: 2," episode.log)" -eq 1 &&
	test "$(grep -c "carrier telecom: delivery by smtp works again after" episode.log)" -eq 1 &&
	test "$(grep -c "fails:" episode.log)" -eq 1
'

test_expect_success 'the webhook answering 500, then 200: one delivery, the same event_id on each try' '
	echo 500 >http-status &&
	put XN-000301#opened:unicom &&
	kick &&
	test_wait_for 30 has_failed XN-000301#opened unicom 2 &&
	echo 200 >http-status &&
	test_wait_for 30 is_sent XN-000301#opened unicom &&
	jq -s -e "map(select(.body | fromjson | .event_id == \"XN-000301#opened\")) |
		length >= 3 and all(.headers[\"X-Extranoc-Event\"] == \"XN-000301#opened\")
		and (map(select(.status == 200)) | length == 1) and .[-1].status == 200" hooks/*.json &&
	attempts &&
	jq -s -e "map(select(.event_id == \"XN-000301#opened\" and (.ok | not))) |
		all(.error == \"HTTP 500: server error: the ticket system is down line two\")" attempts.json
'

test_expect_success 'the spool directory missing, then created' '
	rm -r "$SPOOL" &&
	put XN-000401#opened:mobile &&
	kick &&
	test_wait_for 30 has_failed XN-000401#opened mobile 1 &&
	attempts &&
	jq -s -e "map(select(.event_id == \"XN-000401#opened\"))[0].error ==
		\"$SPOOL: No such file or directory (creating the message file there)\"" attempts.json &&
	mkdir "$SPOOL" &&
	test_wait_for 30 is_sent XN-000401#opened mobile &&
	test -s "$SPOOL/XN-000401_opened.mobile.json" &&
	test "$(ls -A "$SPOOL" | wc -l)" -eq 1
'

test_expect_success 'a reload that fixes the webhook address applies to the waiting message at once' '
	county "" "" "http://127.0.0.1:$P_NONE/tickets" &&
	settings "retry-first = 3600" "retry-max = 3600" &&
	reload &&
	put XN-000501#opened:unicom &&
	kick &&
	test_wait_for 30 has_failed XN-000501#opened unicom 1 &&
	county &&
	reload &&
	test_wait_for 10 is_sent XN-000501#opened unicom &&
	attempts &&
	jq -s -e "map(select(.event_id == \"XN-000501#opened\")) | length == 2 and
		.[0].target == \"http://127.0.0.1:$P_NONE/tickets\" and .[1].target == \"http://127.0.0.1:$P_HTTP/tickets\"" attempts.json &&
	settings && reload
'

test_expect_success 'kill -9 in the middle of a burst, then a restart: nothing lost, nothing sent twice' '
	stop_dispatcher && stop_sink && stop_http &&
	start_sink --delay 0.3 && start_http --delay 0.3 &&
	before=$(count_sent) &&
	burst="" &&
	for i in 10 11 12 13 14 15 16 17 18 19; do
		burst="$burst XN-0006$i#opened:telecom XN-0006$i#opened:unicom XN-0006$i#opened:mobile"
	done &&
	put $burst &&
	start_dispatcher &&
	test_wait_for 60 sent_at_least $((before + 8)) &&
	kill -9 "$(cat dispatch.pid)" &&
	test_wait_for 10 gone "$(cat dispatch.pid)" &&
	at_kill=$(count_sent) &&
	echo "kill -9 after $((at_kill - before)) of 30 messages were sent" >kill.figures &&
	test "$at_kill" -lt $((before + 30)) &&
	start_dispatcher &&
	test_wait_for 60 all_sent $((before + 30)) &&
	stop_dispatcher &&
	dup=0 &&
	for i in 10 11 12 13 14 15 16 17 18 19; do
		n=$(mail_with XN-0006${i}_opened.telecom) &&
		h=$(jq -s "map(select(.status == 200 and (.body | fromjson | .event_id) == \"XN-0006$i#opened\")) | length" hooks/*.json) &&
		test "$n" -ge 1 && test "$h" -ge 1 &&
		test -s "$SPOOL/XN-0006${i}_opened.mobile.json" &&
		dup=$((dup + n - 1 + h - 1)) || exit 1
	done &&
	echo "messages delivered twice (in flight at the kill): $dup" >>kill.figures &&
	test "$dup" -le 1 &&
	test "$(ls "$SPOOL" | grep -c "^XN-0006")" -eq 10 &&
	test -z "$(ls -A "$SPOOL" | grep "^\\.")"
'

test -s kill.figures && while read -r line; do say "$line"; done <kill.figures

if command -v openssl >/dev/null 2>&1 &&
   openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=localhost \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" >openssl.log 2>&1; then
	test_expect_success 'STARTTLS with a login, verified against the CA file' '
		"$SINK" --port "$P_TLS" --dir tls-mail --pidfile tls-sink.pid --tls-cert cert.pem --tls-key key.pem \
			--require-starttls --login "noc:$PASSWORD" 2>>tls-sink.log &
		test_wait_for 20 test -s tls-sink.pid &&
		county "smtp://127.0.0.1:$P_TLS" telecom-mail &&
		settings "smtp-starttls = required" "ca-file = cert.pem" &&
		start_dispatcher &&
		put XN-000701#opened:telecom &&
		kick &&
		test_wait_for 30 is_sent XN-000701#opened telecom &&
		jq -e ".tls and .login == \"noc\"" tls-mail/0001.json &&
		grep -F "Message-ID: <XN-000701_opened.telecom@extranoc>" tls-mail/0001.eml &&
		! grep -F "$PASSWORD" attempts.json messages.json dispatch.log
	'

	test_expect_success 'without the CA file the self-signed certificate is refused' '
		settings &&
		reload &&
		put XN-000702#opened:telecom &&
		kick &&
		test_wait_for 30 has_failed XN-000702#opened telecom 1 &&
		attempts &&
		jq -s -e "map(select(.event_id == \"XN-000702#opened\"))[0].error | test(\"certificate\")" attempts.json &&
		test ! -e tls-mail/0002.eml &&
		settings "ca-file = cert.pem" &&
		reload &&
		test_wait_for 30 is_sent XN-000702#opened telecom
	'

	test_expect_success 'STARTTLS required of a server that does not offer it: not sent' '
		county &&
		settings "smtp-starttls = required" &&
		reload &&
		mails=$(ls mail/*.eml | wc -l) &&
		put XN-000703#opened:telecom &&
		kick &&
		test_wait_for 30 has_failed XN-000703#opened telecom 1 &&
		attempts &&
		jq -s -e "map(select(.event_id == \"XN-000703#opened\"))[0].error | test(\"STARTTLS\")" attempts.json &&
		test "$(ls mail/*.eml | wc -l)" -eq "$mails" &&
		"$TOOL" abandon journal.db "XN-000703#opened" telecom "test: the relay offers no TLS" &&
		test "$(state XN-000703#opened telecom)" = abandoned
	'

	test_expect_success 'an HTTPS webhook, verified against the CA file' '
		"$HTTP" --port "$P_HTTPS" --dir tls-hooks --pidfile https.pid --tls-cert cert.pem --tls-key key.pem 2>>https.log &
		test_wait_for 20 test -s https.pid &&
		county "" "" "https://127.0.0.1:$P_HTTPS/tickets" &&
		settings "ca-file = cert.pem" &&
		reload &&
		put XN-000704#opened:unicom &&
		kick &&
		test_wait_for 30 is_sent XN-000704#opened unicom &&
		jq -e ".headers.Authorization == \"Bearer $TOKEN\"" tls-hooks/0001.json &&
		stop_dispatcher
	'
else
	test_skip 'STARTTLS and HTTPS with a self-signed certificate' 'openssl could not make a certificate'
fi

kill_all
test_done
