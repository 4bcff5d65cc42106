import Foundation

/// Runs `python3 -c script arguments…`, the independent implementation some tests compare with
/// (NumPy reading our files, our readers reading NumPy's). The interpreter is the `python3` on
/// PATH, the one launch/setup provisions with NumPy.
public enum PythonProcess {
  /// Returns when `python3` can import every module in `modules`; otherwise throws
  /// `MissingDependency.skipOrFail`: a skip on a developer's machine, a failure under `CI=true`.
  public static func require(_ modules: String...) throws {
    if let problem = availability.problem(importing: modules) { throw MissingDependency.skipOrFail(problem) }
  }

  public static func run(_ script: String, _ arguments: [String]) throws
    -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
  }

  private static let availability = ImportCache()
}

/// Which module lists `python3` failed to import, and why, asked once per list.
private final class ImportCache: @unchecked Sendable {
  private let lock = NSLock()
  private var problems: [[String]: String?] = [:]

  func problem(importing modules: [String]) -> String? {
    lock.withLock {
      if let known = problems[modules] { return known }
      let problem = Self.ask(modules)
      problems[modules] = problem
      return problem
    }
  }

  private static func ask(_ modules: [String]) -> String? {
    let what = "python3 with \(modules.joined(separator: ", "))"
    guard let result = try? PythonProcess.run("import " + modules.joined(separator: ", "), []) else {
      return "\(what) is not available: /usr/bin/env could not start"
    }
    guard result.status != 0 else { return nil }
    let reason = result.errors.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
    return "\(what) is not available: \(reason)"
  }
}
