#!/bin/sh
# extranoc maintenance file|approve|withdraw|list|show|letters on the sample
# county and the shipped calendar: each writing command appends exactly one
# fact of doc/maintenance.md's kinds; the verdicts are those worked out by
# hand from regulations.md (an operator notice one working day late across
# the 2025 Spring Festival, a unit's application on time but unapproved,
# then approved, a carrier's 90-minute notice); refused input (unknown
# objects, an empty scope, a time in the future, an unknown, withdrawn or
# already approved window, a window that is over) names the problem and
# leaves the journal as it was; letters are written, one text and one HTML
# file per affected unit, hostile text escaped.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

unset EXTRANOC_DB SUDO_USER
cp "$top_srcdir/data/sample-county.json" . || exit 1
cat >policy.json <<\EOF || exit 1
{"extranoc-policy:policy": {"fault-repair": {"noc-contact":
  {"name": "市政务外网运维中心", "phone": "0000-12345-00", "email": "noc@gov.example"}}}}
EOF
printf '[extranoc]\nconfig = sample-county.json; policy.json\njournal = journal.db\n' >extranoc.conf || exit 1

mnt () { extranoc maintenance "$@"; }
count () { extranoc journal stats --db journal.db | sed -n 's/^facts: //p'; }

test_expect_success 'a journal to record into (the collector made it)' '
	printf "%s\n" "{\"ts\":\"2025-01-20T02:00:00.000000Z\",\"kind\":\"node.unreachable\",\"subject\":\"node/qingshan\",\"source\":\"poller\",\"recorded\":\"2025-01-20T02:01:00.000000Z\",\"attrs\":{}}" >one.jsonl &&
	extranoc journal import --db journal.db one.jsonl
'

test_expect_success 'file: the operator, Monday 2025-01-27 for Wednesday 02-05: one working day late' '
	mnt file -c extranoc.conf -u 值班员张 --initiator operator --link L-dong-qingshan \
		--start 2025-02-05T09:00 --end 2025-02-05T12:00 --reason "更换光模块" --at 2025-01-27T10:00 >out &&
	cat >expect <<-\EOF &&
	MW-000002: recorded fact 2 in ./journal.db: maintenance.filed operator/市政务外网运维中心 at 2025-01-27T10:00:00+08:00 by cli:值班员张
	MW-000002: deadline 2025-01-27T00:00:00+08:00, not compliant: filed 1 working day late
	MW-000002: affected units: qingshan-clinic, qingshan-gov
	EOF
	test_cmp expect out
'

test_expect_success 'show: the deadline walked back over the Spring Festival to the 调休 Sunday' '
	mnt show -c extranoc.conf MW-000002 --at 2025-01-28T00:00 >out &&
	cat >expect <<-\EOF &&
	MW-000002: filed, not compliant: filed 1 working day late
	initiator: operator 市政务外网运维中心
	window: 2025-02-05T09:00:00+08:00 to 2025-02-05T12:00:00+08:00 (upcoming)
	scope: nodes -; links L-dong-qingshan
	reason: 更换光模块
	filed: 2025-01-27T10:00:00+08:00 by cli:值班员张
	affected units: qingshan-clinic, qingshan-gov
	notice:
	  rule: operator, 2 working days ahead (policy/notice/operator/working-days), no approval required
	  work starts 2025-02-05T09:00:00+08:00; the working days before its day, walked back:
	    2025-02-04 Tue  day off (春节)
	    2025-02-03 Mon  day off (春节)
	    2025-02-02 Sun  weekend
	    2025-02-01 Sat  weekend
	    2025-01-31 Fri  day off (春节)
	    2025-01-30 Thu  day off (春节)
	    2025-01-29 Wed  day off (春节)
	    2025-01-28 Tue  day off (春节)
	    2025-01-27 Mon  working day 1
	    2025-01-26 Sun  working day 2 (春节调休)
	  deadline: the end (24:00) of 2025-01-26 Sun = 2025-01-27T00:00:00+08:00
	  filed 2025-01-27T10:00:00+08:00: 1 working day ahead, late
	  verdict: not compliant: filed 1 working day late
	facts:
	  2 2025-01-27T10:00:00+08:00 maintenance.filed operator/市政务外网运维中心 by cli:值班员张 {"initiator":{"kind":"operator","name":"市政务外网运维中心"},"scope":{"nodes":[],"links":["L-dong-qingshan"]},"start":"2025-02-05T09:00:00+08:00","end":"2025-02-05T12:00:00+08:00","reason":"更换光模块"}
	EOF
	test_cmp expect out
'

test_expect_success 'a unit 5 working days ahead: on time, not approved until approve' '
	mnt file -c extranoc.conf -u ops -i unit -n qingshan-gov --node qingshan --start 2025-03-10T09:00:00+08:00 \
		--end 2025-03-10T11:00:00+08:00 -r "机房 <b>搬迁</b> & 割接" --at 2025-03-03T17:30 >out &&
	grep "^MW-000003: deadline 2025-03-04T00:00:00+08:00, not compliant: not approved$" out &&
	mnt approve -c extranoc.conf -u ops MW-000003 --by 王科长 --reference "运维〔2025〕7号" --at 2025-03-05T09:00 >out &&
	grep "^MW-000003: recorded fact 4 in ./journal.db: maintenance.approved maintenance/MW-000003 at 2025-03-05T09:00:00+08:00 by cli:ops$" out &&
	mnt show -c extranoc.conf MW-000003 >out &&
	grep "^MW-000003: approved, compliant$" out &&
	grep "^  approved 2025-03-05T09:00:00+08:00 by 王科长: at or before the start$" out
'

test_expect_success 'a carrier notice 90 minutes ahead: late and unapproved; --json prints the fact' '
	mnt file -c extranoc.conf -u ops -i carrier -n telecom --node dong-core --link L-dong-finance \
		--start 2025-03-10T12:00 --end 2025-03-10T13:00 -r 割接 --at 2025-03-10T10:30 --json >out &&
	grep "^{\"seq\":5,\"ts\":\"2025-03-10T02:30:00.000000Z\",\"kind\":\"maintenance.filed\",\"subject\":\"carrier/telecom\",\"source\":\"cli:ops\"" out &&
	mnt show -c extranoc.conf MW-000005 --json >show.json &&
	/usr/bin/python3 -c "
import json
w = json.load(open(\"show.json\"))
assert w[\"reasons\"] == [\"filed 30 min late\", \"not approved\"], w[\"reasons\"]
assert w[\"deadline\"] == \"2025-03-10T02:00:00.000000Z\", w
assert w[\"rule\"] == {\"approval_required\": True, \"lead_time_s\": 7200}, w[\"rule\"]
assert w[\"units\"] == [\"baishui-gov\", \"dong-finance\", \"dong-health\", \"qingshan-clinic\", \"qingshan-gov\", \"taohua-gov\"], w
assert w[\"scope\"] == {\"links\": [\"L-dong-finance\"], \"nodes\": [\"dong-core\"]}, w
"
'

test_expect_success 'list: every window, its phase at --at, status and verdict' '
	mnt list -c extranoc.conf --at 2025-03-10T12:30 >out &&
	cat >expect <<-\EOF &&
	ID         INITIATOR           START                      END                        PHASE        STATUS    NOTICE                                          UNITS
	MW-000002  operator 市政务外网运维中心  2025-02-05T09:00:00+08:00  2025-02-05T12:00:00+08:00  over         filed     not compliant: filed 1 working day late         2
	MW-000003  unit qingshan-gov   2025-03-10T09:00:00+08:00  2025-03-10T11:00:00+08:00  over         approved  compliant                                       2
	MW-000005  carrier telecom     2025-03-10T12:00:00+08:00  2025-03-10T13:00:00+08:00  in progress  filed     not compliant: filed 30 min late; not approved  6
	EOF
	test_cmp expect out &&
	mnt list -c extranoc.conf --at 2025-03-04T00:00 --json >list.json &&
	/usr/bin/python3 -c "
import json
d = json.load(open(\"list.json\"))
assert [w[\"id\"] for w in d[\"windows\"]] == [\"MW-000002\", \"MW-000003\"], d
assert d[\"windows\"][1][\"status\"] == \"filed\" and d[\"windows\"][1][\"phase\"] == \"upcoming\", d
"
'

test_expect_success 'letters: one .txt and one .html per affected unit, hostile text escaped' '
	mkdir letters &&
	mnt letters -c extranoc.conf MW-000003 --dir letters >out &&
	cat >expect <<-\EOF &&
	letters/MW-000003-qingshan-clinic.txt
	letters/MW-000003-qingshan-clinic.html
	letters/MW-000003-qingshan-gov.txt
	letters/MW-000003-qingshan-gov.html
	EOF
	test_cmp expect out &&
	grep "^致 To: qingshan-gov 青山镇人民政府$" letters/MW-000003-qingshan-gov.txt &&
	grep "^作业开始 Start: 2025-03-10 09:00 星期一 (2025-03-10T09:00:00+08:00)$" letters/MW-000003-qingshan-gov.txt &&
	grep "^作业原因 Reason: 机房 <b>搬迁</b> & 割接$" letters/MW-000003-qingshan-gov.txt &&
	grep "^联系方式 Contact: 市政务外网运维中心, 0000-12345-00, noc@gov.example$" letters/MW-000003-qingshan-gov.txt &&
	grep "^<tr><th>作业原因 Reason</th><td>机房 &lt;b&gt;搬迁&lt;/b&gt; &amp; 割接</td></tr>$" letters/MW-000003-qingshan-gov.html &&
	! grep "<b>" letters/MW-000003-qingshan-gov.html &&
	mnt letters -c extranoc.conf MW-000003 --unit qingshan-clinic >out &&
	head -1 out >subject &&
	echo "Subject: [MW-000003] 政务外网维护作业通知 Maintenance notice: 2025-03-10 09:00 星期一 (2025-03-10T09:00:00+08:00)" >expect &&
	test_cmp expect subject &&
	test $(grep -c "^致 To: " out) = 1
'

test_expect_success 'withdraw: the window covers nothing any more, and is listed as withdrawn' '
	mnt file -c extranoc.conf -u ops -i unit -n baishui-gov --node baishui --start 2025-03-20T09:00 \
		--end 2025-03-20T10:00 -r 检修 --at 2025-03-01T09:00 >out &&
	mnt withdraw -c extranoc.conf -u ops MW-000006 --by 王科长 --why 改期 --at 2025-03-05T09:00 >out &&
	grep "^MW-000006: recorded fact 7 in ./journal.db: maintenance.withdrawn maintenance/MW-000006" out &&
	mnt list -c extranoc.conf --json >list.json &&
	/usr/bin/python3 -c "
import json
w = json.load(open(\"list.json\"))[\"windows\"][-1]
assert w[\"id\"] == \"MW-000006\" and w[\"status\"] == \"withdrawn\" and w[\"withdrawn_why\"] == \"改期\", w
"
'

# refused MESSAGE CMD...: fails, says MESSAGE, appends nothing.
refused () {
	msg=$1; shift
	before=$(count) &&
	test_must_fail "$@" 2>err &&
	grep -F -- "$msg" err &&
	test "$before" = "$(count)"
}

test_expect_success 'bad input is refused, naming it, and nothing is recorded' '
	c="-c extranoc.conf" &&
	refused "--initiator must be operator, unit or carrier" mnt file $c -i nobody --node qingshan \
		--start 2025-03-20T09:00 --end 2025-03-20T10:00 -r x &&
	refused "--name: the inventory has no access unit '"'"'nowhere-gov'"'"'" mnt file $c -i unit -n nowhere-gov \
		--node qingshan --start 2025-03-20T09:00 --end 2025-03-20T10:00 -r x &&
	refused "--name: the inventory has no carrier '"'"'acme'"'"'" mnt file $c -i carrier -n acme \
		--node qingshan --start 2025-03-20T09:00 --end 2025-03-20T10:00 -r x &&
	refused "--name is required" mnt file $c -i carrier --node qingshan --start 2025-03-20T09:00 \
		--end 2025-03-20T10:00 -r x &&
	refused "--name: the operator files under the NOC" mnt file $c -i operator -n someone --node qingshan \
		--start 2025-03-20T09:00 --end 2025-03-20T10:00 -r x &&
	refused "--node: the inventory has no node '"'"'nowhere'"'"'" mnt file $c -i operator --node nowhere \
		--start 2025-03-20T09:00 --end 2025-03-20T10:00 -r x &&
	refused "--link: the inventory has no link '"'"'L-nope'"'"'" mnt file $c -i operator --link L-nope \
		--start 2025-03-20T09:00 --end 2025-03-20T10:00 -r x &&
	refused "--node: '"'"'qingshan'"'"' is given twice" mnt file $c -i operator --node qingshan --node qingshan \
		--start 2025-03-20T09:00 --end 2025-03-20T10:00 -r x &&
	refused "the scope is empty" mnt file $c -i operator --start 2025-03-20T09:00 --end 2025-03-20T10:00 -r x &&
	refused "--end must lie after --start" mnt file $c -i operator --node qingshan \
		--start 2025-03-20T09:00 --end 2025-03-20T09:00 -r x &&
	refused "--start, --end and --reason are required" mnt file $c -i operator --node qingshan \
		--start 2025-03-20T09:00 --end 2025-03-20T10:00 &&
	refused "--reason must be non-blank" mnt file $c -i operator --node qingshan \
		--start 2025-03-20T09:00 --end 2025-03-20T10:00 -r "  " &&
	refused "--start: " mnt file $c -i operator --node qingshan --start 2025-03-20 --end 2025-03-20T10:00 -r x &&
	refused "lies in the future" mnt file $c -i operator --node qingshan \
		--start 2099-03-20T09:00 --end 2099-03-20T10:00 -r x --at 2099-01-01T00:00 &&
	refused "'"'"'MW-12'"'"' is not a maintenance window ID" mnt approve $c MW-12 --by x &&
	refused "which window?" mnt approve $c --by x &&
	refused "--by is required" mnt approve $c MW-000005 &&
	refused "MW-000999: the journal has no maintenance window of that ID" mnt approve $c MW-000999 --by x &&
	refused "MW-000003 was already approved by 王科长" mnt approve $c MW-000003 --by x &&
	refused "MW-000006 was withdrawn by 王科长" mnt approve $c MW-000006 --by x &&
	refused "MW-000006 was withdrawn by 王科长" mnt withdraw $c MW-000006 --by x --why y &&
	refused "MW-000003 is over" mnt withdraw $c MW-000003 --by x --why y &&
	refused "--at lies before MW-000005 was filed" mnt approve $c MW-000005 --by x --at 2025-03-01T00:00 &&
	refused "--by and --why are required" mnt withdraw $c MW-000005 --by x &&
	refused "--unit: MW-000003 does not cut off access unit '"'"'baishui-gov'"'"'" \
		mnt letters $c MW-000003 --unit baishui-gov &&
	refused "MW-000006: the window was withdrawn: no letter" mnt letters $c MW-000006 &&
	refused "--user: " mnt approve $c MW-000005 --by x --user "two words"
'

test_expect_success 'an approval after the start is recorded and said to plan nothing' '
	mnt approve -c extranoc.conf -u ops MW-000005 --by 王科长 --at 2025-03-10T12:10 >out &&
	grep "^MW-000005: approved after its start: the window is not compliant and plans nothing$" out &&
	mnt show -c extranoc.conf MW-000005 >out &&
	grep "^MW-000005: approved, not compliant: filed 30 min late; approved after the start$" out
'

test_expect_success 'show and letters read a JSON-lines journal too; a missing journal is not created' '
	extranoc journal export --db journal.db >all.jsonl &&
	mnt show -c extranoc.conf --journal all.jsonl MW-000003 >out &&
	grep "^MW-000003: approved, compliant$" out &&
	test_must_fail mnt approve -c extranoc.conf --db nowhere.db MW-000005 --by x 2>err &&
	grep "nowhere.db" err &&
	test ! -e nowhere.db
'

test_done
