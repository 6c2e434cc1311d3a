# lib-poller.sh — starting extranoc-poller in shell tests; sourced after
# t/test-lib.sh. The test writes $TRASH_DIRECTORY/extranoc.conf first.

# start_poller: the poller runs in a subshell of this shell that waits for it
# and keeps its exit status in poller.status, so test bodies (subshells
# themselves) can stop it and still learn how it exited. Its pid is in
# $poller_pid and poller.pid; its log goes to poller.log; it is killed at exit.
start_poller () {
	rm -f poller.pid poller.status
	( extranoc-poller -c "$TRASH_DIRECTORY/extranoc.conf" 2>>poller.log &
	  echo $! >poller.pid; wait $!; echo $? >poller.status ) &
	test_wait_for 5 test -s poller.pid || return 1
	poller_pid=$(cat poller.pid)
	test_atexit "kill $poller_pid"
}
