import Foundation
import Graphics
import XCTest
import _TestSupport

/// Bicubic resizing against Pillow's own `Image.resize(…, BICUBIC)`: the same bytes for 8-bit gray
/// and RGB images and the same Float32 values for mode "F", down and up, by integer and odd
/// ratios, one axis or both (skipped without python3 + Pillow; launch/setup installs it).
final class ResamplingPillowTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    try PythonProcess.require("PIL", "numpy")
    directory = try makeScratchDirectory("resampling")
  }

  override func tearDownWithError() throws {
    if let directory { try? FileManager.default.removeItem(at: directory) }
  }

  /// For each line "NAME MODE w h W H" of cases.txt: NAME.in (raw samples) resized by Pillow to
  /// NAME.out (raw samples; mode F as little-endian float32).
  private static let pillowScript = """
    import sys, numpy as np
    from PIL import Image
    d = sys.argv[1]
    for line in open(d + '/cases.txt'):
        name, mode, w, h, W, H = line.split()
        with open(f'{d}/{name}.in', 'rb') as f:
            image = Image.frombytes(mode, (int(w), int(h)), f.read())
        out = np.asarray(image.resize((int(W), int(H)), Image.Resampling.BICUBIC))
        with open(f'{d}/{name}.out', 'wb') as f:
            f.write(out.astype('<f4').tobytes() if mode == 'F' else out.tobytes())
    """

  /// (width, height) → (width, height): the SR degradations (32 → 8, 16), their inverses, odd
  /// ratios in both directions, a single-axis resize, and sizes below the kernel's support.
  private static let sizes: [(Int, Int, Int, Int)] = [
    (32, 32, 8, 8), (32, 32, 16, 16), (8, 8, 32, 32), (16, 16, 32, 32), (37, 23, 10, 7), (5, 7, 13, 11),
    (40, 12, 40, 5), (19, 3, 7, 3), (3, 2, 1, 9), (64, 48, 21, 50),
  ]

  /// Random bytes for even cases, a saturated 0/255 checkerboard with noise for odd ones, so the
  /// cubic's overshoot is clamped at both ends.
  private func pixels(_ count: Int, case k: Int, using generator: inout SeededGenerator) -> [UInt8] {
    if k % 2 == 0 { return generator.bytes(count) }
    return (0..<count).map { i in ((i / 3 + i / 17) % 2 == 0 ? 250 : 5) &+ UInt8.random(in: 0...5, using: &generator) }
  }

  func testEightBitGrayAndRGBMatchPillowByteForByte() throws {
    var generator = SeededGenerator(seed: 41)
    var cases: [(name: String, image: Image, width: Int, height: Int)] = []
    for (k, (w, h, newW, newH)) in Self.sizes.enumerated() {
      for channels in [1, 3] {
        let image = Image(width: w, height: h, channels: channels,
                          pixels: pixels(w * h * channels, case: k, using: &generator))
        cases.append(("u\(k)c\(channels)", image, newW, newH))
      }
    }
    var list = ""
    for c in cases {
      try writeBytes(c.image.pixels, to: directory.appendingPathComponent(c.name + ".in"))
      list += "\(c.name) \(c.image.channels == 1 ? "L" : "RGB") \(c.image.width) \(c.image.height) \(c.width) \(c.height)\n"
    }
    try list.write(to: directory.appendingPathComponent("cases.txt"), atomically: true, encoding: .utf8)
    try Python.run(Self.pillowScript, arguments: [directory.path])
    for c in cases {
      let want = try readBytes(directory.appendingPathComponent(c.name + ".out"))
      let got = c.image.resizedBicubic(width: c.width, height: c.height)
      assertBytesEqual(got.pixels, want, "\(c.name): \(c.image.width)×\(c.image.height) → \(c.width)×\(c.height)")
    }
  }

  func testFloatImagesMatchPillowModeFExactly() throws {
    var generator = SeededGenerator(seed: 42)
    var cases: [(name: String, values: [Float], w: Int, h: Int, newW: Int, newH: Int)] = []
    for (k, (w, h, newW, newH)) in Self.sizes.enumerated() {
      let values = (0..<(w * h)).map { _ in Float.random(in: -3...300, using: &generator) }
      cases.append(("f\(k)", values, w, h, newW, newH))
    }
    var list = ""
    for c in cases {
      let bytes = c.values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
      try writeBytes(bytes, to: directory.appendingPathComponent(c.name + ".in"))
      list += "\(c.name) F \(c.w) \(c.h) \(c.newW) \(c.newH)\n"
    }
    try list.write(to: directory.appendingPathComponent("cases.txt"), atomically: true, encoding: .utf8)
    try Python.run(Self.pillowScript, arguments: [directory.path])
    for c in cases {
      let raw = try readBytes(directory.appendingPathComponent(c.name + ".out"))
      let want = stride(from: 0, to: raw.count, by: 4).map { i in
        Float(bitPattern: UInt32(raw[i]) | UInt32(raw[i + 1]) << 8 | UInt32(raw[i + 2]) << 16 | UInt32(raw[i + 3]) << 24)
      }
      let got = Resampling.bicubic(c.values, height: c.h, width: c.w, channels: 1, toHeight: c.newH, width: c.newW)
      XCTAssertEqual(got, want, "\(c.name): \(c.w)×\(c.h) → \(c.newW)×\(c.newH)")
    }
  }
}
