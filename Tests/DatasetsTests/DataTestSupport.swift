import Datasets
import Foundation
import Support
import XCTest
import _TestSupport

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory
      .appendingPathComponent("laminar-data-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs Python scripts as an independent implementation of the formats. Tests that need it skip
/// when `python3` with NumPy is not on the PATH, and fail instead under `CI=true`.
enum Python {
  /// Runs `python3 -c script arguments…`; fails the test with Python's stderr on a non-zero exit.
  static func run(_ script: String, _ arguments: [String] = [],
                  file: StaticString = #filePath, line: UInt = #line) throws -> String {
    try PythonProcess.require("numpy")
    let result = try PythonProcess.run(script, arguments)
    if result.status != 0 { XCTFail("python3 failed:\n\(result.errors)", file: file, line: line) }
    return result.output
  }

}

/// File surgery for corruption tests.
enum FileBytes {
  static func read(_ path: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: path)!)
  }

  static func write(_ bytes: [UInt8], to path: String) {
    XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Foundation.Data(bytes)))
  }
}

/// Asserts that `body` throws a `DataFileError` for `path` whose message contains `fragment`.
func assertDataFileError(
  _ path: String, contains fragment: String, file: StaticString = #filePath, line: UInt = #line,
  _ body: () throws -> Void
) {
  do {
    try body()
    XCTFail("expected an error containing '\(fragment)'", file: file, line: line)
  } catch let error as DataFileError {
    XCTAssertEqual(error.path, path, file: file, line: line)
    XCTAssertTrue(error.reason.contains(fragment), "'\(error.reason)' lacks '\(fragment)'", file: file, line: line)
  } catch {
    XCTFail("unexpected error \(error)", file: file, line: line)
  }
}
