/* ifmap.c — ifIndex ↔ ifName per node, learnt from the poller's interface
 * facts (see ifmap.h).
 *
 * Per node two tables kept in step: index → name for lookups and name →
 * index so a renumbered interface (after a reboot, a new line card) does
 * not leave its old index pointing at it. It does not read the journal:
 * the collector feeds it what it reads (follow.c). */
#include "ifmap.h"

#include <string.h>

typedef struct {
	GHashTable *by_index;   /* gint64* → name (owned by by_name's key) */
	GHashTable *by_name;    /* name (owned) → gint64* (owned) */
} NodeMap;

struct _XnIfMap {
	GHashTable *nodes;      /* node name → NodeMap */
	guint       size;
};

static void
node_map_free (gpointer data)
{
	NodeMap *m = data;

	g_hash_table_unref (m->by_index);
	g_hash_table_unref (m->by_name);
	g_free (m);
}

XnIfMap *
xn_if_map_new (void)
{
	XnIfMap *map = g_new0 (XnIfMap, 1);

	map->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, node_map_free);
	return map;
}

void
xn_if_map_free (XnIfMap *map)
{
	if (map == NULL)
		return;
	g_hash_table_unref (map->nodes);
	g_free (map);
}

static void
forget_name (XnIfMap *map, NodeMap *m, const char *if_name)
{
	gint64 *index = g_hash_table_lookup (m->by_name, if_name);

	if (index == NULL)
		return;
	g_hash_table_remove (m->by_index, index);
	g_hash_table_remove (m->by_name, if_name);
	map->size--;
}

void
xn_if_map_set (XnIfMap *map, const char *node, gint64 if_index, const char *if_name)
{
	NodeMap *m = g_hash_table_lookup (map->nodes, node);
	const char *holder;
	gint64 *index;
	char *name;

	if (m == NULL) {
		m = g_new0 (NodeMap, 1);
		m->by_index = g_hash_table_new (g_int64_hash, g_int64_equal);
		m->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
		g_hash_table_insert (map->nodes, g_strdup (node), m);
	}
	holder = g_hash_table_lookup (m->by_index, &if_index);
	if (holder != NULL && strcmp (holder, if_name) == 0)
		return;
	if (holder != NULL) {
		g_autofree char *other = g_strdup (holder);

		forget_name (map, m, other);
	}
	forget_name (map, m, if_name);
	name = g_strdup (if_name);
	index = g_new (gint64, 1);
	*index = if_index;
	g_hash_table_insert (m->by_name, name, index);
	g_hash_table_insert (m->by_index, index, name);
	map->size++;
}

/* The member when it is a JSON value of `type`; NULL otherwise (facts
 * from elsewhere may have anything there). */
static JsonNode *
member_of_type (JsonObject *attrs, const char *name, GType type)
{
	JsonNode *node = json_object_get_member (attrs, name);

	if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
		return NULL;
	return node;
}

gboolean
xn_if_map_observe (XnIfMap *map, const XnFact *fact)
{
	JsonNode *index, *node_member, *name_member;
	JsonObject *attrs;
	const char *node, *if_name;

	if (!g_str_has_prefix (fact->kind, "interface.") || strcmp (fact->source, "poller") != 0)
		return FALSE;
	attrs = xn_fact_get_attrs (fact);
	node_member = member_of_type (attrs, "node", G_TYPE_STRING);
	name_member = member_of_type (attrs, "if_name", G_TYPE_STRING);
	index = member_of_type (attrs, "if_index", G_TYPE_INT64);
	if (node_member == NULL || name_member == NULL || index == NULL)
		return FALSE;
	node = json_node_get_string (node_member);
	if_name = json_node_get_string (name_member);
	if (g_strcmp0 (xn_if_map_lookup (map, node, json_node_get_int (index)), if_name) == 0)
		return FALSE;
	xn_if_map_set (map, node, json_node_get_int (index), if_name);
	return TRUE;
}

const char *
xn_if_map_lookup (const XnIfMap *map, const char *node, gint64 if_index)
{
	const NodeMap *m = g_hash_table_lookup (map->nodes, node);

	return m != NULL ? g_hash_table_lookup (m->by_index, &if_index) : NULL;
}

guint
xn_if_map_size (const XnIfMap *map)
{
	return map->size;
}
