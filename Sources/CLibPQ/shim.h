// The system libpq C API (libpq-dev), used only by the PostGIS store (StorePostGIS).
#include <libpq-fe.h>

// PG_DIAG_SQLSTATE is a character-literal macro ('C'), which Swift does not import.
static inline int siteplan_pg_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }

// A notice processor that drops notices ("relation already exists, skipping"): libpq's default
// prints them on stderr, in the middle of a command's own output.
static inline void siteplan_pg_ignore_notice(void *arg, const char *message) { (void)arg; (void)message; }
