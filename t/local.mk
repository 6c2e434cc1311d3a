# t/: the test harness, integration scripts on real daemons, the simulated extranet.
TESTS += \
	t/t0000-harness-basic.sh \
	t/t0100-yang-lint.sh \
	t/t0200-calendar-cli.sh \
	t/t0300-journal-cli.sh \
	t/t0400-config-check.sh \
	t/t0410-inventory-csv.sh \
	t/t1000-simnet-basic.sh
EXTRA_DIST += t/test-lib.sh t/lib-poller.sh $(TESTS)
EXTRA_DIST += \
	t/simnet/simnet \
	t/simnet/lib-simnet.sh \
	t/simnet/README.md
# Fixture directories travel whole.
EXTRA_DIST += t/t0400-config-check.d t/t0410-inventory-csv.d
# extranoc poll: snmpd on loopback, the simulated extranet, the GETNEXT fallback.
TESTS += \
	t/t2000-poll-snmpd.sh \
	t/t2010-poll-simnet.sh \
	t/t2020-poll-getnext.sh
EXTRA_DIST += t/t2000-poll-snmpd.d
# extranoc-poller: on the simulated extranet; -n, reload, a failing node, stop.
TESTS += \
	t/t2100-poller-simnet.sh \
	t/t2110-poller-ops.sh
EXTRA_DIST += t/t2110-poller-ops.d
# A fast SNMPv1/v2c trap sender, each trap numbered: for the collector's
# trap and storm tests and for bench/traps (which builds it with make).
check_PROGRAMS += t/tools/trapgen
t_tools_trapgen_SOURCES = t/tools/trapgen.c
t_tools_trapgen_LDADD = $(GLIB_LIBS)
# scripts/demo, the README's main job, whole on the simulated extranet
# (about three minutes).
TESTS += t/t9000-demo.sh
# extranoc maintenance: every command on the sample county; refused input
# leaves the journal as it was; letters written.
TESTS += t/t3300-maintenance-cli.sh
# extranoc availability with maintenance notices: planned downtime,
# overruns, flagged windows, from a journal file and from the store.
TESTS += t/t3106-availability-maintenance.sh
# What maintenance windows do to outages and carrier tickets: extranoc
# replay scenarios whose known-good summaries were written by hand.
TESTS += t/t3310-maintenance-scenarios.sh
EXTRA_DIST += t/t3310-maintenance-scenarios.d
# extranoc-collector and maintenance windows, live: a compliant window
# holds the carrier's #opened until its end, a late one does not.
TESTS += t/t3215-collector-maintenance.sh
