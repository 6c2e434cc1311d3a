# collector/: extranoc-collector. libxncollect holds the pure parts (storm
# protection, the PDU-to-fact mapping, the ifIndex map, the notification
# names of mibs/, the SNMPv3 header reader), which their unit tests link without Net-SNMP, a socket
# or a clock.

noinst_LIBRARIES += collector/libxncollect.a

collector_libxncollect_a_SOURCES = \
	collector/trap.h \
	collector/storm.c collector/storm.h \
	collector/trap-fact.c collector/trap-fact.h \
	collector/ifmap.c collector/ifmap.h \
	collector/mib-names.c collector/mib-names.h \
	collector/v3-header.c collector/v3-header.h
collector_libxncollect_a_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)

XN_COLLECT_LIBS = collector/libxncollect.a $(XN_STORAGE_LIBS)

check_PROGRAMS += t/unit/test-storm t/unit/test-trap-fact
TESTS += t/unit/test-storm t/unit/test-trap-fact
t_unit_test_storm_SOURCES = t/unit/test-storm.c
t_unit_test_storm_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/collector
t_unit_test_storm_LDADD = collector/libxncollect.a $(XN_BASE_LIBS)
t_unit_test_trap_fact_SOURCES = t/unit/test-trap-fact.c
t_unit_test_trap_fact_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/collector
t_unit_test_trap_fact_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)
t_unit_test_trap_fact_LDADD = $(XN_COLLECT_LIBS)

# The queue into the journal, against a journal in a temporary directory.
check_PROGRAMS += t/unit/test-fact-queue
TESTS += t/unit/test-fact-queue
t_unit_test_fact_queue_SOURCES = t/unit/test-fact-queue.c collector/fact-queue.c collector/fact-queue.h
t_unit_test_fact_queue_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/collector
t_unit_test_fact_queue_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)
t_unit_test_fact_queue_LDADD = $(XN_STORAGE_LIBS)

# The derivation loop's parts (derive.c) against a journal in a temporary
# directory, with the sample county.
check_PROGRAMS += t/unit/test-derive
TESTS += t/unit/test-derive
t_unit_test_derive_SOURCES = t/unit/test-derive.c collector/derive.c collector/derive.h \
	t/unit/test-outage-util.c t/unit/test-outage-util.h t/unit/test-util.c t/unit/test-util.h
t_unit_test_derive_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/collector
t_unit_test_derive_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_derive_LDADD = $(XN_DERIVED_LIBS) $(XN_CONFIG_LIBS)

# extranoc-collector, the daemon: main.c wires, collector.c is the context
# (with collector-setup.c, its configuration and log writer), trap-listener.c
# the Net-SNMP adapter (the only file here that includes Net-SNMP),
# fact-queue.c batches facts into the journal, follow.c reads it as it grows,
# derive.c derives the outages from what it reads into the derived store.
sbin_PROGRAMS += extranoc-collector
extranoc_collector_SOURCES = \
	collector/main.c \
	collector/collector.c collector/collector.h \
	collector/collector-setup.c \
	collector/trap-listener.c collector/trap-listener.h \
	collector/fact-queue.c collector/fact-queue.h \
	collector/follow.c collector/follow.h \
	collector/derive.c collector/derive.h
extranoc_collector_CFLAGS = $(AM_CFLAGS) $(YANG_CFLAGS) $(JSON_CFLAGS) $(NETSNMP_CFLAGS)
# poller/libxnpoll.a only for snmp-usm.o: SNMPv3 protocols and keys, as the poller has them.
extranoc_collector_LDADD = $(XN_COLLECT_LIBS) $(XN_DERIVED_LIBS) poller/libxnpoll.a $(NETSNMP_LIBS) $(XN_CONFIG_LIBS) \
	$(XN_STORAGE_LIBS)

# The notification names the collector puts on trap facts (mib-names.h).
mibsdir = $(pkgdatadir)/mibs
dist_mibs_DATA = mibs/standard.oids mibs/vendor.oids
EXTRA_DIST += mibs/README.md collector/README.md

dist_man_MANS += doc/extranoc-collector.8
EXTRA_DIST += doc/facts-collector.md

# On 127.0.0.1 with snmptrap/snmpinform; the storm in a network namespace of
# its own with t/tools/trapgen; reload, stop and a busy journal.
TESTS += \
	t/t3000-collector-traps.sh \
	t/t3010-collector-storm.sh \
	t/t3020-collector-ops.sh
# Outages derived as the journal grows, equal to replay, across kill -9 and
# on the simulated extranet.
TESTS += t/t3030-collector-derive.sh
EXTRA_DIST += t/lib-collector.sh t/t3000-collector-traps.d
