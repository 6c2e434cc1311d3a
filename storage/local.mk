# storage/: the fact journal (SQLite today; the API in journal.h names no
# backend so PostgreSQL can be added behind it) and the RRD adapter, in a
# library of its own so that only programs writing RRD files link librrd.

noinst_LIBRARIES += storage/libxnstorage.a

storage_libxnstorage_a_SOURCES = \
	storage/json-strict.c storage/json-strict.h \
	storage/fact.c storage/fact.h \
	storage/journal.c storage/journal.h \
	storage/journal-sqlite.c storage/journal-backend.h
storage_libxnstorage_a_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS) $(SQLITE_CFLAGS)

XN_STORAGE_LIBS = storage/libxnstorage.a $(JSON_LIBS) $(SQLITE_LIBS) $(XN_BASE_LIBS)

check_PROGRAMS += t/unit/test-fact t/unit/test-journal
TESTS += t/unit/test-fact t/unit/test-journal
t_unit_test_fact_SOURCES = t/unit/test-fact.c
t_unit_test_fact_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)
t_unit_test_fact_LDADD = $(XN_STORAGE_LIBS)
t_unit_test_journal_SOURCES = t/unit/test-journal.c
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
