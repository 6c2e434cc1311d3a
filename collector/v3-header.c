/* v3-header.c — reading the SNMPv3 header's engine ID and user name (see
 * v3-header.h).
 *
 * A minimal BER reader: one-byte tags, definite lengths in the short form
 * or the long form of up to four bytes. The outer SEQUENCE and the
 * security parameters around the user name may claim more than the bytes
 * given (the rest of the datagram was not read); every element read must
 * lie within them. It decodes nothing else and trusts
 * nothing: what it finds is only used to choose which keys Net-SNMP then
 * checks the message's digest with. */
#include "v3-header.h"

typedef struct {
	const guint8 *p;
	const guint8 *end;
} Ber;

/* One TLV of tag `tag`; its value must lie within the bytes, except for an
 * `open` one, whose value is cut to what there is. */
static gboolean
ber_next (Ber *b, guint8 tag, Ber *value, gboolean open)
{
	gsize len = 0;
	guint n;

	if (b->end - b->p < 2 || b->p[0] != tag)
		return FALSE;
	b->p++;
	if (*b->p < 0x80) {
		len = *b->p++;
	} else {
		n = *b->p++ & 0x7f;
		if (n == 0 || n > 4 || (gsize) (b->end - b->p) < n)
			return FALSE;
		while (n-- > 0)
			len = (len << 8) | *b->p++;
	}
	if (len > (gsize) (b->end - b->p) && !open)
		return FALSE;
	value->p = b->p;
	value->end = b->p + MIN (len, (gsize) (b->end - b->p));
	b->p = value->end;
	return TRUE;
}

gboolean
xn_v3_header_read (const guint8 *data, gsize len, XnV3Header *out)
{
	Ber all = { data, data + len }, msg, version, global, params, usm, engine, user, skip;

	if (!ber_next (&all, 0x30, &msg, TRUE) ||
	    !ber_next (&msg, 0x02, &version, FALSE) || version.end - version.p != 1 || version.p[0] != 3 ||
	    !ber_next (&msg, 0x30, &global, FALSE) ||
	    !ber_next (&msg, 0x04, &params, TRUE) ||
	    !ber_next (&params, 0x30, &usm, TRUE) ||
	    !ber_next (&usm, 0x04, &engine, FALSE) ||
	    !ber_next (&usm, 0x02, &skip, FALSE) ||        /* msgAuthoritativeEngineBoots */
	    !ber_next (&usm, 0x02, &skip, FALSE) ||        /* msgAuthoritativeEngineTime */
	    !ber_next (&usm, 0x04, &user, FALSE))
		return FALSE;
	out->engine_id = engine.p;
	out->engine_id_len = (gsize) (engine.end - engine.p);
	out->user = user.p;
	out->user_len = (gsize) (user.end - user.p);
	return TRUE;
}
