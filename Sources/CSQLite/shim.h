// The system SQLite 3 C API (libsqlite3-dev), used only by the GeoPackage driver (DriverGeoPackage).
#include <sqlite3.h>
