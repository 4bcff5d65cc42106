import CZlib
import Graphics
import XCTest
import _TestSupport

/// Damaged and invalid files, forged chunk by chunk with zlib's crc32 and compress.
final class PNGErrorTests: XCTestCase {
  private static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

  /// A PNG file assembled from `(type, data)` chunks with correct CRCs.
  private func png(_ chunks: [(String, [UInt8])]) -> [UInt8] {
    var file = Self.signature
    for (type, data) in chunks {
      let typed = Array(type.utf8) + data
      file += bigEndian(UInt32(data.count)) + typed
      file += bigEndian(UInt32(typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }))
    }
    return file
  }

  private func bigEndian(_ value: UInt32) -> [UInt8] {
    [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
  }

  private func header(width: UInt32 = 2, height: UInt32 = 2, depth: UInt8 = 8, colorType: UInt8 = 0,
                      interlace: UInt8 = 0) -> (String, [UInt8]) {
    ("IHDR", bigEndian(width) + bigEndian(height) + [depth, colorType, 0, 0, interlace])
  }

  /// An IDAT chunk holding `scanlines` (filter byte + samples per row) as one zlib stream.
  private func idat(_ scanlines: [UInt8]) -> (String, [UInt8]) {
    var size = compressBound(uLong(scanlines.count))
    var stream = [UInt8](repeating: 0, count: Int(size))
    let status = compress(&stream, &size, scanlines, uLong(scanlines.count))
    precondition(status == Z_OK, "zlib compress failed with \(status)")
    return ("IDAT", Array(stream.prefix(Int(size))))
  }

  /// A 2×2 gray image with pixels 1, 2, 3, 4.
  private var good: [UInt8] { png([header(), idat([0, 1, 2, 0, 3, 4]), ("IEND", [])]) }

  private func flipping(_ bytes: [UInt8], at index: Int) -> [UInt8] {
    var bytes = bytes
    bytes[index] ^= 1
    return bytes
  }

  /// (case, file, text the problem must contain)
  private var malformed: [(String, [UInt8], String)] {
    let end = ("IEND", [UInt8]())
    return [
      ("empty file", [], "truncated"),
      ("bad signature", Array(good.dropFirst()), "Not a PNG file"),
      ("cut inside IEND", Array(good.prefix(good.count - 6)), "truncated"),
      ("cut inside IDAT", Array(good.prefix(45)), "truncated"),
      ("bad IHDR CRC", flipping(good, at: Self.signature.count + 8), "IHDR: CRC error"),
      ("bad IDAT CRC", flipping(good, at: good.count - 12 - 2), "IDAT: CRC error"),
      ("IHDR missing", png([idat([0, 1, 2, 0, 3, 4]), end]), "Missing IHDR"),
      ("bit depth 3", png([header(depth: 3), end]), "Invalid IHDR data after the warning 'Invalid bit depth in IHDR'"),
      ("color type 5", png([header(colorType: 5), end]), "Invalid color type in IHDR"),
      ("16-bit palette", png([header(depth: 16, colorType: 3), end]), "Invalid color type/bit depth combination"),
      ("interlace method 2", png([header(interlace: 2), end]), "Unknown interlace method"),
      ("zero width", png([header(width: 0), end]), "Image width is zero"),
      ("width past libpng's limit", png([header(width: 2_000_000, height: 1), end]), "width exceeds user limit"),
      ("too many pixels", png([header(width: 100_000, height: 100_000), idat([0]), end]), "exceed the decoder's limit"),
      ("unknown critical chunk", png([header(), ("ABCD", []), end]), "ABCD: unhandled critical chunk"),
      ("palette without PLTE", png([header(colorType: 3), idat([0, 0, 0, 0, 0, 0]), end]), "Missing PLTE"),
      ("no IDAT", png([header(), end]), "IEND: out of place"),
      ("not a zlib stream", png([header(), ("IDAT", [1, 2, 3]), end]), "incorrect header check"),
      ("too little image data", png([header(colorType: 2), idat([0, 1, 2]), end]), "Not enough image data"),
      ("filter type 7", png([header(), idat([7, 1, 2, 0, 3, 4]), end]), "bad adaptive filter value"),
    ]
  }

  func testGoodFileDecodes() throws {
    XCTAssertEqual(try PNG.decode(good), Image(width: 2, height: 2, channels: 1, pixels: [1, 2, 3, 4]))
  }

  func testEveryMalformedFileThrowsAnErrorNamingTheFileAndTheProblem() {
    for (name, bytes, text) in malformed {
      XCTAssertThrowsError(try PNG.decode(bytes, source: "digits/7.png"), name) { error in
        guard let error = error as? PNGError else { return XCTFail("\(name): not a PNGError: \(error)") }
        XCTAssertEqual(error.source, "digits/7.png", name)
        XCTAssert(error.problem.contains(text), "\(name): '\(error.problem)' should mention '\(text)'")
      }
    }
  }

  func testRandomlyDamagedFilesThrowOrDecodeToTheOriginal() {
    // Every chunk carries a CRC, so damage either throws or hit an ancillary chunk libpng drops.
    let seed: UInt64 = 57
    var generator = SeededGenerator(seed: seed)
    let image = Image(width: 9, height: 7, channels: 3, pixels: generator.bytes(9 * 7 * 3))
    let file = PNG.encode(image)
    for trial in 0..<300 {
      var damaged = file
      for _ in 0..<Int.random(in: 1...4, using: &generator) {
        damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
      }
      if trial % 3 == 0 { damaged.removeLast(Int.random(in: 0..<damaged.count, using: &generator)) }
      do throws(PNGError) {
        let decoded = try PNG.decode(damaged)
        XCTAssertEqual(decoded, image, "trial \(trial) (seed \(seed))")
      } catch {
        XCTAssertFalse(error.problem.isEmpty, "trial \(trial) (seed \(seed))")
      }
    }
  }

  func testDamagedAncillaryChunksAreSkipped() throws {
    // libpng only warns about an ancillary chunk with a bad CRC and drops it.
    let text = png([header(), ("tEXt", Array("Comment\u{0}hi".utf8)), idat([0, 1, 2, 0, 3, 4]), ("IEND", [])])
    let damaged = flipping(text, at: Self.signature.count + 25 + 8)
    XCTAssertEqual(try PNG.decode(damaged), Image(width: 2, height: 2, channels: 1, pixels: [1, 2, 3, 4]))
  }

  func testReadingAMissingFileNamesIt() {
    let url = URL(fileURLWithPath: "/nonexistent-dir/sample.png")
    XCTAssertThrowsError(try PNG.read(contentsOf: url)) { error in
      XCTAssertEqual((error as? PNGError)?.source, url.path)
    }
  }
}
