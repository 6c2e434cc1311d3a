# bench/: the polling benchmark (bench/poll, see bench/README.md). Its two
# programs are built only by `make bench` (alias `make bench-targets`), never
# by `make all` or `make check`: agentsim, the SNMP agent simulator, needs
# only GLib; refloop, the reference polling loop, links Net-SNMP directly.
# Makefile.am does not initialise EXTRA_PROGRAMS, so it is set here; a
# fragment included after this one may append to it with +=.

EXTRA_PROGRAMS = bench/agentsim bench/refloop

bench_agentsim_SOURCES = \
	bench/agentsim.c bench/agentsim.h \
	bench/agentsim-mib.c \
	bench/agentsim-pdu.c \
	bench/agentsim-selftest.c
bench_agentsim_LDADD = $(GLIB_LIBS)

bench_refloop_SOURCES = bench/refloop.c
bench_refloop_CFLAGS = $(AM_CFLAGS) $(NETSNMP_CFLAGS)
bench_refloop_LDADD = $(NETSNMP_LIBS) $(GLIB_LIBS)

bench bench-targets: bench/agentsim$(EXEEXT) bench/refloop$(EXEEXT)
.PHONY: bench bench-targets

EXTRA_DIST += bench/poll bench/README.md doc/performance.md
# bench/rrd: the cycle with RRD storage on, through rrdcached.
EXTRA_DIST += bench/rrd
# bench/traps: trap ingest, the traps sent by t/tools/trapgen (a check program).
EXTRA_DIST += bench/traps
# bench/derive: the cost of a derivation step, through extranoc-collector.
EXTRA_DIST += bench/derive
