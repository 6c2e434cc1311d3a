# poller/: extranoc-poller and the pieces `extranoc poll` shares with it.
# libxnpoll holds the Net-SNMP adapter (snmp-session.c and snmp-usm.c, the
# only places net-snmp headers are included; the collector links snmp-usm.o
# too), the request plan and decoding into XnNodeSample, counters to
# rates, and the state-change logic that turns samples into facts.

noinst_LIBRARIES += poller/libxnpoll.a

poller_libxnpoll_a_SOURCES = \
	poller/sample.c poller/sample.h \
	poller/snmp-session.c poller/snmp-session.h \
	poller/snmp-usm.c poller/snmp-usm.h \
	poller/snmp-poll.c poller/snmp-poll.h poller/snmp-decode.c poller/snmp-walk-private.h \
	poller/engine.c poller/engine.h \
	poller/counters.c poller/counters.h \
	poller/state.c poller/state.h
poller_libxnpoll_a_CFLAGS = $(AM_CFLAGS) $(NETSNMP_CFLAGS) $(JSON_CFLAGS)

# state.c builds journal facts, hence the storage library; the engine takes
# its credentials from the secrets model in libxnconfig.
XN_POLL_LIBS = poller/libxnpoll.a $(NETSNMP_LIBS) $(XN_CONFIG_LIBS) $(XN_STORAGE_LIBS)

# Counters and state are pure: their tests link no Net-SNMP.
check_PROGRAMS += t/unit/test-counters t/unit/test-poll-state
TESTS += t/unit/test-counters t/unit/test-poll-state
t_unit_test_counters_SOURCES = t/unit/test-counters.c
t_unit_test_counters_LDADD = poller/libxnpoll.a $(XN_BASE_LIBS)
t_unit_test_poll_state_SOURCES = t/unit/test-poll-state.c
t_unit_test_poll_state_CFLAGS = $(AM_CFLAGS) $(JSON_CFLAGS)
t_unit_test_poll_state_LDADD = poller/libxnpoll.a $(XN_STORAGE_LIBS)

# The walk and decoding without network (nor Net-SNMP); the engine against a real snmpd on
# loopback and the misbehaving agent below. The secrets model the engine
# takes lives in libxnconfig (secrets.c needs GLib only).
check_PROGRAMS += t/unit/test-snmp-poll t/unit/test-snmp-engine
TESTS += t/unit/test-snmp-poll t/unit/test-snmp-engine
t_unit_test_snmp_poll_SOURCES = t/unit/test-snmp-poll.c
t_unit_test_snmp_poll_LDADD = poller/libxnpoll.a $(XN_BASE_LIBS)
t_unit_test_snmp_engine_SOURCES = t/unit/test-snmp-engine.c
t_unit_test_snmp_engine_LDADD = poller/libxnpoll.a $(NETSNMP_LIBS) $(XN_CONFIG_LIBS)

# A tiny SNMP agent that answers GETNEXT right and GETBULK wrong, for the
# fallback tests (t/t2020-poll-getnext.sh, test-snmp-poll).
check_PROGRAMS += t/tools/badagent
t_tools_badagent_SOURCES = t/tools/badagent.c
t_tools_badagent_LDADD = $(GLIB_LIBS)

# extranoc-poller, the daemon: main.c wires, poller.c is the context (with
# poller-setup.c, its configuration and log writer), scheduler.c says when
# each node is due, bench-mode.c is --bench for bench/poll.
sbin_PROGRAMS += extranoc-poller
extranoc_poller_SOURCES = \
	poller/main.c \
	poller/poller.c poller/poller.h \
	poller/poller-setup.c \
	poller/scheduler.c poller/scheduler.h \
	poller/bench-mode.c poller/bench-mode.h \
	poller/sample-rrd.c poller/sample-rrd.h
extranoc_poller_CFLAGS = $(AM_CFLAGS) $(YANG_CFLAGS) $(JSON_CFLAGS)
extranoc_poller_LDADD = $(XN_POLL_LIBS) $(XN_RRD_LIBS) $(XN_CONFIG_LIBS) $(XN_STORAGE_LIBS)

# The scheduler is pure: its test links it and GLib alone.
check_PROGRAMS += t/unit/test-scheduler
TESTS += t/unit/test-scheduler
t_unit_test_scheduler_SOURCES = t/unit/test-scheduler.c poller/scheduler.c poller/scheduler.h
t_unit_test_scheduler_LDADD = $(XN_BASE_LIBS)
