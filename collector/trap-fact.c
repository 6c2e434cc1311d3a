/* trap-fact.c — a received trap's sender, kind, interface and fact (the
 * rules are in trap-fact.h and doc/facts-collector.md).
 *
 * Values are stored as they came and never interpreted: integers as
 * integers, OIDs and IpAddresses as text, OCTET STRINGs as text when they
 * are valid UTF-8 without NUL and as lowercase hex otherwise (marked
 * "encoding": "hex"), so the journal holds what the device said. An
 * interface name taken from a trap is used in a subject only when it is
 * printable text that fits; otherwise the fact is about the node and the
 * name stays in the varbinds. A fact's attrs are printed straight from the
 * trap, as the json-glib tree built here would print: every trap stored
 * takes this path, and printing and checking a tree took a fifth of what a
 * trap cost. This file does not decide what a storm keeps (storm.c) and
 * reads nothing from the network (trap-listener.c). */
#include "trap-fact.h"
#include "json-strict.h"

#include <string.h>

/* The standard traps (RFC 3418, RFC 2863): 1.3.6.1.6.3.1.1.5.N */
static const XnTrapArc snmp_traps[] = { 1, 3, 6, 1, 6, 3, 1, 1, 5 };
/* snmpTrapAddress.0 (RFC 3584): the original agent of a forwarded trap */
static const XnTrapArc trap_address_oid[] = { 1, 3, 6, 1, 6, 3, 18, 1, 3, 0 };
/* ifEntry columns: 1.3.6.1.2.1.2.2.1.C.ifIndex; ifXEntry: 1.3.6.1.2.1.31.1.1.1.C.ifIndex */
static const XnTrapArc if_entry[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1 };
static const XnTrapArc ifx_entry[] = { 1, 3, 6, 1, 2, 1, 31, 1, 1, 1 };

enum { IF_INDEX = 1, IF_DESCR = 2, IF_ADMIN_STATUS = 7, IF_OPER_STATUS = 8, IFX_NAME = 1 };

/* Longest interface name put into a subject: "interface/NODE/" takes the rest of 256 bytes. */
#define SUBJECT_MAX 256

static gboolean
has_prefix (XnTrapOid oid, const XnTrapArc *prefix, guint len)
{
	return oid.len >= len && memcmp (oid.arcs, prefix, len * sizeof (XnTrapArc)) == 0;
}

static gboolean
oid_equal (XnTrapOid oid, const XnTrapArc *arcs, guint len)
{
	return oid.len == len && has_prefix (oid, arcs, len);
}

/* An arc is at most 20 digits, and a dot. */
#define OID_ROOM(oid) ((gsize) (oid).len * 21)

/* The dotted digits at p (OID_ROOM bytes); returns where they end. Without
 * printf: this runs for a dozen OIDs of every trap of a storm. */
static char *
print_oid (char *p, XnTrapOid oid)
{
	for (guint i = 0; i < oid.len; i++) {
		char digits[21];
		guint n = 0;
		guint64 v = oid.arcs[i];

		if (i > 0)
			*p++ = '.';
		do {
			digits[n++] = (char) ('0' + v % 10);
			v /= 10;
		} while (v > 0);
		while (n > 0)
			*p++ = digits[--n];
	}
	return p;
}

char *
xn_trap_oid_to_string (XnTrapOid oid)
{
	char *out = g_malloc (OID_ROOM (oid) + 1);

	*print_oid (out, oid) = '\0';
	return out;
}

/* Bytes needed for `n` arcs, keeping the block's arcs aligned. */
#define ARC_BYTES(n) ((gsize) (n) * sizeof (XnTrapArc))

static gsize
copy_size (const XnTrap *trap)
{
	gsize size = sizeof (XnTrap) + trap->n_varbinds * sizeof (XnTrapVarbind) + ARC_BYTES (trap->trap_oid.len);

	for (guint i = 0; i < trap->n_varbinds; i++)
		size += ARC_BYTES (trap->varbinds[i].name.len) + ARC_BYTES (trap->varbinds[i].objid.len);
	for (guint i = 0; i < trap->n_varbinds; i++)
		size += trap->varbinds[i].octets_len;
	size += strlen (trap->source_address) + 1;
	size += trap->agent_address != NULL ? strlen (trap->agent_address) + 1 : 0;
	size += trap->user != NULL ? strlen (trap->user) + 1 : 0;
	return size;
}

static XnTrapOid
copy_oid (XnTrapOid oid, guint8 **p)
{
	XnTrapOid out = { (const XnTrapArc *) *p, oid.len };

	if (oid.len > 0)
		memcpy (*p, oid.arcs, ARC_BYTES (oid.len));
	*p += ARC_BYTES (oid.len);
	return out;
}

static const char *
copy_string (const char *text, guint8 **p)
{
	gsize n;
	char *out;

	if (text == NULL)
		return NULL;
	n = strlen (text) + 1;
	out = memcpy (*p, text, n);
	*p += n;
	return out;
}

XnTrap *
xn_trap_copy (const XnTrap *trap)
{
	guint8 *block = g_malloc (copy_size (trap)), *p = block;
	XnTrap *copy = (XnTrap *) p;
	XnTrapVarbind *varbinds;

	*copy = *trap;
	p += sizeof (XnTrap);
	varbinds = (XnTrapVarbind *) p;
	p += trap->n_varbinds * sizeof (XnTrapVarbind);
	/* every arc array first, then the bytes: the arcs stay aligned */
	copy->trap_oid = copy_oid (trap->trap_oid, &p);
	for (guint i = 0; i < trap->n_varbinds; i++) {
		varbinds[i] = trap->varbinds[i];
		varbinds[i].name = copy_oid (trap->varbinds[i].name, &p);
		varbinds[i].objid = copy_oid (trap->varbinds[i].objid, &p);
	}
	for (guint i = 0; i < trap->n_varbinds; i++) {
		if (trap->varbinds[i].octets_len > 0)
			varbinds[i].octets = memcpy (p, trap->varbinds[i].octets, trap->varbinds[i].octets_len);
		p += trap->varbinds[i].octets_len;
	}
	copy->varbinds = varbinds;
	copy->source_address = copy_string (trap->source_address, &p);
	copy->agent_address = copy_string (trap->agent_address, &p);
	copy->user = copy_string (trap->user, &p);
	return copy;
}

const char *
xn_trap_kind_to_string (XnTrapKind kind)
{
	switch (kind) {
	case XN_TRAP_LINK_DOWN:      return "trap.link-down";
	case XN_TRAP_LINK_UP:        return "trap.link-up";
	case XN_TRAP_COLD_START:     return "trap.cold-start";
	case XN_TRAP_WARM_START:     return "trap.warm-start";
	case XN_TRAP_AUTH_FAILURE:   return "trap.auth-failure";
	case XN_TRAP_OTHER:          return "trap.other";
	case XN_TRAP_UNKNOWN_SOURCE: return "trap.unknown-source";
	}
	return "trap.other";
}

const char *
xn_trap_version_to_string (XnTrapVersion version)
{
	switch (version) {
	case XN_TRAP_V1:  return "v1";
	case XN_TRAP_V2C: return "v2c";
	case XN_TRAP_V3:  return "v3";
	}
	return "v2c";
}

static XnTrapKind
kind_of (XnTrapOid oid)
{
	if (oid.len != G_N_ELEMENTS (snmp_traps) + 1 || !has_prefix (oid, snmp_traps, G_N_ELEMENTS (snmp_traps)))
		return XN_TRAP_OTHER;
	switch (oid.arcs[G_N_ELEMENTS (snmp_traps)]) {
	case 1: return XN_TRAP_COLD_START;
	case 2: return XN_TRAP_WARM_START;
	case 3: return XN_TRAP_LINK_DOWN;
	case 4: return XN_TRAP_LINK_UP;
	case 5: return XN_TRAP_AUTH_FAILURE;
	default: return XN_TRAP_OTHER;
	}
}

static char *
trap_address_of (const XnTrap *trap)
{
	for (guint i = 0; i < trap->n_varbinds; i++) {
		const XnTrapVarbind *v = &trap->varbinds[i];

		if (oid_equal (v->name, trap_address_oid, G_N_ELEMENTS (trap_address_oid)) &&
		    v->type == XN_TRAP_ASN_IPADDRESS && v->octets_len == 4)
			return g_strdup_printf ("%u.%u.%u.%u", v->octets[0], v->octets[1], v->octets[2], v->octets[3]);
	}
	return NULL;
}

static const XnNode *
find_node (const XnTrapContext *ctx, const XnTrap *trap, const char *trap_address)
{
	const char *candidates[] = { trap_address, trap->agent_address, trap->source_address };

	for (guint i = 0; i < G_N_ELEMENTS (candidates); i++) {
		const XnNode *node = candidates[i] != NULL ? g_hash_table_lookup (ctx->nodes_by_address, candidates[i]) : NULL;

		if (node != NULL)
			return node;
	}
	return NULL;
}

/* An interface name fit for a subject and for attrs: printable UTF-8 text
 * without NUL, not empty, no blanks at either end. */
static char *
usable_name (const guint8 *octets, gsize len)
{
	const char *text = (const char *) octets;

	if (len == 0 || len > SUBJECT_MAX || memchr (octets, '\0', len) != NULL ||
	    !g_utf8_validate (text, (gssize) len, NULL) || text[0] == ' ' || text[len - 1] == ' ')
		return NULL;
	for (const char *p = text; p < text + len; p = g_utf8_next_char (p)) {
		gunichar c = g_utf8_get_char (p);

		if (c != ' ' && (!g_unichar_isprint (c) || g_unichar_isspace (c)))
			return NULL;
	}
	return g_strndup (text, len);
}

typedef struct {
	gboolean has_index;
	gint64   index;
	char    *if_name;
	char    *if_descr;
} IfVarbinds;

/* The interface columns a link trap carries; the instance of any of them
 * gives the ifIndex when there is no ifIndex varbind. */
static void
scan_interface (const XnTrap *trap, XnTrapClass *c, IfVarbinds *found)
{
	for (guint i = 0; i < trap->n_varbinds; i++) {
		const XnTrapVarbind *v = &trap->varbinds[i];
		gboolean in_if = v->name.len == G_N_ELEMENTS (if_entry) + 2 &&
				 has_prefix (v->name, if_entry, G_N_ELEMENTS (if_entry));
		gboolean in_ifx = v->name.len == G_N_ELEMENTS (ifx_entry) + 2 &&
				  has_prefix (v->name, ifx_entry, G_N_ELEMENTS (ifx_entry));
		XnTrapArc column, instance;

		if (!in_if && !in_ifx)
			continue;
		column = v->name.arcs[v->name.len - 2];
		instance = v->name.arcs[v->name.len - 1];
		if (in_if && column == IF_INDEX && v->type == XN_TRAP_ASN_INTEGER) {
			found->has_index = TRUE;
			found->index = v->integer;
			continue;
		}
		if (!found->has_index && instance <= G_MAXINT32 &&
		    ((in_if && (column == IF_DESCR || column == IF_ADMIN_STATUS || column == IF_OPER_STATUS)) ||
		     (in_ifx && column == IFX_NAME))) {
			found->has_index = TRUE;
			found->index = (gint64) instance;
		}
		if (in_if && column == IF_ADMIN_STATUS && v->type == XN_TRAP_ASN_INTEGER)
			c->admin_status = (gint) CLAMP (v->integer, G_MININT32, G_MAXINT32);
		else if (in_if && column == IF_OPER_STATUS && v->type == XN_TRAP_ASN_INTEGER)
			c->oper_status = (gint) CLAMP (v->integer, G_MININT32, G_MAXINT32);
		else if (in_if && column == IF_DESCR && v->type == XN_TRAP_ASN_OCTET_STRING && found->if_descr == NULL)
			found->if_descr = usable_name (v->octets, v->octets_len);
		else if (in_ifx && column == IFX_NAME && v->type == XN_TRAP_ASN_OCTET_STRING && found->if_name == NULL)
			found->if_name = usable_name (v->octets, v->octets_len);
	}
}

static const XnLink *
link_of (const XnNode *node, const char *if_name)
{
	for (guint i = 0; node->links != NULL && i < node->links->len; i++) {
		const XnLink *link = g_ptr_array_index (node->links, i);

		if ((link->a.node == node && g_strcmp0 (link->a.interface, if_name) == 0) ||
		    (link->z.node == node && g_strcmp0 (link->z.interface, if_name) == 0))
			return link;
	}
	return NULL;
}

/* ifName first: it is what the inventory and the poller call interfaces.
 * The poller's pairing comes before ifDescr, which on many devices is a
 * longer description ("GigabitEthernet0/1" for "Gi0/1"). */
static void
name_interface (const XnTrapContext *ctx, const XnTrap *trap, XnTrapClass *c)
{
	IfVarbinds found = { 0 };
	const char *mapped;

	scan_interface (trap, c, &found);
	c->has_if_index = found.has_index;
	c->if_index = found.index;
	mapped = found.has_index && ctx->ifmap != NULL ? xn_if_map_lookup (ctx->ifmap, c->node->name, found.index) : NULL;
	if (found.if_name != NULL)
		c->if_name = g_steal_pointer (&found.if_name);
	else if (mapped != NULL)
		c->if_name = g_strdup (mapped);
	else
		c->if_name = g_steal_pointer (&found.if_descr);
	g_free (found.if_name);
	g_free (found.if_descr);
	if (c->if_name != NULL)
		c->link = link_of (c->node, c->if_name);
}

void
xn_trap_classify (const XnTrapContext *ctx, const XnTrap *trap, XnTrapClass *c)
{
	memset (c, 0, sizeof *c);
	c->trap_oid = trap->trap_oid.len > 0 ? xn_trap_oid_to_string (trap->trap_oid) : NULL;
	c->trap_address = trap_address_of (trap);
	c->node = find_node (ctx, trap, c->trap_address);
	if (c->node == NULL) {
		c->kind = XN_TRAP_UNKNOWN_SOURCE;
		c->source = g_strconcat ("source/", trap->source_address, NULL);
		c->subject = g_strdup (c->source);
		return;
	}
	c->kind = kind_of (trap->trap_oid);
	c->source = g_strconcat ("node/", c->node->name, NULL);
	if (c->kind == XN_TRAP_LINK_DOWN || c->kind == XN_TRAP_LINK_UP)
		name_interface (ctx, trap, c);
	if (c->if_name != NULL && strlen ("interface/") + strlen (c->node->name) + 1 + strlen (c->if_name) <= SUBJECT_MAX)
		c->subject = g_strconcat ("interface/", c->node->name, "/", c->if_name, NULL);
	else
		c->subject = g_strdup (c->source);
}

void
xn_trap_class_clear (XnTrapClass *c)
{
	g_clear_pointer (&c->source, g_free);
	g_clear_pointer (&c->subject, g_free);
	g_clear_pointer (&c->trap_oid, g_free);
	g_clear_pointer (&c->trap_address, g_free);
	g_clear_pointer (&c->if_name, g_free);
}

gboolean
xn_trap_class_is_link (const XnTrapClass *c)
{
	return c->node != NULL && (c->kind == XN_TRAP_LINK_DOWN || c->kind == XN_TRAP_LINK_UP);
}

/* ---- the fact ---- */

static char *
hex_of (const guint8 *octets, gsize len)
{
	static const char digits[] = "0123456789abcdef";
	char *out = g_malloc (2 * len + 1);

	for (gsize i = 0; i < len; i++) {
		out[2 * i] = digits[octets[i] >> 4];
		out[2 * i + 1] = digits[octets[i] & 0xf];
	}
	out[2 * len] = '\0';
	return out;
}

/* Text without NUL is stored as text; anything else as hex. */
static gboolean
octets_are_text (const guint8 *octets, gsize len)
{
	return len == 0 || (memchr (octets, '\0', len) == NULL && g_utf8_validate ((const char *) octets, (gssize) len, NULL));
}

static void
set_octets (JsonObject *o, const guint8 *octets, gsize len, gboolean as_text)
{
	g_autofree char *text = NULL;

	if (as_text && octets_are_text (octets, len)) {
		text = len > 0 ? g_strndup ((const char *) octets, len) : g_strdup ("");
		json_object_set_string_member (o, "value", text);
		return;
	}
	text = hex_of (octets, len);
	json_object_set_string_member (o, "value", text);
	json_object_set_string_member (o, "encoding", "hex");
}

static void
set_unsigned (JsonObject *o, guint64 value)
{
	/* JSON integers here are 64-bit signed: a Counter64 above that is text */
	if (value <= G_MAXINT64) {
		json_object_set_int_member (o, "value", (gint64) value);
	} else {
		g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

		json_object_set_string_member (o, "value", text);
	}
}

/* The names the varbinds attribute uses; NULL for a tag SNMP does not define. */
static const char *
type_name (guint8 type)
{
	switch (type) {
	case XN_TRAP_ASN_INTEGER:          return "INTEGER";
	case XN_TRAP_ASN_OCTET_STRING:     return "OCTET STRING";
	case XN_TRAP_ASN_OBJECT_ID:        return "OBJECT IDENTIFIER";
	case XN_TRAP_ASN_IPADDRESS:        return "IpAddress";
	case XN_TRAP_ASN_COUNTER32:        return "Counter32";
	case XN_TRAP_ASN_GAUGE32:          return "Gauge32";
	case XN_TRAP_ASN_TIMETICKS:        return "TimeTicks";
	case XN_TRAP_ASN_COUNTER64:        return "Counter64";
	case XN_TRAP_ASN_OPAQUE:           return "Opaque";
	case XN_TRAP_ASN_NULL:             return "NULL";
	case XN_TRAP_ASN_NO_SUCH_OBJECT:   return "noSuchObject";
	case XN_TRAP_ASN_NO_SUCH_INSTANCE: return "noSuchInstance";
	case XN_TRAP_ASN_END_OF_MIB_VIEW:  return "endOfMibView";
	default:                           return NULL;
	}
}

static JsonObject *
varbind_to_json (const XnTrapVarbind *v)
{
	JsonObject *o = json_object_new ();
	g_autofree char *name = xn_trap_oid_to_string (v->name);
	const char *type = type_name (v->type);
	g_autofree char *other = type == NULL ? g_strdup_printf ("tag-0x%02x", v->type) : NULL;

	json_object_set_string_member (o, "oid", name);
	json_object_set_string_member (o, "type", type != NULL ? type : other);
	switch (v->type) {
	case XN_TRAP_ASN_INTEGER:
		json_object_set_int_member (o, "value", v->integer);
		break;
	case XN_TRAP_ASN_OCTET_STRING:
		set_octets (o, v->octets, v->octets_len, TRUE);
		break;
	case XN_TRAP_ASN_OBJECT_ID: {
		g_autofree char *value = xn_trap_oid_to_string (v->objid);

		json_object_set_string_member (o, "value", value);
		break;
	}
	case XN_TRAP_ASN_IPADDRESS:
		if (v->octets_len == 4) {
			g_autofree char *value = g_strdup_printf ("%u.%u.%u.%u", v->octets[0], v->octets[1],
								  v->octets[2], v->octets[3]);

			json_object_set_string_member (o, "value", value);
		} else {
			set_octets (o, v->octets, v->octets_len, FALSE);
		}
		break;
	case XN_TRAP_ASN_COUNTER32:
	case XN_TRAP_ASN_GAUGE32:
	case XN_TRAP_ASN_TIMETICKS:
	case XN_TRAP_ASN_COUNTER64:
		set_unsigned (o, v->unsigned64);
		break;
	case XN_TRAP_ASN_OPAQUE:
		set_octets (o, v->octets, v->octets_len, FALSE);
		break;
	default:
		/* NULL and the exceptions have no value; an unknown tag keeps its bytes */
		if (type == NULL && v->octets != NULL)
			set_octets (o, v->octets, v->octets_len, FALSE);
		else
			json_object_set_null_member (o, "value");
		break;
	}
	return o;
}

JsonArray *
xn_trap_varbinds_to_json (const XnTrapVarbind *varbinds, guint n)
{
	JsonArray *array = json_array_sized_new (n);

	for (guint i = 0; i < n; i++)
		json_array_add_object_element (array, varbind_to_json (&varbinds[i]));
	return array;
}

static const char *
admin_status_name (gint value)
{
	static const char *const names[] = { NULL, "up", "down", "testing" };

	return value > 0 && value < (gint) G_N_ELEMENTS (names) ? names[value] : NULL;
}

static const char *
oper_status_name (gint value)
{
	static const char *const names[] = { NULL, "up", "down", "testing", "unknown", "dormant", "notPresent",
					     "lowerLayerDown" };

	return value > 0 && value < (gint) G_N_ELEMENTS (names) ? names[value] : NULL;
}

static void
set_string_or_null (JsonObject *attrs, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_string_member (attrs, key, value);
	else
		json_object_set_null_member (attrs, key);
}

static const char *
trap_name (const XnTrapContext *ctx, const XnTrapClass *c)
{
	return c->trap_oid != NULL && ctx->mibs != NULL ? xn_mib_names_lookup (ctx->mibs, c->trap_oid) : NULL;
}

static gboolean
user_is_text (const XnTrap *trap)
{
	return trap->user != NULL && g_utf8_validate (trap->user, -1, NULL);
}

static void
link_attrs (JsonObject *attrs, const XnTrapClass *c)
{
	if (c->has_if_index)
		json_object_set_int_member (attrs, "if_index", c->if_index);
	else
		json_object_set_null_member (attrs, "if_index");
	set_string_or_null (attrs, "if_name", c->if_name);
	set_string_or_null (attrs, "admin_status", admin_status_name (c->admin_status));
	set_string_or_null (attrs, "oper_status", oper_status_name (c->oper_status));
	if (c->link != NULL)
		json_object_set_string_member (attrs, "link", c->link->id);
}

/* ---- the same attrs printed directly ----
 * Member by member in the tree's order, with json-strict.c's escaping: the
 * bytes xn_fact_attrs_to_json() prints for that tree (test-trap-fact.c
 * holds the two together). Keys are literals that need no escaping. */

typedef struct {
	GString  *out;
	gboolean  more;          /* a member is written: the next one needs a comma */
} Members;

/* KEY (m, "name"): the literal's length is known when it is compiled. */
#define KEY(m, name) key ((m), "\"" name "\":", sizeof "\"" name "\":" - 1)

static void
key (Members *m, const char *quoted, gsize len)
{
	if (m->more)
		g_string_append_c (m->out, ',');
	m->more = TRUE;
	xn_string_put (m->out, quoted, len);
}

static void
append_string_or_null (GString *out, const char *value)
{
	if (value != NULL)
		xn_json_append_string (out, value);
	else
		xn_string_put (out, "null", 4);
}

/* PUT (m, "name", value): a string member, null for NULL. */
#define PUT(m, name, value) (KEY (m, name), append_string_or_null ((m)->out, (value)))

/* Dotted digits in quotes, which need no escaping, printed in place. */
static void
append_oid (GString *out, XnTrapOid oid)
{
	gsize at = out->len;
	char *end;

	g_string_set_size (out, at + OID_ROOM (oid) + 2);
	out->str[at] = '"';
	end = print_oid (out->str + at + 1, oid);
	*end++ = '"';
	g_string_truncate (out, (gsize) (end - out->str));
}

static void
put_octets (Members *m, const guint8 *octets, gsize len, gboolean as_text)
{
	g_autofree char *hex = NULL;

	KEY (m, "value");
	if (as_text && octets_are_text (octets, len)) {
		xn_json_append_string_len (m->out, (const char *) octets, len);
		return;
	}
	hex = hex_of (octets, len);
	xn_json_append_string (m->out, hex);
	KEY (m, "encoding");
	xn_string_put (m->out, "\"hex\"", 5);
}

/* A dotted quad without printf. */
static void
put_ip (Members *m, const guint8 *octets)
{
	KEY (m, "value");
	g_string_append_c (m->out, '"');
	for (guint i = 0; i < 4; i++) {
		if (i > 0)
			g_string_append_c (m->out, '.');
		xn_json_append_int (m->out, octets[i]);
	}
	g_string_append_c (m->out, '"');
}

static void
put_unsigned (Members *m, guint64 value)
{
	KEY (m, "value");
	if (value <= G_MAXINT64) {
		xn_json_append_int (m->out, (gint64) value);
	} else {
		/* past a JSON integer: text, as rare as a Counter64 past 2^63 */
		g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

		xn_json_append_string (m->out, text);
	}
}

static void
write_varbind (GString *out, const XnTrapVarbind *v)
{
	static const char hex[] = "0123456789abcdef";
	Members m = { out, FALSE };
	const char *type = type_name (v->type);

	g_string_append_c (out, '{');
	KEY (&m, "oid");
	append_oid (out, v->name);
	KEY (&m, "type");
	if (type != NULL) {
		xn_json_append_string (out, type);
	} else {
		char other[] = { '"', 't', 'a', 'g', '-', '0', 'x', hex[v->type >> 4], hex[v->type & 0xf], '"' };

		xn_string_put (out, other, sizeof other);
	}
	switch (v->type) {
	case XN_TRAP_ASN_INTEGER:
		KEY (&m, "value");
		xn_json_append_int (out, v->integer);
		break;
	case XN_TRAP_ASN_OCTET_STRING:
		put_octets (&m, v->octets, v->octets_len, TRUE);
		break;
	case XN_TRAP_ASN_OBJECT_ID:
		KEY (&m, "value");
		append_oid (out, v->objid);
		break;
	case XN_TRAP_ASN_IPADDRESS:
		if (v->octets_len == 4)
			put_ip (&m, v->octets);
		else
			put_octets (&m, v->octets, v->octets_len, FALSE);
		break;
	case XN_TRAP_ASN_COUNTER32:
	case XN_TRAP_ASN_GAUGE32:
	case XN_TRAP_ASN_TIMETICKS:
	case XN_TRAP_ASN_COUNTER64:
		put_unsigned (&m, v->unsigned64);
		break;
	case XN_TRAP_ASN_OPAQUE:
		put_octets (&m, v->octets, v->octets_len, FALSE);
		break;
	default:
		if (type == NULL && v->octets != NULL) {
			put_octets (&m, v->octets, v->octets_len, FALSE);
		} else {
			KEY (&m, "value");
			xn_string_put (out, "null", 4);
		}
		break;
	}
	g_string_append_c (out, '}');
}

void
xn_trap_attrs_write (const XnTrapContext *ctx, const XnTrap *trap, const XnTrapClass *c, gboolean omit_varbinds,
		     GString *out)
{
	Members m = { out, FALSE };
	const char *name = trap_name (ctx, c);

	g_string_append_c (out, '{');
	if (c->node != NULL)
		PUT (&m, "node", c->node->name);
	if (xn_trap_class_is_link (c)) {
		KEY (&m, "if_index");
		if (c->has_if_index)
			xn_json_append_int (out, c->if_index);
		else
			xn_string_put (out, "null", 4);
		PUT (&m, "if_name", c->if_name);
		PUT (&m, "admin_status", admin_status_name (c->admin_status));
		PUT (&m, "oper_status", oper_status_name (c->oper_status));
		if (c->link != NULL)
			PUT (&m, "link", c->link->id);
	}
	PUT (&m, "version", xn_trap_version_to_string (trap->version));
	PUT (&m, "source_address", trap->source_address);
	if (trap->agent_address != NULL)
		PUT (&m, "agent_address", trap->agent_address);
	if (c->trap_address != NULL)
		PUT (&m, "trap_address", c->trap_address);
	if (user_is_text (trap))
		PUT (&m, "user", trap->user);
	PUT (&m, "trap_oid", c->trap_oid);
	if (name != NULL)
		PUT (&m, "trap_name", name);
	KEY (&m, "inform");
	xn_string_put (out, trap->inform ? "true" : "false", trap->inform ? 4 : 5);
	if (trap->has_uptime) {
		KEY (&m, "uptime");
		xn_json_append_int (out, trap->uptime);
	}
	if (omit_varbinds) {
		KEY (&m, "varbinds_omitted");
		xn_json_append_int (out, trap->n_varbinds);
		g_string_append_c (out, '}');
		return;
	}
	KEY (&m, "varbinds");
	g_string_append_c (out, '[');
	for (guint i = 0; i < trap->n_varbinds; i++) {
		if (i > 0)
			g_string_append_c (out, ',');
		write_varbind (out, &trap->varbinds[i]);
	}
	xn_string_put (out, "]}", 2);
}

JsonObject *
xn_trap_attrs_to_json (const XnTrapContext *ctx, const XnTrap *trap, const XnTrapClass *c, gboolean omit_varbinds)
{
	JsonObject *attrs = json_object_new ();
	const char *name = trap_name (ctx, c);

	if (c->node != NULL)
		json_object_set_string_member (attrs, "node", c->node->name);
	if (xn_trap_class_is_link (c))
		link_attrs (attrs, c);
	json_object_set_string_member (attrs, "version", xn_trap_version_to_string (trap->version));
	json_object_set_string_member (attrs, "source_address", trap->source_address);
	if (trap->agent_address != NULL)
		json_object_set_string_member (attrs, "agent_address", trap->agent_address);
	if (c->trap_address != NULL)
		json_object_set_string_member (attrs, "trap_address", c->trap_address);
	/* USM only accepts users of the secrets, which are text; the check
	 * keeps a fact valid whatever the adapter hands over */
	if (user_is_text (trap))
		json_object_set_string_member (attrs, "user", trap->user);
	set_string_or_null (attrs, "trap_oid", c->trap_oid);
	if (name != NULL)
		json_object_set_string_member (attrs, "trap_name", name);
	json_object_set_boolean_member (attrs, "inform", trap->inform);
	if (trap->has_uptime)
		json_object_set_int_member (attrs, "uptime", trap->uptime);
	if (omit_varbinds)
		json_object_set_int_member (attrs, "varbinds_omitted", trap->n_varbinds);
	else
		json_object_set_array_member (attrs, "varbinds", xn_trap_varbinds_to_json (trap->varbinds, trap->n_varbinds));
	return attrs;
}

XnFact *
xn_trap_to_fact (const XnTrapContext *ctx, const XnTrap *trap, const XnTrapClass *c, XnInstant now,
		 gboolean omit_varbinds)
{
	/* No tree: the journal stores the text, and the readers of link traps
	 * ask xn_fact_attr_is()/xn_fact_attr_int() (half of what a trap cost
	 * was building a tree nobody read). */
	g_autoptr(GString) printed = g_string_sized_new (1024);

	xn_trap_attrs_write (ctx, trap, c, omit_varbinds, printed);
	return xn_fact_new_printed (now, xn_trap_kind_to_string (c->kind), c->subject, "collector", now, NULL,
				    printed->str, printed->len);
}
