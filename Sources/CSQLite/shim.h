// The system SQLite 3 C API (libsqlite3-dev), used only by SiteplanIO's GeoPackage adapter.
#include <sqlite3.h>
