# cli/: the extranoc operator command. main.c only dispatches; each
# command group lives in its own cmd-*.c.

bin_PROGRAMS += extranoc
extranoc_SOURCES = \
	cli/main.c cli/commands.h cli/dispatch.c \
	cli/cmd-config.c \
	cli/cmd-inventory.c \
	cli/cmd-calendar.c \
	cli/cmd-journal.c \
	cli/cmd-poll.c \
	cli/outage-view.c cli/outage-view.h cli/json-out.c cli/json-out.h \
	cli/cmd-replay.c cli/cmd-outages.c cli/cmd-availability.c \
	cli/operator-fact.c cli/operator-fact.h cli/cmd-fault.c \
	cli/ticket-view.c cli/ticket-view.h cli/cmd-ticket.c \
	cli/maintenance-view.c cli/maintenance-view.h cli/cmd-maintenance.c
extranoc_CFLAGS = $(AM_CFLAGS) $(YANG_CFLAGS) $(JSON_CFLAGS)
extranoc_LDADD = $(XN_DERIVED_LIBS) $(XN_POLL_LIBS) $(XN_CONFIG_LIBS) $(XN_STORAGE_LIBS)

# replay, outages and availability on hand-written journals over the sample
# county, compared with known-good files and hand-computed figures.
TESTS += \
	t/t3100-replay-scenarios.sh \
	t/t3105-replay-availability.sh \
	t/t3110-outages-cli.sh \
	t/t3120-fault-cli.sh
EXTRA_DIST += t/t3100-replay-scenarios.d t/t3105-replay-availability.d t/t3110-outages-cli.d
# carrier fault tickets: replay scenarios with hand-written known-good
# summaries, and extranoc ticket show|list.
TESTS += \
	t/t3130-ticket-scenarios.sh \
	t/t3135-ticket-cli.sh
EXTRA_DIST += t/t3130-ticket-scenarios.d
