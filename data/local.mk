# data/: the working-day calendar (one file per year, loadable without a rebuild)
# and the sample inventory of a small county.
calendardir = $(pkgdatadir)/calendar
dist_calendar_DATA = \
	data/calendar/2024.txt \
	data/calendar/2025.txt \
	data/calendar/2026.txt
sampledir = $(pkgdatadir)/samples
dist_sample_DATA = \
	data/sample-county.json \
	data/policy-default.json
# The same county as operators keep it: one spreadsheet (CSV UTF-8) per table,
# for `extranoc inventory import-csv --dir`.
samplecsvdir = $(pkgdatadir)/samples/sample-county-csv
dist_samplecsv_DATA = \
	data/sample-county-csv/regions.csv \
	data/sample-county-csv/sites.csv \
	data/sample-county-csv/carriers.csv \
	data/sample-county-csv/nodes.csv \
	data/sample-county-csv/links.csv \
	data/sample-county-csv/units.csv
# A commented extranoc.conf with every key (extranoc.conf(5)).
dist_sample_DATA += data/extranoc.conf.sample
# The demo's inventory and policy, as changes to the samples (scripts/demo).
EXTRA_DIST += data/demo/inventory.jq data/demo/policy.jq
