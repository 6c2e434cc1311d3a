/* xn-paths.h — where an installed extranoc finds its files by default.
 *
 * One place for the compiled-in locations (from configure's prefix), so the
 * CLI, the daemons' extranoc.conf defaults and the help texts cannot drift
 * apart. Each has an environment variable that overrides it, read by the
 * module that loads the file (config.c, calendar.c) or by the CLI. */
#pragma once

#define XN_DEFAULT_YANG_DIR      XN_DATADIR "/yang"
#define XN_DEFAULT_CALENDAR_DIR  XN_DATADIR "/calendar"
#define XN_DEFAULT_JOURNAL       XN_LOCALSTATEDIR "/lib/extranoc/journal.db"
