# lib-poller.sh — starting extranoc-poller in shell tests; sourced after
# t/test-lib.sh. The test writes $TRASH_DIRECTORY/extranoc.conf first.

# start_poller [-c CONF] [-l LOG] [WRAPPER...]: the poller runs in a subshell
# of this shell that waits for it and keeps its exit status in poller.status,
# so test bodies (subshells themselves) can stop it and still learn how it
# exited. Its pid is in $poller_pid and poller.pid; its log goes to LOG
# (poller.log); it reads CONF ($TRASH_DIRECTORY/extranoc.conf); it is killed
# at exit. A WRAPPER that execs its arguments (prlimit --nofile=S:H) runs it.
start_poller () {
	_sp_conf="$TRASH_DIRECTORY/extranoc.conf"
	_sp_log=poller.log
	while [ $# -gt 0 ]; do
		case $1 in
		-c) _sp_conf=$2; shift 2 ;;
		-l) _sp_log=$2; shift 2 ;;
		*) break ;;
		esac
	done
	rm -f poller.pid poller.status
	( "$@" extranoc-poller -c "$_sp_conf" 2>>"$_sp_log" &
	  echo $! >poller.pid; wait $!; echo $? >poller.status ) &
	test_wait_for 5 test -s poller.pid || return 1
	poller_pid=$(cat poller.pid)
	test_atexit "kill $poller_pid"
}
