#!/bin/sh
# extranoc fault report|attribute|ack|complex|restore: each appends exactly
# one fact of doc/sla.md's kinds, with the source, ts and attrs the command
# line gives; bad input (a unit or carrier the inventory lacks, a malformed
# ticket ID, a blank reason, a time in the future, a missing journal) is
# refused with a message naming it and leaves the journal as it was.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

unset EXTRANOC_DB SUDO_USER
cp "$top_srcdir/data/sample-county.json" . || exit 1
printf '[extranoc]\nconfig = sample-county.json\njournal = journal.db\n' >extranoc.conf || exit 1

# facts_of: the journal's facts without seq and recorded (recorded is the
# wall clock), one JSON line each.
facts_of () {
	extranoc journal export --db journal.db |
	/usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    f = json.loads(line)
    assert f["recorded"] >= f["ts"] or f["kind"] == "fault.reported", f
    del f["recorded"]
    print(json.dumps(f, ensure_ascii=False, sort_keys=True))'
}

test_expect_success 'a journal to record into (the collector made it)' '
	printf "%s\n" "{\"ts\":\"2025-03-10T02:00:00.000000Z\",\"kind\":\"node.unreachable\",\"subject\":\"node/qingshan\",\"source\":\"poller\",\"recorded\":\"2025-03-10T02:01:00.000000Z\",\"attrs\":{}}" >one.jsonl &&
	extranoc journal import --db journal.db one.jsonl
'

test_expect_success 'report: a unit phoned in; the call time is --at, in the policy zone' '
	extranoc fault report --config extranoc.conf --user 值班员张 --unit qingshan-gov --reporter "青山镇 刘" \
		--description "政务网打不开
机房断电?" --at 2025-03-10T10:05:00 >out &&
	grep "^recorded fact 2 in .*journal.db: fault.reported unit/qingshan-gov at 2025-03-10T10:05:00+08:00 by cli:值班员张$" out
'

test_expect_success 'attribute, ack, complex, restore: one fact each about the ticket' '
	extranoc fault attribute --config extranoc.conf -u ops XN-000002 --to carrier --carrier telecom \
		--reason "光缆中断" --at 2025-03-10T10:10:00+08:00 &&
	extranoc fault ack --config extranoc.conf -u ops XN-000002 --carrier-ref TEL-20250310-7 --contact 李工 \
		--at 2025-03-10T10:40:00+08:00 &&
	extranoc fault complex --config extranoc.conf -u ops XN-000002 -r "需重新熔接 2 km 光缆" \
		--at 2025-03-10T11:00:00+08:00 &&
	extranoc fault restore --config extranoc.conf -u ops XN-000002 --note 已熔接 --at 2025-03-10T15:00:00+08:00 --json >restore.json &&
	grep "\"seq\":6,\"ts\":\"2025-03-10T07:00:00.000000Z\",\"kind\":\"fault.restore-confirmed\"" restore.json &&
	facts_of >facts &&
	cat >expect <<-\EXPECT &&
	{"attrs": {}, "kind": "node.unreachable", "seq": 1, "source": "poller", "subject": "node/qingshan", "ts": "2025-03-10T02:00:00.000000Z"}
	{"attrs": {"by": "phone", "description": "政务网打不开\n机房断电?", "reporter": "青山镇 刘"}, "kind": "fault.reported", "seq": 2, "source": "cli:值班员张", "subject": "unit/qingshan-gov", "ts": "2025-03-10T02:05:00.000000Z"}
	{"attrs": {"carrier": "telecom", "reason": "光缆中断", "to": "carrier"}, "kind": "fault.attributed", "seq": 3, "source": "cli:ops", "subject": "ticket/XN-000002", "ts": "2025-03-10T02:10:00.000000Z"}
	{"attrs": {"carrier_ref": "TEL-20250310-7", "contact": "李工"}, "kind": "fault.acknowledged", "seq": 4, "source": "cli:ops", "subject": "ticket/XN-000002", "ts": "2025-03-10T02:40:00.000000Z"}
	{"attrs": {"reason": "需重新熔接 2 km 光缆"}, "kind": "fault.complex", "seq": 5, "source": "cli:ops", "subject": "ticket/XN-000002", "ts": "2025-03-10T03:00:00.000000Z"}
	{"attrs": {"note": "已熔接"}, "kind": "fault.restore-confirmed", "seq": 6, "source": "cli:ops", "subject": "ticket/XN-000002", "ts": "2025-03-10T07:00:00.000000Z"}
	EXPECT
	test_cmp expect facts
'

test_expect_success 'without --at the fact is of now; without --user of the login' '
	extranoc fault ack --config extranoc.conf XN-000002 --json >now.json &&
	login=$(id -un) &&
	grep "\"source\":\"cli:$login\"" now.json &&
	/usr/bin/python3 -c "
import json, sys, datetime
f = json.load(open(\"now.json\"))
assert f[\"ts\"] == f[\"recorded\"], f
t = datetime.datetime.strptime(f[\"ts\"], \"%Y-%m-%dT%H:%M:%S.%fZ\").replace(tzinfo=datetime.timezone.utc)
assert abs((datetime.datetime.now(datetime.timezone.utc) - t).total_seconds()) < 60, f
"
'

# refused CMD... EXPECTED-MESSAGE: exits 1 or 2, says it, appends nothing.
refused () {
	msg=$1; shift
	before=$(extranoc journal stats --db journal.db | grep -i facts) &&
	test_must_fail "$@" 2>err &&
	grep -F -- "$msg" err &&
	after=$(extranoc journal stats --db journal.db | grep -i facts) &&
	test "$before" = "$after"
}

test_expect_success 'bad input is refused, naming it, and nothing is recorded' '
	refused "--unit: the inventory has no access unit '"'"'nowhere-gov'"'"'" \
		extranoc fault report --config extranoc.conf --unit nowhere-gov --reporter x -d y &&
	refused "--unit, --reporter and --description are required" \
		extranoc fault report --config extranoc.conf --unit qingshan-gov -d y &&
	refused "--link: the inventory has no link '"'"'L-nope'"'"'" \
		extranoc fault report --config extranoc.conf --unit qingshan-gov --reporter x -d y --link L-nope &&
	refused "'"'"'XN-12'"'"' is not a ticket ID" extranoc fault ack --config extranoc.conf XN-12 &&
	refused "'"'"'XN-000002-R'"'"' is not a ticket ID" extranoc fault ack --config extranoc.conf XN-000002-R &&
	refused "which ticket?" extranoc fault ack --config extranoc.conf &&
	refused "--to must be carrier, operator or unit-lan" \
		extranoc fault attribute --config extranoc.conf XN-000002 --to somebody --reason x &&
	refused "--reason is required" extranoc fault attribute --config extranoc.conf XN-000002 --to operator &&
	refused "--carrier: the inventory has no carrier '"'"'acme'"'"'" \
		extranoc fault attribute --config extranoc.conf XN-000002 --to carrier --carrier acme --reason x &&
	refused "--carrier goes only with --to carrier" \
		extranoc fault attribute --config extranoc.conf XN-000002 --to operator --carrier telecom --reason x &&
	refused "--reason must be non-blank" extranoc fault complex --config extranoc.conf XN-000002 -r "   " &&
	refused "lies in the future" extranoc fault restore --config extranoc.conf XN-000002 --at 2099-01-01T00:00:00Z &&
	refused "--user: " extranoc fault ack --config extranoc.conf XN-000002 --user "two words"
'

test_expect_success 'a journal that does not exist is not created' '
	test_must_fail extranoc fault ack --db nowhere.db XN-000002 2>err &&
	grep "nowhere.db" err &&
	test ! -e nowhere.db
'

test_done
