// The system Cairo C API with its PDF surface (libcairo2-dev) and librsvg's C API
// (librsvg2-dev), which draws an SVG document onto a Cairo surface. Used only by the
// SiteCanvas binding.
#include <cairo.h>
#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
