#!/bin/sh
# extranoc calendar: is-working-day, notice-deadline and list on the shipped
# schedules; a missing year is an error naming it; a year is added by dropping
# a file into the calendar directory; a broken file is reported as FILE:LINE.
test_description='working-day calendar CLI'
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

# A 2027 schedule for these tests only: no 2027 notice is published yet.
write_2027 () {
	mkdir -p "$1" &&
	cp "$top_srcdir"/data/calendar/2024.txt "$top_srcdir"/data/calendar/2025.txt \
	   "$top_srcdir"/data/calendar/2026.txt "$1"/ &&
	printf '%s\n' '# test fixture, not the State Council schedule' 'year 2027' \
		'2027-01-01 off 测试元旦' '2027-01-09 work 测试调休' >"$1"/2027.txt
}

test_expect_success 'is-working-day: holidays, 调休 days and ordinary days' '
	for d in 2025-01-26 2025-01-28 2025-01-27 2025-02-01 2025-10-01 2024-09-29 2026-01-04 2026-02-16; do
		printf "%s " "$d" && extranoc calendar is-working-day "$d" || return 1
	done >actual &&
	cat >expected <<-\EOF &&
	2025-01-26 working 春节调休
	2025-01-28 off 春节
	2025-01-27 working
	2025-02-01 off
	2025-10-01 off 国庆节、中秋节
	2024-09-29 working 国庆节调休
	2026-01-04 working 元旦调休
	2026-02-16 off 春节
	EOF
	test_cmp expected actual
'

test_expect_success 'notice-deadline: work on 2025-02-05 09:00, N = 2, ends the 调休 Sunday' '
	extranoc calendar notice-deadline --working-days 2 --start 2025-02-05T09:00+08:00 >actual &&
	echo 2025-01-27T00:00:00+08:00 >expected &&
	test_cmp expected actual
'

test_expect_success 'notice-deadline: a start without offset is read in the zone' '
	extranoc calendar notice-deadline --working-days 2 --start 2025-02-05T09:00 >actual &&
	echo 2025-01-27T00:00:00+08:00 >expected &&
	test_cmp expected actual &&
	extranoc calendar notice-deadline -n 2 -s 2025-02-04T16:30:00Z >actual &&
	test_cmp expected actual
'

test_expect_success 'notice-deadline: across National Day and a year end' '
	{
		extranoc calendar notice-deadline --working-days 2 --start 2024-10-08T09:00:00+08:00 &&
		extranoc calendar notice-deadline --working-days 2 --start 2025-10-09T10:00:00+08:00 &&
		extranoc calendar notice-deadline --working-days 2 --start 2026-01-05T09:00:00+08:00 &&
		extranoc calendar notice-deadline --working-days 0 --start 2026-01-05T09:00:00+08:00
	} >actual &&
	cat >expected <<-\EOF &&
	2024-09-30T00:00:00+08:00
	2025-09-30T00:00:00+08:00
	2026-01-01T00:00:00+08:00
	2026-01-05T09:00:00+08:00
	EOF
	test_cmp expected actual
'

test_expect_success 'notice-deadline --tz: local days and output in a DST zone' '
	extranoc calendar notice-deadline --working-days 2 --start 2024-03-12T09:00 \
		--tz America/New_York >actual &&
	echo 2024-03-09T00:00:00-05:00 >expected &&
	test_cmp expected actual
'

test_expect_success 'a date in 2027 fails, naming 2027' '
	test_exit_code 1 extranoc calendar is-working-day 2027-01-04 >out 2>err &&
	test ! -s out &&
	grep "no working-day schedule loaded for 2027" err &&
	grep "$EXTRANOC_CALENDAR_DIR" err &&
	test_exit_code 1 extranoc calendar notice-deadline -n 2 --start 2027-01-05T09:00+08:00 2>err &&
	grep "for 2027" err &&
	test_exit_code 1 extranoc calendar list 2027 2>err &&
	grep "for 2027" err
'

test_expect_success 'counting back into 2023 fails, naming 2023' '
	test_exit_code 1 extranoc calendar notice-deadline -n 3 --start 2024-01-03T09:00+08:00 2>err &&
	grep "for 2023" err
'

test_expect_success 'dropping 2027.txt into --calendar-dir adds 2027 without a rebuild' '
	write_2027 cal &&
	extranoc calendar is-working-day --calendar-dir cal 2027-01-01 >actual &&
	extranoc calendar is-working-day 2027-01-09 --calendar-dir cal >>actual &&
	extranoc calendar is-working-day -C cal 2027-01-04 >>actual &&
	extranoc calendar notice-deadline -C cal -n 2 --start 2027-01-05T09:00+08:00 >>actual &&
	cat >expected <<-\EOF &&
	off 测试元旦
	working 测试调休
	working
	2027-01-01T00:00:00+08:00
	EOF
	test_cmp expected actual
'

test_expect_success 'EXTRANOC_CALENDAR_DIR chooses the directory; --calendar-dir wins over it' '
	write_2027 cal &&
	EXTRANOC_CALENDAR_DIR=$PWD/cal extranoc calendar is-working-day 2027-01-01 >actual &&
	echo "off 测试元旦" >expected &&
	test_cmp expected actual &&
	mkdir empty &&
	test_exit_code 1 env EXTRANOC_CALENDAR_DIR="$PWD/cal" \
		extranoc calendar is-working-day --calendar-dir empty 2027-01-01 2>err &&
	grep "empty: no calendar files" err
'

test_expect_success 'a broken calendar file is reported as FILE:LINE' '
	write_2027 cal &&
	echo "2027-01-02 off 周六" >>cal/2027.txt &&
	test_exit_code 1 extranoc calendar is-working-day -C cal 2025-01-26 >out 2>err &&
	test ! -s out &&
	grep "cal/2027.txt:5: 2027-01-02 is a Saturday" err
'

test_expect_success 'a file without its year line is refused' '
	write_2027 cal &&
	sed "/^year/d" cal/2027.txt >cal/2027.new && mv cal/2027.new cal/2027.txt &&
	test_exit_code 1 extranoc calendar is-working-day -C cal 2025-01-26 2>err &&
	grep "cal/2027.txt:2: 2027-01-01 comes before the .year YYYY. line" err
'

test_expect_success 'a missing calendar directory is named' '
	test_exit_code 1 extranoc calendar is-working-day -C no-such-dir 2025-01-26 2>err &&
	grep "no-such-dir" err
'

test_expect_success 'list prints the named days of a year in the file format' '
	extranoc calendar list 2025 >actual &&
	grep "^2025-" "$top_srcdir"/data/calendar/2025.txt >expected &&
	test_cmp expected actual &&
	test $(wc -l <actual) -eq 23
'

test_expect_success 'usage errors exit 2' '
	test_exit_code 2 extranoc calendar is-working-day 2025-02-30 2>err &&
	grep "2025-02-30. is not a date" err &&
	test_exit_code 2 extranoc calendar is-working-day &&
	test_exit_code 2 extranoc calendar is-working-day 2025-01-01 2025-01-02 &&
	test_exit_code 2 extranoc calendar is-working-day --no-such-option 2025-01-01 &&
	test_exit_code 2 extranoc calendar notice-deadline --start 2025-02-05T09:00+08:00 &&
	test_exit_code 2 extranoc calendar notice-deadline --working-days 2 &&
	test_exit_code 2 extranoc calendar notice-deadline -n -1 --start 2025-02-05T09:00+08:00 &&
	test_exit_code 2 extranoc calendar notice-deadline -n two --start 2025-02-05T09:00+08:00 &&
	test_exit_code 2 extranoc calendar notice-deadline -n 2 --start 2025-02-05 2>err &&
	grep "not an ISO 8601 date-time" err &&
	test_exit_code 2 extranoc calendar notice-deadline -n 2 --start 2025-02-05T09:00 --tz Mars/Base 2>err &&
	grep "unknown time zone" err &&
	test_exit_code 2 extranoc calendar notice-deadline -n 2 --start 2024-03-10T02:30 \
		--tz America/New_York 2>err &&
	grep "does not exist" err &&
	test_exit_code 2 extranoc calendar list 25 &&
	test_exit_code 2 extranoc calendar frobnicate &&
	test_exit_code 2 extranoc calendar
'

test_expect_success 'help exits 0' '
	extranoc calendar --help >out && grep notice-deadline out &&
	extranoc calendar notice-deadline --help >out && grep -- --working-days out
'

test_done
