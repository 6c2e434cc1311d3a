/* config-lines.h — where each element of a JSON or XML configuration file
 * starts: a tree of element names with line numbers.
 *
 * libyang forgets line numbers once a file is parsed, and neither json-glib
 * nor GMarkup tells where a member starts, so check-config scans the text a
 * second time with these small scanners and pairs the result with libyang's
 * tree (lib/config-check.c). The tree holds names and lines only, never
 * values: a secrets file passes through here too. GLib only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _XnLineNode XnLineNode;
struct _XnLineNode {
	char       *name;       /* local name: no "module:" (JSON) or "prefix:" (XML); NULL for the root */
	guint       line;       /* 1-based; for a list entry or leaf-list value, the line where it starts */
	GPtrArray  *children;   /* XnLineNode, in document order */
};

/* A JSON array member becomes one child per element, each with the
 * member's name, as a YANG list or leaf-list instance would. Metadata
 * members ("@name") are skipped. The root's children are the top-level
 * members (JSON) or elements (XML). Syntax errors fail with XN_ERROR_INVALID
 * and the line; libyang's own parse error is the one shown to people. */
XnLineNode *xn_lines_scan_json (const char *text, gsize length, GError **error);
XnLineNode *xn_lines_scan_xml (const char *text, gsize length, GError **error);
void        xn_line_node_free (XnLineNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnLineNode, xn_line_node_free)

G_END_DECLS
