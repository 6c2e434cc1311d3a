/* config-check.c — parses configuration files without validation, finds
 * every problem in them with its line, then has libyang validate the merge.
 *
 * The order matters. libyang parses each file with LYD_PARSE_OPAQ, which
 * keeps a value or element it cannot accept as an "opaque" node instead of
 * stopping, so one bad address does not hide the next. The generic checks
 * here then walk all files together: opaque nodes (invalid values, unknown
 * elements, list entries with a bad key), duplicate list entries (also
 * across files), missing mandatory leaves and choices, and dangling
 * leafrefs, found from the schema so that a new reference in the YANG is
 * checked without code. The extranet's own rules (region levels, parent
 * loops, link ends, credentials, SLA classes) are in config-rules.c, which
 * reaches the trees only through the small entry interface at the end of
 * this file. Last, libyang validates the merged files; it stops at its first
 * error, which is reported only when no problem found here is about the same
 * object. Lines come from config-lines.c, paired with libyang's nodes by
 * name and position. libyang's messages about the data pass through here
 * only, and those that might quote a secret are redacted here. */
#include "config-check.h"
#include "config-lines.h"
#include "config-rules.h"
#include "secrets.h"

#include <libyang/libyang.h>
#include <stdlib.h>
#include <string.h>

#define SECRETS_TOP "/extranoc-secrets:secrets"

struct _XnConfigCheck {
	struct ly_ctx *ctx;
	GPtrArray     *sources;      /* XnConfigSource, borrowed */
	GPtrArray     *problems;     /* XnConfigProblem, borrowed */
	GHashTable    *lref_targets; /* leafref schema → target schema */
	GHashTable    *target_values;/* target schema → set of values */
};

typedef gboolean (*VisitFunc) (XnConfigCheck *c, const struct lyd_node *node, gpointer data);

static void
add_problem (GPtrArray *problems, const XnConfigSource *src, guint line, const char *path, char *message)
{
	xn_config_problem_add (problems, src->name, src->index, line, path, message);
}

/* ---- sources and locations ---- */

XnConfigSource *
xn_config_source_new (const char *name, guint index, guint mode)
{
	XnConfigSource *src = g_new0 (XnConfigSource, 1);

	src->name = g_strdup (name);
	src->index = index;
	src->mode = mode;
	src->lines = g_hash_table_new (NULL, NULL);
	return src;
}

void
xn_config_source_free (XnConfigSource *src)
{
	if (src == NULL)
		return;
	g_free (src->name);
	lyd_free_all (src->tree);
	g_hash_table_unref (src->lines);
	g_free (src);
}

static char *
node_path (const struct lyd_node *node)
{
	char *p = lyd_path (node, LYD_PATH_STD, NULL, 0);
	char *copy = g_strdup (p != NULL ? p : "/");

	free (p);
	return copy;
}

static const struct lyd_node *
child_named (const struct lyd_node *node, const char *name)
{
	const struct lyd_node *child = lyd_child (node);

	while (child != NULL && strcmp (LYD_NAME (child), name) != 0)
		child = child->next;
	return child;
}

/* Which file a node came from, and its line there or its nearest ancestor's. */
static const XnConfigSource *
locate (XnConfigCheck *c, const struct lyd_node *node, guint *line)
{
	const struct lyd_node *root = node;

	*line = 1;
	while (lyd_parent (root) != NULL)
		root = lyd_parent (root);
	for (guint i = 0; i < c->sources->len; i++) {
		const XnConfigSource *src = g_ptr_array_index (c->sources, i);

		for (const struct lyd_node *top = lyd_first_sibling (src->tree); top != NULL; top = top->next) {
			if (top != root)
				continue;
			for (const struct lyd_node *n = node; n != NULL; n = lyd_parent (n)) {
				gpointer found;

				if (g_hash_table_lookup_extended (src->lines, n, NULL, &found)) {
					*line = GPOINTER_TO_UINT (found);
					break;
				}
			}
			return src;
		}
	}
	return g_ptr_array_index (c->sources, 0);
}

/* A problem about `node`, or about `suffix` below it when that is missing.
 * Our own messages name objects and never quote a secret's value. */
static void
report (XnConfigCheck *c, const struct lyd_node *node, const char *suffix, char *message)
{
	g_autofree char *base = node_path (node);
	g_autofree char *path = suffix != NULL ? g_strconcat (base, "/", suffix, NULL) : g_strdup (base);
	guint line;
	const XnConfigSource *src = locate (c, node, &line);

	add_problem (c->problems, src, line, path, message);
}

/* The same for a message of libyang's, which may quote a value. */
static void
report_libyang (XnConfigCheck *c, const struct lyd_node *node, const char *message)
{
	g_autofree char *path = node_path (node);

	report (c, node, NULL, g_str_has_prefix (path, SECRETS_TOP) ? xn_config_redact (message) : g_strdup (message));
}

static void
visit (XnConfigCheck *c, const struct lyd_node *first, VisitFunc fn, gpointer data)
{
	for (const struct lyd_node *n = first; n != NULL; n = n->next) {
		if (fn (c, n, data))
			visit (c, lyd_child (n), fn, data);
	}
}

static void
visit_all (XnConfigCheck *c, VisitFunc fn, gpointer data)
{
	for (guint i = 0; i < c->sources->len; i++) {
		const XnConfigSource *src = g_ptr_array_index (c->sources, i);

		visit (c, lyd_first_sibling (src->tree), fn, data);
	}
}

/* ---- parsing ---- */

static gboolean
about_secrets (const XnConfigSource *src, const char *path)
{
	if (path != NULL && g_str_has_prefix (path, SECRETS_TOP))
		return TRUE;
	/* Without a path (a syntax error) the message may quote any part of a
	 * file that holds secrets. */
	return src->has_secrets && (path == NULL || (!g_str_has_prefix (path, "/extranoc-inventory:") &&
						     !g_str_has_prefix (path, "/extranoc-policy:")));
}

/* Pairs libyang's nodes with the scanned lines: the k-th child named N of
 * a node is the k-th element named N in the file. */
static void
map_lines (GHashTable *lines, const struct lyd_node *first, const XnLineNode *pos)
{
	g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
							       (GDestroyNotify) g_ptr_array_unref);
	g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);

	for (guint i = 0; i < pos->children->len; i++) {
		XnLineNode *child = g_ptr_array_index (pos->children, i);
		GPtrArray *same = g_hash_table_lookup (by_name, child->name);

		if (same == NULL) {
			same = g_ptr_array_new ();
			g_hash_table_insert (by_name, child->name, same);
		}
		g_ptr_array_add (same, child);
	}
	for (const struct lyd_node *n = first; n != NULL; n = n->next) {
		const char *name = LYD_NAME (n);
		GPtrArray *same = g_hash_table_lookup (by_name, name);
		guint k = GPOINTER_TO_UINT (g_hash_table_lookup (used, name));
		const XnLineNode *match;

		if (same == NULL || k >= same->len)
			continue;
		match = g_ptr_array_index (same, k);
		g_hash_table_insert (used, (gpointer) name, GUINT_TO_POINTER (k + 1));
		g_hash_table_insert (lines, (gpointer) n, GUINT_TO_POINTER (match->line));
		map_lines (lines, lyd_child (n), match);
	}
}

gboolean
xn_config_check_parse (struct ly_ctx *ctx, XnConfigSource *src, const char *text, gsize length,
		       gboolean xml, GPtrArray *problems)
{
	g_autoptr(XnLineNode) lines = NULL;
	g_autoptr(GError) mode_error = NULL;
	guint secrets_line = 1;
	LY_ERR r;

	r = lyd_parse_data_mem (ctx, text, xml ? LYD_XML : LYD_JSON,
				LYD_PARSE_ONLY | LYD_PARSE_OPAQ | LYD_PARSE_NO_STATE, 0, &src->tree);
	if (r != LY_SUCCESS) {
		/* The first error is the cause. The XML parser logs a tag
		 * mismatch twice, once with its line and once with the line
		 * where it gave up: the same message is taken once, at its
		 * first line, with a data path if either has one. */
		const char *first = NULL;
		g_autofree char *path = NULL;
		guint line = 0;

		for (struct ly_err_item *e = ly_err_first (ctx); e != NULL; e = e->next) {
			g_autofree char *epath = NULL;
			gboolean schema;
			guint eline;

			if (e->level != LY_LLERR || e->msg == NULL || (first != NULL && strcmp (e->msg, first) != 0))
				continue;
			first = e->msg;
			xn_config_parse_location (e->path, &epath, &schema, &eline);
			if (eline > 0 && (line == 0 || eline < line))
				line = eline;
			if (path == NULL)
				path = g_steal_pointer (&epath);
		}
		if (first != NULL)
			add_problem (problems, src, line, path,
				     about_secrets (src, path) ? xn_config_redact (first) : g_strdup (first));
		ly_err_clean (ctx, NULL);
		lyd_free_all (src->tree);
		src->tree = NULL;
	} else {
		/* A scanner failure costs line numbers only: libyang accepted the file. */
		lines = xml ? xn_lines_scan_xml (text, length, NULL) : xn_lines_scan_json (text, length, NULL);
		if (lines != NULL)
			map_lines (src->lines, lyd_first_sibling (src->tree), lines);
	}
	for (const struct lyd_node *top = lyd_first_sibling (src->tree); top != NULL; top = top->next) {
		if (top->schema != NULL && strcmp (top->schema->module->name, "extranoc-secrets") == 0) {
			src->has_secrets = TRUE;
			secrets_line = GPOINTER_TO_UINT (g_hash_table_lookup (src->lines, top));
		}
	}
	if (src->has_secrets && !xn_secrets_check_mode (src->name, src->mode, &mode_error))
		add_problem (problems, src, secrets_line, SECRETS_TOP, g_strdup (mode_error->message));
	src->parsed = r == LY_SUCCESS;
	return src->parsed;
}

/* ---- generic checks ---- */

/* libyang's complaint about `value` for `schema`. Unions say only "no
 * matching subtype", so for them the leaf is named instead. */
static char *
value_error (XnConfigCheck *c, const struct lysc_node *schema, const char *value)
{
	const struct lysc_type *type = schema->nodetype == LYS_LEAF
		? ((const struct lysc_node_leaf *) schema)->type
		: ((const struct lysc_node_leaflist *) schema)->type;
	struct ly_err_item *e;
	char *message;

	if (value == NULL)
		return g_strdup_printf ("'%s' has no value", schema->name);
	if (lyd_value_validate (c->ctx, schema, value, strlen (value), NULL, NULL, NULL) != LY_EVALID) {
		ly_err_clean (c->ctx, NULL);
		return g_strdup_printf ("invalid '%s' (wrong type for this encoding)", schema->name);
	}
	e = ly_err_last (c->ctx);
	if (type->basetype == LY_TYPE_UNION && strcmp (schema->module->name, "extranoc-secrets") != 0)
		message = g_strdup_printf ("'%s' is not a valid %s", value, schema->name);
	else
		message = g_strdup (e != NULL && e->msg != NULL ? e->msg : "invalid value");
	ly_err_clean (c->ctx, NULL);
	return message;
}

/* Says why libyang kept `node` opaque, and reports it. */
static void
report_opaque (XnConfigCheck *c, const struct lyd_node *node)
{
	const struct lyd_node_opaq *opaq = (const struct lyd_node_opaq *) node;
	const struct lyd_node *parent = lyd_parent (node);
	const struct lysc_node *pschema = parent != NULL ? parent->schema : NULL;
	const struct lys_module *mod = pschema != NULL ? pschema->module : lyd_owner_module (node);
	const struct lysc_node *schema = mod != NULL ? lys_find_child (pschema, mod, opaq->name.name, 0, 0, 0) : NULL;
	const struct lysc_node *key;

	if (schema == NULL && parent == NULL) {
		/* JSON names the module, XML its namespace; either says what is missing. */
		gboolean json = opaq->format == LY_VALUE_JSON;
		const char *module = json ? opaq->name.module_name : opaq->name.module_ns;
		g_autofree char *path = json ? g_strdup_printf ("/%s:%s", module, opaq->name.name)
					     : g_strdup_printf ("/%s", opaq->name.name);
		guint line;
		const XnConfigSource *src = locate (c, node, &line);

		add_problem (c->problems, src, line, path,
			     g_strdup_printf ("unknown top-level element: no YANG module %s%s is loaded",
					      json ? "" : "with namespace ", module != NULL ? module : "(none)"));
	} else if (schema == NULL) {
		report (c, node, NULL, g_strdup_printf ("unknown element '%s' (not in the YANG model)",
							opaq->name.name));
	} else if (schema->nodetype & LYD_NODE_TERM) {
		g_autofree char *message = value_error (c, schema, opaq->value);

		report_libyang (c, node, message);
	} else if (schema->nodetype == LYS_LIST) {
		for (key = lysc_node_child (schema); lysc_is_key (key); key = key->next) {
			const struct lyd_node *k = child_named (node, key->name);

			if (k == NULL) {
				report (c, node, NULL, g_strdup_printf ("%s entry without its key '%s'",
									schema->name, key->name));
				return;
			}
			if (k->schema == NULL) {
				g_autofree char *message = value_error (c, key, ((const struct lyd_node_opaq *) k)->value);

				report_libyang (c, k, message);
				return;
			}
		}
		report (c, node, NULL, g_strdup_printf ("invalid %s entry", schema->name));
	} else {
		report (c, node, NULL, g_strdup_printf ("'%s' does not have the form the YANG model gives it",
							schema->name));
	}
}

static gboolean
visit_opaque (XnConfigCheck *c, const struct lyd_node *node, gpointer unused)
{
	if (node->schema != NULL)
		return TRUE;
	/* Below an opaque node everything is opaque too: one report. */
	report_opaque (c, node);
	return FALSE;
}

static gboolean
visit_duplicates (XnConfigCheck *c, const struct lyd_node *node, gpointer data)
{
	GHashTable *seen = data;
	g_autofree char *path = NULL;
	const struct lyd_node *first;
	const XnConfigSource *src;
	guint line;

	if (node->schema == NULL)
		return FALSE;
	if (!(node->schema->nodetype & (LYS_LIST | LYS_LEAFLIST)))
		return TRUE;
	path = node_path (node);
	first = g_hash_table_lookup (seen, path);
	if (first == NULL) {
		g_hash_table_insert (seen, g_steal_pointer (&path), (gpointer) node);
		return TRUE;
	}
	src = locate (c, first, &line);
	/* A list entry's first child is its key. */
	report (c, node, NULL, g_strdup_printf ("%s '%s' is defined twice (first at %s:%u)",
						node->schema->name,
						lyd_get_value (node->schema->nodetype == LYS_LIST ? lyd_child (node) : node),
						src->name, line));
	return TRUE;
}

static guint
count_children (const struct lyd_node *data, const char *name)
{
	guint n = 0;

	for (const struct lyd_node *child = lyd_child (data); child != NULL; child = child->next)
		n += strcmp (LYD_NAME (child), name) == 0;
	return n;
}

static void check_required (XnConfigCheck *c, const struct lyd_node *data, const struct lysc_node *schema,
			    const char *prefix, gboolean virtual);

static const struct lysc_node *
case_of (const struct lysc_node *schema, const struct lysc_node *choice)
{
	for (const struct lysc_node *s = schema; s != NULL && s->parent != NULL; s = s->parent) {
		if (s->parent == choice)
			return s;
	}
	return NULL;
}

/* `prefix` is "" or "container/" (with the slash); the path shown is the
 * container the choice sits in. */
static void
check_choice (XnConfigCheck *c, const struct lyd_node *data, const struct lysc_node_choice *choice,
	      const char *prefix, gboolean virtual)
{
	g_autofree char *where = *prefix != '\0' ? g_strndup (prefix, strlen (prefix) - 1) : NULL;
	const struct lysc_node *chosen = NULL, *other = NULL;
	const struct lysc_node *cs;

	for (const struct lyd_node *child = virtual ? NULL : lyd_child (data); child != NULL; child = child->next) {
		cs = child->schema != NULL ? case_of (child->schema, &choice->node) : NULL;
		if (cs == NULL || cs == chosen)
			continue;
		if (chosen == NULL)
			chosen = cs;
		else if (other == NULL)
			other = cs;
	}
	if (other != NULL) {
		report (c, data, where, g_strdup_printf ("both %s and %s settings are given: choose one %s",
							 chosen->name, other->name, choice->name));
	} else if (chosen != NULL) {
		check_required (c, data, chosen, prefix, virtual);
	} else if (choice->flags & LYS_MAND_TRUE) {
		g_autoptr(GString) names = g_string_new (NULL);

		LY_LIST_FOR ((const struct lysc_node *) choice->cases, cs)
			g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", cs->name);
		report (c, data, where, g_strdup_printf ("a %s is needed: one of %s", choice->name, names->str));
	}
}

/* Mandatory leaves, choices and min-elements below `schema`. `data` is the
 * nearest data node; `virtual` when `schema` is a non-presence container
 * that is absent, so that none of its children can be there. */
static void
check_required (XnConfigCheck *c, const struct lyd_node *data, const struct lysc_node *schema,
		const char *prefix, gboolean virtual)
{
	for (const struct lysc_node *s = lysc_node_child (schema); s != NULL; s = s->next) {
		g_autofree char *path = g_strconcat (prefix, s->name, NULL);
		guint have = virtual ? 0 : count_children (data, s->name);
		guint32 min;

		switch (s->nodetype) {
		case LYS_LEAF:
			if ((s->flags & LYS_MAND_TRUE) && have == 0)
				report (c, data, path, g_strdup_printf ("mandatory '%s' is missing", s->name));
			break;
		case LYS_LIST:
		case LYS_LEAFLIST:
			min = s->nodetype == LYS_LIST ? ((const struct lysc_node_list *) s)->min
						      : ((const struct lysc_node_leaflist *) s)->min;
			if (have < min)
				report (c, data, path, g_strdup_printf ("at least %u '%s' needed, %u given",
									min, s->name, have));
			break;
		case LYS_CONTAINER:
			if (!(s->flags & LYS_PRESENCE) && have == 0) {
				g_autofree char *inner = g_strconcat (path, "/", NULL);

				check_required (c, data, s, inner, TRUE);
			}
			break;
		case LYS_CHOICE:
			check_choice (c, data, (const struct lysc_node_choice *) s, prefix, virtual);
			break;
		default:
			break;
		}
	}
}

static gboolean
visit_required (XnConfigCheck *c, const struct lyd_node *node, gpointer unused)
{
	if (node->schema == NULL)
		return FALSE;
	if (node->schema->nodetype & (LYS_CONTAINER | LYS_LIST))
		check_required (c, node, node->schema, "", FALSE);
	return TRUE;
}

static gboolean
collect_values (XnConfigCheck *c, const struct lyd_node *node, gpointer data)
{
	GHashTable *values = g_hash_table_lookup (c->target_values, data);

	if (node->schema == data)
		g_hash_table_add (values, (gpointer) lyd_get_value (node));
	return node->schema != NULL;
}

/* The schema node a leafref points to: the last atom of its path. */
static const struct lysc_node *
leafref_target (XnConfigCheck *c, const struct lysc_node *schema, const struct lysc_type_leafref *lref)
{
	const struct lysc_node *target = g_hash_table_lookup (c->lref_targets, schema);
	struct ly_set *atoms = NULL;

	if (target != NULL)
		return target;
	if (lys_find_expr_atoms (schema, schema->module, lref->path, lref->prefixes, 0, &atoms) == LY_SUCCESS &&
	    atoms->count > 0 && (atoms->snodes[atoms->count - 1]->nodetype & LYD_NODE_TERM))
		target = atoms->snodes[atoms->count - 1];
	ly_set_free (atoms, NULL);
	ly_err_clean (c->ctx, NULL);
	if (target != NULL) {
		g_hash_table_insert (c->lref_targets, (gpointer) schema, (gpointer) target);
		if (!g_hash_table_contains (c->target_values, target)) {
			g_hash_table_insert (c->target_values, (gpointer) target,
					     g_hash_table_new (g_str_hash, g_str_equal));
			visit_all (c, collect_values, (gpointer) target);
		}
	}
	return target;
}

static gboolean
visit_leafrefs (XnConfigCheck *c, const struct lyd_node *node, gpointer unused)
{
	const struct lysc_type *type;
	const struct lysc_node *target;

	if (node->schema == NULL)
		return FALSE;
	if (!(node->schema->nodetype & LYD_NODE_TERM))
		return TRUE;
	type = node->schema->nodetype == LYS_LEAF ? ((const struct lysc_node_leaf *) node->schema)->type
						  : ((const struct lysc_node_leaflist *) node->schema)->type;
	if (type->basetype != LY_TYPE_LEAFREF || !((const struct lysc_type_leafref *) type)->require_instance)
		return FALSE;
	target = leafref_target (c, node->schema, (const struct lysc_type_leafref *) type);
	if (target != NULL &&
	    !g_hash_table_contains (g_hash_table_lookup (c->target_values, target), lyd_get_value (node)))
		/* The target is a list key: name the list ("node 'x'"), not the key leaf. */
		report (c, node, NULL, g_strdup_printf ("%s '%s' does not exist",
							lysc_is_key (target) ? target->parent->name : target->name,
							lyd_get_value (node)));
	return FALSE;
}

/* ---- libyang's validation of the merge ---- */

static gboolean
collect_opaque (XnConfigCheck *c, const struct lyd_node *node, gpointer data)
{
	if (node->schema != NULL)
		return TRUE;
	g_ptr_array_add (data, (gpointer) node);
	return FALSE;
}

/* Opaque nodes are reported already, and libyang cannot validate them. */
static void
drop_opaque (XnConfigCheck *c, struct lyd_node **tree)
{
	g_autoptr(GPtrArray) opaque = g_ptr_array_new ();

	visit (c, *tree, collect_opaque, opaque);
	for (guint i = 0; i < opaque->len; i++) {
		struct lyd_node *n = g_ptr_array_index (opaque, i);

		if (n == *tree)
			*tree = n->next;
		lyd_free_tree (n);
	}
}

/* The node at `path` in the file it came from, or its nearest ancestor. */
static const struct lyd_node *
find_node (XnConfigCheck *c, const char *path)
{
	g_autofree char *p = g_strdup (path);

	do {
		for (guint i = 0; i < c->sources->len; i++) {
			const XnConfigSource *src = g_ptr_array_index (c->sources, i);
			struct lyd_node *match = NULL;

			if (src->tree != NULL && lyd_find_path (src->tree, p, 0, &match) == LY_SUCCESS) {
				ly_err_clean (c->ctx, NULL);
				return match;
			}
			ly_err_clean (c->ctx, NULL);
		}
	} while (xn_config_path_cut (p));
	return NULL;
}

static void
report_validation_errors (XnConfigCheck *c)
{
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
	gboolean had_problems = c->problems->len > 0;

	/* Copied first: looking nodes up below logs into the same list. */
	for (struct ly_err_item *e = ly_err_first (c->ctx); e != NULL; e = e->next) {
		if (e->level == LY_LLERR) {
			g_ptr_array_add (errors, g_strdup (e->msg != NULL ? e->msg : "validation failed"));
			g_ptr_array_add (errors, g_strdup (e->path));
		}
	}
	ly_err_clean (c->ctx, NULL);
	for (guint i = 0; i < errors->len; i += 2) {
		const char *msg = g_ptr_array_index (errors, i);
		g_autofree char *path = NULL;
		const XnConfigSource *src = g_ptr_array_index (c->sources, 0);
		const struct lyd_node *node = NULL;
		gboolean schema;
		guint line = 1;

		xn_config_parse_location (g_ptr_array_index (errors, i + 1), &path, &schema, &line);
		/* A schema path says what is wrong but not where: every such
		 * error (mandatory, choice) has a check of ours that says where. */
		if (schema || path == NULL ? had_problems : xn_config_problems_cover (c->problems, path, msg))
			continue;
		if (!schema && path != NULL)
			node = find_node (c, path);
		if (node != NULL)
			src = locate (c, node, &line);
		add_problem (c->problems, src, line, path,
			     about_secrets (src, path) ? xn_config_redact (msg) : g_strdup (msg));
	}
}

static struct lyd_node *
validate_merged (XnConfigCheck *c)
{
	struct lyd_node *merged = NULL;
	guint before = c->problems->len;
	LY_ERR r = LY_SUCCESS;

	for (guint i = 0; i < c->sources->len && r == LY_SUCCESS; i++) {
		const XnConfigSource *src = g_ptr_array_index (c->sources, i);
		struct lyd_node *copy = NULL;

		if (src->tree == NULL)
			continue;
		r = lyd_dup_siblings (lyd_first_sibling (src->tree), NULL, LYD_DUP_RECURSIVE, &copy);
		if (r == LY_SUCCESS)
			drop_opaque (c, &copy);
		if (r == LY_SUCCESS && copy != NULL)
			r = lyd_merge_siblings (&merged, copy, LYD_MERGE_DESTRUCT);
	}
	if (r == LY_SUCCESS)
		r = lyd_validate_all (&merged, c->ctx, LYD_VALIDATE_NO_STATE, NULL);
	report_validation_errors (c);
	if (r != LY_SUCCESS && c->problems->len == before && before == 0)
		add_problem (c->problems, g_ptr_array_index (c->sources, 0), 1, "/",
			     g_strdup ("libyang could not validate the configuration"));
	if (r != LY_SUCCESS) {
		lyd_free_all (merged);
		return NULL;
	}
	return merged;
}

struct lyd_node *
xn_config_check_all (struct ly_ctx *ctx, GPtrArray *sources, GPtrArray *problems)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) targets = g_hash_table_new (NULL, NULL);
	g_autoptr(GHashTable) values = g_hash_table_new_full (NULL, NULL, NULL,
							      (GDestroyNotify) g_hash_table_unref);
	XnConfigCheck c = { ctx, sources, problems, targets, values };
	struct lyd_node *merged;

	g_return_val_if_fail (sources->len > 0, NULL);
	/* Checks across files need every file: a file that did not parse
	 * would make references into it look dangling. */
	for (guint i = 0; i < sources->len; i++) {
		if (!((XnConfigSource *) g_ptr_array_index (sources, i))->parsed)
			return NULL;
	}
	visit_all (&c, visit_opaque, NULL);
	visit_all (&c, visit_duplicates, seen);
	visit_all (&c, visit_required, NULL);
	visit_all (&c, visit_leafrefs, NULL);
	xn_config_rules_run (&c);
	merged = validate_merged (&c);
	if (problems->len > 0) {
		lyd_free_all (merged);
		return NULL;
	}
	return merged;
}

/* ---- entries, for config-rules.c ---- */

GPtrArray *
xn_config_check_entries (XnConfigCheck *c, const char *top, const char *list)
{
	g_auto(GStrv) parts = g_strsplit (top, ":", 2);
	g_auto(GStrv) steps = g_strsplit (list != NULL ? list : "", "/", -1);
	guint last = g_strv_length (steps) - 1;
	GPtrArray *entries = g_ptr_array_new ();

	for (guint i = 0; i < c->sources->len; i++) {
		const XnConfigSource *src = g_ptr_array_index (c->sources, i);

		for (const struct lyd_node *t = lyd_first_sibling (src->tree); t != NULL; t = t->next) {
			const struct lyd_node *node = t;

			if (t->schema == NULL || parts[1] == NULL || strcmp (t->schema->module->name, parts[0]) != 0 ||
			    strcmp (t->schema->name, parts[1]) != 0)
				continue;
			if (list == NULL) {
				g_ptr_array_add (entries, (gpointer) t);
				continue;
			}
			for (guint k = 0; k < last && node != NULL; k++)
				node = child_named (node, steps[k]);
			for (const struct lyd_node *n = node != NULL ? lyd_child (node) : NULL; n != NULL; n = n->next) {
				if (n->schema != NULL && n->schema->nodetype == LYS_LIST &&
				    strcmp (n->schema->name, steps[last]) == 0)
					g_ptr_array_add (entries, (gpointer) n);
			}
		}
	}
	return entries;
}

static const struct lyd_node *
entry_node (const XnConfigEntry *entry, const char *path)
{
	g_auto(GStrv) steps = NULL;
	const struct lyd_node *node = (const struct lyd_node *) entry;

	if (path == NULL)
		return node;
	steps = g_strsplit (path, "/", -1);
	for (guint i = 0; steps[i] != NULL && node != NULL; i++)
		node = child_named (node, steps[i]);
	return node;
}

const char *
xn_config_entry_value (const XnConfigEntry *entry, const char *path)
{
	const struct lyd_node *node = entry_node (entry, path);

	if (node == NULL || node->schema == NULL || !(node->schema->nodetype & LYD_NODE_TERM))
		return NULL;
	return lyd_get_value (node);
}

gboolean
xn_config_entry_has (const XnConfigEntry *entry, const char *path)
{
	return entry_node (entry, path) != NULL;
}

void
xn_config_check_report (XnConfigCheck *c, const XnConfigEntry *entry, const char *path,
			const char *format, ...)
{
	const struct lyd_node *node = entry_node (entry, path);
	va_list args;
	char *message;

	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	if (node != NULL)
		report (c, node, NULL, message);
	else
		report (c, (const struct lyd_node *) entry, path, message);
}

char *
xn_config_check_where (XnConfigCheck *c, const XnConfigEntry *entry)
{
	guint line;
	const XnConfigSource *src = locate (c, (const struct lyd_node *) entry, &line);

	return g_strdup_printf ("%s:%u", src->name, line);
}

gboolean
xn_config_check_before (XnConfigCheck *c, const XnConfigEntry *a, const XnConfigEntry *b)
{
	guint la, lb;
	const XnConfigSource *sa = locate (c, (const struct lyd_node *) a, &la);
	const XnConfigSource *sb = locate (c, (const struct lyd_node *) b, &lb);

	return sa->index != sb->index ? sa->index < sb->index : la < lb;
}
