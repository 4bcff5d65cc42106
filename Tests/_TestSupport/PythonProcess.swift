import Foundation

/// Runs `python3 -c script arguments…`, the independent implementation some tests compare with
/// (NumPy reading our files, our readers reading NumPy's).
public enum PythonProcess {
  /// Whether `python3` with NumPy is on the PATH; tests that need it skip otherwise.
  public static let hasNumPy: Bool = (try? run("import numpy", []))?.status == 0

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
}
