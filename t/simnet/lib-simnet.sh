# lib-simnet.sh — what shell tests need to run against the simulated extranet
# (t/simnet/simnet); sourced after t/test-lib.sh.
#
# simnet_up gives the test its own prefix ("t" + test number) and management
# subnet (198.18.<number mod 250 + 1>.0/24), so that tests running in parallel
# under `make -j check` never share a name or an address: the inventory is
# copied into the scratch directory with its management addresses moved into
# that subnet. State lives in the scratch directory and the teardown is
# registered with test_atexit. Where simnet exits 77 (no namespaces here) the
# whole script is skipped with simnet's own reason — except under CI=true,
# where the simulated extranet is required and the script bails out.
#
# SNMP queries go through snmp_get/snmp_walk, which refuse to send anything
# unless the address is routed through this simnet's bridge: nothing leaves
# the host when the simnet is half built or already gone.

SIMNET="$top_srcdir/t/simnet/simnet"
SIMNET_PREFIX="t$test_number"
SIMNET_NET="198.18.$(( $(expr "$test_number" + 0) % 250 + 1 ))"
SIMNET_STATE="$TRASH_DIRECTORY/simnet"
SIMNET_INVENTORY="$TRASH_DIRECTORY/inventory.json"
XN_SIMNET_STATE=$SIMNET_STATE
# Clients keep their persistent files here and parse no MIBs: OIDs are numeric.
SNMP_PERSISTENT_DIR="$TRASH_DIRECTORY/snmp-client"
MIBS=:
export XN_SIMNET_STATE SNMP_PERSISTENT_DIR MIBS

simnet () { "$SIMNET" "$@"; }

# simnet_up INVENTORY: sets simnet_up_status (0 when up); the output is in
# $TRASH_DIRECTORY/simnet-up.log. Skips or bails out on status 77.
simnet_up () {
	jq --arg net "$SIMNET_NET" '
		.["extranoc-inventory:inventory"].node[]."management-address" |=
			($net + "." + (split(".")[3]))' "$1" >"$SIMNET_INVENTORY" || {
		echo "Bail out! cannot rewrite $1 with jq"
		exit 1
	}
	# The same test of another build tree on this machine (a plain and a
	# sanitizer build checked side by side) uses the same prefix and subnet:
	# wait for it rather than tear its simnet down. The lock is held by fd 9
	# until this script exits.
	mkdir -p /run/lock 2>/dev/null
	exec 9>"/run/lock/extranoc-simnet-$SIMNET_PREFIX.lock"
	if ! flock -w 600 9; then
		echo "Bail out! another run of $SIMNET_PREFIX held its simnet lock for 600 s"
		exit 1
	fi
	# leftovers of an interrupted earlier run of this same test
	simnet down --prefix "$SIMNET_PREFIX" >/dev/null 2>&1
	test_atexit "simnet_keep_logs; \"$SIMNET\" down --prefix $SIMNET_PREFIX"
	simnet up "$SIMNET_INVENTORY" --prefix "$SIMNET_PREFIX" >"$TRASH_DIRECTORY/simnet-up.log" 2>&1
	simnet_up_status=$?
	if [ "$simnet_up_status" -eq 77 ]; then
		_sn_reason=$(sed -n 's/^simnet: //p' "$TRASH_DIRECTORY/simnet-up.log" | head -n 1)
		if [ "${CI:-}" = true ]; then
			echo "Bail out! simnet cannot run but CI=true requires it: $_sn_reason"
			exit 1
		fi
		test_skip_all "$_sn_reason"
	fi
}

# simnet_keep_logs: after a failure, keep every snmpd.conf and snmpd.log in
# the scratch directory, which outlives the teardown.
simnet_keep_logs () {
	[ "${test_failures:-0}" -gt 0 ] && [ -d "$SIMNET_STATE/nodes" ] || return 0
	mkdir -p "$TRASH_DIRECTORY/simnet-logs" &&
	for _sn_d in "$SIMNET_STATE"/nodes/*/; do
		_sn_n=$(basename "$_sn_d")
		cp "$_sn_d/snmpd.log" "$TRASH_DIRECTORY/simnet-logs/$_sn_n.log" 2>/dev/null
		cp "$_sn_d/snmpd.conf" "$TRASH_DIRECTORY/simnet-logs/$_sn_n.conf" 2>/dev/null
	done
	return 0
}

simnet_community () {
	jq -r '.["extranoc-secrets:secrets"]["snmp-community"][0].community' "$SIMNET_STATE/secrets.json"
}

# simnet_addr NODE: the node's management address, from `simnet nodes`.
simnet_addr () {
	simnet nodes | awk -F '\t' -v n="$1" '$1 == n { print $3; f = 1 } END { exit !f }'
}

_sn_routed () {
	if ip -4 -o route get "$1" 2>/dev/null | grep -q " dev $SIMNET_PREFIX-br "; then
		return 0
	fi
	echo "refusing to query $1: it is not routed through $SIMNET_PREFIX-br" >&2
	return 1
}

# snmp_get NODE OID...: the values (-Oqv), one per line.
snmp_get () {
	_sn_addr=$(simnet_addr "$1") && _sn_routed "$_sn_addr" || return 1
	shift
	snmpget -v2c -c "$(simnet_community)" -t 1 -r 1 -Oqv "$_sn_addr" "$@"
}

# snmp_get_hex NODE OID: one string value as upper-case hex without spaces,
# whatever Net-SNMP would have printed it as (Chinese comes out as Hex-STRING).
snmp_get_hex () {
	_sn_addr=$(simnet_addr "$1") && _sn_routed "$_sn_addr" || return 1
	snmpget -v2c -c "$(simnet_community)" -t 1 -r 1 -Ox -Oqv "$_sn_addr" "$2" | tr -d ' \n"'
}

# snmp_walk NODE OID: "OID value" lines with numeric OIDs.
snmp_walk () {
	_sn_addr=$(simnet_addr "$1") && _sn_routed "$_sn_addr" || return 1
	snmpwalk -v2c -c "$(simnet_community)" -t 1 -r 1 -On -Oq "$_sn_addr" "$2"
}

# hex_of STRING: its UTF-8 bytes as upper-case hex, to compare with snmp_get_hex.
hex_of () {
	printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n' | tr 'abcdef' 'ABCDEF'
}

# simnet_pid_alive PID: running (a zombie waiting for its reaper is not).
simnet_pid_alive () {
	[ -r "/proc/$1/stat" ] || return 1
	case $(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) in
	Z | X | '') return 1 ;;
	esac
	return 0
}
