/* xn-error.c — the XN_ERROR quark. Nothing else lives here on purpose: the
 * domain must be linkable by every library, including the SLA engine. */
#include "xn-error.h"

G_DEFINE_QUARK (extranoc-error-quark, xn_error)
