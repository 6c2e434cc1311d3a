# sla/: the pure engine (periods, availability, outages). It links libxnbase
# and nothing that does I/O or reads the clock; see sla/README.md.

noinst_LIBRARIES += sla/libxnsla.a

sla_libxnsla_a_SOURCES = \
	sla/period.c sla/period.h \
	sla/availability.c sla/availability.h \
	sla/outage-signal.c sla/outage-signal.h \
	sla/topology.c sla/topology.h \
	sla/outage.c sla/outage.h sla/outage-private.h \
	sla/outage-query.c sla/outage-settle.c sla/outage-changes.c sla/outage-snapshot.c
# The outage engine reads facts (storage/fact.h) and json-glib trees.
sla_libxnsla_a_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)

# Carrier fault tickets on top of the outage engine (doc/sla.md), and the
# messages they become: still pure, the collector delivers them.
sla_libxnsla_a_SOURCES += \
	sla/ticket.c sla/ticket.h sla/ticket-private.h \
	sla/ticket-options.c sla/ticket-state.c sla/ticket-clock.c \
	sla/ticket-reconcile.c sla/ticket-facts.c sla/ticket-snapshot.c \
	sla/ticket-json.c sla/ticket-message.c sla/ticket-message.h

XN_SLA_LIBS = sla/libxnsla.a $(XN_BASE_LIBS) -lm

check_PROGRAMS += t/unit/test-period t/unit/test-availability
TESTS += t/unit/test-period t/unit/test-availability
t_unit_test_period_SOURCES = t/unit/test-period.c
t_unit_test_period_LDADD = $(XN_SLA_LIBS)
t_unit_test_availability_SOURCES = t/unit/test-availability.c
t_unit_test_availability_LDADD = $(XN_SLA_LIBS)

# The outage engine needs the fact module (storage/fact.o, json-strict.o
# out of libxnstorage; no SQLite code is linked in for it).
XN_OUTAGE_LIBS = sla/libxnsla.a $(XN_STORAGE_LIBS)
# The tests load data/sample-county.json through libyang; the engine does not.
check_PROGRAMS += t/unit/test-outage t/unit/test-outage-replay t/unit/test-outage-settle
TESTS += t/unit/test-outage t/unit/test-outage-replay t/unit/test-outage-settle
t_unit_test_outage_SOURCES = t/unit/test-outage.c t/unit/test-outage-util.c t/unit/test-outage-util.h
t_unit_test_outage_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_outage_LDADD = $(XN_OUTAGE_LIBS) $(XN_CONFIG_LIBS)
t_unit_test_outage_replay_SOURCES = t/unit/test-outage-replay.c t/unit/test-outage-util.c t/unit/test-outage-util.h
t_unit_test_outage_replay_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_outage_replay_LDADD = $(XN_OUTAGE_LIBS) $(XN_CONFIG_LIBS)
t_unit_test_outage_settle_SOURCES = t/unit/test-outage-settle.c t/unit/test-outage-util.c t/unit/test-outage-util.h
t_unit_test_outage_settle_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_outage_settle_LDADD = $(XN_OUTAGE_LIBS) $(XN_CONFIG_LIBS)
EXTRA_DIST += doc/outages.md

EXTRA_DIST += sla/README.md doc/availability.md

# The ticket engine on scenarios of the sample county (loaded through the
# configuration loader, as in the outage tests; the engine never sees
# libyang): rules, snapshots and batches, messages.
check_PROGRAMS += t/unit/test-ticket t/unit/test-ticket-replay t/unit/test-ticket-message \
	t/unit/test-ticket-maintenance
TESTS += t/unit/test-ticket t/unit/test-ticket-replay t/unit/test-ticket-message t/unit/test-ticket-maintenance
XN_TICKET_TEST_UTIL = t/unit/test-ticket-util.c t/unit/test-ticket-util.h
t_unit_test_ticket_SOURCES = t/unit/test-ticket.c $(XN_TICKET_TEST_UTIL)
t_unit_test_ticket_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_ticket_LDADD = $(XN_OUTAGE_LIBS) $(XN_CONFIG_LIBS)
t_unit_test_ticket_replay_SOURCES = t/unit/test-ticket-replay.c $(XN_TICKET_TEST_UTIL)
t_unit_test_ticket_replay_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_ticket_replay_LDADD = $(XN_OUTAGE_LIBS) $(XN_CONFIG_LIBS)
t_unit_test_ticket_message_SOURCES = t/unit/test-ticket-message.c $(XN_TICKET_TEST_UTIL)
t_unit_test_ticket_message_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_ticket_message_LDADD = $(XN_OUTAGE_LIBS) $(XN_CONFIG_LIBS)
t_unit_test_ticket_maintenance_SOURCES = t/unit/test-ticket-maintenance.c $(XN_TICKET_TEST_UTIL)
t_unit_test_ticket_maintenance_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_ticket_maintenance_LDADD = $(XN_OUTAGE_LIBS) $(XN_CONFIG_LIBS)
EXTRA_DIST += doc/sla.md

# Maintenance notices (doc/maintenance.md): the notice book, compliance on
# the working-day calendar, affected units, letters. Pure like the rest.
sla_libxnsla_a_SOURCES += \
	sla/maintenance.c sla/maintenance.h sla/maintenance-private.h \
	sla/maintenance-notice.c sla/maintenance-letter.c

# The notice rules on the 2025 calendar and the sample county.
check_PROGRAMS += t/unit/test-maintenance
TESTS += t/unit/test-maintenance
t_unit_test_maintenance_SOURCES = t/unit/test-maintenance.c
t_unit_test_maintenance_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_maintenance_LDADD = $(XN_OUTAGE_LIBS) $(XN_CONFIG_LIBS)
EXTRA_DIST += doc/maintenance.md
