/* config-check.h — every problem in a set of configuration files, each as
 * FILE:LINE: /path/in/tree: message (config-problem.h).
 *
 * libyang reports only the first validation error and forgets line numbers
 * after parsing; check-config must name every problem with its line. So the
 * files are parsed without validation, their lines recorded separately
 * (config-lines.h), extranoc's own checks run over all of them together, and
 * only then does libyang validate the merged tree, to catch whatever the
 * checks do not know about. This is the interface between lib/config.c and
 * lib/config-check.c, the two files that see libyang (forward declarations
 * keep libyang.h out of this header); callers outside lib/ use config.h. */
#pragma once

#include <glib.h>

#include "config-problem.h"

G_BEGIN_DECLS

/* ---- for lib/config.c only ---- */

struct ly_ctx;
struct lyd_node;

typedef struct {
	char            *name;         /* as given */
	guint            index;
	guint            mode;         /* st_mode of the file when it was read */
	gboolean         has_secrets;  /* the file holds (or mentions) the secrets container */
	gboolean         parsed;       /* libyang parsed it (an empty file parses to no tree) */
	struct lyd_node *tree;         /* parsed, not validated, opaque nodes kept */
	GHashTable      *lines;        /* const struct lyd_node * → line (GUINT_TO_POINTER) */
} XnConfigSource;

XnConfigSource  *xn_config_source_new (const char *name, guint index, guint mode);
void             xn_config_source_free (XnConfigSource *source);

/* Parses `text` (NUL-terminated; XML or JSON) into source->tree and records
 * the line of every node. A parse error is appended to `problems` with
 * libyang's line; returns whether the file parsed. */
gboolean         xn_config_check_parse (struct ly_ctx *ctx, XnConfigSource *source, const char *text,
					gsize length, gboolean xml, GPtrArray *problems);

/* Runs every check over all parsed sources, then libyang validation of
 * their merge, appending what it finds to `problems`. Returns the merged,
 * validated tree with defaults, or NULL when there was any problem (also
 * one found before this call). */
struct lyd_node *xn_config_check_all (struct ly_ctx *ctx, GPtrArray *sources, GPtrArray *problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnConfigSource, xn_config_source_free)

G_END_DECLS
