import CGDAL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GDAL as a library: its drivers registered once, its version, and configuration options set
/// for the calling thread only.
public enum GDALLibrary {
    private static let registered: Bool = {
        GDALAllRegister()
        return true
    }()

    /// Registers every driver GDAL was built with, once per process (thread-safe: a Swift
    /// global's initializer runs once).
    static func registerOnce() { _ = registered }

    /// The GDAL release, e.g. "3.6.2". Wraps `GDALVersionInfo`.
    public static var version: String {
        registerOnce()
        return GDALVersionInfo("RELEASE_NAME").map { String(cString: $0) } ?? "unknown"
    }

    /// Whether GDAL has a driver by this short name ("ESRI Shapefile", "LIBKML"). Wraps `GDALGetDriverByName`.
    public static func hasDriver(_ name: String) -> Bool {
        registerOnce()
        return GDALGetDriverByName(name) != nil
    }

    /// Runs `body` with `options` set as configuration options of the calling thread only
    /// (`CPLSetThreadLocalConfigOption`), restoring the earlier values afterwards: e.g.
    /// `OGR_CURRENT_DATE` so a driver writes a fixed date instead of the clock's.
    public static func withThreadConfig<T>(_ options: [String: String], _ body: () throws -> T) rethrows -> T {
        registerOnce()
        var previous: [(String, String?)] = []
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            previous.append((key, CPLGetThreadLocalConfigOption(key, nil).map { String(cString: $0) }))
            CPLSetThreadLocalConfigOption(key, value)
        }
        defer { for (key, value) in previous { CPLSetThreadLocalConfigOption(key, value) } }
        return try body()
    }
}

/// A NULL-terminated list of C strings (GDAL's `char **` option lists), freed with the value.
final class CStringList {
    private var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) }
        pointers.append(nil)
    }

    deinit { for p in pointers { free(p) } }

    /// The list for a call; nil for an empty list (GDAL reads nil as "no options").
    func withList<T>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> T) rethrows -> T {
        if pointers.count == 1 { return try body(nil) }
        return try pointers.withUnsafeMutableBufferPointer { try body($0.baseAddress) }
    }

    /// The list as `const char *const *`, for calls that only read it.
    func withConstList<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws -> T) rethrows -> T {
        let count = pointers.count
        return try withList { list in
            guard let list else { return try body(nil) }
            return try list.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: count) { try body(UnsafePointer($0)) }
        }
    }
}
