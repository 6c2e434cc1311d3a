#!/bin/sh
# The harness itself: a failing command fails a test, test_cmp sees differences.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

test_expect_success 'a true body passes' 'true'
test_expect_success 'a failing step inside a body fails that test, and the script' '
	cat >t9999-inner.sh <<-\EOF &&
	. "$top_srcdir/t/test-lib.sh"
	test_expect_success "first step fails" "false; true"
	test_expect_success "passes" "true"
	test_done
	EOF
	top_builddir=$PWD && export top_builddir &&
	test_exit_code 1 sh t9999-inner.sh >out &&
	grep "^not ok 1 - first step fails" out &&
	grep "^ok 2 - passes" out &&
	grep "^1\.\.2$" out
'
test_expect_success 'test_cmp sees a difference' '
	echo a >one && echo b >two &&
	! test_cmp one two >/dev/null
'
test_expect_success 'test_port is stable and distinct per offset' '
	p0=$(test_port 0) && p1=$(test_port 1) &&
	[ "$p1" -eq $((p0 + 1)) ]
'
test_expect_success 'the extranoc binary runs' '
	extranoc --version | grep "^extranoc "
'
test_done
