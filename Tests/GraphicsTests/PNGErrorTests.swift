@testable import Graphics
import XCTest

final class PNGErrorTests: XCTestCase {
  /// A PNG file assembled from `(type, data)` chunks with correct CRCs.
  private func png(_ chunks: [(String, [UInt8])]) -> [UInt8] {
    var file = PNG.signature
    for (type, data) in chunks {
      file.appendBigEndian(UInt32(data.count))
      file += Array(type.utf8) + data
      file.appendBigEndian(CRC32.checksum(Array(type.utf8) + data))
    }
    return file
  }

  private func header(width: UInt32 = 2, height: UInt32 = 2, depth: UInt8 = 8, colorType: UInt8 = 0,
                      interlace: UInt8 = 0) -> (String, [UInt8]) {
    var data: [UInt8] = []
    data.appendBigEndian(width)
    data.appendBigEndian(height)
    return ("IHDR", data + [depth, colorType, 0, 0, interlace])
  }

  private func assertProblem(_ bytes: [UInt8], contains text: String, line: UInt = #line) {
    XCTAssertThrowsError(try PNG.decode(bytes, source: "digits/7.png"), line: line) { error in
      guard let error = error as? PNGError else { return XCTFail("not a PNGError: \(error)", line: line) }
      XCTAssertEqual(error.source, "digits/7.png", line: line)
      XCTAssert(error.problem.contains(text), "\(error.problem) should mention \(text)", line: line)
    }
  }

  func testUnsupportedFeaturesAreNamed() {
    let idat = ("IDAT", Zlib.compress([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
    assertProblem(png([header(depth: 16), idat, ("IEND", [])]), contains: "16-bit")
    assertProblem(png([header(interlace: 1), idat, ("IEND", [])]), contains: "interlaced")
  }

  func testMalformedFilesAreRejected() {
    let good = png([header(), ("IDAT", Zlib.compress([0, 1, 2, 0, 3, 4])), ("IEND", [])])
    XCTAssertEqual(try PNG.decode(good), Image(width: 2, height: 2, channels: 1, pixels: [1, 2, 3, 4]))

    assertProblem(Array(good.dropFirst()), contains: "signature")
    assertProblem(Array(good.prefix(good.count - 6)), contains: "truncated")
    var badCRC = good
    badCRC[PNG.signature.count + 8] ^= 1  // first byte of the IHDR payload
    assertProblem(badCRC, contains: "CRC")
    assertProblem(png([header(depth: 3), ("IEND", [])]), contains: "bit depth 3")
    assertProblem(png([header(colorType: 2, interlace: 0), ("IDAT", Zlib.compress([0, 1, 2])), ("IEND", [])]),
                  contains: "bytes")
    assertProblem(png([header(), ("IDAT", Zlib.compress([7, 1, 2, 0, 3, 4])), ("IEND", [])]), contains: "filter type 7")
    assertProblem(png([header(), ("IDAT", [1, 2, 3]), ("IEND", [])]), contains: "corrupt image data")
    assertProblem(png([header(), ("ABCD", []), ("IEND", [])]), contains: "critical chunk ABCD")
    assertProblem(png([header(colorType: 3), ("IDAT", Zlib.compress([0, 0, 0, 0, 0, 0])), ("IEND", [])]),
                  contains: "PLTE")
    assertProblem(png([header(colorType: 3), ("PLTE", [1, 2, 3]), ("IDAT", Zlib.compress([0, 0, 1, 0, 0, 0])), ("IEND", [])]),
                  contains: "palette entry 1")
    assertProblem(png([header(width: 100_000, height: 100_000), ("IEND", [])]), contains: "limit")
  }

  func testReadingAMissingFileNamesIt() {
    let url = URL(fileURLWithPath: "/nonexistent-dir/sample.png")
    XCTAssertThrowsError(try PNG.read(contentsOf: url)) { error in
      XCTAssertEqual((error as? PNGError)?.source, url.path)
    }
  }
}
