/* trap-fact.h — what a received trap is about, and its fact.
 *
 * Pure: inventory lookups, the ifIndex map and the notification names go
 * in, a classification and an XnFact come out; no clock (`now` is given),
 * no I/O, no Net-SNMP. The rules (doc/facts-collector.md):
 *
 * - the sender is the inventory node whose management address is the
 *   trap's snmpTrapAddress.0 (a forwarded trap), else the SNMPv1
 *   agent-addr, else the UDP source, the first of these the inventory
 *   knows; none: an unknown source, recorded as trap.unknown-source;
 * - linkDown and linkUp (v1 generic 2 and 3, v2 1.3.6.1.6.3.1.1.5.3/.4)
 *   name their interface by an ifName varbind, else by the ifIndex as the
 *   poller last saw it (ifmap.h), else by an ifDescr varbind;
 * - coldStart, warmStart and authenticationFailure have kinds of their
 *   own; any other notification is trap.other with its varbinds.
 *
 * Classifying is cheap (no JSON) so that a storm can count traps without
 * building their facts. */
#pragma once

#include <glib.h>

#include "fact.h"
#include "ifmap.h"
#include "inventory.h"
#include "mib-names.h"
#include "trap.h"

G_BEGIN_DECLS

typedef enum {
	XN_TRAP_LINK_DOWN,
	XN_TRAP_LINK_UP,
	XN_TRAP_COLD_START,
	XN_TRAP_WARM_START,
	XN_TRAP_AUTH_FAILURE,
	XN_TRAP_OTHER,
	XN_TRAP_UNKNOWN_SOURCE,
} XnTrapKind;

typedef struct {
	GHashTable       *nodes_by_address;   /* management address → const XnNode* */
	const XnIfMap    *ifmap;              /* may be NULL */
	const XnMibNames *mibs;               /* may be NULL */
} XnTrapContext;

typedef struct {
	XnTrapKind    kind;
	const XnNode *node;              /* NULL: an unknown source */
	char         *source;            /* "node/NAME" or "source/ADDRESS": who storms, and the storm facts' subject */
	char         *subject;           /* of the trap's own fact */
	char         *trap_oid;          /* dotted; NULL when the notification names none */
	char         *trap_address;      /* snmpTrapAddress.0, when the trap carries it */
	/* link-down and link-up */
	gboolean      has_if_index;
	gint64        if_index;
	char         *if_name;           /* NULL when nothing names it */
	gint          admin_status;      /* ifAdminStatus, 0 when not given */
	gint          oper_status;       /* ifOperStatus, 0 when not given */
	const XnLink *link;              /* when the interface is an end of an inventory link */
} XnTrapClass;

void        xn_trap_classify (const XnTrapContext *ctx, const XnTrap *trap, XnTrapClass *out);
void        xn_trap_class_clear (XnTrapClass *class_);
/* TRUE for link-down and link-up of a known node: traps that stay evidence
 * of an outage during a storm. */
gboolean    xn_trap_class_is_link (const XnTrapClass *class_);

/* The fact (source "collector", ts = recorded = now). With
 * `omit_varbinds` the varbinds are left out and counted in
 * attrs.varbinds_omitted: for a trap whose fact would be too long. The
 * fact carries its attrs printed (xn_fact_new_printed()). */
XnFact     *xn_trap_to_fact (const XnTrapContext *ctx, const XnTrap *trap, const XnTrapClass *class_,
			     XnInstant now, gboolean omit_varbinds);
/* The fact's attrs as a tree, and printed straight into `out` without one:
 * the same JSON as xn_fact_attrs_to_json() of the tree, byte for byte. */
JsonObject *xn_trap_attrs_to_json (const XnTrapContext *ctx, const XnTrap *trap, const XnTrapClass *class_,
				   gboolean omit_varbinds);
void        xn_trap_attrs_write (const XnTrapContext *ctx, const XnTrap *trap, const XnTrapClass *class_,
				 gboolean omit_varbinds, GString *out);

/* The whole trap in one block that owns everything it points to, for
 * keeping it past its callback; g_free() frees it. */
XnTrap     *xn_trap_copy (const XnTrap *trap);

/* "trap.link-down", … */
const char *xn_trap_kind_to_string (XnTrapKind kind);
/* "v1", "v2c", "v3" */
const char *xn_trap_version_to_string (XnTrapVersion version);
/* Dotted text, "1.3.6.1.6.3.1.1.5.3"; "" for an empty OID. */
char       *xn_trap_oid_to_string (XnTrapOid oid);
/* The varbinds as attrs.varbinds has them: [{"oid", "type", "value"}, …]. */
JsonArray  *xn_trap_varbinds_to_json (const XnTrapVarbind *varbinds, guint n);

G_END_DECLS
