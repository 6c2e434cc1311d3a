# test-lib.sh — the harness for extranoc's shell tests (t/tNNNN-area-what.sh).
#
# A test script sets test_description, sources this file, runs test_expect_success
# blocks and ends with test_done. Output is TAP. Each script runs in its own
# scratch directory t/trash/<script>/ (removed on success, kept on failure);
# servers it starts listen on ports derived from the script number
# (test_port K) and are killed at exit through test_atexit. Readiness is polled
# (test_wait_for), never slept for.
#
# Environment (set by `make check`): top_srcdir, top_builddir.

set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
PATH="$top_builddir:$top_srcdir/t/simnet:$PATH:/usr/sbin:/sbin"
export PATH
: "${EXTRANOC_CALENDAR_DIR:=$top_srcdir/data/calendar}"
: "${EXTRANOC_YANG_DIR:=$top_srcdir/yang}"
export EXTRANOC_CALENDAR_DIR EXTRANOC_YANG_DIR

test_name=$(basename "$0" .sh)
test_number=${test_name#t}
test_number=${test_number%%-*}
test_number=$(echo "$test_number" | sed 's/^0*//')
: "${test_number:=0}"
# The ports of test_port and the simulated extranet's names derive from
# the test number alone, so two build trees running the same test at once
# (a plain and a sanitizer build on one machine) would take each other's
# ports: a run of test NNNN waits for any other run of NNNN to end. flock
# holds the lock itself (-o), so no daemon a test leaves behind inherits it.
if [ -z "${XN_TEST_LOCKED:-}" ] && command -v flock >/dev/null 2>&1 &&
   { mkdir -p /run/lock 2>/dev/null; test -d /run/lock && test -w /run/lock; }; then
	_test_shell=$(readlink "/proc/$$/exe" 2>/dev/null) || _test_shell=/bin/sh
	XN_TEST_LOCKED=1 exec flock -o -w 1800 "/run/lock/extranoc-test-$test_number.lock" \
		"$_test_shell" "$0" "$@"
fi

TRASH_DIRECTORY="$top_builddir/t/trash/$test_name"
rm -rf "$TRASH_DIRECTORY"
mkdir -p "$TRASH_DIRECTORY"
cd "$TRASH_DIRECTORY" || exit 1

test_count=0
test_failures=0
test_skip_all_reason=
_test_atexit_cmds=

say () { printf '# %s\n' "$*"; }

# test_port K: a loopback port owned by this script, 10000 + 10 * (NNNN %
# 2200) + K, below Linux's ephemeral range (32768-60999): a port in that
# range can be taken at any moment by a client socket (one of the test's
# own snmptrap or snmpget runs), and the daemon then cannot bind it.
test_port () {
	echo $(( 10000 + (test_number % 2200) * 10 + ${1:-0} ))
}

# test_atexit CMD: run CMD when the script exits, whatever the outcome.
test_atexit () {
	_test_atexit_cmds="$*; $_test_atexit_cmds"
}

_test_run_atexit () {
	if [ -n "$_test_atexit_cmds" ]; then
		( eval "$_test_atexit_cmds" ) >/dev/null 2>&1
	fi
}
trap '_test_run_atexit' EXIT
trap 'exit 130' INT TERM

# test_wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
test_wait_for () {
	_tw_limit=$(( $1 * 10 )); shift
	_tw_i=0
	while [ $_tw_i -lt $_tw_limit ]; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
		_tw_i=$(( _tw_i + 1 ))
	done
	say "timed out waiting for: $*"
	return 1
}

# test_skip_all REASON: the whole script is skipped (TAP plan 1..0).
test_skip_all () {
	echo "1..0 # SKIP $*"
	trap - EXIT
	_test_run_atexit
	cd "$top_builddir" && rm -rf "$TRASH_DIRECTORY"
	exit 0
}

test_expect_success () {
	_te_name=$1
	_te_body=$2
	test_count=$(( test_count + 1 ))
	# Not inside `if`: there the shell would ignore set -e in the subshell and a
	# failing step that is not the last would go unnoticed.
	( set -e; eval "$_te_body" ) > "$TRASH_DIRECTORY/.out.$test_count" 2>&1
	_te_status=$?
	if [ $_te_status -eq 0 ]; then
		echo "ok $test_count - $_te_name"
	else
		echo "not ok $test_count - $_te_name"
		sed 's/^/#   /' "$TRASH_DIRECTORY/.out.$test_count"
		test_failures=$(( test_failures + 1 ))
	fi
}

# test_skip NAME REASON: report one test as skipped.
test_skip () {
	test_count=$(( test_count + 1 ))
	echo "ok $test_count - $1 # SKIP $2"
}

# test_cmp EXPECTED ACTUAL: the files are identical, or show the diff.
test_cmp () {
	diff -u "$1" "$2"
}

# test_cmp_golden GOLDEN ACTUAL: compare ACTUAL with a known-good file kept in
# the source tree. `make update-golden` (XN_UPDATE_GOLDEN=1) rewrites GOLDEN
# instead: known-good files change only when someone asks for it.
test_cmp_golden () {
	if [ "${XN_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$2" "$1" && say "updated $1"
		return 0
	fi
	diff -u "$1" "$2"
}

# test_must_fail CMD...: CMD exits with a status from 1 to 125 (not a crash).
test_must_fail () {
	# `|| status=$?` keeps set -e of the test body from ending it here.
	_tmf=0; "$@" || _tmf=$?
	if [ $_tmf -eq 0 ]; then echo "expected failure, got success: $*"; return 1; fi
	if [ $_tmf -gt 125 ]; then echo "died of a signal ($_tmf): $*"; return 1; fi
	return 0
}

# test_exit_code N CMD...: CMD exits exactly with N.
test_exit_code () {
	_tec_want=$1; shift
	_tec=0; "$@" || _tec=$?
	if [ $_tec -ne "$_tec_want" ]; then echo "expected exit $_tec_want, got $_tec: $*"; return 1; fi
	return 0
}

test_done () {
	echo "1..$test_count"
	if [ $test_failures -eq 0 ]; then
		cd "$top_builddir" && rm -rf "$TRASH_DIRECTORY"
		exit 0
	fi
	say "$test_failures of $test_count failed; scratch kept in $TRASH_DIRECTORY"
	exit 1
}
