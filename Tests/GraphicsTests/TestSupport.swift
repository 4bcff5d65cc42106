import Foundation
import Graphics
import XCTest
import _TestSupport

extension SeededGenerator {
  /// `count` random bytes.
  mutating func bytes(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
  }
}

/// A fresh directory under the system temporary directory, removed by the caller's teardown.
func makeScratchDirectory(_ name: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("graphics-tests-\(name)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Runs a Python script (the independent PNG writer and reader these tests compare with) through
/// the one runner of `_TestSupport`: a skip without python3, a failure under `CI=true`.
enum Python {
  /// Runs `script` with `arguments`; fails the test with Python's stderr when it exits non-zero.
  @discardableResult
  static func run(_ script: String, arguments: [String], file: StaticString = #filePath,
                  line: UInt = #line) throws -> String {
    try PythonProcess.require("zlib", "struct")
    let result = try PythonProcess.run(script, arguments)
    if result.status != 0 {
      XCTFail("python3 failed (\(result.status)): \(result.errors)", file: file, line: line)
    }
    return result.output
  }
}

func readBytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
func writeBytes(_ bytes: [UInt8], to url: URL) throws { try Data(bytes).write(to: url) }

/// Compares byte arrays, reporting the lengths and the first difference instead of both arrays.
func assertBytesEqual(_ actual: [UInt8], _ expected: [UInt8], _ message: String,
                      file: StaticString = #filePath, line: UInt = #line) {
  guard actual != expected else { return }
  let shared = min(actual.count, expected.count)
  let index = (0..<shared).first { actual[$0] != expected[$0] } ?? shared
  let got = index < actual.count ? "\(actual[index])" : "end"
  let want = index < expected.count ? "\(expected[index])" : "end"
  XCTFail("\(message): \(actual.count) bytes vs \(expected.count) expected; first difference at \(index): \(got) ≠ \(want)",
          file: file, line: line)
}

/// Compares images by size, channels and pixels with a short failure message.
func assertImagesEqual(_ actual: Image, _ expected: Image, _ message: String,
                       file: StaticString = #filePath, line: UInt = #line) {
  XCTAssertEqual([actual.width, actual.height, actual.channels], [expected.width, expected.height, expected.channels],
                 message, file: file, line: line)
  assertBytesEqual(actual.pixels, expected.pixels, message, file: file, line: line)
}
