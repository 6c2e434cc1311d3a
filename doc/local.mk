dist_man_MANS += doc/extranoc.1
dist_man_MANS += doc/extranoc-poller.8 doc/extranoc.conf.5
EXTRA_DIST += doc/journal.md doc/inventory.md doc/architecture.md doc/simnet.md
EXTRA_DIST += doc/rrd.md doc/facts-poller.md
EXTRA_DIST += scripts/install-deps scripts/build scripts/run-tests scripts/run-demo scripts/demo .ci/run
