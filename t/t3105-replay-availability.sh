#!/bin/sh
# extranoc availability --journal: availability replayed from a hand-written
# journal over the sample county, checked against figures computed by hand
# (all in Asia/Shanghai):
#   L-city-xi down 2024-01-31 23:00 – 02-01 01:00 (the only uplink of xi-core:
#     every xi unit loses 3,600 s in January and 3,600 s in February);
#   hongqiao unreachable 2024-02-10 10:00–14:00 and its uplink's A end down
#     12:00–13:00 inside it (counted once: 14,400 s);
#   L-dong-finance down 2024-02-20 09:00 – 02-21 09:00 (86,400 s);
#   L-xi-market down from 2024-03-05 08:00, never up again (open);
#   songlin unreachable 2024-12-31 23:30 – 2025-01-01 00:30 (1,800 s each year).
# February 2024 has 29 days (2,505,600 s), 2024 has 366 (31,622,400 s).
# Groups are sums of seconds; a month is the sum of its parts; an open
# outage lasts to the end of the period, or to --at.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

D=$top_srcdir/t/t3105-replay-availability.d
unset EXTRANOC_DB

cp "$D"/avail.jsonl "$top_srcdir/data/sample-county.json" . || exit 1
printf '[extranoc]\nconfig = sample-county.json\njournal = journal.db\n' >extranoc.conf || exit 1

avail () {
	extranoc availability --config extranoc.conf --journal avail.jsonl "$@"
}

# row FILE NAME FIGURE...: FILE has the line NAME FIGURE... (any spacing).
row () {
	_file=$1; shift
	_re="^$1"; shift
	for _f in "$@"; do _re="$_re +$_f"; done
	grep -E "$_re\$" "$_file" || { echo "no line like: $_re"; return 1; }
}

# total FILE KEY: the value of the top-level total's KEY in a --json output.
total () {
	/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"][sys.argv[2]])' "$1" "$2"
}

test_expect_success 'February 2024 by unit: 2,505,600 s each, overlaps counted once' '
	avail --period 2024-02 >feb.out &&
	grep "^availability 2024-02: 2024-02-01T00:00:00+08:00 to 2024-03-01T00:00:00+08:00 (Asia/Shanghai), by unit$" feb.out &&
	row feb.out hongqiao-gov 2505600 0 18000 2487600 99.2816 &&
	row feb.out hongqiao-school 2505600 0 18000 2487600 99.2816 &&
	row feb.out songlin-gov 2505600 0 3600 2502000 99.8563 &&
	row feb.out dong-finance 2505600 0 86400 2419200 96.5517 &&
	row feb.out dong-health 2505600 0 0 2505600 100.0000 &&
	row feb.out "total \(12\)" 30067200 0 136800 29930400 99.5450
'

test_expect_success 'February 2024 by node: doc/availability.md example (4 h down, 99.4252 %)' '
	avail --period 2024-02 --by node >node.out &&
	row node.out hongqiao 2505600 0 14400 2491200 99.4252 &&
	row node.out xi-core 2505600 0 0 2505600 100.0000 &&
	row node.out "total \(9\)" 22550400 0 14400 22536000 99.9361
'

test_expect_success 'February 2024 by link' '
	avail --period 2024-02 --by link >link.out &&
	row link.out L-city-xi 2505600 0 3600 2502000 99.8563 &&
	row link.out L-xi-hongqiao 2505600 0 14400 2491200 99.4252 &&
	row link.out L-dong-finance 2505600 0 86400 2419200 96.5517 &&
	row link.out "total \(12\)" 30067200 0 104400 29962800 99.6527
'

test_expect_success 'across a month end: January and February each get their hour, the range both' '
	avail --period 2024-01 --by link >jan.out &&
	row jan.out L-city-xi 2678400 0 3600 2674800 99.8655 &&
	avail --period 2024-01-01..2024-02-29 --by link >range.out &&
	grep "^availability 2024-01-01..2024-02-29: " range.out &&
	row range.out L-city-xi 5184000 0 7200 5176800 99.8611 &&
	avail --period 2024-01 --by link --json >jan.json &&
	avail --period 2024-02 --by link --json >feb.json &&
	avail --period 2024-01-01..2024-02-29 --by link --json >range.json &&
	test $(( $(total jan.json down_s) + $(total feb.json down_s) )) -eq $(total range.json down_s) &&
	test $(( $(total jan.json up_s) + $(total feb.json up_s) )) -eq $(total range.json up_s)
'

test_expect_success 'a month is the sum of its parts, a quarter the sum of its months' '
	avail --period 2024-02 --json >m.json &&
	avail --period 2024-02-01..2024-02-15 --json >a.json &&
	avail --period 2024-02-16..2024-02-29 --json >b.json &&
	test $(( $(total a.json down_s) + $(total b.json down_s) )) -eq $(total m.json down_s) &&
	test $(( $(total a.json period_s) + $(total b.json period_s) )) -eq 30067200 &&
	avail --period 2024-01 --json >q1.json && avail --period 2024-03 --json >q3.json &&
	avail --period 2024-Q1 --json >q.json &&
	test $(( $(total q1.json down_s) + $(total m.json down_s) + $(total q3.json down_s) )) -eq $(total q.json down_s) &&
	test $(total q.json period_s) -eq 94348800 &&
	test $(total q.json percent) = 97.3901
'

test_expect_success 'the year 2024: 31,622,400 s, the year-end outage cut at midnight, the open one to the end' '
	avail --period 2024 >year.out &&
	row year.out hongqiao-gov 31622400 0 21600 31600800 99.9316 &&
	row year.out songlin-gov 31622400 0 9000 31613400 99.9715 &&
	row year.out xi-market 31622400 0 26071200 5551200 17.5546 &&
	row year.out dong-finance 31622400 0 86400 31536000 99.7267 &&
	row year.out "total \(12\)" 379468800 0 26224200 353244600 93.0892 &&
	avail --period 2025-01 --by node >jan25.out &&
	row jan25.out songlin 2678400 0 1800 2676600 99.9327
'

test_expect_success 'an open outage lasts to the end of a past period, or to --at' '
	avail --period 2024-03 >mar.out &&
	row mar.out xi-market 2678400 0 2304000 374400 13.9784 &&
	avail --period 2024-03 --at 2024-03-05T10:00:00+08:00 >soon.out &&
	grep "^availability 2024-03 so far: 2024-03-01T00:00:00+08:00 to 2024-03-05T10:00:00+08:00 " soon.out &&
	row soon.out xi-market 381600 0 7200 374400 98.1132 &&
	avail --period 2024-03 --at 2024-03-05T10:00:00+08:00 --json >soon.json &&
	grep "\"complete\": false" soon.json
'

test_expect_success '--by carrier: a carrier is the sum of its links' '
	avail --period 2024-02 --by carrier >carrier.out &&
	row carrier.out telecom 6 15033600 0 86400 14947200 99.4252 &&
	row carrier.out mobile 6 15033600 0 18000 15015600 99.8802 &&
	row carrier.out "  L-xi-hongqiao" 2505600 0 14400 2491200 99.4252 &&
	row carrier.out total 12 30067200 0 104400 29962800 99.6527
'

test_expect_success '--by region: a region is the sum of its units and of those below it' '
	avail --period 2024-02 --by region >region.out &&
	row region.out xi-county 6 15033600 0 50400 14983200 99.6647 &&
	row region.out dong-county 6 15033600 0 86400 14947200 99.4252 &&
	row region.out hongqiao 2 5011200 0 36000 4975200 99.2816 &&
	row region.out sample-city 12 30067200 0 136800 29930400 99.5450 &&
	row region.out total 12 30067200 0 136800 29930400 99.5450
'

test_expect_success '--by site-class: the units of sites of each class; an empty class has no percent' '
	avail --period 2024-02 --by site-class >class.out &&
	row class.out county-unit 4 10022400 0 93600 9928800 99.0660 &&
	row class.out township 8 20044800 0 43200 20001600 99.7844 &&
	row class.out core-room 0 0 0 0 0 "no members" &&
	avail --period 2024-02 --by site-class --json >class.json &&
	/usr/bin/python3 - class.json <<-\EOF
	import json, sys
	doc = json.load(open(sys.argv[1]))
	core = [g for g in doc["groups"] if g["name"] == "core-room"][0]
	assert core["members"] == 0 and core["percent"] is None and core["objects"] == [], core
	EOF
'

test_expect_success 'the JSON document is as known' '
	avail --period 2024-02 --by carrier --json >carrier.json &&
	test_cmp_golden "$D/feb-carrier.ok" carrier.json
'

test_expect_success 'bad input: exit 2 for usage, 1 for a period not begun or a missing store' '
	test_exit_code 2 avail --period 2024-13 2>err &&
	grep "2024-13: month 13 does not exist" err &&
	test_exit_code 2 avail --period 2024-02 --by county 2>err &&
	test_exit_code 2 avail 2>err &&
	grep "which period" err &&
	test_exit_code 2 extranoc availability --config extranoc.conf --period 2024-02 --db x.db --journal avail.jsonl 2>err &&
	test_exit_code 1 avail --period 2024-04 --at 2024-03-05T10:00:00+08:00 2>err &&
	grep "2024-04 has not begun at 2024-03-05T10:00:00+08:00" err &&
	test_exit_code 1 extranoc availability --config extranoc.conf --period 2024-02 --db nothere.db 2>err &&
	grep "nothere.db" err
'

test_done
