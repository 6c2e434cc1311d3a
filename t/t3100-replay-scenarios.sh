#!/bin/sh
# extranoc replay on hand-written JSON-lines journals over the sample
# county: a node down and up (a file without seqs: line numbers stand in),
# a link's trap and poll reports merged into one outage with an admin-down
# trap that is no fault and a trap-only outage closed by a re-assertion,
# and doc/outages.md's worked example of a parent down with attributed
# children. The JSON and the tables for people equal known-good files
# (t/t3100-replay-scenarios.d/*.ok; regenerate with `make update-golden`
# and read the diff); the facts that matter are also checked directly.
# Then --at, standard input, the correlation window (--correlation-window,
# and the policy's: with 60 s, a child seen down 120 s before its parent
# is its own root until the parent fails; with the default it belongs to
# the parent's incident from its start), and every kind of bad input with
# its FILE:LINE.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

D=$top_srcdir/t/t3100-replay-scenarios.d
unset EXTRANOC_DB

cp "$D"/*.jsonl "$top_srcdir/data/sample-county.json" . || exit 1
printf '[extranoc]\nconfig = sample-county.json\njournal = journal.db\n' >extranoc.conf || exit 1

golden () {
	test_cmp_golden "$D/$1" "$2"
}

replay () {
	extranoc replay --config extranoc.conf "$@"
}

test_expect_success 'parent down: one root incident, nine dependents, JSON as known' '
	replay --journal parent-down.jsonl --json >parent-down.out 2>err &&
	test ! -s err &&
	golden parent-down.ok parent-down.out &&
	replay --journal parent-down.jsonl >parent-down.txt &&
	grep "^  102:node/dong-core: 9 dependents$" parent-down.txt &&
	grep "^outages: 10, 0 open$" parent-down.txt
'

test_expect_success 'parent down, seen at 10:41:30: the table for people as known' '
	replay --journal parent-down.jsonl --at 2025-03-10T10:41:30+08:00 >parent-down-1041.out &&
	golden parent-down-1041.ok parent-down-1041.out &&
	grep "^facts: 8 read, 6 fed (seq 101 to 106), 2 after --at$" parent-down-1041.out &&
	grep "^units without service at 2025-03-10T10:41:30+08:00: 2$" parent-down-1041.out &&
	grep "^  taohua-gov: 101:link/L-dong-taohua 101:node/taohua$" parent-down-1041.out
'

test_expect_success 'without the correlation window taohua is its own root until dong-core fails' '
	replay --journal parent-down.jsonl --correlation-window 0 --json >window0.out &&
	/usr/bin/python3 - window0.out <<-\EOF
	import json, sys
	doc = json.load(open(sys.argv[1]))
	taohua = [o for o in doc["outages"] if o["id"] == "101:node/taohua"][0]
	assert [s["root"] for s in taohua["segments"]] == \
	    ["101:node/taohua", "102:node/dong-core", "101:node/taohua"], taohua["segments"]
	assert taohua["segments"][1]["from"] == "2025-03-10T02:01:30.000000Z"
	assert doc["correlation_window_s"] == 0
	EOF
'

# window_roots FILE: taohua's roots over time, then its first segment's end.
window_roots () {
	/usr/bin/python3 - "$1" <<-\EOF
	import json, sys
	doc = json.load(open(sys.argv[1]))
	taohua = [o for o in doc["outages"] if o["id"] == "1:node/taohua"][0]
	print(doc["correlation_window_s"], " ".join(s["root"] for s in taohua["segments"]), taohua["segments"][0]["to"])
	EOF
}

test_expect_success 'the policy window: 60 s leaves a child seen down 120 s before its parent its own root' '
	printf "{ \"extranoc-policy:policy\": { \"outages\": { \"correlation-window\": 60 } } }\n" >policy-60.json &&
	printf "[extranoc]\nconfig = sample-county.json; policy-60.json\njournal = journal.db\n" >window60.conf &&
	extranoc replay --config window60.conf --journal child-first.jsonl --json >w60.out &&
	window_roots w60.out >actual &&
	echo "60 1:node/taohua 2:node/dong-core 1:node/taohua 2025-03-10T02:02:00.000000Z" >expect &&
	test_cmp expect actual
'

test_expect_success 'the default policy window (600 s): the same child belongs to its parent from its start' '
	replay --journal child-first.jsonl --json >w600.out &&
	window_roots w600.out >actual &&
	echo "600 2:node/dong-core 1:node/taohua 2025-03-10T02:30:00.000000Z" >expect &&
	test_cmp expect actual &&
	extranoc replay --config window60.conf --correlation-window 600 --journal child-first.jsonl --json >override.out &&
	test_cmp w600.out override.out
'

test_expect_success 'a link trap and the next poll are one outage from the trap' '
	replay --journal link-trap-poll.jsonl --json >link.out &&
	golden link-trap-poll.ok link.out &&
	replay --journal link-trap-poll.jsonl >link.txt &&
	grep "^11:link/L-xi-songlin  *link/L-xi-songlin  *2025-03-10T10:00:03+08:00  *2025-03-10T10:30:05+08:00  *30m02s  *interface-down xi-core ge-0-1-2  *-  *songlin-gov$" link.txt &&
	grep "^16:link/L-xi-hongqiao .*2025-03-10T11:00:00+08:00  *2025-03-10T11:20:00+08:00 " link.txt &&
	grep "^engine: 6 reports, 1 neutral, 0 unknown, 1 ignored$" link.txt &&
	grep "^outages: 2, 0 open$" link.txt
'

test_expect_success 'a node down and up, from a file without seqs: line numbers are the seqs' '
	replay --journal node-down-up.jsonl --at 2025-03-10T10:20:00+08:00 --json >open.out &&
	golden node-down-up-open.ok open.out &&
	replay --journal node-down-up.jsonl >closed.txt &&
	grep "^facts: 3 read, 3 fed (seq 1 to 3, line numbers), 0 after --at$" closed.txt &&
	grep "^1:node/hongqiao  *node/hongqiao  *2025-03-10T10:00:00+08:00  *2025-03-10T10:45:00+08:00  *45m00s  *node-unreachable  *-  *hongqiao-gov,hongqiao-school$" closed.txt
'

test_expect_success 'a young outage is provisional, then not' '
	replay --journal node-down-up.jsonl --at 2025-03-10T10:05:00+08:00 --json >young.out &&
	grep -c "\"provisional\": true" young.out >count &&
	echo 1 >expect && test_cmp expect count &&
	replay --journal node-down-up.jsonl --at 2025-03-10T10:10:00+08:00 --json >older.out &&
	test_must_fail grep "\"provisional\": true" older.out
'

test_expect_success '--at before every fact: nothing fed, no outage' '
	replay --journal parent-down.jsonl --at 2025-03-10T09:00:00+08:00 >early.out &&
	grep "^facts: 8 read, 0 fed, 8 after --at$" early.out &&
	grep "^outages: 0, 0 open$" early.out
'

test_expect_success 'standard input gives what the file gives' '
	replay --journal - --json <parent-down.jsonl >stdin.out &&
	test_cmp parent-down.out stdin.out
'

test_expect_success 'a bad line: exit 1 and FILE:LINE' '
	sed "2s/\"kind\"/\"knd\"/" parent-down.jsonl >bad.jsonl &&
	test_exit_code 1 replay --journal bad.jsonl >out 2>err &&
	test ! -s out &&
	grep "^extranoc replay: bad.jsonl:2: " err
'

test_expect_success 'seqs that do not increase: exit 1 and both lines' '
	{ sed -n 1p parent-down.jsonl; sed -n 3p parent-down.jsonl; sed -n 2p parent-down.jsonl; } >order.jsonl &&
	test_exit_code 1 replay --journal order.jsonl 2>err &&
	grep "^extranoc replay: order.jsonl:3: seq 102 is not above seq 103 of line 2" err
'

test_expect_success 'some facts with seqs and some without: exit 1 and the line' '
	{ sed -n 1p parent-down.jsonl; sed -n 2p node-down-up.jsonl; } >mixed.jsonl &&
	test_exit_code 1 replay --journal mixed.jsonl 2>err &&
	grep "^extranoc replay: mixed.jsonl:2: no seq, but line 1.s has one" err
'

test_expect_success 'a missing journal file or configuration: exit 1 naming it' '
	test_exit_code 1 replay --journal nothere.jsonl 2>err &&
	grep "^extranoc replay: nothere.jsonl: " err &&
	test_exit_code 1 extranoc replay --config nothere.conf --journal parent-down.jsonl 2>err &&
	grep "nothere.conf" err
'

test_expect_success 'usage errors: exit 2' '
	test_exit_code 2 replay 2>err &&
	grep "which journal" err &&
	test_exit_code 2 replay --journal parent-down.jsonl --at "10:00" 2>err &&
	grep "^extranoc replay: --at: " err &&
	test_exit_code 2 replay --journal parent-down.jsonl --correlation-window 90000 2>err &&
	test_exit_code 2 replay --journal parent-down.jsonl extra 2>err
'

test_done
