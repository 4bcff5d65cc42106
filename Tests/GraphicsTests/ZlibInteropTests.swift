@testable import Graphics
import XCTest

/// Cross-checks against CPython's zlib, an independent DEFLATE implementation.
final class ZlibInteropTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = try makeScratchDirectory("zlib")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: directory)
  }

  func testPythonZlibAcceptsOurStreams() throws {
    var generator = TestGenerator(seed: 21)
    let text = Array(String(repeating: "density estimation with normalizing flows; ", count: 400).utf8)
    let smooth = (0..<50000).map { UInt8(truncatingIfNeeded: Int(100 + 60 * sin(Double($0) / 300))) }
    let inputs: [[UInt8]] = [[], [9], text, smooth, generator.bytes(40000), text + generator.bytes(3000) + text]
    for (index, input) in inputs.enumerated() {
      try writeBytes(input, to: directory.appendingPathComponent("\(index).raw"))
      try writeBytes(Zlib.compress(input), to: directory.appendingPathComponent("\(index).z"))
    }
    let script = """
      import sys, zlib, os
      d, n = sys.argv[1], int(sys.argv[2])
      for i in range(n):
          raw = open(os.path.join(d, f"{i}.raw"), "rb").read()
          out = zlib.decompress(open(os.path.join(d, f"{i}.z"), "rb").read())
          assert out == raw, f"stream {i}: python decoded {len(out)} bytes that differ from the {len(raw)} input bytes"
      print("ok", n)
      """
    let output = try Python.run(script, arguments: [directory.path, "\(inputs.count)"])
    XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "ok \(inputs.count)")
  }

  func testWeInflatePythonDynamicStreamsWithLongMatches() throws {
    // Long repeats (runs > 258, distances near 32 KiB) and text compressed at level 9.
    let script = """
      import sys, zlib, random, os
      d = sys.argv[1]
      rng = random.Random(5)
      words = [bytes(rng.choice(b"abcdefghij") for _ in range(rng.randint(2, 9))) for _ in range(300)]
      text = b" ".join(rng.choice(words) for _ in range(30000))
      block = bytes(rng.randrange(256) for _ in range(20000))
      data = text + b"\\x00" * 5000 + block + bytes(rng.randrange(256) for _ in range(12000)) + block + text[:40000]
      open(os.path.join(d, "data.raw"), "wb").write(data)
      open(os.path.join(d, "data.z"), "wb").write(zlib.compress(data, 9))
      """
    try Python.run(script, arguments: [directory.path])
    let raw = try readBytes(directory.appendingPathComponent("data.raw"))
    let stream = try readBytes(directory.appendingPathComponent("data.z"))
    XCTAssertEqual((stream[2] >> 1) & 3, 2, "python's level-9 stream should start with a dynamic block")
    assertBytesEqual(try Zlib.decompress(stream), raw, "python level-9 stream")
  }
}
