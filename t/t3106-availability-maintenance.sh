#!/bin/sh
# extranoc availability with maintenance notices: planned downtime. The
# outage facts are written by hand; the notices are recorded by extranoc
# maintenance (file, approve, withdraw with --at) into the same journal, as
# an operator would, and exported. Sample county, default policy (no NOC
# name: the operator files as "operator"), Asia/Shanghai, the shipped 2025
# calendar. Figures computed by hand first, for the day 2025-03-10
# (86,400 s; percent = 100 × up / (period − planned), rounded down):
#
# The outage: dong-core's ge-0-1-1 (the A end of L-dong-qingshan, the only
# uplink of qingshan) down 10:05, qingshan unreachable 10:06, both back
# 11:35. Facts 1–4: outages 1:link/L-dong-qingshan (its own root, units
# qingshan-clinic and qingshan-gov) and 2:node/qingshan (dependent of the
# link's outage all along, the same units). The window, fact 5 = MW-000005:
# the operator's work on L-dong-qingshan 10:00–12:00, filed Monday 03-03
# 10:00; N = 2 working days before Monday 03-10: Fri 03-07, Thu 03-06,
# deadline 2025-03-07T00:00+08:00: on time, no approval needed, compliant.
#
#   compliant   link:  planned 10:05–11:35 = 5,400  down 0  up 81,000  100.0000
#               node qingshan (a dependent of the planned link outage):
#                      planned 10:06–11:35 = 5,340  down 0  up 81,060  100.0000
#               each qingshan unit: planned 5,400 (the union)  down 0  100.0000
#               by unit, total (12): 1,036,800  planned 10,800  down 0  100.0000
#   withdrawn (03-05), a carrier's notice 3 h ahead not approved, or the
#   operator's filed Friday 03-07 10:00 (1 working day late): nothing planned
#               link:  down 5,400  up 81,000  81,000/86,400 = 93.7500
#               node:  down 5,340  up 81,060  = 93.8194(4…)
#               units: down 5,400 each = 93.7500; total 10,800 down, up
#                      1,026,000 / 1,036,800 = 98.9583(3…)
#               the unapproved and the late one are flagged, the withdrawn
#               one is not (it covers nothing and claims nothing)
#   the carrier's notice approved at 09:30: compliant, as the first case
#   overrun     both back at 12:40:
#               link:  planned 10:05–12:00 = 6,900  down 12:00–12:40 = 2,400
#                      up 77,100  77,100/79,500 = 96.9811(3…)
#               node:  planned 10:06–12:00 = 6,840  down 2,400  up 77,160
#                      77,160/79,560 = 96.9834(0…)
#               units: planned 6,900 down 2,400 = 96.9811
#   before      down 09:50 (node 09:51), back 11:35: the window does not
#               cover the start, nothing planned:
#               link:  down 6,300  up 80,100  = 92.7083(3…)
#               node:  down 6,240  up 80,160  = 92.7777(7…)
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

unset EXTRANOC_DB SUDO_USER
cp "$top_srcdir/data/sample-county.json" . || exit 1
printf '[extranoc]\nconfig = sample-county.json\njournal = journal.db\n' >extranoc.conf || exit 1

# outages DOWN NODE_DOWN UP: the link's A end down at DOWN, qingshan
# unreachable at NODE_DOWN, both back at UP (times of 2025-03-10).
outages () {
	for _f in "$1 interface.down down" "$2 node.unreachable" "$3 interface.up up" "$3 node.reachable"; do
		set -- $_f
		_ts=2025-03-10T$1:00+08:00
		case $2 in
		interface.*) printf '{"ts":"%s","kind":"%s","subject":"interface/dong-core/ge-0-1-1","source":"poller","recorded":"%s","attrs":{"reassert":false,"node":"dong-core","if_name":"ge-0-1-1","present":true,"if_index":11,"admin_status":"up","oper_status":"%s","link":"L-dong-qingshan"}}\n' "$_ts" "$2" "$_ts" "$3" ;;
		*) printf '{"ts":"%s","kind":"%s","subject":"node/qingshan","source":"poller","recorded":"%s","attrs":{"reassert":false,"failures":2,"result":"timeout"}}\n' "$_ts" "$2" "$_ts" ;;
		esac
	done
}

# journal NAME DOWN NODE_DOWN UP: NAME.db with the outage facts (seqs 1–4).
journal () {
	_name=$1; shift
	outages "$@" >"$_name.facts" && extranoc journal import --db "$_name.db" "$_name.facts"
}

# mnt NAME COMMAND ARGS...: extranoc maintenance into NAME.db.
mnt () {
	_name=$1; shift
	_cmd=$1; shift
	extranoc maintenance "$_cmd" -c extranoc.conf --db "$_name.db" -u 值班员张 "$@" >/dev/null
}

# window NAME FILED: the operator's notice of 10:00–12:00, filed at FILED.
window () {
	mnt "$1" file -i operator --link L-dong-qingshan --start 2025-03-10T10:00 --end 2025-03-10T12:00 \
		-r 更换光模块 --at "$2"
}

# carrier NAME: telecom's notice of the same work, filed 3 h ahead.
carrier () {
	mnt "$1" file -i carrier -n telecom --link L-dong-qingshan --start 2025-03-10T10:00 --end 2025-03-10T12:00 \
		-r 割接 --at 2025-03-10T07:00
}

avail () {
	_name=$1; shift
	extranoc availability --config extranoc.conf --journal "$_name.jsonl" --period 2025-03-10 "$@"
}

# row FILE NAME FIGURE...: FILE has the line NAME FIGURE... (any spacing).
row () {
	_file=$1; shift
	_re="^$1"; shift
	for _f in "$@"; do _re="$_re +$_f"; done
	grep -E "$_re\$" "$_file" || { echo "no line like: $_re"; return 1; }
}

test_expect_success 'journals: the outages by hand, the notices as extranoc maintenance records them' '
	journal compliant 10:05 10:06 11:35 && window compliant 2025-03-03T10:00 &&
	journal withdrawn 10:05 10:06 11:35 && window withdrawn 2025-03-03T10:00 &&
	mnt withdrawn withdraw MW-000005 --by 刘主任 --why 改期 --at 2025-03-05T10:00 &&
	journal unapproved 10:05 10:06 11:35 && carrier unapproved &&
	journal approved 10:05 10:06 11:35 && carrier approved &&
	mnt approved approve MW-000005 --by 王科长 --reference "运维〔2025〕7号" --at 2025-03-10T09:30 &&
	journal late 10:05 10:06 11:35 && window late 2025-03-07T10:00 &&
	journal overrun 10:05 10:06 12:40 && window overrun 2025-03-03T10:00 &&
	journal before 09:50 09:51 11:35 && window before 2025-03-03T10:00 &&
	for c in compliant withdrawn unapproved approved late overrun before; do
		extranoc journal export --db $c.db >$c.jsonl || return 1
	done &&
	grep -c . compliant.jsonl >n && echo 5 >expect && test_cmp expect n &&
	grep "^{\"seq\":5,\"ts\":\"2025-03-03T02:00:00.000000Z\",\"kind\":\"maintenance.filed\",\"subject\":\"operator/operator\"" compliant.jsonl
'

test_expect_success 'a compliant window: the link, its node and its units lose no availability' '
	avail compliant --by link >link.out &&
	row link.out L-dong-qingshan 86400 5400 0 81000 100.0000 &&
	row link.out L-dong-baishui 86400 0 0 86400 100.0000 &&
	row link.out "total \(12\)" 1036800 5400 0 1031400 100.0000 &&
	grep "^LINK  *PERIOD_S  *PLANNED_S  *DOWN_S  *UP_S  *PERCENT$" link.out &&
	avail compliant --by node >node.out &&
	row node.out qingshan 86400 5340 0 81060 100.0000 &&
	avail compliant >unit.out &&
	row unit.out qingshan-gov 86400 5400 0 81000 100.0000 &&
	row unit.out qingshan-clinic 86400 5400 0 81000 100.0000 &&
	row unit.out "total \(12\)" 1036800 10800 0 1026000 100.0000 &&
	cat >expect <<-\EOF &&
	planned downtime: 2 outages in compliant maintenance windows, not counted as down
	  1:link/L-dong-qingshan planned by MW-000005 from 2025-03-10T10:05:00+08:00 to 2025-03-10T11:35:00+08:00
	  2:node/qingshan planned by MW-000005 from 2025-03-10T10:06:00+08:00 to 2025-03-10T11:35:00+08:00
	EOF
	sed -n "/^planned downtime/,\$p" unit.out >actual &&
	test_cmp expect actual
'

test_expect_success 'withdrawn, unapproved or late: all of the outage is down; a flagged window changes no figure' '
	for c in withdrawn unapproved late; do
		avail $c --by link >$c-link.out &&
		row $c-link.out L-dong-qingshan 86400 0 5400 81000 93.7500 &&
		avail $c --by node >$c-node.out &&
		row $c-node.out qingshan 86400 0 5340 81060 93.8194 &&
		avail $c >$c-unit.out &&
		row $c-unit.out qingshan-gov 86400 0 5400 81000 93.7500 &&
		row $c-unit.out qingshan-clinic 86400 0 5400 81000 93.7500 &&
		row $c-unit.out "total \(12\)" 1036800 0 10800 1026000 98.9583 &&
		grep "^planned downtime: 0 outages" $c-unit.out || return 1
	done &&
	test_must_fail grep flagged withdrawn-unit.out &&
	grep "^MW-000005 flagged: not approved; excludes nothing$" unapproved-unit.out &&
	grep "^MW-000005 flagged: filed 1 working day late; excludes nothing$" late-unit.out &&
	for c in withdrawn unapproved late; do avail $c --json >$c.json || return 1; done &&
	/usr/bin/python3 - withdrawn.json unapproved.json late.json <<-\EOF
	import json, sys
	w, u, l = (json.load(open(f)) for f in sys.argv[1:])
	assert w["flagged"] == [] and w["planned"] == [], w
	assert u["flagged"] == [{"window": "MW-000005", "reasons": ["not approved"]}], u["flagged"]
	assert l["flagged"] == [{"window": "MW-000005", "reasons": ["filed 1 working day late"]}], l["flagged"]
	for d in (w, u, l):
	    assert d["planned"] == [], d
	    assert d["objects"] == w["objects"] and d["total"] == w["total"], d
	EOF
'

test_expect_success 'the carrier notice approved before the start: compliant, the same as the operator'"'"'s' '
	avail approved --json >approved.json &&
	avail compliant --json >compliant.json &&
	/usr/bin/python3 - approved.json compliant.json <<-\EOF
	import json, sys
	a, c = (json.load(open(f)) for f in sys.argv[1:])
	assert a["flagged"] == [] and a["objects"] == c["objects"] and a["total"] == c["total"], a
	assert a["planned"] == c["planned"], a["planned"]
	assert [p["outage"] for p in c["planned"]] == ["1:link/L-dong-qingshan", "2:node/qingshan"], c
	assert c["planned"][0] == {"outage": "1:link/L-dong-qingshan", "object": "link/L-dong-qingshan",
	    "window": "MW-000005", "from": "2025-03-10T02:05:00.000000Z", "until": "2025-03-10T03:35:00.000000Z"}, c
	q = [o for o in c["objects"] if o["name"] == "qingshan-gov"][0]
	assert (q["planned_s"], q["measured_s"], q["down_s"], q["up_s"]) == (5400, 81000, 0, 81000), q
	assert c["total"]["planned_s"] == 10800 and c["total"]["down_s"] == 0, c["total"]
	EOF
'

test_expect_success 'an overrun: past the window'"'"'s end the outage is down' '
	avail overrun --by link >link.out &&
	row link.out L-dong-qingshan 86400 6900 2400 77100 96.9811 &&
	avail overrun --by node >node.out &&
	row node.out qingshan 86400 6840 2400 77160 96.9834 &&
	avail overrun >unit.out &&
	row unit.out qingshan-gov 86400 6900 2400 77100 96.9811 &&
	row unit.out qingshan-clinic 86400 6900 2400 77100 96.9811 &&
	grep "^  1:link/L-dong-qingshan planned by MW-000005 from 2025-03-10T10:05:00+08:00 to 2025-03-10T12:00:00+08:00, unplanned after$" unit.out &&
	grep "^  2:node/qingshan planned by MW-000005 from 2025-03-10T10:06:00+08:00 to 2025-03-10T12:00:00+08:00, unplanned after$" unit.out
'

test_expect_success 'an outage begun before the window: all of it down, nothing flagged' '
	avail before --by link >link.out &&
	row link.out L-dong-qingshan 86400 0 6300 80100 92.7083 &&
	avail before --by node >node.out &&
	row node.out qingshan 86400 0 6240 80160 92.7777 &&
	avail before >unit.out &&
	row unit.out qingshan-gov 86400 0 6300 80100 92.7083 &&
	grep "^planned downtime: 0 outages" unit.out &&
	test_must_fail grep flagged unit.out
'

test_expect_success 'groups sum planned seconds too: telecom and the dong county' '
	avail overrun --by carrier >carrier.out &&
	row carrier.out telecom 6 518400 6900 2400 509100 99.5307 &&
	row carrier.out "  L-dong-qingshan" 86400 6900 2400 77100 96.9811 &&
	avail overrun --by region >region.out &&
	row region.out dong-county 6 518400 13800 4800 499800 99.0487
'

test_expect_success 'from the collector'"'"'s store: the same figures, notices read from its journal' '
	for c in compliant overrun unapproved; do
		extranoc replay --config extranoc.conf --journal $c.jsonl --x-store $c.db >/dev/null &&
		extranoc availability --config extranoc.conf --db $c.db --period 2025-03-10 --json >store-$c.json &&
		avail $c --json >journal-$c.json &&
		/usr/bin/python3 - store-$c.json journal-$c.json <<-\EOF || return 1
		import json, sys
		a, b = (json.load(open(f)) for f in sys.argv[1:])
		del a["source"], b["source"]
		assert a == b, sys.argv[1]
		EOF
	done &&
	grep "\"planned_s\": 6900" store-overrun.json &&
	extranoc availability --config extranoc.conf --db unapproved.db --period 2025-03-10 >store.out &&
	grep "^MW-000005 flagged: not approved; excludes nothing$" store.out
'

test_expect_success 'the calendar: --calendar-dir, else $EXTRANOC_CALENDAR_DIR; unreadable is an error naming it' '
	test_exit_code 1 avail compliant --calendar-dir "$PWD/nocal" 2>err &&
	grep "^extranoc availability: the working-day calendar, needed to judge maintenance notices: .*$PWD/nocal" err &&
	mkdir empty &&
	test_exit_code 1 env EXTRANOC_CALENDAR_DIR="$PWD/empty" extranoc availability --config extranoc.conf \
		--journal compliant.jsonl --period 2025-03-10 2>err &&
	grep "$PWD/empty: no calendar files" err &&
	EXTRANOC_CALENDAR_DIR="$PWD/empty" avail compliant --calendar-dir "$top_srcdir/data/calendar" >unit.out &&
	row unit.out qingshan-gov 86400 5400 0 81000 100.0000
'

test_done
