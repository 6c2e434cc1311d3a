# t/: the test harness, integration scripts on real daemons, the simulated extranet.
TESTS += \
	t/t0000-harness-basic.sh \
	t/t0100-yang-lint.sh \
	t/t0200-calendar-cli.sh \
	t/t0300-journal-cli.sh \
	t/t0400-config-check.sh \
	t/t0410-inventory-csv.sh \
	t/t1000-simnet-basic.sh
EXTRA_DIST += t/test-lib.sh $(TESTS)
EXTRA_DIST += \
	t/simnet/simnet \
	t/simnet/lib-simnet.sh \
	t/simnet/README.md
# Fixture directories travel whole.
EXTRA_DIST += t/t0400-config-check.d t/t0410-inventory-csv.d
