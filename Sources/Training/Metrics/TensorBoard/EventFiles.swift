import Foundation
import Support

/// The TensorBoard event files of a run directory, and their maintenance when a run resumes.
enum EventFiles {
  static let prefix = "events.out.tfevents."

  /// `events.out.tfevents.<unix seconds, 10 digits>.<host>`: zero-padded, so that name order
  /// (the order TensorBoard reads files in) is time order.
  static func name(time: Double, host: String) -> String {
    prefix + String(format: "%010d", Int(time)) + "." + host
  }

  /// Cuts every event file in `directory` back to the events with step ≤ `step`, like
  /// `MetricsFile.truncate`: a resumed run repeats the steps after its checkpoint, and TensorBoard
  /// would draw both copies (it drops out-of-order steps only in pre-v2 files). Files left with
  /// their version header alone are removed, so repeated restarts do not pile up empty files.
  static func truncate(inDirectory directory: String, afterStep step: Int) throws(DataFileError) {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      throw DataFileError(path: directory, "cannot list the run directory: \(error.localizedDescription)")
    }
    // `.tmp` files are AtomicFile's, not event files.
    for name in names.sorted() where name.hasPrefix(prefix) && !name.hasSuffix(".tmp") {
      try truncate(directory + "/" + name, afterStep: step)
    }
  }

  private static func truncate(_ path: String, afterStep step: Int) throws(DataFileError) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataFileError(path: path, "cannot read the TensorBoard event file to continue it; "
                          + "move it away to start a new one")
    }
    let bytes = Array(data)
    let records = TFRecord.records(in: bytes)
    // An event that does not parse is dropped, as a torn record after the last good one is.
    let kept = records.filter { TensorBoardEvent.step(ofEncoded: bytes[$0.data]).map { $0 <= step } ?? false }
    let unchanged = kept.count == records.count && records.last?.record.upperBound ?? 0 == bytes.count
    do {
      if kept.count <= 1 {
        try FileManager.default.removeItem(atPath: path)
      } else if !unchanged {
        try AtomicFile.write(kept.flatMap { bytes[$0.record] }, to: path)
      }
    } catch {
      throw DataFileError(path: path, "cannot cut the TensorBoard event file back to step \(step): \(error); "
                          + "check the run directory's permissions")
    }
  }
}
