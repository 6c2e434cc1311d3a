#!/bin/sh
# extranoc inventory import-csv: the shipped spreadsheet set gives the sample
# inventory, mixed English/Chinese sheets (BOM, CRLF, quoted commas and
# quotes) give the expected JSON and pass yanglint, and broken sheets are
# reported row by row with nothing written.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

D=$top_srcdir/t/t0410-inventory-csv.d
Y=$top_srcdir/yang
S=$top_srcdir/data/sample-county-csv
have_jq=$(command -v jq || true)
have_yanglint=$(command -v yanglint || true)

cp -R "$D/mixed" "$D/bad-rows" "$D/dangling" .

# validates FILE: the output is inventory data the YANG module accepts
validates () {
	yanglint -p "$Y" -t config "$Y/extranoc-inventory.yang" "$1"
}

# same_json EXPECTED ACTUAL: equal as JSON, whatever the layout
same_json () {
	jq -S . "$1" >expected.sorted && jq -S . "$2" >actual.sorted &&
	test_cmp expected.sorted actual.sorted
}

test_expect_success 'sample spreadsheets convert' "
	extranoc inventory import-csv --dir '$S' >sample.json &&
	test -s sample.json
"

if [ -n "$have_jq" ]; then
	test_expect_success 'sample spreadsheets give data/sample-county.json' "
		same_json '$top_srcdir/data/sample-county.json' sample.json
	"
else
	test_skip 'sample spreadsheets give data/sample-county.json' 'jq not installed'
fi

if [ -n "$have_yanglint" ]; then
	test_expect_success 'sample output validates with yanglint' 'validates sample.json'
else
	test_skip 'sample output validates with yanglint' 'yanglint not installed'
fi

test_expect_success 'Chinese text is written as UTF-8, not escaped' "
	grep -q '\"display-name\" : \"市电子政务外网核心机房\"' sample.json &&
	! grep -q '\\\\u' sample.json
"

test_expect_success 'mixed headers, BOM, CRLF and quoted cells convert' '
	extranoc inventory import-csv --dir mixed >mixed.json
'

if [ -n "$have_jq" ]; then
	test_expect_success 'mixed sheets give the expected inventory' "
		same_json '$D/mixed.json' mixed.json
	"
else
	test_skip 'mixed sheets give the expected inventory' 'jq not installed'
fi

if [ -n "$have_yanglint" ]; then
	test_expect_success 'mixed output validates with yanglint' 'validates mixed.json'
else
	test_skip 'mixed output validates with yanglint' 'yanglint not installed'
fi

test_expect_success '--output writes the same JSON, with no temporary left' '
	mkdir out &&
	extranoc inventory import-csv --dir mixed --output out/inventory.json >stdout &&
	test ! -s stdout &&
	test_cmp mixed.json out/inventory.json &&
	test "$(ls out)" = inventory.json
'

test_expect_success 'extranoc check-config accepts the output' '
	extranoc check-config sample.json >/dev/null &&
	extranoc check-config mixed.json >/dev/null
'

test_expect_success 'what libyang refuses is not written (unknown SLA class module)' '
	mkdir nomodule && cp mixed/*.csv nomodule/ &&
	sed "s/,core-room,/,my-policy:hospital,/" mixed/sites.csv >nomodule/sites.csv &&
	test_exit_code 1 extranoc inventory import-csv --dir nomodule --output nomodule.json 2>err &&
	grep -q "^/extranoc-inventory:inventory/site\[name=.north-room.\]/sla-class: " err &&
	grep -q "the imported inventory does not validate: .*; nothing written$" err &&
	test ! -e nomodule.json
'

test_expect_success 'table options override the directory' '
	mkdir other &&
	head -n 2 mixed/regions.csv >other/regions.csv &&
	test_must_fail extranoc inventory import-csv --dir mixed --regions other/regions.csv 2>err &&
	grep -q "^mixed/sites.csv:row 4 (line 4): column 所属区域: no region .north. in regions.csv$" err
'

test_expect_success 'every bad row is reported, nothing is written' '
	echo previous >inventory.json &&
	test_exit_code 1 extranoc inventory import-csv --dir bad-rows --output inventory.json >stdout 2>err &&
	test_cmp_golden "$D/bad-rows.err" err &&
	test ! -s stdout &&
	echo previous >expect &&
	test_cmp expect inventory.json &&
	test "$(ls | grep -c "^inventory.json")" = 1
'

test_expect_success 'dangling references are reported with their rows' '
	test_exit_code 1 extranoc inventory import-csv --dir dangling >stdout 2>err &&
	test_cmp_golden "$D/dangling.err" err &&
	test ! -s stdout
'

test_expect_success 'a GBK file is refused with its row' '
	mkdir gbk && cp mixed/*.csv gbk/ &&
	printf "name,display-name,level,parent\ndemo-city,\\344\\270\\234,city,\nnorth,\\266\\253\\317\\330,county,demo-city\n" >gbk/regions.csv &&
	test_exit_code 1 extranoc inventory import-csv --dir gbk 2>err &&
	grep -q "^gbk/regions.csv:row 3 (line 3): cell 2 is not valid UTF-8 (byte 0xB6 at offset 0); if the file is in GBK" err
'

test_expect_success 'an empty file is refused' '
	mkdir empty && cp mixed/*.csv empty/ && : >empty/links.csv &&
	test_exit_code 1 extranoc inventory import-csv --dir empty 2>err &&
	grep -q "^empty/links.csv: the file is empty (its first row must name the columns)$" err
'

test_expect_success 'a truncated file (quote open at the end) is refused with the row' '
	mkdir cut && cp mixed/*.csv cut/ &&
	head -n 2 mixed/nodes.csv >cut/nodes.csv && printf "x,\"unfinished" >>cut/nodes.csv &&
	test_exit_code 1 extranoc inventory import-csv --dir cut 2>err &&
	grep -q "^cut/nodes.csv:row 3 (line 3): the quote opened on line 3 is never closed" err
'

test_expect_success 'an unknown column is named with its file' '
	mkdir unknown && cp mixed/*.csv unknown/ &&
	sed "1s/名称,/名称,机柜,/; 2,\$s/^\([^,]*\),/\1,A01,/" mixed/sites.csv >unknown/sites.csv &&
	test_exit_code 1 extranoc inventory import-csv --dir unknown 2>err &&
	grep -q "^unknown/sites.csv:row 1 (line 1): unknown column .机柜. (the columns of sites.csv are name," err
'

test_expect_success 'a CSV file that is no table is an error' '
	mkdir typo && cp mixed/*.csv typo/ && mv typo/nodes.csv typo/node.csv &&
	test_exit_code 1 extranoc inventory import-csv --dir typo 2>err &&
	grep -q "typo/node.csv: not an inventory table" err
'

test_expect_success 'a required table may not be left out' '
	test_exit_code 1 extranoc inventory import-csv --regions mixed/regions.csv --sites mixed/sites.csv 2>err &&
	grep -q "^nodes.csv: missing (the tables regions.csv, sites.csv, nodes.csv are required)$" err
'

test_expect_success 'usage errors exit 2' '
	test_exit_code 2 extranoc inventory import-csv &&
	test_exit_code 2 extranoc inventory import-csv --dir mixed extra &&
	test_exit_code 2 extranoc inventory import-csv --bogus &&
	test_exit_code 2 extranoc inventory frobnicate
'

test_done
