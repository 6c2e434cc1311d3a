# lib/: the shared core. libxnbase needs only GLib (error domain, time, working-day
# calendar, the plain-C inventory and policy model) so the SLA engine can link it;
# libxnconfig adds libyang (configuration loading and checks, secrets, CSV import).

noinst_LIBRARIES += lib/libxnbase.a lib/libxnconfig.a

lib_libxnbase_a_SOURCES = \
	lib/xn-error.c lib/xn-error.h lib/xn-paths.h \
	lib/xn-time.c lib/xn-time.h \
	lib/calendar.c lib/calendar.h \
	lib/inventory.c lib/inventory.h \
	lib/policy.c lib/policy.h \
	lib/daemon-conf.c lib/daemon-conf.h \
	lib/daemon-log.c lib/daemon-log.h

lib_libxnconfig_a_SOURCES = \
	lib/config.c lib/config.h \
	lib/config-check.c lib/config-check.h \
	lib/config-lines.c lib/config-lines.h \
	lib/config-problem.c lib/config-problem.h \
	lib/config-rules.c lib/config-rules.h \
	lib/secrets.c lib/secrets.h \
	lib/csv.c lib/csv.h \
	lib/inventory-csv.c lib/inventory-csv.h \
	lib/inventory-csv-columns.c lib/inventory-csv-columns.h \
	lib/inventory-csv-rules.c lib/inventory-csv-private.h
lib_libxnconfig_a_CFLAGS = $(AM_CFLAGS) $(YANG_CFLAGS) $(JSON_CFLAGS)

XN_BASE_LIBS = lib/libxnbase.a $(GLIB_LIBS)
XN_CONFIG_LIBS = lib/libxnconfig.a $(YANG_LIBS) $(JSON_LIBS) $(XN_BASE_LIBS)

check_PROGRAMS += t/unit/test-time t/unit/test-calendar t/unit/test-config t/unit/test-csv
TESTS += t/unit/test-time t/unit/test-calendar t/unit/test-config t/unit/test-csv

t_unit_test_time_SOURCES = t/unit/test-time.c
t_unit_test_time_LDADD = $(XN_BASE_LIBS)
t_unit_test_calendar_SOURCES = t/unit/test-calendar.c
t_unit_test_calendar_LDADD = $(XN_BASE_LIBS)
t_unit_test_config_SOURCES = t/unit/test-config.c t/unit/test-util.c t/unit/test-util.h
t_unit_test_config_CFLAGS = $(AM_CFLAGS) $(YANG_CFLAGS)
t_unit_test_config_LDADD = $(XN_CONFIG_LIBS)
t_unit_test_csv_SOURCES = t/unit/test-csv.c
t_unit_test_csv_CFLAGS = $(AM_CFLAGS) $(YANG_CFLAGS) $(JSON_CFLAGS)
t_unit_test_csv_LDADD = $(XN_CONFIG_LIBS) $(JSON_LIBS)

# The plain-C inventory and policy model, with libxnbase alone: no libyang.
check_PROGRAMS += t/unit/test-inventory
TESTS += t/unit/test-inventory
t_unit_test_inventory_SOURCES = t/unit/test-inventory.c
t_unit_test_inventory_LDADD = $(XN_BASE_LIBS)
# Fixtures of test-config and t/t0400-config-check.sh.
EXTRA_DIST += t/t0400-config-check.d

check_PROGRAMS += t/unit/test-daemon-conf
TESTS += t/unit/test-daemon-conf
t_unit_test_daemon_conf_SOURCES = t/unit/test-daemon-conf.c
t_unit_test_daemon_conf_LDADD = $(XN_BASE_LIBS)

check_PROGRAMS += t/unit/test-daemon-log
TESTS += t/unit/test-daemon-log
t_unit_test_daemon_log_SOURCES = t/unit/test-daemon-log.c
t_unit_test_daemon_log_LDADD = $(XN_BASE_LIBS)
