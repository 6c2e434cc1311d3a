/* config-rules.h — the extranet's own configuration rules, and the small
 * interface through which they read the parsed files.
 *
 * lib/config-check.c owns the libyang trees and implements the interface;
 * lib/config-rules.c implements the rules on top of it without seeing
 * libyang. An entry is one list entry (a node, a link …) of one file, valid
 * as far as libyang's parse went: invalid values read as absent, because
 * config-check.c has reported them already. Internal to lib/config*.c. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _XnConfigCheck XnConfigCheck;
typedef struct _XnConfigEntry XnConfigEntry;

/* The entries of `list` in the top-level container `top`
 * ("extranoc-inventory:inventory"), from every file in command-line order.
 * `list` may be a path through containers ("fault-repair/restore-target/class");
 * NULL gives the top-level containers themselves. The array is new; the
 * entries are borrowed. */
GPtrArray   *xn_config_check_entries (XnConfigCheck *check, const char *top, const char *list);

/* The canonical value of the leaf at `path` below the entry ("snmp/version"),
 * or NULL when it is absent or invalid. Identities read "module:identity". */
const char  *xn_config_entry_value (const XnConfigEntry *entry, const char *path);
/* Whether anything is at `path`, valid or not. */
gboolean     xn_config_entry_has (const XnConfigEntry *entry, const char *path);

/* Reports a problem about the node at `path` below the entry (NULL: the
 * entry itself); when nothing is there, about the entry with `path`
 * appended. The message must not contain a secret's value. */
void         xn_config_check_report (XnConfigCheck *check, const XnConfigEntry *entry, const char *path,
				     const char *format, ...) G_GNUC_PRINTF (4, 5);
/* "FILE:LINE" of an entry, for messages that point at a second place. */
char        *xn_config_check_where (XnConfigCheck *check, const XnConfigEntry *entry);
/* Whether `a` comes before `b` in the files (command-line order, then line). */
gboolean     xn_config_check_before (XnConfigCheck *check, const XnConfigEntry *a, const XnConfigEntry *b);

/* Runs every rule of config-rules.c. */
void         xn_config_rules_run (XnConfigCheck *check);

G_END_DECLS
