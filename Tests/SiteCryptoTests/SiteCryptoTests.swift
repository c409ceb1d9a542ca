import XCTest
import SiteCrypto

final class SiteCryptoTests: XCTestCase {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func testSHA256OfTheFIPSExamples() throws {
        XCTAssertEqual(hex(try SiteCrypto.sha256(Array("abc".utf8))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex(try SiteCrypto.sha256([])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// RFC 7914, section 12: the second and third test vectors.
    func testScryptMatchesRFC7914() throws {
        let second = try SiteCrypto.scrypt(password: Array("password".utf8), salt: Array("NaCl".utf8), n: 1024, r: 8, p: 16, length: 64)
        XCTAssertEqual(hex(second), "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
        let third = try SiteCrypto.scrypt(password: Array("pleaseletmein".utf8), salt: Array("SodiumChloride".utf8), n: 16384, r: 8, p: 1, length: 64)
        XCTAssertEqual(hex(third), "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")
    }

    func testScryptRefusesACostThatIsNotAPowerOfTwoWithLibcryptosMessage() {
        XCTAssertThrowsError(try SiteCrypto.scrypt(password: [1], salt: [2], n: 1000, r: 8, p: 1, length: 32)) { error in
            XCTAssertTrue("\(error)".hasPrefix("EVP_PBE_scrypt failed: "), "\(error)")
        }
    }

    func testRandomBytesDifferAndHaveTheLengthAskedFor() throws {
        let a = try SiteCrypto.randomBytes(32), b = try SiteCrypto.randomBytes(32)
        XCTAssertEqual(a.count, 32)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(try SiteCrypto.randomBytes(0), [])
    }

    func testConstantTimeEqual() {
        XCTAssertTrue(SiteCrypto.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(SiteCrypto.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(SiteCrypto.constantTimeEqual([1, 2], [1, 2, 3]))
        XCTAssertTrue(SiteCrypto.constantTimeEqual([], []))
    }
}
