# lib-collector.sh — starting extranoc-collector in shell tests and reading
# what it recorded; sourced after t/test-lib.sh. The test writes
# $TRASH_DIRECTORY/extranoc.conf first; the notification names come from the
# source tree's mibs/.

EXTRANOC_MIBS_DIR="$top_srcdir/mibs"
# Net-SNMP's command-line tools: no MIB files to load, their own state here.
MIBS=:
SNMP_PERSISTENT_DIR="$TRASH_DIRECTORY/snmp-client"
export EXTRANOC_MIBS_DIR MIBS SNMP_PERSISTENT_DIR

# start_collector [-c CONF] [-l LOG] [WRAPPER...]: the collector runs in a
# subshell of this shell that waits for it and keeps its exit status in
# collector.status, so test bodies can stop it and still learn how it
# exited. Its pid is in collector.pid (and $collector_pid in the same shell); its log goes to
# LOG (collector.log); it is killed at exit. Returns once it logged its
# start (or failed to start, then non-zero). A WRAPPER that execs its
# arguments (ip netns exec NS) runs it.
start_collector () {
	_sc_conf="$TRASH_DIRECTORY/extranoc.conf"
	_sc_log=collector.log
	while [ $# -gt 0 ]; do
		case $1 in
		-c) _sc_conf=$2; shift 2 ;;
		-l) _sc_log=$2; shift 2 ;;
		*) break ;;
		esac
	done
	rm -f collector.pid collector.status
	: >>"$_sc_log"
	_sc_lines=$(wc -l <"$_sc_log")
	( "$@" extranoc-collector -c "$_sc_conf" 2>>"$_sc_log" &
	  echo $! >collector.pid; wait $!; echo $? >collector.status ) &
	test_wait_for 5 test -s collector.pid || return 1
	collector_pid=$(cat collector.pid)
	test_atexit "kill $collector_pid"
	test_wait_for 10 collector_said_start "$_sc_log" "$_sc_lines" || { cat "$_sc_log"; return 1; }
	kill -0 "$collector_pid"
}

# collector_said_start LOG SKIP: a start (or an exit) after line SKIP of LOG.
collector_said_start () {
	tail -n +"$(( $2 + 1 ))" "$1" | grep -q "notice: trap socket " || test -s collector.status
}

# stop_collector: SIGTERM, then wait for its exit; its status is in collector.status.
stop_collector () {
	kill -TERM "$(cat collector.pid)" &&
	test_wait_for 10 test -s collector.status
}

# facts [DB]: the journal as JSON lines in facts.json.
facts () {
	extranoc journal export --db "${1:-journal.db}" >facts.json.tmp && mv facts.json.tmp facts.json
}

# has_fact FILTER: a fact of the journal matches the jq filter.
has_fact () {
	facts && jq -s -e "any(.[]; $1)" facts.json >/dev/null
}

# count_facts FILTER: how many facts of facts.json match the jq filter.
count_facts () {
	jq -s "map(select($1)) | length" facts.json
}

# gone PID: the process has exited.
gone () { ! kill -0 "$1" 2>/dev/null; }
