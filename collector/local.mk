# collector/: extranoc-collector. libxncollect holds the pure parts (storm
# protection, the PDU-to-fact mapping, the ifIndex map, the notification
# names of mibs/, the SNMPv3 header reader, the checks of link traps), which
# their unit tests link without Net-SNMP, a socket or a clock.

noinst_LIBRARIES += collector/libxncollect.a

collector_libxncollect_a_SOURCES = \
	collector/trap.h \
	collector/storm.c collector/storm.h \
	collector/trap-fact.c collector/trap-fact.h \
	collector/ifmap.c collector/ifmap.h \
	collector/mib-names.c collector/mib-names.h \
	collector/v3-header.c collector/v3-header.h \
	collector/link-verify.c collector/link-verify-get.c collector/link-verify.h
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

# What to check when after a link trap, and what the answers mean.
check_PROGRAMS += t/unit/test-link-verify
TESTS += t/unit/test-link-verify
t_unit_test_link_verify_SOURCES = t/unit/test-link-verify.c
t_unit_test_link_verify_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/collector
t_unit_test_link_verify_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)
t_unit_test_link_verify_LDADD = $(XN_COLLECT_LIBS)

# The queue into the journal, against a journal in a temporary directory.
check_PROGRAMS += t/unit/test-fact-queue
TESTS += t/unit/test-fact-queue
t_unit_test_fact_queue_SOURCES = t/unit/test-fact-queue.c collector/fact-queue.c collector/fact-queue.h \
	t/unit/test-util.c t/unit/test-util.h
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
# derive.c derives the outages from what it reads into the derived store,
# link-verify-io.c checks link traps with SNMP GETs (poller/snmp-session.c).
sbin_PROGRAMS += extranoc-collector
extranoc_collector_SOURCES = \
	collector/main.c \
	collector/collector.c collector/collector.h \
	collector/collector-setup.c \
	collector/trap-listener.c collector/trap-listener.h \
	collector/fact-queue.c collector/fact-queue.h \
	collector/follow.c collector/follow.h \
	collector/derive.c collector/derive.h \
	collector/link-verify-io.c collector/link-verify-io.h
extranoc_collector_CFLAGS = $(AM_CFLAGS) $(YANG_CFLAGS) $(JSON_CFLAGS) $(NETSNMP_CFLAGS)
# poller/libxnpoll.a for snmp-usm.o (SNMPv3 protocols and keys, as the poller
# has them) and snmp-session.o (the link checks' GETs).
extranoc_collector_LDADD = $(XN_COLLECT_LIBS) $(XN_DERIVED_LIBS) collector/libxndispatch.a $(XN_CURL_LIBS) \
	poller/libxnpoll.a $(NETSNMP_LIBS) $(XN_CONFIG_LIBS) $(XN_STORAGE_LIBS)

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
# Link traps checked by SNMP GET against a real snmpd whose interface the
# test takes down and up, in a network namespace of its own.
TESTS += t/t3040-collector-verify.sh
# Carrier tickets derived live from traps, their messages delivered to an
# SMTP sink and a spool directory; the breach timer; kill -9 before a
# deadline and a start after it.
TESTS += t/t3210-collector-tickets.sh
EXTRA_DIST += t/lib-collector.sh t/t3000-collector-traps.d

# The dispatcher (dispatch.h): delivers the outbox to the carriers by SMTP,
# webhook or spool directory on a thread of its own. dispatch-message.c is
# its pure part (backoff, names, the e-mail as sent); only channel-*.c
# include libcurl (configure finds it with pkg-config).
noinst_LIBRARIES += collector/libxndispatch.a

collector_libxndispatch_a_SOURCES = \
	collector/dispatch.c collector/dispatch.h collector/dispatch-private.h \
	collector/dispatch-message.c \
	collector/channel-curl.c collector/channel-curl.h \
	collector/channel-smtp.c \
	collector/channel-webhook.c \
	collector/channel-spool.c
collector_libxndispatch_a_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(CURL_CFLAGS)

XN_CURL_LIBS = $(CURL_LIBS)
# lib/libxnconfig.a for the secrets (secrets.c needs only GLib).
XN_DISPATCH_LIBS = collector/libxndispatch.a $(XN_CURL_LIBS) $(XN_CONFIG_LIBS) $(XN_STORAGE_LIBS)

# Backoff, names, the e-mail as sent, the configuration an attempt needs,
# and the dispatcher's thread against a spool directory and a closed port.
check_PROGRAMS += t/unit/test-dispatch
TESTS += t/unit/test-dispatch
t_unit_test_dispatch_SOURCES = t/unit/test-dispatch.c t/unit/test-util.c t/unit/test-util.h
t_unit_test_dispatch_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/collector
t_unit_test_dispatch_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)
t_unit_test_dispatch_LDADD = $(XN_DISPATCH_LIBS)

# The outbox's test tool: puts messages into a journal's outbox as the
# derivation does, runs the dispatcher on an extranoc.conf (SIGHUP reloads,
# SIGUSR1 kicks, SIGTERM stops), and lists messages and attempts.
check_PROGRAMS += t/tools/outbox-tool
t_tools_outbox_tool_SOURCES = t/tools/outbox-tool.c
t_tools_outbox_tool_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/collector
t_tools_outbox_tool_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS) $(SQLITE_CFLAGS)
t_tools_outbox_tool_LDADD = $(XN_DISPATCH_LIBS) $(XN_CONFIG_LIBS) $(XN_STORAGE_LIBS)

# Delivery to real local receivers: an SMTP sink (python3-aiosmtpd, with
# STARTTLS), an HTTP receiver and a spool directory; receivers down and
# back, kill -9 and restart.
TESTS += t/t3200-outbox-delivery.sh
EXTRA_DIST += t/tools/smtp-sink t/tools/http-receiver
