/* config.h — loading extranoc's configuration: inventory, policy and
 * secrets files, validated together against the YANG modules.
 *
 * xn_config_load() is what a daemon calls: it fails unless every file is
 * readable and the whole configuration is valid, and gives the plain-C
 * inventory, policy and secrets. xn_config_check() is check-config's
 * variant, which also hands back every problem found (config-check.h).
 * Each file is JSON or XML and may hold any of the top-level containers
 * extranoc-inventory:inventory, extranoc-policy:policy and
 * extranoc-secrets:secrets; an absent policy means all defaults. A file
 * holding secrets is refused unless only its owner may access it. The
 * libyang tree stays inside XnConfig, with secret values replaced by
 * "<redacted>", for printing. */
#pragma once

#include <glib.h>

#include "config-check.h"
#include "inventory.h"
#include "policy.h"
#include "secrets.h"

G_BEGIN_DECLS

typedef enum {
	XN_CONFIG_FORMAT_JSON,
	XN_CONFIG_FORMAT_XML,
} XnConfigFormat;

typedef struct _XnConfig XnConfig;

/* Where the YANG modules are: $EXTRANOC_YANG_DIR, else the installed
 * XN_DATADIR/yang. Every module in the directory is loaded, so a
 * deployment can put a module deriving its own SLA classes there. */
char              *xn_config_default_yang_dir (void);

/* Loads and checks `files` (NULL-terminated). Problems in their content are
 * appended to `problems` (XnConfigProblem, sorted; give the array a free
 * function) and fail with XN_ERROR_CONFIG; a file that cannot be read or a
 * YANG directory that does not load fail with their own error and no
 * problems. */
XnConfig          *xn_config_check (const char *yang_dir, const char *const *files,
				    GPtrArray *problems, GError **error);
/* As xn_config_check(); the error message lists the problems, one per line. */
XnConfig          *xn_config_load (const char *yang_dir, const char *const *files, GError **error);
void               xn_config_free (XnConfig *config);

const XnInventory *xn_config_get_inventory (const XnConfig *config);
const XnPolicy    *xn_config_get_policy (const XnConfig *config);
/* NULL when no file held secrets. */
const XnSecrets   *xn_config_get_secrets (const XnConfig *config);

/* The merged configuration with every default filled in, inventory first,
 * then policy, then secrets, whose values print as "<redacted>". */
char              *xn_config_print (const XnConfig *config, XnConfigFormat format, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnConfig, xn_config_free)

G_END_DECLS
