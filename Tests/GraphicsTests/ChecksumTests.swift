@testable import Graphics
import XCTest

final class ChecksumTests: XCTestCase {
  func testCRC32KnownValues() {
    XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
    XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
    // The CRC of a PNG IEND chunk (type bytes only, no data) is fixed by the format.
    XCTAssertEqual(CRC32.checksum(Array("IEND".utf8)), 0xAE42_6082)
  }

  func testCRC32IncrementalEqualsOneShot() {
    var generator = TestGenerator(seed: 11)
    let bytes = generator.bytes(1000)
    var crc = CRC32()
    crc.update(bytes[..<123])
    crc.update(bytes[123...])
    XCTAssertEqual(crc.value, CRC32.checksum(bytes))
  }

  func testAdler32KnownValues() {
    XCTAssertEqual(Adler32.checksum(Array("Wikipedia".utf8)), 0x11E6_0398)
    XCTAssertEqual(Adler32.checksum([UInt8]()), 1)
  }

  func testAdler32LongInputMatchesDirectModularSums() {
    // 20 000 bytes of 0xFF cross several 5552-byte reduction points, where an overflow would show.
    let bytes = [UInt8](repeating: 0xFF, count: 20000)
    var a: UInt64 = 1
    var b: UInt64 = 0
    for byte in bytes {
      a = (a + UInt64(byte)) % 65521
      b = (b + a) % 65521
    }
    XCTAssertEqual(Adler32.checksum(bytes), UInt32(b << 16 | a))
  }
}
