import Foundation
import Graphics
import XCTest

/// SplitMix64, so random test inputs are reproducible from the seed printed on failure.
struct TestGenerator: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

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

/// Runs Python scripts so tests can compare against an independent PNG writer and reader.
enum Python {
  /// The python3 on PATH; tests skip when there is none, or fail when CI=true.
  static func executable(file: StaticString, line: UInt) throws -> URL {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("python3")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw unavailable("python3 is not on PATH", file: file, line: line)
  }

  /// A skip on a developer machine; on CI (CI=true) a failure, so CI never passes a check it did not run.
  private static func unavailable(_ reason: String, file: StaticString, line: UInt) -> XCTSkip {
    let message = "\(reason); the cross-check against an independent PNG writer and reader cannot run"
    if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message, file: file, line: line) }
    return XCTSkip(message)
  }

  /// Runs `script` with `arguments`; fails the test with Python's stderr when it exits non-zero.
  @discardableResult
  static func run(_ script: String, arguments: [String], file: StaticString = #filePath,
                  line: UInt = #line) throws -> String {
    let process = Process()
    process.executableURL = try executable(file: file, line: line)
    process.arguments = ["-c", script] + arguments
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: output, as: UTF8.self)
    if process.terminationStatus != 0 {
      // A broken pyenv shim exits 127 without running anything: treat it like a missing python3.
      if process.terminationStatus == 127 { throw unavailable("python3 could not start", file: file, line: line) }
      XCTFail("python3 failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))",
              file: file, line: line)
    }
    return text
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
