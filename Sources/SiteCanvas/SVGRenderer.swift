import CCairo

/// A failure of Cairo or librsvg, with the library's own message.
public struct CanvasError: Error, CustomStringConvertible, Sendable {
    /// What was being done ("reading the SVG", "finishing the PDF").
    public let operation: String
    /// The library's message (cairo_status_to_string, or librsvg's GError message).
    public let message: String

    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}

/// The document information of a PDF. Dates are ISO 8601 ("2026-11-27T00:00:00Z"); give a
/// date from the data, not the clock, so the same input gives the same bytes.
public struct PDFMetadata: Sendable {
    public var title: String?
    public var author: String?
    public var subject: String?
    public var creator: String?
    /// Creation and modification date, ISO 8601. Cairo writes the current time when this is nil.
    public var date: String?

    public init(title: String? = nil, author: String? = nil, subject: String? = nil, creator: String? = nil, date: String? = nil) {
        self.title = title
        self.author = author
        self.subject = subject
        self.creator = creator
        self.date = date
    }
}

/// Draws an SVG document with librsvg onto a Cairo surface: a one-page vector PDF, or a PNG
/// image, in memory. Every librsvg and Cairo object is created, checked and destroyed inside
/// one call (no state is shared between calls or threads); no C pointer leaves this file.
///
///     let pdf = try SVGRenderer.pdf(svg: text, widthPoints: 841.89, heightPoints: 1190.55,
///                                   metadata: PDFMetadata(title: "Plan", date: "2026-11-27T00:00:00Z"))
public enum SVGRenderer {
    /// Points per millimetre (1 pt = 1/72 in).
    public static let pointsPerMillimetre = 72.0 / 25.4

    /// The SVG drawn to fill a PDF page of `widthPoints` × `heightPoints` (the SVG's viewBox is
    /// fitted to the page, keeping its aspect ratio, centred), as the PDF file's bytes.
    /// `fallbackDPI` is the resolution of any part Cairo cannot keep as vectors and must draw
    /// as pixels (cairo_surface_set_fallback_resolution).
    public static func pdf(svg: String, widthPoints: Double, heightPoints: Double, metadata: PDFMetadata = PDFMetadata(),
                           fallbackDPI: Double = 300) throws(CanvasError) -> [UInt8] {
        try pdf(pages: [svg], widthPoints: widthPoints, heightPoints: heightPoints, metadata: metadata, fallbackDPI: fallbackDPI)
    }

    /// Several SVG documents as the pages of one PDF, each page `widthPoints` × `heightPoints`.
    public static func pdf(pages: [String], widthPoints: Double, heightPoints: Double, metadata: PDFMetadata = PDFMetadata(),
                           fallbackDPI: Double = 300) throws(CanvasError) -> [UInt8] {
        guard !pages.isEmpty else { throw CanvasError("creating the PDF", "no page to draw") }
        guard fallbackDPI >= 1, fallbackDPI.isFinite else {
            throw CanvasError("creating the PDF surface", "the fallback resolution \(fallbackDPI) dpi is not positive")
        }
        guard widthPoints > 0, heightPoints > 0, widthPoints.isFinite, heightPoints.isFinite else {
            throw CanvasError("creating the PDF page", "the page size \(widthPoints) × \(heightPoints) pt is not positive")
        }
        let handles = try pages.map { (page: String) throws(CanvasError) -> SVGHandle in try SVGHandle(page) }
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        guard let surface = cairo_pdf_surface_create_for_stream(writeBytes, closure, widthPoints, heightPoints) else {
            throw CanvasError("creating the PDF surface", "cairo returned no surface")
        }
        defer { cairo_surface_destroy(surface) }
        try check(surface, "creating the PDF surface")
        cairo_surface_set_fallback_resolution(surface, fallbackDPI, fallbackDPI)
        try check(surface, "setting the fallback resolution")
        let fields: [(cairo_pdf_metadata_t, String?)] = [
            (CAIRO_PDF_METADATA_TITLE, metadata.title), (CAIRO_PDF_METADATA_AUTHOR, metadata.author),
            (CAIRO_PDF_METADATA_SUBJECT, metadata.subject), (CAIRO_PDF_METADATA_CREATOR, metadata.creator),
            (CAIRO_PDF_METADATA_CREATE_DATE, metadata.date), (CAIRO_PDF_METADATA_MOD_DATE, metadata.date),
        ]
        for (field, value) in fields {
            guard let value else { continue }
            cairo_pdf_surface_set_metadata(surface, field, value)
            try check(surface, "setting the PDF's document information")
        }
        for handle in handles { try handle.draw(on: surface, width: widthPoints, height: heightPoints, background: false) }
        cairo_surface_finish(surface)
        try check(surface, "finishing the PDF")
        if let failure = sink.failure { throw CanvasError("writing the PDF", failure) }
        return sink.bytes
    }

    /// The SVG drawn to fill a `widthPixels` × `heightPixels` image on white, as PNG bytes.
    public static func png(svg: String, widthPixels: Int, heightPixels: Int) throws(CanvasError) -> [UInt8] {
        guard widthPixels > 0, heightPixels > 0, widthPixels <= 32_767, heightPixels <= 32_767 else {
            throw CanvasError("creating the image", "the size \(widthPixels) × \(heightPixels) px is not between 1 and 32767 pixels a side")
        }
        let handle = try SVGHandle(svg)
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(widthPixels), Int32(heightPixels)) else {
            throw CanvasError("creating the image", "cairo returned no surface")
        }
        defer { cairo_surface_destroy(surface) }
        try check(surface, "creating the image")
        try handle.draw(on: surface, width: Double(widthPixels), height: Double(heightPixels), background: true)
        cairo_surface_flush(surface)
        let sink = ByteSink()
        let status = cairo_surface_write_to_png_stream(surface, writeBytes, Unmanaged.passUnretained(sink).toOpaque())
        if let failure = sink.failure { throw CanvasError("writing the PNG", failure) }
        guard status == CAIRO_STATUS_SUCCESS else { throw CanvasError("writing the PNG", message(status)) }
        return sink.bytes
    }

    /// The SVG's intrinsic size in pixels (its width and height attributes, or its viewBox),
    /// or nil when it has neither.
    public static func intrinsicSize(svg: String) throws(CanvasError) -> (width: Double, height: Double)? {
        try SVGHandle(svg).intrinsicSize()
    }

    static func check(_ surface: OpaquePointer, _ operation: String) throws(CanvasError) {
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw CanvasError(operation, message(status)) }
    }

    static func message(_ status: cairo_status_t) -> String {
        guard let text = cairo_status_to_string(status) else { return "cairo status \(status.rawValue)" }
        return String(cString: text)
    }
}

/// Bytes Cairo writes through its stream callback.
private final class ByteSink {
    var bytes: [UInt8] = []
    var failure: String?
}

/// Cairo's write callback: appends to the ByteSink passed as the closure.
private let writeBytes: cairo_write_func_t = { closure, data, length in
    guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    guard let data else {
        if length == 0 { return CAIRO_STATUS_SUCCESS }
        sink.failure = "cairo passed no data for \(length) bytes"
        return CAIRO_STATUS_WRITE_ERROR
    }
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}

/// One parsed SVG document (an RsvgHandle), owned here and released when this goes.
private final class SVGHandle {
    let handle: UnsafeMutablePointer<RsvgHandle>

    init(_ svg: String) throws(CanvasError) {
        var error: UnsafeMutablePointer<GError>?
        let bytes = Array(svg.utf8)
        let made = bytes.withUnsafeBufferPointer { buffer in
            rsvg_handle_new_from_data(buffer.baseAddress, gsize(buffer.count), &error)
        }
        guard let made else { throw CanvasError("reading the SVG", Self.take(error) ?? "librsvg could not read it") }
        if let message = Self.take(error) {
            g_object_unref(made)
            throw CanvasError("reading the SVG", message)
        }
        handle = made
        // CSS pixels (96 per inch) for physical units such as width="210mm".
        rsvg_handle_set_dpi(handle, 96)
    }

    deinit { g_object_unref(handle) }

    func intrinsicSize() -> (width: Double, height: Double)? {
        var width = 0.0, height = 0.0
        guard rsvg_handle_get_intrinsic_size_in_pixels(handle, &width, &height) != 0 else { return nil }
        return (width, height)
    }

    /// Draws the document fitted to width × height (surface units) on `surface`.
    func draw(on surface: OpaquePointer, width: Double, height: Double, background: Bool) throws(CanvasError) {
        guard let cr = cairo_create(surface) else { throw CanvasError("drawing the SVG", "cairo returned no context") }
        defer { cairo_destroy(cr) }
        try status(cr, "drawing the SVG")
        if background {
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_paint(cr)
            try status(cr, "painting the background")
        }
        var viewport = RsvgRectangle(x: 0, y: 0, width: width, height: height)
        var error: UnsafeMutablePointer<GError>?
        let drawn = rsvg_handle_render_document(handle, cr, &viewport, &error)
        if let message = Self.take(error) { throw CanvasError("drawing the SVG", message) }
        guard drawn != 0 else { throw CanvasError("drawing the SVG", "librsvg could not draw it") }
        try status(cr, "drawing the SVG")
        cairo_show_page(cr)
        try status(cr, "finishing the page")
    }

    func status(_ cr: OpaquePointer, _ operation: String) throws(CanvasError) {
        let s = cairo_status(cr)
        guard s == CAIRO_STATUS_SUCCESS else { throw CanvasError(operation, SVGRenderer.message(s)) }
    }

    /// A GError's message, freeing it.
    static func take(_ error: UnsafeMutablePointer<GError>?) -> String? {
        guard let error else { return nil }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }
}
