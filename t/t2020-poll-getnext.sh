#!/bin/sh
# The GETNEXT fallback, end to end: extranoc poll against t/tools/badagent,
# a small real UDP agent that walks right with GETNEXT and, as told, wrong
# with GETBULK (too few varbinds, tooBig, wrong types, noSuchObject). The
# poll notes the misbehaviour once, walks with GETNEXT and gets exactly what
# a well-behaved GETBULK walk of the same agent gets: 64-bit counters beyond
# 2^32, a 10 Gbit/s port whose ifSpeed is saturated, the mean of two
# processors, RAM from hrStorage, and a 255-byte hostile ifAlias kept
# byte for byte. An agent that drops GETBULK silently looks dead (exit 1),
# and a value of the wrong type under GETNEXT is skipped and noted.
test_description='extranoc poll: the GETNEXT fallback'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

BADAGENT="$top_builddir/t/tools/badagent"
if [ ! -x "$BADAGENT" ] || ! command -v jq >/dev/null 2>&1; then
	test_skip_all "needs t/tools/badagent (make check builds it) and jq"
fi

# 255 bytes: ESC sequences, NUL, invalid UTF-8, shell metacharacters, 中文, padding
ALIAS_HEX=$(printf '\033[2J\033]0;owned\007\000\377\376;`id`$(id)|&<>'"'"'"\\中文' | od -An -v -tx1 | tr -d ' \n')
while [ "${#ALIAS_HEX}" -lt 510 ]; do ALIAS_HEX="${ALIAS_HEX}58"; done
test "${#ALIAS_HEX}" -eq 510 || { echo "Bail out! the alias is not 255 bytes"; exit 1; }

MODES="ok missing toobig types nosuch silent hctype"
i=0
{
	echo '{ "extranoc-inventory:inventory": {'
	echo '  "region": [ { "name": "lab-city", "level": "city" } ],'
	echo '  "site": [ { "name": "lab", "region": "lab-city", "sla-class": "core-room" } ],'
	echo '  "node": ['
	for m in $MODES; do
		i=$((i + 1))
		[ $i -gt 1 ] && echo ','
		printf '{ "name": "%s", "role": "access", "site": "lab", "management-address": "127.0.0.%d", "snmp": { "credential": "c", "port": %d, "timeout": 500, "retries": 1 } }' \
			"$m" "$i" "$(test_port "$i")"
	done
	echo '  ] } }'
} >inventory.json
(umask 077 && echo '{ "extranoc-secrets:secrets": { "snmp-community": [ { "name": "c", "community": "xn-bad" } ] } }' >secrets.json)

# Started here, not in a test body (a subshell would forget test_atexit).
i=0
for m in $MODES; do
	i=$((i + 1))
	case $m in
	hctype) opts="--bulk ok --bad-hc-type" ;;
	*) opts="--bulk $m" ;;
	esac
	"$BADAGENT" --address "127.0.0.$i" --port "$(test_port "$i")" --community xn-bad $opts \
		--alias-hex "$ALIAS_HEX" --ready "ready-$m" </dev/null >"agent-$m.log" 2>&1 &
	test_atexit "kill $!"
done

poll () { extranoc poll -c inventory.json -c secrets.json "$@"; }

# json_is [JQ-OPTION...] FILTER FILE: FILTER holds for FILE, which must not
# be empty (jq 1.6 -e says yes to an empty input).
json_is () {
	for _ji_file; do :; done
	test -s "$_ji_file" && jq -e "$@" >/dev/null
}

# the sample without what differs from agent to agent
comparable () {
	jq -S 'del(.node, .address, .port, .started, .finished, .response_us, .used_getnext)' "$1"
}

test_expect_success 'the agents are up' '
	for m in $MODES; do test_wait_for 10 test -s "ready-$m" || exit 1; done
'

test_expect_success 'a well-behaved GETBULK walk: what the agent serves' '
	poll --json ok >ok.json 2>err &&
	test ! -s err &&
	json_is --arg hex "$ALIAS_HEX" "
		.result == \"ok\" and .used_getnext == false and .sys_name == \"badagent\" and .sys_uptime == 12345 and
		.cpu_percent == 20 and .mem_used_bytes == 524288000 and .mem_total_bytes == 2097152000 and
		(.interfaces | map(.name)) == [\"lo\", \"ge-0/0/1\", \"ge-0/0/2\"] and
		(.interfaces | map(.if_index)) == [1, 2, 3] and
		(.interfaces | map(.speed_bps)) == [10000000, 10000000000, 100000000] and
		(.interfaces | map(.oper_status)) == [\"up\", \"up\", \"down\"] and
		(.interfaces | all(.counter_bits == 64)) and
		.interfaces[1].in_octets == 5000000000002 and .interfaces[1].out_octets == 6000000000002 and
		.interfaces[1].in_ucast == 7000000002 and .interfaces[1].in_errors == 4 and
		.interfaces[1].out_discards == 6 and
		.interfaces[1].alias_hex == \$hex and .interfaces[2].alias == \"到东城区 L-2\"" ok.json
'

for m in missing types nosuch; do
	test_expect_success "GETBULK $m: noted once, walked with GETNEXT, the same sample" '
		poll --json '$m' >'$m'.json 2>err &&
		cat err &&
		test "$(wc -l <err)" -eq 1 &&
		grep "^extranoc poll: note: '$m' (127.0.0.[0-9]:[0-9]*): the agent misbehaves with GETBULK (.*); it is walked with GETNEXT from now on$" err &&
		json_is ".used_getnext == true" '$m'.json &&
		comparable ok.json >expect &&
		comparable '$m'.json >actual &&
		test_cmp expect actual
	'
done

# tooBig at every size: fewer repetitions first (RFC 3416 lets an agent
# trim instead, but not every agent does), GETNEXT only at one.
test_expect_success 'GETBULK toobig: repetitions halved to one, then GETNEXT, the same sample' '
	poll --json toobig >toobig.json 2>err &&
	cat err &&
	test "$(wc -l <err)" -eq 2 &&
	grep "^extranoc poll: note: toobig (127.0.0.[0-9]:[0-9]*): the agent answers a GETBULK of [0-9]* repetitions with tooBig; at most [0-9]* from now on (logged once per node)$" err &&
	grep "^extranoc poll: note: toobig (127.0.0.[0-9]:[0-9]*): the agent misbehaves with GETBULK (it answered GETBULK with tooBig); it is walked with GETNEXT from now on$" err &&
	json_is ".used_getnext == true" toobig.json &&
	comparable ok.json >expect &&
	comparable toobig.json >actual &&
	test_cmp expect actual
'

test_expect_success 'the text form says GETNEXT and why' '
	poll types >out 2>err &&
	grep "walked with GETNEXT (the agent misbehaves with GETBULK)$" out &&
	grep "(ifHCInOctets came as Gauge32)" err
'

test_expect_success 'an agent that drops GETBULK looks dead: exit 1' '
	test_exit_code 1 poll silent 2>err &&
	grep "^extranoc poll: silent (127.0.0.6:[0-9]*): no answer to SNMPv2c after 2 tries of 500 ms" err
'

test_expect_success 'a wrong type under GETNEXT is skipped and noted; 32-bit counters stand in' '
	poll --json hctype >hctype.json 2>err &&
	cat err &&
	grep "^extranoc poll: warning: hctype (127.0.0.7:[0-9]*): ifHCInOctets (1.3.6.1.2.1.31.1.1.1.6.2): OCTET STRING; ignored (logged once per node)$" err &&
	json_is ".used_getnext == true and
		.interfaces[1].counter_bits == 32 and .interfaces[1].in_octets == 2000 and
		.interfaces[1].out_octets == 4000 and .interfaces[1].in_ucast == 20 and
		.interfaces[0].counter_bits == 64 and .interfaces[2].counter_bits == 64" hctype.json
'

test_done
