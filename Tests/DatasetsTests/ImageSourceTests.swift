import Datasets
import Foundation
import Graphics
import TensorCore
import XCTest

final class EmbeddedDigitsTests: XCTestCase {
  func testBothSplitsLoadWithTheirShapesAndLevels() throws {
    for (split, count) in [(EmbeddedDigits.Split.train, 1258), (.validation, 270)] {
      let source = try EmbeddedDigits.source(split)
      XCTAssertEqual(source.array.shape, [count, 8, 8, 1], "\(split)")
      XCTAssertEqual(source.exampleShape, [1, 8, 8])
      XCTAssertEqual(source.bins, 17)
      let bytes = source.array.rawBytes
      XCTAssertEqual(bytes.count, count * 64)
      XCTAssertEqual(bytes.max(), 16, "the digits use levels 0...16")
      XCTAssertEqual(bytes.min(), 0)
    }
  }

  func testTheCompiledInBytesAreTheCommittedFiles() throws {
    // EmbeddedDigits.c is generated and committed; this catches data changed without rerunning generate.sh.
    let digits = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/CEmbeddedDigits/digits")
    for split in EmbeddedDigits.Split.allCases {
      let file = try Data(contentsOf: digits.appendingPathComponent(EmbeddedDigits.fileName(split)))
      XCTAssertTrue(file.elementsEqual(EmbeddedDigits.npyBytes(split)),
                    "\(split): rerun Sources/CEmbeddedDigits/generate.sh and commit EmbeddedDigits.c")
    }
  }

  func testTheHistogramBaselineOnValidationIsTheIssuesBar() throws {
    // Issue 4 uses 2.43 bits/dim; NumPy on the same files with add-one smoothing gives 2.433223.
    let histogram = try PixelHistogram(fittedTo: EmbeddedDigits.source(.train), bins: 17)
    XCTAssertEqual(try histogram.bitsPerDimension(on: EmbeddedDigits.source(.validation)), 2.433223, accuracy: 1e-6)
  }
}

final class PixelHistogramTests: XCTestCase {
  private struct Rows: ExampleSource {
    let rows: [[Float]]
    var count: Int { rows.count }
    var exampleShape: Shape { [rows[0].count] }
    func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
      for (k, i) in indices.enumerated() { for (j, v) in rows[i].enumerated() { out[k * rows[i].count + j] = v } }
    }
  }

  func testAddOneSmoothedCountsByHand() throws {
    // bins 3, D = 2. Dimension 0 sees levels 0, 0, 1 → P = (2+1, 1+1, 0+1)/(3+3) = (3, 2, 1)/6;
    // dimension 1 sees 1, 2, 1 → P = (1, 3, 2)/6.
    let histogram = try PixelHistogram(fittedTo: Rows(rows: [[0, 1], [0, 2], [1, 1]]), bins: 3)
    XCTAssertEqual(histogram.logProbabilities.map { exp($0) * 6 }, [3, 2, 1, 1, 3, 2].map(Double.init),
                   accuracy: 1e-12)
    // Validation [2, 1] and [0, 0]: P = 1/6 · 3/6 and 3/6 · 1/6, so bits/dim = (2·log₂6 + 2)/4.
    let bits = try histogram.bitsPerDimension(on: Rows(rows: [[2, 1], [0, 0]]))
    XCTAssertEqual(bits, (2 * log2(6.0) + 2) / 4, accuracy: 1e-12)
    XCTAssertEqual(histogram.examples, 3)
  }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
  XCTAssertEqual(a.count, b.count, file: file, line: line)
  for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}

final class PNGFolderSourceTests: XCTestCase {
  private func write(_ image: Image, _ name: String, in directory: TemporaryDirectory) throws {
    try PNG.write(image, to: URL(fileURLWithPath: directory.file(name)))
  }

  func testGrayImagesInFileNameOrder() throws {
    let directory = try TemporaryDirectory()
    // 3 wide, 2 high; pixel (x, y) of image k holds 10k + 3y + x.
    for k in [2, 0, 1] {
      try write(Image(width: 3, height: 2, channels: 1, pixels: (0 ..< 6).map { UInt8(10 * k + $0) }),
                "img\(k).png", in: directory)
    }
    try "not an image".write(toFile: directory.file("notes.txt"), atomically: true, encoding: .utf8)
    let source = try PNGFolderSource(directory: directory.path)
    XCTAssertEqual(source.names, ["img0.png", "img1.png", "img2.png"])
    XCTAssertEqual(source.exampleShape, [1, 2, 3])
    var out = [Float](repeating: -1, count: 12)
    try [2, 0].withUnsafeBufferPointer { i in try out.withUnsafeMutableBufferPointer { try source.copyExamples(i, into: $0) } }
    XCTAssertEqual(out, [20, 21, 22, 23, 24, 25, 0, 1, 2, 3, 4, 5])
  }

  func testRGBBecomesChannelsFirstAndLevelsCanBeMerged() throws {
    let directory = try TemporaryDirectory()
    // 2×1 RGB: pixel 0 = (8, 16, 255), pixel 1 = (0, 7, 128).
    try write(Image(width: 2, height: 1, channels: 3, pixels: [8, 16, 255, 0, 7, 128]), "a.png", in: directory)
    var out = [Float](repeating: -1, count: 6)
    let full = try PNGFolderSource(directory: directory.path)
    try [0].withUnsafeBufferPointer { i in try out.withUnsafeMutableBufferPointer { try full.copyExamples(i, into: $0) } }
    XCTAssertEqual(out, [8, 0, 16, 7, 255, 128], "[C, H, W]: the red plane, then green, then blue")
    let fiveBit = try PNGFolderSource(directory: directory.path, bins: 32, reducingFrom: 256)
    try [0].withUnsafeBufferPointer { i in try out.withUnsafeMutableBufferPointer { try fiveBit.copyExamples(i, into: $0) } }
    XCTAssertEqual(out, [1, 0, 2, 0, 31, 16], "level = stored / 8")
  }

  func testAnOddSizeOrColorTypeNamesTheFile() throws {
    let directory = try TemporaryDirectory()
    try write(Image(width: 4, height: 4, channels: 1, filledWith: .black), "a.png", in: directory)
    try write(Image(width: 4, height: 5, channels: 1, filledWith: .black), "b.png", in: directory)
    assertDataFileError(directory.path, contains: "'b.png' is 4×5 but 'a.png' (the first file) is 4×4") {
      _ = try PNGFolderSource(directory: directory.path)
    }
    try write(Image(width: 4, height: 4, channels: 3, filledWith: .black), "b.png", in: directory)
    assertDataFileError(directory.path, contains: "'b.png' has RGB pixels but 'a.png' (the first file) has grayscale") {
      _ = try PNGFolderSource(directory: directory.path)
    }
  }

  func testAlphaLevelsOutOfRangeAndEmptyFoldersAreErrors() throws {
    let directory = try TemporaryDirectory()
    assertDataFileError(directory.path, contains: "holds no .png files") {
      _ = try PNGFolderSource(directory: directory.path)
    }
    try write(Image(width: 2, height: 2, channels: 1, pixels: [0, 3, 17, 2]), "digit.png", in: directory)
    assertDataFileError(directory.path, contains: "'digit.png' holds level 17 but only 0..<17 are allowed") {
      _ = try PNGFolderSource(directory: directory.path, bins: 17)
    }
    XCTAssertEqual(try PNGFolderSource(directory: directory.path, bins: 18).bins, 18)
    try write(Image(width: 2, height: 2, channels: 4, filledWith: .black), "a.png", in: directory)
    assertDataFileError(directory.path, contains: "'a.png' has an alpha channel") {
      _ = try PNGFolderSource(directory: directory.path)
    }
  }
}
