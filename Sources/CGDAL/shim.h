// The C API of GDAL/OGR (vector part): datasets, layers, features, geometries (as WKB), spatial
// references, the per-thread error handler stack and thread-local configuration options.
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
