import Foundation

/// Appends `MetricsRecord`s to a JSON-lines file (`runs/NAME/metrics.jsonl`), one line per record.
///
/// Only rank 0 writes: on other ranks the writer opens no file and `append` does nothing, so
/// call sites never test the rank. Each line goes out in one `write(2)` on an `O_APPEND`
/// descriptor, so a crash leaves every earlier line complete on disk.
public final class MetricsWriter {
  public let path: String
  private let descriptor: Int32?

  /// Opens `path` for appending (creating it) on rank 0.
  public init(path: String, rank: Int) throws(MetricsError) {
    self.path = path
    guard rank == 0 else {
      descriptor = nil
      return
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw MetricsError("cannot open metrics file '\(path)': \(String(cString: strerror(errno))); "
                         + "check that its directory exists and is writable")
    }
    descriptor = fd
  }

  deinit {
    if let descriptor { close(descriptor) }
  }

  /// Writes `record` as one line.
  public func append(_ record: MetricsRecord) throws(MetricsError) {
    guard let descriptor else { return }
    let bytes = Array((record.jsonLine + "\n").utf8)
    let written = bytes.withUnsafeBytes { buffer -> Int in
      var done = 0
      while done < buffer.count {
        let n = write(descriptor, buffer.baseAddress! + done, buffer.count - done)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return -1 }
        done += n
      }
      return done
    }
    guard written == bytes.count else {
      throw MetricsError("cannot write to metrics file '\(path)': \(String(cString: strerror(errno)))")
    }
  }
}

/// A metrics file that cannot be opened or written.
public struct MetricsError: Error, CustomStringConvertible, Equatable {
  public let description: String
  init(_ description: String) { self.description = description }
}
