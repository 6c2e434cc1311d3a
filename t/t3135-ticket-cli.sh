#!/bin/sh
# extranoc ticket show|list: a ticket explained from a JSON-lines journal,
# from the journal database of --config (the same answer), and as
# extranoc-collector stored it (--db, written here by replay's hidden
# --x-ticket-store as a collector's step would); the facts behind it
# (seq, kind, ts, source); --open, --json; and bad input — an unknown
# ticket, a malformed ID, a bad --at, options that do not go together, a
# missing journal or store — refused with the exit status and a message
# naming it. The journals are t3130's hand-written scenarios.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

S=$top_srcdir/t/t3130-ticket-scenarios.d
unset EXTRANOC_DB

cp "$S/county-unit.jsonl" "$S/flap-after-grace.jsonl" "$top_srcdir/data/sample-county.json" . || exit 1
printf '[extranoc]\nconfig = sample-county.json\njournal = journal.db\n' >extranoc.conf || exit 1
AT=2025-03-10T20:00:00+08:00

ticket () {
	extranoc ticket "$@"
}

test_expect_success 'show from a journal file: report time, arithmetic, results, escalations, facts' '
	ticket show --config extranoc.conf --journal county-unit.jsonl --at $AT XN-000001 >show.out &&
	grep "^derived from county-unit.jsonl as of 2025-03-10T20:00:00+08:00$" show.out &&
	grep "^ticket XN-000001: closed, telecom$" show.out &&
	grep "^report time R: 2025-03-10T10:00:00+08:00 (rule recorded: when fact 1, which opened outage 1:link/L-dong-finance, was recorded)$" show.out &&
	grep "^SLA class: county-unit, restore target 7200 s (policy/fault-repair/restore-target/county-unit)$" show.out &&
	grep "^  deadline = R + target: 2025-03-10T02:00:00.000000Z + 3600 s = 2025-03-10T03:00:00.000000Z = 2025-03-10T11:00:00+08:00$" show.out &&
	grep "^  result: met by 1800 s$" show.out &&
	grep "^  deadline = R + target: 2025-03-10T02:00:00.000000Z + 7200 s = 2025-03-10T04:00:00.000000Z = 2025-03-10T12:00:00+08:00$" show.out &&
	grep "^  result: missed by 1800 s$" show.out &&
	grep "^    level 1: 2025-03-10T02:00:00.000000Z + 7200 s × 100 % = 2025-03-10T12:00:00+08:00, raised 2025-03-10T12:00:00+08:00$" show.out &&
	grep "^    level 2: 2025-03-10T02:00:00.000000Z + 7200 s × 150 % = 2025-03-10T13:00:00+08:00, not raised$" show.out &&
	grep "^  acknowledged 2025-03-10T10:30:00+08:00 by cli:ops, carrier reference .DX-7781., contact .电信值班 王.$" show.out &&
	grep "^  XN-000001-S#1  2025-03-10T12:00:00+08:00  restore-breach to telecom$" show.out &&
	sed -n "/^facts:/,\$p" show.out >facts &&
	cat >expect <<-\EOF &&
	facts: 3
	  1  interface.down  2025-03-10T10:00:00+08:00  poller  interface/dong-core/ge-0-2-1
	  2  fault.acknowledged  2025-03-10T10:30:00+08:00  cli:ops  ticket/XN-000001
	  3  interface.up  2025-03-10T12:30:00+08:00  poller  interface/dong-core/ge-0-2-1
	EOF
	test_cmp expect facts
'

test_expect_success 'a breach ticket ID shows the ticket it belongs to' '
	ticket show --config extranoc.conf --journal county-unit.jsonl --at $AT XN-000001-S >breach.out &&
	test_cmp show.out breach.out
'

test_expect_success 'by default the journal database of --config, with the same answer' '
	extranoc journal import --db journal.db county-unit.jsonl &&
	ticket show --config extranoc.conf --at $AT XN-000001 >db.out &&
	grep "^derived from .*journal.db as of 2025-03-10T20:00:00+08:00$" db.out &&
	sed 1d show.out >expect && sed 1d db.out >actual &&
	test_cmp expect actual
'

test_expect_success '--at earlier: the facts after it are left out, the deadline still open' '
	ticket show --config extranoc.conf --journal county-unit.jsonl --at 2025-03-10T10:20:00+08:00 XN-000001 >early.out &&
	grep "^ticket XN-000001: open, telecom$" early.out &&
	grep "^  result: open$" early.out &&
	grep "^facts: 1$" early.out
'

test_expect_success 'show --json: the ticket, its facts and the instant' '
	ticket show --config extranoc.conf --journal county-unit.jsonl --at $AT --json XN-000001 >show.json &&
	/usr/bin/python3 - show.json <<-\EOF
	import json, sys
	t = json.load(open(sys.argv[1]))
	assert t["id"] == "XN-000001" and t["status"] == "closed", t["id"]
	assert [f["seq"] for f in t["facts"]] == [1, 2, 3], t["facts"]
	assert t["facts"][1]["kind"] == "fault.acknowledged" and t["facts"][1]["source"] == "cli:ops"
	assert t["as_of"] == "2025-03-10T12:00:00.000000Z", t["as_of"]
	assert t["restore"]["deadline_local"] == "2025-03-10T12:00:00+08:00", t["restore"]
	assert t["restore"]["margin_s"] == -1800, t["restore"]
	EOF
'

test_expect_success 'list: every ticket; --open: those not closed' '
	ticket list --config extranoc.conf --journal flap-after-grace.jsonl --at 2025-03-10T11:35:00+08:00 >list.out &&
	grep "^derived from flap-after-grace.jsonl as of 2025-03-10T11:35:00+08:00: 2 tickets$" list.out &&
	grep "^XN-000001  *closed  *mobile  *link/L-xi-shiban  *township  *2025-03-10T10:00:00+08:00  *2025-03-10T11:00:00+08:00 missed  *2025-03-10T16:00:00+08:00 met  *-$" list.out &&
	grep "^XN-000003  *restored  *mobile  *link/L-xi-shiban  *township  *2025-03-10T10:45:00+08:00 " list.out &&
	ticket list --open --config extranoc.conf --journal flap-after-grace.jsonl --at 2025-03-10T11:35:00+08:00 >open.out &&
	grep "^derived from .*: 1 ticket not closed$" open.out &&
	test_must_fail grep "^XN-000001 " open.out &&
	ticket list --open --json --config extranoc.conf --journal flap-after-grace.jsonl --at $AT >none.json &&
	grep "^  \"tickets\": \[\]$" none.json
'

test_expect_success 'list --db and show --db: the tickets as the collector stored them' '
	extranoc journal import --db store.db flap-after-grace.jsonl &&
	extranoc replay --config extranoc.conf --journal flap-after-grace.jsonl --at $AT --x-ticket-store store.db >/dev/null &&
	ticket list --db store.db >stored.out &&
	grep "^stored in store.db up to seq 4 (as of 2025-03-10T20:00:00+08:00): 2 tickets$" stored.out &&
	sed 1d stored.out >actual &&
	ticket list --config extranoc.conf --journal flap-after-grace.jsonl --at $AT | sed 1d >expect &&
	test_cmp expect actual &&
	ticket show --db store.db XN-000003 >stored-show.out &&
	ticket show --config extranoc.conf --journal flap-after-grace.jsonl --at $AT XN-000003 >derived-show.out &&
	sed 1d stored-show.out >actual && sed 1d derived-show.out >expect &&
	test_cmp expect actual &&
	grep "^  3  interface.down  2025-03-10T10:45:00+08:00  poller  interface/xi-core/ge-0-1-3$" actual &&
	test_exit_code 1 ticket show --db store.db XN-000002 2>err &&
	grep "^extranoc ticket show: no ticket XN-000002 stored in store.db (derived up to seq 4" err
'

test_expect_success 'an unknown ticket: exit 1 naming it and the journal' '
	test_exit_code 1 ticket show --config extranoc.conf --journal county-unit.jsonl --at $AT XN-000002 >out 2>err &&
	test ! -s out &&
	grep "^extranoc ticket show: no ticket XN-000002 in county-unit.jsonl as of 2025-03-10T20:00:00+08:00 (3 facts read)$" err
'

test_expect_success 'a malformed ticket ID: exit 2 naming it' '
	for id in XN-12 XN-000001-X xn-000001 XN-0000a1 "XN-000001 " 57; do
		test_exit_code 2 ticket show --config extranoc.conf --journal county-unit.jsonl "$id" 2>err &&
		grep -F "extranoc ticket show: '\''$id'\'' is not a ticket ID" err || return 1
	done
'

test_expect_success 'a bad --at: exit 2 and the option' '
	test_exit_code 2 ticket show --config extranoc.conf --journal county-unit.jsonl --at "10:00" XN-000001 2>err &&
	grep "^extranoc ticket: --at: " err &&
	test_exit_code 2 ticket list --config extranoc.conf --journal county-unit.jsonl --at 2025-13-40T00:00:00 2>err &&
	grep "^extranoc ticket: --at: " err
'

test_expect_success 'usage errors: exit 2' '
	test_exit_code 2 ticket show --config extranoc.conf --journal county-unit.jsonl 2>err &&
	grep "which ticket" err &&
	test_exit_code 2 ticket show --config extranoc.conf --journal county-unit.jsonl XN-000001 XN-000002 2>err &&
	test_exit_code 2 ticket list --config extranoc.conf --journal county-unit.jsonl extra 2>err &&
	test_exit_code 2 ticket list --db store.db --at $AT 2>err &&
	grep "goes with neither --journal nor --at" err &&
	test_exit_code 2 ticket list --config extranoc.conf --journal - 2>err &&
	test_exit_code 2 ticket 2>err &&
	test_exit_code 2 ticket close XN-000001 2>err &&
	grep "unknown command .close." err
'

test_expect_success 'a missing journal, store or configuration: exit 1 naming it' '
	test_exit_code 1 ticket list --config extranoc.conf --journal nothere.jsonl 2>err &&
	grep "^extranoc ticket list: nothere.jsonl: " err &&
	test_exit_code 1 ticket list --db nothere.db 2>err &&
	grep "^extranoc ticket list: .*nothere.db" err &&
	test_exit_code 1 ticket list --config nothere.conf 2>err &&
	grep "nothere.conf" err
'

test_done
