# cli/: the extranoc operator command. main.c only dispatches; each
# command group lives in its own cmd-*.c.

bin_PROGRAMS += extranoc
extranoc_SOURCES = \
	cli/main.c cli/commands.h cli/dispatch.c \
	cli/cmd-config.c \
	cli/cmd-inventory.c \
	cli/cmd-calendar.c \
	cli/cmd-journal.c \
	cli/cmd-poll.c
extranoc_CFLAGS = $(AM_CFLAGS) $(YANG_CFLAGS) $(JSON_CFLAGS)
extranoc_LDADD = $(XN_POLL_LIBS) $(XN_CONFIG_LIBS) $(XN_STORAGE_LIBS)
