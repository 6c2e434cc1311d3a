/* json-out.c — a small tree of JSON values printed with sorted keys (see
 * json-out.h).
 *
 * json-glib prints members in insertion order and doubles through "%.17g"
 * (99.4252 comes out as 99.425200000000004), neither of which a known-good
 * file should depend on; so the CLI builds its documents here. Scalars are
 * kept as their printed text from the start (strings escaped as the
 * journal's canonical form escapes them, storage/json-strict.h), which
 * leaves the printer nothing to decide but order and indentation. It does
 * not parse JSON. */
#include "json-out.h"
#include "json-strict.h"

#include <string.h>

typedef enum {
	OUT_SCALAR,
	OUT_OBJECT,
	OUT_ARRAY,
} OutType;

struct _XnJsonOut {
	OutType    type;
	char      *text;        /* OUT_SCALAR: the printed value */
	GPtrArray *keys;        /* OUT_OBJECT: char* */
	GPtrArray *values;      /* OUT_OBJECT, OUT_ARRAY: XnJsonOut* */
};

static XnJsonOut *
scalar (char *text)
{
	XnJsonOut *value = g_new0 (XnJsonOut, 1);

	value->type = OUT_SCALAR;
	value->text = text;
	return value;
}

static XnJsonOut *
container (OutType type)
{
	XnJsonOut *value = g_new0 (XnJsonOut, 1);

	value->type = type;
	value->values = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_json_out_free);
	if (type == OUT_OBJECT)
		value->keys = g_ptr_array_new_with_free_func (g_free);
	return value;
}

XnJsonOut *
xn_json_out_object (void)
{
	return container (OUT_OBJECT);
}

XnJsonOut *
xn_json_out_array (void)
{
	return container (OUT_ARRAY);
}

XnJsonOut *
xn_json_out_string (const char *text)
{
	GString *out;

	if (text == NULL)
		return xn_json_out_null ();
	out = g_string_new (NULL);
	xn_json_append_string (out, text);
	return scalar (g_string_free (out, FALSE));
}

XnJsonOut *
xn_json_out_int (gint64 value)
{
	return scalar (g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

XnJsonOut *
xn_json_out_bool (gboolean value)
{
	return scalar (g_strdup (value ? "true" : "false"));
}

XnJsonOut *
xn_json_out_null (void)
{
	return scalar (g_strdup ("null"));
}

XnJsonOut *
xn_json_out_number (const char *text)
{
	return scalar (g_strdup (text));
}

XnJsonOut *
xn_json_out_instant (XnInstant t)
{
	g_autofree char *text = NULL;

	if (t == G_MAXINT64)
		return xn_json_out_null ();
	text = xn_time_format_utc (t);
	return xn_json_out_string (text);
}

XnJsonOut *
xn_json_out_strv (const char *const *strv)
{
	XnJsonOut *array = xn_json_out_array ();

	for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
		xn_json_out_add (array, xn_json_out_string (strv[i]));
	return array;
}

XnJsonOut *
xn_json_out_from_node (JsonNode *node)
{
	XnJsonOut *out;

	switch (JSON_NODE_TYPE (node)) {
	case JSON_NODE_OBJECT: {
		JsonObjectIter iter;
		const char *key;
		JsonNode *member;

		out = xn_json_out_object ();
		json_object_iter_init (&iter, json_node_get_object (node));
		while (json_object_iter_next (&iter, &key, &member))
			xn_json_out_set (out, key, xn_json_out_from_node (member));
		return out;
	}
	case JSON_NODE_ARRAY: {
		JsonArray *array = json_node_get_array (node);

		out = xn_json_out_array ();
		for (guint i = 0; i < json_array_get_length (array); i++)
			xn_json_out_add (out, xn_json_out_from_node (json_array_get_element (array, i)));
		return out;
	}
	case JSON_NODE_NULL:
		return xn_json_out_null ();
	case JSON_NODE_VALUE:
		break;
	}
	switch (json_node_get_value_type (node)) {
	case G_TYPE_STRING:
		return xn_json_out_string (json_node_get_string (node));
	case G_TYPE_BOOLEAN:
		return xn_json_out_bool (json_node_get_boolean (node));
	case G_TYPE_INT64:
		return xn_json_out_int (json_node_get_int (node));
	default:
		/* The CLI's trees hold no doubles: a programming error. */
		g_return_val_if_reached (xn_json_out_null ());
	}
}

void
xn_json_out_set (XnJsonOut *object, const char *key, XnJsonOut *value)
{
	g_return_if_fail (object->type == OUT_OBJECT);
	for (guint i = 0; i < object->keys->len; i++) {
		if (strcmp (g_ptr_array_index (object->keys, i), key) == 0) {
			xn_json_out_free (object->values->pdata[i]);
			object->values->pdata[i] = value;
			return;
		}
	}
	g_ptr_array_add (object->keys, g_strdup (key));
	g_ptr_array_add (object->values, value);
}

void
xn_json_out_add (XnJsonOut *array, XnJsonOut *value)
{
	g_return_if_fail (array->type == OUT_ARRAY);
	g_ptr_array_add (array->values, value);
}

static int
compare_keys (gconstpointer a, gconstpointer b, gpointer user_data)
{
	GPtrArray *keys = user_data;

	return strcmp (g_ptr_array_index (keys, *(const guint *) a), g_ptr_array_index (keys, *(const guint *) b));
}

static void
indent (GString *out, guint depth)
{
	g_string_append_c (out, '\n');
	for (guint i = 0; i < depth; i++)
		g_string_append (out, "  ");
}

static gboolean
all_scalars (const XnJsonOut *array)
{
	for (guint i = 0; i < array->values->len; i++) {
		if (((const XnJsonOut *) g_ptr_array_index (array->values, i))->type != OUT_SCALAR)
			return FALSE;
	}
	return TRUE;
}

static void
print_value (GString *out, const XnJsonOut *value, guint depth)
{
	g_autofree guint *order = NULL;
	guint n;

	if (value->type == OUT_SCALAR) {
		g_string_append (out, value->text);
		return;
	}
	n = value->values->len;
	if (n == 0) {
		g_string_append (out, value->type == OUT_OBJECT ? "{}" : "[]");
		return;
	}
	/* a list of scalars on one line: evidence and units stay readable */
	if (value->type == OUT_ARRAY && all_scalars (value)) {
		g_string_append_c (out, '[');
		for (guint i = 0; i < n; i++) {
			if (i > 0)
				g_string_append (out, ", ");
			g_string_append (out, ((const XnJsonOut *) g_ptr_array_index (value->values, i))->text);
		}
		g_string_append_c (out, ']');
		return;
	}
	order = g_new (guint, n);
	for (guint i = 0; i < n; i++)
		order[i] = i;
	if (value->type == OUT_OBJECT)
		g_qsort_with_data (order, (gint) n, sizeof (guint), compare_keys, value->keys);
	g_string_append_c (out, value->type == OUT_OBJECT ? '{' : '[');
	for (guint i = 0; i < n; i++) {
		indent (out, depth + 1);
		if (value->type == OUT_OBJECT) {
			xn_json_append_string (out, g_ptr_array_index (value->keys, order[i]));
			g_string_append (out, ": ");
		}
		print_value (out, g_ptr_array_index (value->values, order[i]), depth + 1);
		if (i + 1 < n)
			g_string_append_c (out, ',');
	}
	indent (out, depth);
	g_string_append_c (out, value->type == OUT_OBJECT ? '}' : ']');
}

char *
xn_json_out_print (const XnJsonOut *value)
{
	GString *out = g_string_new (NULL);

	print_value (out, value, 0);
	g_string_append_c (out, '\n');
	return g_string_free (out, FALSE);
}

void
xn_json_out_free (XnJsonOut *value)
{
	if (value == NULL)
		return;
	g_free (value->text);
	if (value->keys != NULL)
		g_ptr_array_unref (value->keys);
	if (value->values != NULL)
		g_ptr_array_unref (value->values);
	g_free (value);
}
