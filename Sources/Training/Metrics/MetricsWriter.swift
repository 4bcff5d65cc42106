import Foundation
import Support

/// Appends `MetricsRecord`s to a JSON-lines file (`runs/NAME/metrics.jsonl`), one line per record.
///
/// Only rank 0 writes: on other ranks the writer opens no file and `append` does nothing, so
/// call sites never test the rank. Each line goes out in one `write(2)` on an `O_APPEND`
/// descriptor, so a crash leaves every earlier line complete on disk.
public final class MetricsWriter {
  public let path: String
  private let descriptor: Int32?

  /// Opens `path` for appending (creating it) on rank 0.
  public init(path: String, rank: Int) throws(DataFileError) {
    self.path = path
    guard rank == 0 else {
      descriptor = nil
      return
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw DataFileError(path: path, "cannot open the metrics file: \(systemError()); "
                          + "check that its directory exists and is writable")
    }
    descriptor = fd
  }

  deinit {
    if let descriptor { close(descriptor) }
  }

  /// Writes `record` as one line.
  public func append(_ record: MetricsRecord) throws(DataFileError) {
    guard let descriptor else { return }
    let bytes = Array((record.jsonLine + "\n").utf8)
    // One write(2) per line on an O_APPEND descriptor (see above).
    guard bytes.withUnsafeBytes({ FileDescriptor.writeAll(descriptor, $0) }) else {
      throw DataFileError(path: path, "cannot write to the metrics file: \(systemError())")
    }
  }
}
