/* maintenance.h — the notice book: maintenance windows as the journal's
 * maintenance.* facts describe them, whether each notice complied with the
 * policy's rule (working days on the State Council calendar, or a lead
 * time, and approval), which access units each window cuts off, and which
 * compliant window covers an object at an instant.
 *
 * The book is pure, like the outage and ticket engines: it is fed facts in
 * seq order, never reads a clock or a file, and derives everything from
 * what it was fed (doc/maintenance.md). Nothing fed is refused — the
 * journal is append-only and a hand-written fact must not stop a
 * derivation — but a fact the rules do not let count is kept with the
 * window it names and a note why (`extranoc maintenance show` prints it).
 * Windows and everything in them belong to the book and live as long as
 * it does. */
#pragma once

#include <glib.h>

#include "calendar.h"
#include "fact.h"
#include "inventory.h"
#include "outage.h"
#include "policy.h"
#include "topology.h"

G_BEGIN_DECLS

/* An instant not (yet) known: a window not approved, a deadline the
 * calendar could not decide. */
#define XN_MAINTENANCE_NONE G_MININT64

#define XN_MAINTENANCE_FILED     "maintenance.filed"
#define XN_MAINTENANCE_APPROVED  "maintenance.approved"
#define XN_MAINTENANCE_WITHDRAWN "maintenance.withdrawn"

typedef enum {
	XN_MAINTENANCE_STATUS_FILED,
	XN_MAINTENANCE_STATUS_APPROVED,
	XN_MAINTENANCE_STATUS_WITHDRAWN,
} XnMaintenanceStatus;

/* One local calendar day walked back from the start to find the deadline. */
typedef struct {
	GDate       date;
	gboolean    working;
	const char *name;      /* the schedule's holiday or 调休 name, NULL for the weekday rule; the calendar's */
	guint       counted;   /* 1..N for a working day counted, 0 for a day skipped */
} XnMaintenanceDay;

/* A fact about a window and what it did. */
typedef struct {
	XnFact *fact;
	char   *note;          /* NULL: it counted; else why it did not */
} XnMaintenanceFactNote;

typedef struct {
	char               *id;              /* "MW-000123" */
	gint64              seq;             /* of the maintenance.filed fact */
	XnInitiator         initiator;
	char               *initiator_name;  /* a unit, a carrier, or the NOC's name */
	GStrv               nodes;           /* as filed */
	GStrv               links;
	GStrv               objects;         /* "node/NAME" then "link/ID", as the topology names them */
	XnInstant           start;
	XnInstant           end;
	char               *reason;
	XnInstant           filed;           /* the filed fact's ts */
	char               *filed_source;
	/* A notice that breaks the rules of doc/maintenance.md (only a fact
	 * not written by the CLI can): why; it complies with nothing and
	 * covers nothing. NULL for a valid one. */
	char               *problem;

	XnMaintenanceStatus status;
	XnInstant           approved;        /* XN_MAINTENANCE_NONE until approved */
	char               *approved_by;
	char               *reference;
	XnInstant           withdrawn;       /* XN_MAINTENANCE_NONE unless withdrawn */
	char               *withdrawn_by;
	char               *withdrawn_why;

	/* The rule in force for this initiator when the book was made, and
	 * its result. */
	XnNoticeRule        rule;
	XnInstant           deadline;        /* XN_MAINTENANCE_NONE when it could not be decided */
	char               *deadline_problem; /* why not (a year with no calendar) */
	GArray             *days;            /* XnMaintenanceDay, from the day before the start backwards */
	guint               lead_days;       /* working days rule: working days from the filing day to the start, at most N */
	gboolean            on_time;
	gboolean            compliant;       /* on time, approved in time if the rule asks, valid */
	GStrv               reasons;         /* why not compliant, in words; empty when compliant */

	GStrv               units;           /* access units an in-scope object cuts off, sorted */
	GPtrArray          *facts;           /* XnMaintenanceFactNote, in seq order */
} XnMaintenanceWindow;

typedef struct _XnMaintenanceBook XnMaintenanceBook;

/* Everything is borrowed and must outlive the book: `topology` must be
 * made from `inventory`; `tz` is the policy's zone, in which local days
 * begin and end. */
XnMaintenanceBook *xn_maintenance_book_new (const XnInventory *inventory, const XnTopology *topology,
					    const XnPolicy *policy, const XnCalendar *calendar, GTimeZone *tz);
void               xn_maintenance_book_free (XnMaintenanceBook *book);

/* Feeds one fact; facts of other kinds are skipped (FALSE returned,
 * nothing kept), so a caller can feed the whole journal. Seqs must
 * increase: a fact at or below the last seq fed is skipped too. TRUE when
 * the fact was kept (counted or noted). */
gboolean           xn_maintenance_book_feed (XnMaintenanceBook *book, const XnFact *fact);

/* "MW-" and the seq with at least six digits: *seq is set. */
gboolean           xn_maintenance_parse_id (const char *id, gint64 *seq);
char              *xn_maintenance_id (gint64 seq);

const XnMaintenanceWindow *xn_maintenance_book_lookup (const XnMaintenanceBook *book, const char *id);
/* Every window in seq order; the array is the book's. */
const GPtrArray   *xn_maintenance_book_list (const XnMaintenanceBook *book);
/* Windows that are not withdrawn and not compliant (late, unapproved,
 * approved after the start, invalid), in seq order; a new array of the
 * book's windows. */
GPtrArray         *xn_maintenance_book_flagged (const XnMaintenanceBook *book);
/* The compliant window, not withdrawn, whose scope lists `object`
 * ("node/NAME", "link/ID") and with start <= instant < end; of several,
 * the one ending last (then the first filed). NULL when none: the outage
 * at that instant is unplanned. */
const XnMaintenanceWindow *xn_maintenance_book_covering (const XnMaintenanceBook *book, const char *object,
							 XnInstant instant);
/* How much of an outage a compliant window plans (doc/maintenance.md,
 * "What a window does to outages"). An outage whose object is in the
 * scope of a compliant, approved window that covers its start is planned
 * from its start to the window's end or its own, whichever comes first.
 * One that began as a dependent of a root outage (`root`: the outage its
 * first segment belongs to, NULL when that is itself or unknown) which is
 * itself planned that way is planned from when both were down inside the
 * window until the window's end, its own end or the end of that first
 * segment, whichever comes first. Whatever follows is unplanned: the
 * overrun past the window's end, or a fault of its own after its root
 * came back. Returns the window and sets [*from, *until); NULL (and both
 * set to the outage's start) when nothing of it is planned, as under a
 * late, unapproved or withdrawn window. */
const XnMaintenanceWindow *xn_maintenance_book_plans (const XnMaintenanceBook *book, const XnOutage *outage,
						      const XnOutage *root, XnInstant *from, XnInstant *until);
typedef struct {
	const XnOutage            *outage;   /* the caller's */
	const XnMaintenanceWindow *window;   /* the book's */
	XnInstant                  from;
	XnInstant                  until;
} XnMaintenancePlanned;

/* xn_maintenance_book_plans() for each of `outages` (XnOutage *; a
 * dependent's root is looked up among them), in their order: a new array
 * of XnMaintenancePlanned for those with a planned part. */
GArray            *xn_maintenance_book_planned (const XnMaintenanceBook *book, const GPtrArray *outages);

/* Facts about a window the book never had (MW-ID of no filed fact); the
 * array is the book's. */
const GPtrArray   *xn_maintenance_book_orphans (const XnMaintenanceBook *book);

gboolean           xn_maintenance_window_in_scope (const XnMaintenanceWindow *window, const char *object);
const char        *xn_maintenance_status_to_string (XnMaintenanceStatus status);

/* The deadline arithmetic in words, one line per entry (what `show`
 * prints): the rule, each day walked with its name, the deadline and the
 * filing against it. */
GStrv              xn_maintenance_window_explain (const XnMaintenanceWindow *window, GTimeZone *tz);

/* A letter to one access unit about one window (doc/maintenance.md):
 * Chinese with English field names, as text and as an HTML page. */
typedef struct {
	char *subject;   /* one line */
	char *text;      /* text/plain UTF-8, lines ending in "\n" */
	char *html;      /* a whole HTML document, UTF-8; every value escaped */
} XnMaintenanceLetter;

/* Fails (XN_ERROR_INVALID) for an invalid window or a unit the window
 * does not cut off. The NOC contact comes from `policy`. Pure: the same
 * arguments give the same bytes. */
XnMaintenanceLetter *xn_maintenance_letter_render (const XnMaintenanceWindow *window, const XnAccessUnit *unit,
						   const XnInventory *inventory, const XnTopology *topology,
						   const XnPolicy *policy, GTimeZone *tz, GError **error);
void                 xn_maintenance_letter_free (XnMaintenanceLetter *letter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnMaintenanceBook, xn_maintenance_book_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (XnMaintenanceLetter, xn_maintenance_letter_free)

G_END_DECLS
