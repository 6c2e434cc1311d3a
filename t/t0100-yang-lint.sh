#!/bin/sh
# Every YANG module of ours passes yanglint, and the shipped sample inventory
# and default policy validate against them.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

command -v yanglint >/dev/null || test_skip_all "yanglint not installed (libyang2-tools)"
Y=$top_srcdir/yang

for m in "$Y"/*.yang; do
	test_expect_success "yanglint $(basename "$m")" "yanglint -p '$Y' '$m'"
done

test_expect_success 'sample county inventory validates' "
	yanglint -p '$Y' -t config '$Y/extranoc-inventory.yang' '$Y/extranoc-policy.yang' '$top_srcdir/data/sample-county.json'
"
test_expect_success 'default policy validates' "
	yanglint -p '$Y' -t config '$Y/extranoc-inventory.yang' '$Y/extranoc-policy.yang' '$top_srcdir/data/policy-default.json'
"
test_done
