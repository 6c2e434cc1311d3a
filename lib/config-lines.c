/* config-lines.c — two small scanners that record the line on which each
 * JSON member or XML element of a configuration file starts.
 *
 * They check just enough syntax to keep their place: strings, escapes and
 * nesting in JSON; comments, CDATA, processing instructions and quoted
 * attributes in XML. Whether the text is valid YANG data is libyang's
 * business, and it parses the same text first; a file libyang accepts is
 * one these scanners can walk. XML is scanned by hand rather than with
 * GMarkup because GMarkup reports the position after a start tag, which is
 * the next line whenever the tag ends a line. Values are skipped, never
 * copied. Nesting is limited so that a hostile file cannot exhaust the stack. */
#include "config-lines.h"
#include "xn-error.h"

#include <string.h>

#define MAX_DEPTH 256

typedef struct {
	const char *p;
	const char *end;
	guint       line;
	guint       depth;
	XnLineNode *discard;   /* parent for what is scanned but not kept */
} Scanner;

static XnLineNode *
line_node_new (XnLineNode *parent, const char *name, gsize name_len, guint line)
{
	XnLineNode *node = g_new0 (XnLineNode, 1);

	if (name != NULL) {
		/* Local name: YANG JSON prefixes a module name, XML a namespace prefix. */
		const char *colon = memchr (name, ':', name_len);

		if (colon != NULL) {
			name_len -= (gsize) (colon + 1 - name);
			name = colon + 1;
		}
		node->name = g_strndup (name, name_len);
	}
	node->line = line;
	node->children = g_ptr_array_new_with_free_func ((GDestroyNotify) xn_line_node_free);
	if (parent != NULL)
		g_ptr_array_add (parent->children, node);
	return node;
}

void
xn_line_node_free (XnLineNode *node)
{
	if (node == NULL)
		return;
	g_free (node->name);
	g_ptr_array_unref (node->children);
	g_free (node);
}

static gboolean
fail (Scanner *s, GError **error, const char *what)
{
	g_set_error (error, XN_ERROR, XN_ERROR_INVALID, "line %u: %s", s->line, what);
	return FALSE;
}

static void
skip_ws (Scanner *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n')) {
		if (*s->p == '\n')
			s->line++;
		s->p++;
	}
}

/* Scans a JSON string at s->p (the opening quote). Only names are wanted
 * (`name` not NULL), and YANG names are plain ASCII, so escapes are skipped
 * rather than decoded: a name with escapes matches nothing, which only costs
 * a line number. */
static gboolean
scan_string (Scanner *s, const char **name, gsize *name_len, GError **error)
{
	const char *start = ++s->p;

	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\' && s->p + 1 < s->end)
			s->p++;
		if (*s->p == '\n')
			s->line++;
		s->p++;
	}
	if (s->p >= s->end)
		return fail (s, error, "unterminated string");
	if (name != NULL) {
		*name = start;
		*name_len = (gsize) (s->p - start);
	}
	s->p++;
	return TRUE;
}

static gboolean scan_json_value (Scanner *s, XnLineNode *node, GError **error);

static gboolean
scan_json_array (Scanner *s, XnLineNode *owner, const char *name, gsize name_len, GError **error)
{
	s->p++;
	for (;;) {
		skip_ws (s);
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return TRUE;
		}
		/* Each element is an instance: a list entry or a leaf-list value. */
		if (!scan_json_value (s, line_node_new (owner, name, name_len, s->line), error))
			return FALSE;
		skip_ws (s);
		if (s->p < s->end && *s->p == ',')
			s->p++;
		else if (s->p >= s->end || *s->p != ']')
			return fail (s, error, "expected ',' or ']' in an array");
	}
}

static gboolean
scan_json_members (Scanner *s, XnLineNode *owner, GError **error)
{
	s->p++;
	for (;;) {
		const char *name = NULL;
		gsize name_len = 0;
		guint name_line;
		XnLineNode *into;

		skip_ws (s);
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return TRUE;
		}
		if (s->p >= s->end || *s->p != '"')
			return fail (s, error, "expected a member name");
		name_line = s->line;
		if (!scan_string (s, &name, &name_len, error))
			return FALSE;
		skip_ws (s);
		if (s->p >= s->end || *s->p != ':')
			return fail (s, error, "expected ':'");
		s->p++;
		skip_ws (s);
		/* "@name" carries metadata (RFC 7952), not data nodes. */
		into = (name_len > 0 && name[0] == '@') ? s->discard : owner;
		if (s->p < s->end && *s->p == '[') {
			if (!scan_json_array (s, into, name, name_len, error))
				return FALSE;
		} else if (!scan_json_value (s, line_node_new (into, name, name_len, name_line), error)) {
			return FALSE;
		}
		skip_ws (s);
		if (s->p < s->end && *s->p == ',')
			s->p++;
		else if (s->p >= s->end || *s->p != '}')
			return fail (s, error, "expected ',' or '}' in an object");
	}
}

/* Scans one value; an object's members become children of `node`. */
static gboolean
scan_json_value (Scanner *s, XnLineNode *node, GError **error)
{
	gboolean ok;

	skip_ws (s);
	if (s->p >= s->end)
		return fail (s, error, "expected a value");
	switch (*s->p) {
	case '{':
	case '[':
		if (++s->depth > MAX_DEPTH)
			return fail (s, error, "nested too deeply");
		ok = *s->p == '{' ? scan_json_members (s, node, error)
				  : scan_json_array (s, s->discard, NULL, 0, error);
		s->depth--;
		return ok;
	case '"':
		return scan_string (s, NULL, NULL, error);
	default:
		/* Numbers and true/false/null: their exact form is libyang's concern. */
		if (!g_ascii_isalnum (*s->p) && *s->p != '-')
			return fail (s, error, "unexpected character");
		while (s->p < s->end && (g_ascii_isalnum (*s->p) || strchr ("+-.", *s->p) != NULL))
			s->p++;
		return TRUE;
	}
}

XnLineNode *
xn_lines_scan_json (const char *text, gsize length, GError **error)
{
	g_autoptr(XnLineNode) root = line_node_new (NULL, NULL, 0, 1);
	g_autoptr(XnLineNode) discard = line_node_new (NULL, NULL, 0, 0);
	Scanner s = { text, text + length, 1, 0, discard };

	skip_ws (&s);
	if (s.p >= s.end || *s.p != '{') {
		fail (&s, error, "expected a JSON object");
		return NULL;
	}
	if (!scan_json_value (&s, root, error))
		return NULL;
	skip_ws (&s);
	if (s.p < s.end) {
		fail (&s, error, "text after the JSON object");
		return NULL;
	}
	return g_steal_pointer (&root);
}

/* Skips to just past `terminator`, counting lines. */
static gboolean
skip_past (Scanner *s, const char *terminator, GError **error)
{
	gsize n = strlen (terminator);

	while (s->p + n <= s->end && memcmp (s->p, terminator, n) != 0) {
		if (*s->p == '\n')
			s->line++;
		s->p++;
	}
	if (s->p + n > s->end)
		return fail (s, error, "unterminated markup");
	s->p += n;
	return TRUE;
}

static gboolean
has_prefix (const Scanner *s, const char *prefix)
{
	gsize n = strlen (prefix);

	return s->p + n <= s->end && memcmp (s->p, prefix, n) == 0;
}

/* Scans a start tag at s->p ('<'); returns whether it closed itself. */
static gboolean
scan_start_tag (Scanner *s, XnLineNode *parent, XnLineNode **node, gboolean *empty, GError **error)
{
	const char *name = ++s->p;
	char quote = 0;

	while (s->p < s->end && !g_ascii_isspace (*s->p) && *s->p != '/' && *s->p != '>')
		s->p++;
	if (s->p == name)
		return fail (s, error, "expected an element name");
	*node = line_node_new (parent, name, (gsize) (s->p - name), s->line);
	for (; s->p < s->end; s->p++) {
		if (*s->p == '\n')
			s->line++;
		if (quote != 0) {
			if (*s->p == quote)
				quote = 0;
		} else if (*s->p == '"' || *s->p == '\'') {
			quote = *s->p;
		} else if (*s->p == '>') {
			*empty = s->p[-1] == '/';
			s->p++;
			return TRUE;
		}
	}
	return fail (s, error, "unterminated start tag");
}

XnLineNode *
xn_lines_scan_xml (const char *text, gsize length, GError **error)
{
	g_autoptr(XnLineNode) root = line_node_new (NULL, NULL, 0, 1);
	g_autoptr(GPtrArray) open = g_ptr_array_new ();
	Scanner s = { text, text + length, 1, 0, NULL };

	g_ptr_array_add (open, root);
	while (s.p < s.end) {
		XnLineNode *top = g_ptr_array_index (open, open->len - 1);
		gboolean ok = TRUE;

		if (*s.p != '<') {
			if (*s.p == '\n')
				s.line++;
			s.p++;
			continue;
		}
		if (has_prefix (&s, "<!--")) {
			ok = skip_past (&s, "-->", error);
		} else if (has_prefix (&s, "<![CDATA[")) {
			ok = skip_past (&s, "]]>", error);
		} else if (has_prefix (&s, "<?")) {
			ok = skip_past (&s, "?>", error);
		} else if (has_prefix (&s, "<!")) {
			ok = skip_past (&s, ">", error);
		} else if (has_prefix (&s, "</")) {
			if (open->len == 1) {
				fail (&s, error, "end tag without a start tag");
				return NULL;
			}
			g_ptr_array_remove_index (open, open->len - 1);
			ok = skip_past (&s, ">", error);
		} else {
			XnLineNode *node = NULL;
			gboolean empty = FALSE;

			if (open->len > MAX_DEPTH) {
				fail (&s, error, "nested too deeply");
				return NULL;
			}
			ok = scan_start_tag (&s, top, &node, &empty, error);
			if (ok && !empty)
				g_ptr_array_add (open, node);
		}
		if (!ok)
			return NULL;
	}
	if (open->len != 1) {
		fail (&s, error, "unclosed element at the end of the file");
		return NULL;
	}
	return g_steal_pointer (&root);
}
