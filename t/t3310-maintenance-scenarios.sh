#!/bin/sh
# What maintenance windows do to outages and carrier tickets, from
# `extranoc replay` on hand-written JSON-lines journals over the sample
# county and the shipped calendar (doc/maintenance.md): an operator's
# notice two working days ahead plans the outage inside it and the node
# cut off behind the link; across the 2025 Spring Festival a notice filed
# on the 调休 Sunday is on time and one filed the Monday after is one
# working day late (flagged, the outage ticketed as usual); a unit's
# application 4 working days ahead and one 5 ahead, neither approved, are
# both flagged; a carrier's 90-minute notice without approval is flagged,
# its 3-hour approved one plans; an outage 40 minutes past the window's end
# opens its ticket at the end, which is its report time, as does one that
# was still provisional then; an outage that began before the window keeps
# its ticket and clocks, the breaches falling due inside are held and one
# message goes out at the end; an in-scope node with everything behind it
# is planned while an out-of-scope one failing inside the window is
# ticketed; a 3-step escalation (0/30/60 min) with a window from minute 10
# to 40: nothing inside, one message at 40 when still down, none when
# restored at 35; a withdrawn window and one approved after its start
# exclude nothing. The known-good files (t/t3310-maintenance-scenarios.d/
# *.ok) were written by hand from those rules before the code ran; each
# summarizes the replay's tickets, events, windows and planned outages.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

D=$top_srcdir/t/t3310-maintenance-scenarios.d
unset EXTRANOC_DB

cp "$D"/*.jsonl "$top_srcdir/data/sample-county.json" . || exit 1
printf '[extranoc]\nconfig = sample-county.json\njournal = journal.db\n' >extranoc.conf || exit 1

# Response target 1 h, escalation at 50 and 100 %, no correlation window:
# the ticket opens at minute 0, response breaches at minutes 30 and 60.
/usr/bin/python3 - "$top_srcdir/data/policy-default.json" <<-\EOF || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
p = d["extranoc-policy:policy"]
p["fault-repair"]["response-target"] = 3600
p["fault-repair"]["escalation"] = [50, 100]
p["outages"]["correlation-window"] = 0
json.dump(d, open("policy-steps.json", "w"), ensure_ascii=False, indent=1)
EOF
printf '[extranoc]\nconfig = sample-county.json; policy-steps.json\njournal = journal.db\n' >steps.conf || exit 1

# summarize REPLAY-JSON: t3130's ticket blocks, with the window a report
# time comes from, the flagged windows a ticket's fault lies in and the
# held escalation points; then the windows and the planned outages.
summarize () {
	/usr/bin/python3 - "$1" <<-\EOF
	import datetime, json, sys
	doc = json.load(open(sys.argv[1]))
	def local(text):
	    t = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
	    return (t + datetime.timedelta(hours=8)).strftime("%m-%d %H:%M:%S")
	if not doc["tickets"]:
	    print("tickets: none")
	for t in doc["tickets"]:
	    a, c, r = t["attribution"], t["sla_class"], t["report"]
	    what = "call from " + t["unit"] if t["manual"] else t["object"]
	    print("%s %s to=%s carrier=%s %s" % (t["id"], t["status"], a["to"], a["carrier"], what))
	    print("  class %s at %s (ticket site %s by %s), restore target %s s" % (
	        c["class"], c["site"], c["ticket_site"], c["ticket_site_rule"], t["restore"]["target_s"]))
	    # a window-end report time comes from the window, named after it
	    line = "  report %s (%s" % (local(r["at"]), r["rule"])
	    if r["rule"] != "window-end":
	        line += ", fact %s" % r["fact_seq"]
	    line += ")"
	    if r["window"] is not None:
	        line += " window " + r["window"]
	    print(line)
	    for name in ("response", "restore"):
	        clock = t[name]
	        print("  %s deadline %s: %s" % (name, local(clock["deadline"]), clock["result"]))
	    if t["restore"]["restored"] is not None:
	        line = "  restored " + local(t["restore"]["restored"])
	        if t["restore"]["confirmed"]:
	            line += " (confirmed)"
	        if t["closed"] is not None:
	            line += ", closed " + local(t["closed"])
	        print(line)
	    if t["reopens"]:
	        print("  reopens: %d" % t["reopens"])
	    print("  units: " + " ".join(t["units"]))
	    if t["maintenance_flagged"]:
	        print("  flagged: " + " ".join(t["maintenance_flagged"]))
	    print("  outages: " + (", ".join("%s %s" % (o["id"], o["link"]) for o in t["outages"]) or "-"))
	    for name in ("response", "restore"):
	        for p in t["escalation"][name]:
	            line = "  %s %d %%: due %s" % (name, p["percent"], local(p["due"]))
	            if p["raised"] is not None:
	                line += ", raised " + local(p["raised"])
	            if p["held"] is not None:
	                line += ", held " + p["held"]
	            print(line)
	    for e in doc["events"]:
	        base = e["id"].split("#")[0]
	        if base not in (t["id"], t["id"] + "-R", t["id"] + "-S"):
	            continue
	        line = "  event %s %s %s" % (e["id"], local(e["instant"]), e["kind"])
	        if e["over_s"] is not None:
	            line += " (%s s over)" % e["over_s"]
	        print(line)
	m = doc["maintenance"]
	print("windows:" if m["windows"] else "windows: none")
	for w in m["windows"]:
	    i = w["initiator"]
	    who = "%s %s" % (i["kind"], i["name"]) if isinstance(i, dict) else i
	    line = "  %s %s, %s to %s, %s, compliant %s" % (w["id"], who, local(w["start"]), local(w["end"]),
	                                                 w["status"], "yes" if w["compliant"] else "no")
	    if w["reasons"]:
	        line += " (%s)" % "; ".join(w["reasons"])
	    print(line)
	print("flagged windows: " + (" ".join(m["flagged"]) or "-"))
	# the order of "planned" is not part of the design: by from, then id
	planned = sorted(doc["planned"], key=lambda p: (p["from"], p["outage"]))
	print("planned:" if planned else "planned: none")
	for p in planned:
	    print("  %s %s %s from %s until %s, end %s" % (p["outage"], p["object"], p["window"], local(p["from"]),
	                                                 local(p["until"]), "open" if p["end"] is None else local(p["end"])))
	EOF
}

# scenario NAME CONF AT [OK]: replays NAME.jsonl to AT, compares with OK
# (default NAME.ok).
scenario () {
	name=$1 conf=$2 at=$3 ok=${4:-$1}
	extranoc replay --config "$conf" --journal "$name.jsonl" --at "$at" --json >"$ok.json" &&
	summarize "$ok.json" >"$ok.out" &&
	test_cmp "$D/$ok.ok" "$ok.out"
}

test_expect_success 'operator, 2 working days ahead: the link and the node behind it are planned, no ticket' '
	scenario operator-on-time extranoc.conf 2025-03-12T20:00:00+08:00
'

test_expect_success 'Spring Festival: filed on the 调休 Sunday plans; filed the Monday after is flagged, ticketed' '
	scenario spring-festival extranoc.conf 2025-02-05T20:00:00+08:00
'

test_expect_success 'a unit 4 working days ahead (late) and 5 (on time), neither approved: both flagged' '
	scenario unit-unapproved extranoc.conf 2025-03-17T20:00:00+08:00
'

test_expect_success 'a carrier 90 minutes ahead, not approved: flagged, the outage ticketed' '
	scenario carrier-90min extranoc.conf 2025-03-10T20:00:00+08:00
'

test_expect_success 'a carrier 3 hours ahead, approved: the outage is planned' '
	scenario carrier-3h extranoc.conf 2025-03-10T20:00:00+08:00
'

test_expect_success 'inside the window an outage opens no ticket, however long it has lasted' '
	scenario overrun extranoc.conf 2025-03-10T11:30:00+08:00 overrun-1130
'

test_expect_success 'an overrun of 40 minutes: the ticket opens at the window end, R = the window end' '
	scenario overrun extranoc.conf 2025-03-10T20:00:00+08:00
'

test_expect_success 'an outage that began before the window: its clocks run, breaches inside are held' '
	scenario began-before extranoc.conf 2025-03-10T20:00:00+08:00
'

test_expect_success 'an in-scope node is planned with all behind it; an out-of-scope one is ticketed' '
	scenario in-out-scope extranoc.conf 2025-03-12T20:00:00+08:00
'

test_expect_success '0/30/60 min, window 10 to 40: at minute 39 only the #opened went out' '
	scenario steps-still-down steps.conf 2025-03-10T10:39:00+08:00 steps-1039
'

test_expect_success '0/30/60 min, window 10 to 40, still down: one message at 40, the next at 60' '
	scenario steps-still-down steps.conf 2025-03-10T12:00:00+08:00
'

test_expect_success '0/30/60 min, window 10 to 40, restored at 35: nothing at 40' '
	scenario steps-restored-inside steps.conf 2025-03-10T12:00:00+08:00
'

test_expect_success 'a withdrawn window and one approved after its start exclude nothing' '
	scenario excluded extranoc.conf 2025-03-12T20:00:00+08:00
'

# The replay judges the windows as `extranoc maintenance list` does: one
# book, two views.
test_expect_success 'the replay judges each window as maintenance list does' '
	for name in operator-on-time spring-festival unit-unapproved carrier-90min carrier-3h overrun \
		began-before in-out-scope excluded
	do
		extranoc maintenance list -c extranoc.conf --journal $name.jsonl --json >$name.list.json &&
		/usr/bin/python3 - $name.json $name.list.json <<-\EOF || exit 1
		import json, sys
		replay = json.load(open(sys.argv[1]))["maintenance"]["windows"]
		book = json.load(open(sys.argv[2]))["windows"]
		keys = ("id", "initiator", "status", "start", "end", "compliant", "reasons")
		assert [{k: w[k] for k in keys} for w in replay] == [{k: w[k] for k in keys} for w in book], (replay, book)
		EOF
	done
'

test_expect_success 'the text form names the planned outages and their window' '
	extranoc replay --config extranoc.conf --journal carrier-3h.jsonl --at 2025-03-10T20:00:00+08:00 >carrier-3h.txt &&
	grep "3:link/L-dong-qingshan.*MW-000001" carrier-3h.txt
'

# A calendar without 2025 cannot decide the operator's deadline: the
# window is not compliant, plans nothing, and the outage is ticketed.
test_expect_success '--calendar-dir: a year with no schedule leaves the deadline unknown' '
	mkdir no-2025 &&
	cp "$top_srcdir/data/calendar/2024.txt" "$top_srcdir/data/calendar/2026.txt" no-2025/ &&
	extranoc replay --config extranoc.conf --journal operator-on-time.jsonl --calendar-dir no-2025 \
		--at 2025-03-12T20:00:00+08:00 --json >no-2025.json &&
	/usr/bin/python3 - no-2025.json <<-\EOF
	import json, sys
	doc = json.load(open(sys.argv[1]))
	w = doc["maintenance"]["windows"][0]
	assert not w["compliant"] and w["reasons"][0].startswith("deadline unknown"), w
	assert doc["maintenance"]["flagged"] == ["MW-000001"], doc["maintenance"]
	assert doc["planned"] == [], doc["planned"]
	assert [t["id"] for t in doc["tickets"]] == ["XN-000002"], doc["tickets"]
	assert doc["tickets"][0]["maintenance_flagged"] == ["MW-000001"], doc["tickets"][0]
	EOF
'

test_expect_success '--calendar-dir: a directory that is not there is refused, named' '
	test_must_fail extranoc replay --config extranoc.conf --journal operator-on-time.jsonl \
		--calendar-dir nowhere-calendar --json >out 2>err &&
	grep "nowhere-calendar" err
'

test_done
