import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SiteVocabulary
import XCTest

/// HTTP over a plain socket, for tests that set what URLSession would not (a Host header, a
/// request left unfinished, many connections from one address).
enum RawHTTP {
    /// A socket connected to 127.0.0.1:`port`.
    static func connect(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard result == 0 else { throw InputError("cannot connect to port \(port)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func send(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the peer closes (or the receive timeout); the bytes read.
    static func readAll(_ fd: Int32) -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One request with `Connection: close`: the status, the headers (lower-case names) and the body.
    static func request(_ port: Int, _ path: String, method: String = "GET", headers: [String: String] = [:], host: String? = nil, body: String? = nil) throws -> (status: Int, headers: [String: String], body: String) {
        let fd = try connect(port)
        defer { close(fd) }
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        send(fd, text + "\r\n" + (body ?? ""))
        let answer = readAll(fd)
        guard let split = answer.range(of: "\r\n\r\n") else { throw InputError("no HTTP answer: \(answer.prefix(200))") }
        let lines = answer[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? -1
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") { fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return (status, fields, String(answer[split.upperBound...]))
    }

}

extension XCTestCase {
    func connect(_ port: Int) throws -> Int32 { try RawHTTP.connect(port) }
    func send(_ fd: Int32, _ text: String) { RawHTTP.send(fd, text) }
    func readAll(_ fd: Int32) -> String { RawHTTP.readAll(fd) }
    func request(_ port: Int, _ path: String, method: String = "GET", headers: [String: String] = [:], host: String? = nil, body: String? = nil) throws -> (status: Int, headers: [String: String], body: String) {
        try RawHTTP.request(port, path, method: method, headers: headers, host: host, body: body)
    }
}
