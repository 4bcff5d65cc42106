@testable import Graphics
import XCTest

final class DeflateTests: XCTestCase {
  /// Inputs that exercise literals, short and maximal matches, overlapping matches and stored blocks.
  private func sampleInputs(seed: UInt64) -> [(name: String, bytes: [UInt8])] {
    var generator = TestGenerator(seed: seed)
    let text = Array(String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 300).utf8)
    var mixed: [UInt8] = []
    for _ in 0..<40 {
      mixed += generator.bytes(Int.random(in: 0...300, using: &generator))
      mixed += [UInt8](repeating: UInt8.random(in: 0...255, using: &generator), count: Int.random(in: 0...600, using: &generator))
      mixed += text.prefix(Int.random(in: 0...2000, using: &generator))
    }
    return [
      ("empty", []),
      ("one byte", [42]),
      ("three bytes", [1, 2, 3]),
      ("zeros", [UInt8](repeating: 0, count: 100_000)),
      ("random", generator.bytes(70_000)),
      ("text", text),
      ("mixed", mixed),
    ]
  }

  func testZlibRoundTrip() throws {
    for (name, bytes) in sampleInputs(seed: 1) {
      let stream = Zlib.compress(bytes)
      assertBytesEqual(try Zlib.decompress(stream), bytes, "round trip of \(name) (seed 1)")
    }
  }

  func testCompressionIsReal() {
    let inputs = sampleInputs(seed: 2)
    let zeros = inputs.first { $0.name == "zeros" }!.bytes
    let text = inputs.first { $0.name == "text" }!.bytes
    let random = inputs.first { $0.name == "random" }!.bytes
    XCTAssertLessThan(Zlib.compress(zeros).count, 500)
    XCTAssertLessThan(Zlib.compress(text).count, text.count / 20)
    // Incompressible data falls back to stored blocks: 5 header bytes per block, under 0.1 % in all.
    XCTAssertLessThanOrEqual(Zlib.compress(random).count, random.count + random.count / 1000)
  }

  /// The block type is bits 1–2 of the first byte of a raw DEFLATE stream.
  private func firstBlockType(_ deflate: [UInt8]) -> UInt8 { (deflate[0] >> 1) & 3 }

  func testEncoderPicksTheCheapestBlockType() throws {
    var generator = TestGenerator(seed: 3)
    XCTAssertEqual(firstBlockType(Deflate.compress(generator.bytes(5000))), 0, "random data → stored")
    XCTAssertEqual(firstBlockType(Deflate.compress(Array("abcabcabc".utf8))), 1, "tiny input → fixed")
    // Skewed literals (mostly small values, like filtered image rows) pay for a dynamic header.
    let skewed = (0..<20000).map { _ in UInt8(min(255, Int(abs(Double.random(in: -1...1, using: &generator)) * 8))) }
    XCTAssertEqual(firstBlockType(Deflate.compress(skewed)), 2, "skewed data → dynamic")
    assertBytesEqual(try Inflate.decompress(Deflate.compress(skewed)).bytes, skewed, "skewed round trip")
  }

  func testCorruptStreamsThrow() {
    let stream = Zlib.compress(Array(String(repeating: "hello world ", count: 50).utf8))
    var badChecksum = stream
    badChecksum[badChecksum.count - 1] ^= 1
    XCTAssertThrowsError(try Zlib.decompress(badChecksum)) { error in
      guard case InflateError.checksumMismatch = error else { return XCTFail("got \(error)") }
    }
    XCTAssertThrowsError(try Zlib.decompress(Array(stream.prefix(stream.count / 2))))
    var badHeader = stream
    badHeader[1] ^= 1
    XCTAssertThrowsError(try Zlib.decompress(badHeader)) { error in
      guard case InflateError.badZlibHeader = error else { return XCTFail("got \(error)") }
    }
    // Final block with the reserved type 3.
    XCTAssertThrowsError(try Inflate.decompress([0b0000_0111])) { error in
      XCTAssertEqual(error as? InflateError, .invalidBlockType)
    }
    // A fixed block whose first symbol is a match (length 3, distance 1) with nothing decoded yet.
    var writer = BitWriter()
    writer.write(1, bits: 1)
    writer.write(1, bits: 2)
    FixedCodes.literalLength.write(257, to: &writer)
    FixedCodes.distance.write(0, to: &writer)
    XCTAssertThrowsError(try Inflate.decompress(writer.finish())) { error in
      XCTAssertEqual(error as? InflateError, .distanceTooFar(distance: 1, available: 0))
    }
  }

  func testOutputLimitStopsDecompressionBombs() {
    let stream = Zlib.compress([UInt8](repeating: 7, count: 1_000_000))
    XCTAssertThrowsError(try Zlib.decompress(stream, limit: 10_000)) { error in
      XCTAssertEqual(error as? InflateError, .outputTooLarge(limit: 10_000))
    }
  }

  func testDistanceSymbolAgreesWithTheBaseTable() {
    for distance in 1...DeflateTables.windowSize {
      let symbol = DeflateTables.distanceSymbol(distance)
      let base = DeflateTables.distanceBase[symbol]
      XCTAssert(base <= distance && distance < base + (1 << DeflateTables.distanceExtraBits[symbol]),
                "distance \(distance) mapped to symbol \(symbol)")
    }
  }

  func testLengthSymbolsCoverEveryMatchLength() {
    for length in DeflateTables.minMatch...DeflateTables.maxMatch {
      let index = Int(DeflateTables.lengthSymbolIndex[length])
      let base = DeflateTables.lengthBase[index]
      XCTAssert(base <= length && length < base + (1 << DeflateTables.lengthExtraBits[index]) + (index == 28 ? 1 : 0),
                "length \(length) mapped to symbol \(257 + index)")
    }
    XCTAssertEqual(DeflateTables.lengthSymbolIndex[258], 28)
  }

  func testLengthLimitedCodesAreCompleteAndWithinTheLimit() {
    // Fibonacci frequencies force a plain Huffman tree to depth n - 1; the limit must cap it.
    var frequencies = [1, 1]
    while frequencies.count < 30 { frequencies.append(frequencies[frequencies.count - 1] + frequencies[frequencies.count - 2]) }
    for limit in [7, 15] {
      let lengths = HuffmanLengths.build(frequencies: frequencies, limit: limit)
      XCTAssertLessThanOrEqual(Int(lengths.max()!), limit)
      let kraft = lengths.reduce(0.0) { $0 + pow(2.0, -Double($1)) }
      XCTAssertEqual(kraft, 1.0, accuracy: 1e-12, "limit \(limit): lengths \(lengths)")
    }
    // Unconstrained, package-merge equals Huffman: frequencies 1,1,2,4 give lengths 3,3,2,1.
    XCTAssertEqual(HuffmanLengths.build(frequencies: [1, 1, 2, 4], limit: 15), [3, 3, 2, 1])
  }
}
