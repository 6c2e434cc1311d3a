#!/bin/sh
# extranoc poll against a real Net-SNMP snmpd on 127.0.0.1..9: SNMPv1, v2c,
# v3 authNoPriv (SHA) and authPriv (SHA/AES, SHA-256/AES-256, MD5/DES); what
# it prints agrees with snmpwalk; a wrong community times out, a wrong v3
# password is an authentication failure, an address where nothing answers
# times out within timeout × tries — each with exit 1 and a message naming
# the node, its address and the reason; a hostile ifAlias (NUL, escape
# sequences, invalid UTF-8, a bidi override, shell metacharacters) is
# escaped on the terminal and kept exactly in --json; usage errors exit 2.
test_description='extranoc poll against snmpd'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

SNMPD=$(command -v snmpd || true)
if [ -z "$SNMPD" ] || ! command -v snmpwalk >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	test_skip_all "needs snmpd, snmpwalk (Debian snmpd, snmp) and jq"
fi

P=$(test_port 1)
DEAD=$(test_port 2)
SNMP_PERSISTENT_DIR="$TRASH_DIRECTORY/snmp-client"
MIBS=:
export SNMP_PERSISTENT_DIR MIBS

# 63 bytes, as long as snmpd takes an ifAlias from its configuration (IF-MIB
# allows 64; 255 bytes are t2020's, on a test agent): NUL, ESC [31m … ESC [0m,
# BEL, invalid UTF-8 (ff fe c0 af), `rm -rf /`, $(reboot), |&>'"\, a newline,
# a tab, U+202E (right-to-left override), 到东城区L- in UTF-8.
ALIAS_HEX=001b5b33316d5245441b5b306d07fffec0af3b60726d202d7266202f6024287265626f6f74297c263e27225c0a09e280aee588b0e4b89ce59f8ee58cba4c2d
test "${#ALIAS_HEX}" -eq 126 || { echo "Bail out! the alias is not 63 bytes"; exit 1; }

mkdir -p persist
cat >snmpd.conf <<EOF
[snmp] persistentDir $TRASH_DIRECTORY/persist
agentAddress udp:127.0.0.1:$P,udp:127.0.0.2:$P,udp:127.0.0.3:$P,udp:127.0.0.4:$P,udp:127.0.0.5:$P,udp:127.0.0.6:$P,udp:127.0.0.7:$P,udp:127.0.0.8:$P,udp:127.0.0.9:$P
sysName xn-t2000
sysLocation 测试机房
rocommunity xn-v1-community 127.0.0.0/8
rocommunity xn-v2-community 127.0.0.0/8
createUser xnauth SHA "xn-auth-pass-1"
createUser xnpriv SHA "xn-auth-pass-2" AES "xn-priv-pass-2"
createUser xnsha2 SHA-256 "xn-auth-pass-3" AES-256 "xn-priv-pass-3"
createUser xnmd5 MD5 "xn-auth-pass-4" DES "xn-priv-pass-4"
rouser xnauth auth
rouser xnpriv priv
rouser xnsha2 priv
rouser xnmd5 priv
ifXTable .1 18:0x$ALIAS_HEX \$
EOF

node () { # NAME ADDRESS VERSION CREDENTIAL [PORT [TIMEOUT [RETRIES]]]
	printf '{ "name": "%s", "role": "access", "site": "lab", "management-address": "%s", "snmp": { "version": "%s", "credential": "%s", "port": %s, "timeout": %s, "retries": %s } },\n' \
		"$1" "$2" "$3" "$4" "${5:-$P}" "${6:-1000}" "${7:-1}"
}
{
	echo '{ "extranoc-inventory:inventory": {'
	echo '  "region": [ { "name": "lab-city", "level": "city" } ],'
	echo '  "site": [ { "name": "lab", "region": "lab-city", "sla-class": "core-room" } ],'
	echo '  "node": ['
	node v1 127.0.0.1 v1 v1
	node v2c 127.0.0.2 v2c v2
	node v3-auth 127.0.0.3 v3 auth
	node v3-priv 127.0.0.4 v3 priv
	node v3-sha2 127.0.0.5 v3 sha2
	node v3-md5 127.0.0.6 v3 md5
	node wrong-community 127.0.0.7 v2c wrong "$P" 300 1
	node wrong-auth 127.0.0.8 v3 wrong-auth
	node wrong-priv 127.0.0.9 v3 wrong-priv
	node silent 127.0.0.10 v2c v2 "$DEAD" 400 2
	echo '    { "name": "netconf-only", "role": "access", "site": "lab", "management-address": "127.0.0.11", "netconf": { "credential": "nc" } }'
	echo '  ] } }'
} >inventory.json
(
	umask 077
	cat >secrets.json <<-'EOF'
	{ "extranoc-secrets:secrets": {
	  "snmp-community": [
	    { "name": "v1", "community": "xn-v1-community" },
	    { "name": "v2", "community": "xn-v2-community" },
	    { "name": "wrong", "community": "not-the-community" } ],
	  "snmp-usm": [
	    { "name": "auth", "user": "xnauth", "auth-protocol": "sha", "auth-password": "xn-auth-pass-1" },
	    { "name": "priv", "user": "xnpriv", "auth-protocol": "sha", "auth-password": "xn-auth-pass-2",
	      "priv-protocol": "aes", "priv-password": "xn-priv-pass-2" },
	    { "name": "sha2", "user": "xnsha2", "auth-protocol": "sha-256", "auth-password": "xn-auth-pass-3",
	      "priv-protocol": "aes-256", "priv-password": "xn-priv-pass-3" },
	    { "name": "md5", "user": "xnmd5", "auth-protocol": "md5", "auth-password": "xn-auth-pass-4",
	      "priv-protocol": "des", "priv-password": "xn-priv-pass-4" },
	    { "name": "wrong-auth", "user": "xnauth", "auth-protocol": "sha", "auth-password": "not-the-password" },
	    { "name": "wrong-priv", "user": "xnpriv", "auth-protocol": "sha", "auth-password": "xn-auth-pass-2",
	      "priv-protocol": "aes", "priv-password": "not-the-password" } ],
	  "login": [ { "name": "nc", "username": "nc", "password": "nc" } ] } }
	EOF
)

# Started here, not inside a test body: that runs in a subshell, where
# test_atexit would be forgotten.
"$SNMPD" -f -C -c "$TRASH_DIRECTORY/snmpd.conf" -Lf "$TRASH_DIRECTORY/snmpd.log" </dev/null >/dev/null 2>&1 &
SNMPD_PID=$!
test_atexit "kill $SNMPD_PID"

poll () { extranoc poll -c inventory.json -c secrets.json "$@"; }

# json_is [JQ-OPTION...] FILTER FILE: FILTER holds for FILE, which must not
# be empty (jq 1.6 -e says yes to an empty input).
json_is () {
	for _ji_file; do :; done
	test -s "$_ji_file" && jq -e "$@" >/dev/null
}

# walk_pairs OID-COLUMN: "ifIndex value" lines from snmpwalk over v2c.
walk_pairs () {
	snmpwalk -v2c -c xn-v2-community -t 1 -r 1 -On -Oq 127.0.0.2:$P "$1" |
	awk '{ n = split($1, o, "."); v = substr($0, index($0, " ") + 1); gsub(/^"|"$/, "", v); print o[n], v }'
}

test_expect_success 'snmpd comes up on 127.0.0.1..9' '
	test_wait_for 10 snmpget -v2c -c xn-v2-community -t 0.2 -r 0 127.0.0.2:$P .1.3.6.1.2.1.1.5.0 ||
	{ cat snmpd.log; false; }
'

test_expect_success 'v2c: answered, walked with GETBULK, and what snmpwalk says' '
	poll --json v2c >v2c.json &&
	json_is ".result == \"ok\" and .version == \"v2c\" and .used_getnext == false and
		.sys_name == \"xn-t2000\" and .address == \"127.0.0.2\" and .response_us > 0 and
		(.interfaces | length) > 0 and (.interfaces | all(.counter_bits == 64))" v2c.json &&
	jq -r ".interfaces[] | \"\(.if_index) \(.name)\"" v2c.json >actual &&
	walk_pairs .1.3.6.1.2.1.31.1.1.1.1 >expect &&
	test_cmp expect actual &&
	jq -r ".interfaces[] | \"\(.if_index) \(.admin_status)\"" v2c.json >actual &&
	walk_pairs .1.3.6.1.2.1.2.2.1.7 | sed "s/ 1$/ up/; s/ 2$/ down/" >expect &&
	test_cmp expect actual &&
	ticks=$(snmpget -v2c -c xn-v2-community -Ot -Oqv 127.0.0.2:$P .1.3.6.1.2.1.1.3.0) &&
	json_is --argjson t "$ticks" ".sys_uptime <= \$t and .sys_uptime > \$t - 1000" v2c.json
'

test_expect_success 'v2c: the text form has the system fields and an interface table' '
	poll v2c >out &&
	head -n 1 out | grep "^v2c (127.0.0.2:$P) answered SNMPv2c in [0-9.]* ms, walked with GETBULK$" &&
	grep "^  sysName     xn-t2000$" out &&
	grep "^  sysUpTime   [0-9]* days [0-9:.]*$" out &&
	grep "^  memory      .* of .* used$" out &&
	grep "^ifIndex  ifName " out &&
	grep "^1        lo  " out
'

test_expect_success 'v1: answered with GETNEXT and 32-bit counters only' '
	poll --json v1 >v1.json &&
	json_is ".result == \"ok\" and .version == \"v1\" and .sys_name == \"xn-t2000\" and
		(.interfaces | length) > 0 and (.interfaces | all(.counter_bits == 32))" v1.json &&
	jq -r ".interfaces[] | .name" v1.json >actual &&
	jq -r ".interfaces[] | .name" v2c.json >expect &&
	test_cmp expect actual
'

for n in v3-auth v3-priv v3-sha2 v3-md5; do
	test_expect_success "$n: answered, the same interfaces as v2c" '
		poll --json '$n' >'$n'.json &&
		json_is ".result == \"ok\" and .version == \"v3\" and .sys_name == \"xn-t2000\"" '$n'.json &&
		jq -r ".interfaces[] | .name" '$n'.json >actual &&
		jq -r ".interfaces[] | .name" v2c.json >expect &&
		test_cmp expect actual
	'
done

test_expect_success 'a wrong community: no answer, exit 1, the node, address and reason' '
	test_exit_code 1 poll wrong-community >out 2>err &&
	test ! -s out &&
	cat err &&
	grep "^extranoc poll: wrong-community (127.0.0.7:$P): no answer to SNMPv2c after 2 tries of 300 ms (a wrong community gets no answer either)$" err
'

test_expect_success 'a wrong SNMPv3 authentication password: an authentication failure' '
	test_exit_code 1 poll wrong-auth 2>err &&
	cat err &&
	grep "^extranoc poll: wrong-auth (127.0.0.8:$P): SNMPv3 authentication failed for user .xnauth.: .*usmStatsWrongDigests" err &&
	test_exit_code 1 poll --json wrong-auth >out 2>/dev/null &&
	json_is ".result == \"auth-failed\" and (.error | test(\"wrong-auth\"))" out
'

test_expect_success 'a wrong SNMPv3 privacy password: snmpd drops it, so a timeout that says why' '
	test_exit_code 1 poll wrong-priv 2>err &&
	cat err &&
	grep "^extranoc poll: wrong-priv (127.0.0.9:$P): no answer to SNMPv3 after 2 tries of 1000 ms (a wrong privacy password gets no answer either)$" err
'

test_expect_success 'nothing answers: a timeout within timeout x tries' '
	t0=$(date +%s%N) &&
	test_exit_code 1 poll silent 2>err &&
	t1=$(date +%s%N) &&
	cat err &&
	grep "^extranoc poll: silent (127.0.0.10:$DEAD): no answer to SNMPv2c after 3 tries of 400 ms" err &&
	ms=$(( (t1 - t0) / 1000000 )) && echo "took $ms ms" &&
	test "$ms" -ge 1200 && test "$ms" -lt 2700
'

test_expect_success 'a hostile ifAlias is escaped on the terminal' '
	poll v2c >out &&
	grep "^1        lo  " out >line &&
	if tr -d "\n" <line | LC_ALL=C grep -q "[[:cntrl:]]"; then echo "raw control bytes"; false; fi &&
	if LC_ALL=C grep -q "$(printf "\342\200\256")" line; then echo "raw bidi override"; false; fi &&
	grep -F -f "$top_srcdir/t/t2000-poll-snmpd.d/alias.escaped" line
'

test_expect_success '--json keeps the hostile ifAlias exactly' '
	json_is --arg hex "$ALIAS_HEX" ".interfaces[0].alias_hex == \$hex" v2c.json &&
	# invalid UTF-8 cannot be a JSON string: U+FFFD stands in, alias_hex is exact
	got=$(jq -r ".interfaces[0].alias" v2c.json | od -An -v -tx1 | tr -d " \n") &&
	test "$got" = "001b5b33316d5245441b5b306d07efbfbdefbfbdefbfbdefbfbd3b60726d202d7266202f6024287265626f6f74297c263e27225c0a09e280aee588b0e4b89ce59f8ee58cba4c2d0a"
'

test_expect_success 'usage errors exit 2; an unknown or SNMP-less node exits 1' '
	test_exit_code 2 extranoc poll &&
	test_exit_code 2 extranoc poll v2c &&
	test_exit_code 2 extranoc poll --no-such-option v2c -c inventory.json &&
	test_exit_code 1 poll no-such-node 2>err &&
	grep "no node .no-such-node. in the inventory" err &&
	test_exit_code 1 poll netconf-only 2>err &&
	grep "netconf-only. (127.0.0.11) has no SNMP endpoint" err &&
	test_exit_code 1 extranoc poll -c inventory.json v2c 2>err &&
	grep "no SNMP community .v2. in the secrets" err
'

test_expect_success 'configuration files may follow the node name' '
	extranoc poll v2c inventory.json secrets.json >out &&
	grep "^v2c (127.0.0.2:$P) answered" out
'

# snmpd saves its state when it stops: let it, before the scratch directory goes
kill "$SNMPD_PID" && wait "$SNMPD_PID" 2>/dev/null
test_done
