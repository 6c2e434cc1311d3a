#!/bin/sh
# extranoc outages on a derived store, and availability from it. The store
# is written the way the collector writes it (storage/derived.h), by
# extranoc replay's hidden --x-store option, in steps of a few facts, into
# a journal that holds the facts themselves (imported). Checked: the table
# for people (known-good file), --open and --since, the JSON whose outages
# equal what replay prints for the same facts, the note when the journal
# goes past the derived position, a second derivation replacing the rows,
# the journal's location rules, that reading never creates anything, and
# availability from the store equal to availability from the journal.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

D=$top_srcdir/t/t3110-outages-cli.d
unset EXTRANOC_DB

cp "$top_srcdir/t/t3100-replay-scenarios.d/parent-down.jsonl" "$top_srcdir/data/sample-county.json" . || exit 1
printf '[extranoc]\nconfig = sample-county.json\njournal = journal.db\n' >extranoc.conf || exit 1

NOW=2025-03-10T10:45:00+08:00

# outages_of FILE: the "outages" member of a --json output, one compact line.
outages_of () {
	/usr/bin/python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["outages"], sort_keys=True))' "$1"
}

test_expect_success 'a store derived in steps up to 10:41:30' '
	extranoc journal import --db journal.db parent-down.jsonl &&
	extranoc replay --config extranoc.conf --journal parent-down.jsonl --at 2025-03-10T10:41:30+08:00 \
		--x-store journal.db --x-step 3 --json >replay-1041.json
'

test_expect_success 'the table for people, with the journal past the derived position' '
	extranoc outages --config extranoc.conf --now $NOW >table.out 2>err &&
	test ! -s err &&
	test_cmp_golden "$D/table-1041.ok" table.out &&
	grep "derived up to seq 106 (as of 2025-03-10T10:41:30+08:00); the journal goes on to seq 108: extranoc-collector is behind or not running" table.out &&
	grep "^10 outages shown, 4 open; 10 stored, 4 open$" table.out &&
	grep "^104:node/baishui  *node/baishui  *2025-03-10T10:03:00+08:00  *open  *42m00s  *node-unreachable  *-  *baishui-gov$" table.out
'

test_expect_success 'the JSON outages are what replay derives from the same facts' '
	extranoc outages --config extranoc.conf --json >stored.json &&
	outages_of stored.json >stored.outages &&
	outages_of replay-1041.json >replay.outages &&
	test_cmp replay.outages stored.outages &&
	grep "\"last_seq\": 106" stored.json &&
	grep "\"journal_last_seq\": 108" stored.json &&
	grep "\"derived_at\": \"2025-03-10T02:41:30.000000Z\"" stored.json
'

test_expect_success 'derived in one step or in steps of one fact: the same rows' '
	extranoc journal import --db one.db parent-down.jsonl &&
	extranoc replay --config extranoc.conf --journal parent-down.jsonl --at 2025-03-10T10:41:30+08:00 \
		--x-store one.db --x-step 1 >/dev/null &&
	extranoc outages --db one.db --json >one.json &&
	test_cmp stored.json one.json
'

test_expect_success '--open and --since' '
	extranoc outages --config extranoc.conf --open --now $NOW >open.out &&
	grep "^4 outages shown, 4 open; 10 stored, 4 open$" open.out &&
	test_must_fail grep "10:40:00+08:00" open.out &&
	extranoc outages --config extranoc.conf --since 2025-03-10T10:40:30+08:00 >since.out &&
	grep "^6 outages shown, 4 open" since.out &&
	grep "^103:node/qingshan " since.out &&
	extranoc outages --config extranoc.conf --since 2025-03-10 --json >day.json &&
	test_cmp stored.json day.json &&
	extranoc outages --config extranoc.conf --since 2025-03-11 >later.out &&
	grep "^4 outages shown, 4 open; 10 stored, 4 open$" later.out
'

test_expect_success 'a later step replaces the rows: everything closed, no note' '
	extranoc replay --config extranoc.conf --journal parent-down.jsonl --x-store journal.db --json >replay-end.json &&
	extranoc outages --config extranoc.conf --json >end.json &&
	outages_of end.json >end.outages &&
	outages_of replay-end.json >replay-end.outages &&
	test_cmp replay-end.outages end.outages &&
	extranoc outages --config extranoc.conf >end.out &&
	grep "derived up to seq 108 (as of 2025-03-10T11:30:00+08:00)$" end.out &&
	grep "^10 outages shown, 0 open; 10 stored, 0 open$" end.out
'

test_expect_success 'availability from the store equals availability from the journal' '
	for by in unit node link carrier region site-class; do
		extranoc availability --config extranoc.conf --period 2025-03 --by $by --json >store-$by.json &&
		extranoc availability --config extranoc.conf --period 2025-03 --by $by --journal parent-down.jsonl \
			--json >journal-$by.json &&
		/usr/bin/python3 - store-$by.json journal-$by.json <<-\EOF || exit 1
		import json, sys
		a, b = (json.load(open(f)) for f in sys.argv[1:])
		del a["source"], b["source"]
		assert a == b, sys.argv[1]
		EOF
	done &&
	extranoc availability --config extranoc.conf --period 2025-03-10 >day.out &&
	grep "^outages: derived state in ./journal.db, up to seq 108$" day.out &&
	grep -E "^taohua-gov +86400 +0 +5400 +81000 +93.7500$" day.out
'

test_expect_success 'the journal: --db, else --config, else $EXTRANOC_DB' '
	EXTRANOC_DB=one.db extranoc outages --json >env.json &&
	test_cmp one.json env.json &&
	EXTRANOC_DB=one.db extranoc outages --config extranoc.conf --json >conf.json &&
	test_cmp end.json conf.json &&
	EXTRANOC_DB=journal.db extranoc outages --config extranoc.conf --db one.db --json >db.json &&
	test_cmp one.json db.json
'

test_expect_success 'no store, or a journal never derived from: exit 1, nothing created' '
	test_exit_code 1 extranoc outages --db nothere.db 2>err &&
	grep "^extranoc outages: nothere.db: no such journal" err &&
	test ! -e nothere.db &&
	extranoc journal import --db plain.db parent-down.jsonl &&
	test_exit_code 1 extranoc outages --db plain.db 2>err &&
	grep "^extranoc outages: plain.db: no derived state yet" err
'

test_expect_success 'usage errors: exit 2' '
	test_exit_code 2 extranoc outages --db one.db --since yesterday 2>err &&
	grep "since: .yesterday. is neither an ISO 8601 instant nor a date" err &&
	test_exit_code 2 extranoc outages --db one.db extra 2>err &&
	test_exit_code 2 extranoc outages --bogus 2>err
'

test_done
