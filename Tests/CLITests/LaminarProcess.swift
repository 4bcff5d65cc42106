import Foundation
import XCTest

/// The built `laminar` executable, run as a subprocess the way a user runs it.
enum LaminarProcess {
  /// What one run printed and how it ended.
  struct Outcome {
    let status: Int32
    /// `.uncaughtSignal` when the process trapped (a Swift runtime failure ends in SIGILL/SIGTRAP).
    let reason: Process.TerminationReason
    let output: String
    let errors: String
    var timedOut = false
  }

  /// `laminar` beside the test bundle in the build products directory (`swift test` builds every
  /// product), or `$LAMINAR_EXECUTABLE`.
  static func executable() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["LAMINAR_EXECUTABLE"] { return URL(fileURLWithPath: path) }
    let directories = [Bundle.main.executableURL?.deletingLastPathComponent(),
                       Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()].compactMap { $0 }
    for directory in directories {
      let candidate = directory.appendingPathComponent("laminar")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw LaminarNotBuilt(description: "no laminar executable in \(directories.map(\.path)); run swift build, "
                          + "or set LAMINAR_EXECUTABLE")
  }

  /// The repository root, for `configs/`.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Runs `laminar arguments…` in the repository root, in `environment` (default: the tests' own);
  /// kills it after `timeout` seconds.
  static func run(_ arguments: [String], environment: [String: String]? = nil,
                  timeout: TimeInterval = 60) throws -> Outcome {
    let process = Process()
    process.executableURL = try executable()
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.currentDirectoryURL = root
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    // Both pipes drain at once, so neither fills up and blocks the child.
    let collected = Collected()
    let readers = DispatchGroup()
    DispatchQueue.global().async(group: readers) { collected.output = output.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: readers) { collected.errors = errors.fileHandleForReading.readDataToEndOfFile() }
    let timedOut = finished.wait(timeout: .now() + timeout) == .timedOut
    if timedOut {
      process.terminate()
      finished.wait()
    }
    readers.wait()
    return Outcome(status: process.terminationStatus, reason: process.terminationReason,
                   output: String(decoding: collected.output, as: UTF8.self),
                   errors: String(decoding: collected.errors, as: UTF8.self), timedOut: timedOut)
  }

  private final class Marker {}

  private final class Collected: @unchecked Sendable {
    var output = Data()
    var errors = Data()
  }

  struct LaminarNotBuilt: Error, CustomStringConvertible { let description: String }
}
