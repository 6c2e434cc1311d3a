#!/bin/sh
# extranoc check-config: the sample county checks clean and prints its
# normalised form, which must equal a saved known-good file; every kind of
# bad configuration exits 1 with its FILE:LINE: path: message lines, which
# must equal NAME.ok; no secret value appears on stdout or stderr, good
# case or bad.
#
# The known-good files are t/t0400-config-check.d/*.ok. After a deliberate
# change of output, regenerate them with `make update-golden` (or
# XN_UPDATE_GOLDEN=1 make check TESTS=t/t0400-config-check.sh) and read the
# diff before committing it. Every secret value in the fixtures starts with "xn-sample-"
# or "xn-bad-", which is what the last tests look for.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

D=$top_srcdir/t/t0400-config-check.d

# Fixtures are copied so that the secrets can be given mode 0600 (a checkout
# does not keep modes) and so that problems name files without directories.
cp -R "$D"/. . || exit 1
cp "$top_srcdir/data/sample-county.json" "$top_srcdir/data/policy-default.json" . || exit 1
chmod 600 secrets.json bad-secrets.json bad-secrets-syntax.json || exit 1
mkdir yang && cp "$top_srcdir"/yang/*.yang yang-extra/*.yang yang/ || exit 1

# golden NAME ACTUAL: ACTUAL equals the known-good NAME (or becomes it).
golden () {
	test_cmp_golden "$D/$1" "$2"
}

test_expect_success 'the sample county checks clean and prints its normalised form' '
	extranoc check-config sample-county.json policy-default.json secrets.json >sample.out 2>sample.err &&
	test ! -s sample.err &&
	golden sample-normalised.ok sample.out
'

test_expect_success 'file order does not change the output' '
	extranoc check-config secrets.json policy-default.json sample-county.json >reordered.out 2>reordered.err &&
	test_cmp sample.out reordered.out
'

test_expect_success 'without a policy file the defaults apply (the default policy file says the same)' '
	extranoc check-config sample-county.json >nopolicy.out 2>nopolicy.err &&
	extranoc check-config sample-county.json policy-default.json >withpolicy.out 2>withpolicy.err &&
	test_cmp withpolicy.out nopolicy.out &&
	grep -q "\"response-target\": 3600" nopolicy.out &&
	grep -q "\"complex\": 172800" nopolicy.out
'

test_expect_success 'XML input gives the same configuration as JSON' '
	extranoc check-config small.json >small-json.out 2>small-json.err &&
	extranoc check-config small.xml >small-xml.out 2>small-xml.err &&
	test_cmp small-json.out small-xml.out
'

test_expect_success '--format xml prints XML that checks back to the same configuration' '
	extranoc check-config --format xml small.json >printed.xml 2>printed.err &&
	head -n 1 printed.xml | grep -q "^<inventory xmlns=\"urn:extranoc:yang:inventory\">" &&
	extranoc check-config printed.xml >roundtrip.out 2>roundtrip.err &&
	test_cmp small-json.out roundtrip.out
'

# NAME and the arguments; the expected stderr is NAME.ok, stdout stays empty.
while read -r name args; do
	case $name in ''|'#'*) continue ;; esac
	test_expect_success "$name: exit 1 and every problem with its line" "
		test_exit_code 1 extranoc check-config $args >$name.out 2>$name.err &&
		test ! -s $name.out &&
		golden $name.ok $name.err
	"
done <<'EOF'
references   bad-references.json
duplicates   bad-duplicates.json bad-duplicates-2.json
addresses    bad-addresses.json
topology     bad-topology.json
deep         bad-deep.json
regions      bad-regions.json
mandatory    bad-mandatory.json
credentials  bad-credentials.json secrets.json
secrets      small.json bad-secrets.json
secrets-syntax bad-secrets-syntax.json
policy       small.json bad-policy.json
local        --yang-dir yang bad-local.json local-policy.json
unknown      bad-unknown.json
syntax-json  bad-syntax.json
syntax-xml   bad-syntax.xml
xml          bad.xml
parse-first  bad-references.json bad-syntax.json
EOF

test_expect_success 'EXTRANOC_YANG_DIR chooses the YANG directory' '
	test_exit_code 1 env EXTRANOC_YANG_DIR=yang extranoc check-config bad-local.json local-policy.json 2>env.err &&
	test_cmp local.ok env.err
'

test_expect_success 'a secrets file readable by others is refused, naming file and mode' '
	cp secrets.json open.json && chmod 644 open.json &&
	test_exit_code 1 extranoc check-config small.json open.json >open.out 2>open.err &&
	test ! -s open.out &&
	grep -qx "open.json:2: /extranoc-secrets:secrets: secrets file open.json has mode 0644: group and others must have no access (chmod 600 open.json)" open.err &&
	cp secrets.json group.json && chmod 640 group.json &&
	test_exit_code 1 extranoc check-config small.json group.json >group.out 2>group.err &&
	grep -q "group.json has mode 0640" group.err
'

test_expect_success 'a secrets file only its owner can read is accepted' '
	cp secrets.json owner.json && chmod 400 owner.json &&
	extranoc check-config small.json owner.json >owner.out 2>owner.err &&
	grep -q "\"community\": \"<redacted>\"" owner.out
'

test_expect_success 'usage errors exit 2' '
	test_exit_code 2 extranoc check-config 2>usage1.err &&
	test_exit_code 2 extranoc check-config --format yaml small.json 2>usage2.err &&
	grep -q "json or xml" usage2.err
'

test_expect_success 'a missing file or YANG directory is an error, not a crash' '
	test_exit_code 1 extranoc check-config nosuch.json 2>missing.err &&
	grep -qx "extranoc check-config: cannot open nosuch.json: No such file or directory" missing.err &&
	test_exit_code 1 extranoc check-config --yang-dir nosuch-dir small.json 2>noyang.err &&
	grep -qx "extranoc check-config: YANG directory nosuch-dir does not exist" noyang.err
'

test_expect_success 'no secret value appears in any output' '
	grep -q xn-sample- secrets.json && grep -q xn-bad- bad-secrets.json &&
	test -s secrets.err && test -s sample.out && test -s open.err &&
	! grep -l -e xn-sample- -e xn-bad- ./*.out ./*.err printed.xml
'
test_done
