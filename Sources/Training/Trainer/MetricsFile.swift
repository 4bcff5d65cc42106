import Foundation

/// Maintenance of an existing `metrics.jsonl` when a run resumes.
enum MetricsFile {
  /// Keeps the lines whose `step` is at most `step` and drops the rest, replacing the file
  /// atomically. A resumed run repeats the steps after its checkpoint, and without this their
  /// old values would appear twice. Lines that do not parse (a line torn by a crash) are dropped.
  static func truncate(_ path: String, afterStep step: Int) throws {
    guard FileManager.default.fileExists(atPath: path) else { return }
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw TrainerError("cannot read '\(path)' to continue it: \(error.localizedDescription); "
                         + "move it away to start a new metrics file")
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    let kept = lines.filter { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let lineStep = object["step"] as? Int else { return false }
      return lineStep <= step
    }
    guard kept.count != lines.count || !text.isEmpty && !text.hasSuffix("\n") else { return }
    let body = kept.map { $0 + "\n" }.joined()
    do {
      try Data(body.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw TrainerError("cannot rewrite '\(path)': \(error.localizedDescription); check the run directory's permissions")
    }
  }
}
