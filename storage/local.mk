# storage/: the fact journal (SQLite today; the API in journal.h names no
# backend so PostgreSQL can be added behind it) and the RRD adapter, in a
# library of its own so that only programs writing RRD files link librrd.

noinst_LIBRARIES += storage/libxnstorage.a

storage_libxnstorage_a_SOURCES = \
	storage/json-strict.c storage/json-strict.h \
	storage/fact.c storage/fact.h \
	storage/journal.c storage/journal.h \
	storage/journal-sqlite.c storage/journal-backend.h \
	storage/sqlite-common.c storage/sqlite-common.h
storage_libxnstorage_a_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(SQLITE_CFLAGS)

XN_STORAGE_LIBS = storage/libxnstorage.a $(JSON_LIBS) $(SQLITE_LIBS) $(XN_BASE_LIBS)

check_PROGRAMS += t/unit/test-fact t/unit/test-journal
TESTS += t/unit/test-fact t/unit/test-journal
t_unit_test_fact_SOURCES = t/unit/test-fact.c
t_unit_test_fact_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)
t_unit_test_fact_LDADD = $(XN_STORAGE_LIBS)
t_unit_test_journal_SOURCES = t/unit/test-journal.c t/unit/test-util.c t/unit/test-util.h
t_unit_test_journal_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)
t_unit_test_journal_LDADD = $(XN_STORAGE_LIBS)

noinst_LIBRARIES += storage/libxnrrd.a

storage_libxnrrd_a_SOURCES = \
	storage/xn-rrd.c storage/xn-rrd.h \
	storage/rrd-backlog.c storage/rrd-backlog.h \
	storage/rrdcached.c storage/rrdcached.h
storage_libxnrrd_a_CFLAGS = $(AM_CFLAGS) $(RRD_CFLAGS)

XN_RRD_LIBS = storage/libxnrrd.a $(RRD_LIBS) $(XN_BASE_LIBS)

check_PROGRAMS += t/unit/test-rrd
TESTS += t/unit/test-rrd
t_unit_test_rrd_SOURCES = t/unit/test-rrd.c t/unit/test-util.c t/unit/test-util.h
t_unit_test_rrd_LDADD = $(XN_RRD_LIBS)

# The collector's derived state (derived.h), kept in the journal's own
# SQLite file. It stores what sla's outage engine lists, so it is a library
# of its own above libxnsla (which itself needs this directory's fact
# module): no cycle between the two. derived-sqlite.c is its SQLite adapter.
noinst_LIBRARIES += storage/libxnderived.a

storage_libxnderived_a_SOURCES = \
	storage/derived.c storage/derived.h storage/derived-backend.h storage/derived-private.h \
	storage/derived-tickets.c storage/derived-sqlite.c
storage_libxnderived_a_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(SQLITE_CFLAGS)

XN_DERIVED_LIBS = storage/libxnderived.a $(XN_OUTAGE_LIBS) -lm

# Steps, busy stores, kill -9 in the middle of a step, resume; the sample
# county comes through the configuration loader as in the outage tests.
check_PROGRAMS += t/unit/test-derived
TESTS += t/unit/test-derived
t_unit_test_derived_SOURCES = t/unit/test-derived.c t/unit/test-outage-util.c t/unit/test-outage-util.h \
	t/unit/test-util.c t/unit/test-util.h
t_unit_test_derived_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(YANG_CFLAGS)
t_unit_test_derived_LDADD = $(XN_DERIVED_LIBS) $(XN_CONFIG_LIBS)
EXTRA_DIST += doc/derived.md

# The outbox (outbox.h): the messages owed to the carriers and every
# attempt to deliver them, in the journal's SQLite file beside the derived
# state. outbox-sqlite.h lets the derived store insert messages inside its
# own step's transaction.
storage_libxnstorage_a_SOURCES += \
	storage/outbox.c storage/outbox.h \
	storage/outbox-sqlite.c storage/outbox-sqlite.h

# Insert-or-ignore, suppressed rows, the order messages fall due in,
# attempts, abandon, and kill -9 inside an insert's transaction.
check_PROGRAMS += t/unit/test-outbox
TESTS += t/unit/test-outbox
t_unit_test_outbox_SOURCES = t/unit/test-outbox.c t/unit/test-util.c t/unit/test-util.h
t_unit_test_outbox_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(SQLITE_CFLAGS)
t_unit_test_outbox_LDADD = $(XN_STORAGE_LIBS)
EXTRA_DIST += doc/outbox.md
