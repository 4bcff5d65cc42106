import Graphics
import XCTest
import _TestSupport

final class PNGTests: XCTestCase {
  private func randomImage(width: Int, height: Int, channels: Int, using generator: inout SeededGenerator) -> Image {
    Image(width: width, height: height, channels: channels, pixels: generator.bytes(width * height * channels))
  }

  func testRoundTripRandomImagesOfEveryColorTypeAndOddSizes() throws {
    let seed: UInt64 = 31
    var generator = SeededGenerator(seed: seed)
    let sizes = [(1, 1), (1, 17), (17, 1), (13, 7), (31, 29)]
    for channels in 1...4 {
      for (width, height) in sizes {
        let image = randomImage(width: width, height: height, channels: channels, using: &generator)
        let decoded = try PNG.decode(PNG.encode(image))
        assertImagesEqual(decoded, image, "\(width)×\(height)×\(channels) (seed \(seed))")
      }
    }
  }

  func testHeaderStoresTheSizeAnd8BitColorTypeOfTheChannels() {
    // IHDR follows the 8-byte signature, its length and type: width, height, bit depth, color type.
    for (channels, colorType) in [(1, 0), (2, 4), (3, 2), (4, 6)] as [(Int, UInt8)] {
      let file = PNG.encode(Image(width: 300, height: 2, channels: channels, filledWith: .white))
      XCTAssertEqual(Array(file[12..<16]), Array("IHDR".utf8))
      XCTAssertEqual(Array(file[16..<26]), [0, 0, 1, 44, 0, 0, 0, 2, 8, colorType], "\(channels) channels")
    }
  }

  func testSmoothImageCompressesWellBelowRaw() throws {
    var image = Image(width: 256, height: 256, channels: 3, filledWith: .black)
    for y in 0..<256 {
      for x in 0..<256 {
        image.setColor(Color(red: UInt8(x), green: UInt8(y), blue: UInt8((x + y) / 2)), x: x, y: y)
      }
    }
    let encoded = PNG.encode(image)
    XCTAssertLessThan(encoded.count, image.pixels.count / 20, "\(encoded.count) bytes for \(image.pixels.count) raw")
    assertImagesEqual(try PNG.decode(encoded), image, "smooth image")
  }

  func testWriteIsAtomicAndReadsBack() throws {
    let directory = try makeScratchDirectory("png-write")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("picture.png")
    let first = Image(width: 3, height: 2, channels: 1, pixels: [0, 50, 100, 150, 200, 250])
    try PNG.write(first, to: url)
    let second = Image(width: 2, height: 2, channels: 4, filledWith: Color(red: 1, green: 2, blue: 3, alpha: 4))
    try PNG.write(second, to: url)
    XCTAssertEqual(try PNG.read(contentsOf: url), second)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["picture.png"],
                   "no temporary file left behind")

    let missing = directory.appendingPathComponent("no-such-dir/x.png")
    XCTAssertThrowsError(try PNG.write(first, to: missing)) { error in
      XCTAssertEqual((error as? PNGError)?.source, missing.path)
    }
  }

  func testReadFolderLoadsPNGsSortedByName() throws {
    let directory = try makeScratchDirectory("png-folder")
    defer { try? FileManager.default.removeItem(at: directory) }
    for (index, name) in ["b.png", "a.PNG", "c.png"].enumerated() {
      try PNG.write(Image(width: 1, height: 1, channels: 1, pixels: [UInt8(index)]),
                    to: directory.appendingPathComponent(name))
    }
    try writeBytes([1, 2, 3], to: directory.appendingPathComponent("notes.txt"))
    let loaded = try PNG.readFolder(directory)
    XCTAssertEqual(loaded.map(\.name), ["a.PNG", "b.png", "c.png"])
    XCTAssertEqual(loaded.map { $0.image.pixels[0] }, [1, 0, 2])
  }

  func testReadFolderNamesTheFileThatCannotBeDecoded() throws {
    let directory = try makeScratchDirectory("png-folder-bad")
    defer { try? FileManager.default.removeItem(at: directory) }
    try PNG.write(Image(width: 1, height: 1, channels: 1, pixels: [7]), to: directory.appendingPathComponent("a.png"))
    let bad = directory.appendingPathComponent("b.png")
    try writeBytes(Array("not a picture".utf8), to: bad)
    XCTAssertThrowsError(try PNG.readFolder(directory)) { error in
      XCTAssertEqual((error as? PNGError)?.source, bad.path)
    }
  }
}
