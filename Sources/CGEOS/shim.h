// Only the reentrant (_r) GEOS C API is visible: one context per thread, no global state.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
