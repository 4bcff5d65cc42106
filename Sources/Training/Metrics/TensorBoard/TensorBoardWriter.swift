import Foundation
import Support

/// Appends TensorBoard events to this session's event file in a run directory,
/// `DIR/events.out.tfevents.<unix time>.<hostname>`, so that `tensorboard --logdir runs` lists
/// each run under its directory's name.
///
/// Only rank 0 creates one (the trainer holds none elsewhere). Each event goes out in one
/// `write(2)` on an `O_APPEND` descriptor, as `metrics.jsonl` lines do: a crash tears at most the
/// last record, which TensorBoard and `EventFiles.truncate` stop at.
public final class TensorBoardWriter {
  public let path: String
  private let descriptor: Int32

  /// Creates (or continues) the event file named for `startTime` (seconds since 1970; tests fix
  /// it to reopen a name) and this host.
  public init(directory: String, startTime: Double = Date().timeIntervalSince1970) throws(DataFileError) {
    path = directory + "/" + EventFiles.name(time: startTime, host: hostName())
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw DataFileError(path: path, "cannot open the TensorBoard event file: \(systemError()); "
                          + "check that the run directory exists and is writable")
    }
    descriptor = fd
    // A resume within the same second reopens the same name (cut back by EventFiles.truncate):
    // it continues, and only a new file gets the version header.
    if lseek(fd, 0, SEEK_END) == 0 {
      try write(TensorBoardEvent(wallTime: startTime, step: 0, content: .fileVersion(TensorBoardEvent.fileVersion)))
    }
  }

  deinit { close(descriptor) }

  /// Every number of `record` as a scalar at the record's step, in one event.
  public func append(_ record: MetricsRecord) throws(DataFileError) {
    try write(TensorBoardEvent(wallTime: Date().timeIntervalSince1970, step: record.step,
                               content: .summary(record.scalarSummaries)))
  }

  /// PNG files as images and WAV files as audio at `step`, one event each, tagged by the file
  /// name without its extension.
  public func appendFiles(_ paths: [String], step: Int) throws(DataFileError) {
    for path in paths {
      let url = URL(fileURLWithPath: path)
      let content: SummaryValue.Content
      switch url.pathExtension.lowercased() {
      case "png": content = .image(try SummaryImage(png: Self.contents(of: path), path: path))
      case "wav": content = .audio(try SummaryAudio(wav: Self.contents(of: path), path: path))
      default: throw DataFileError(path: path, "only .png pictures and .wav audio go into TensorBoard")
      }
      try write(TensorBoardEvent(wallTime: Date().timeIntervalSince1970, step: step,
                                 content: .summary([SummaryValue(tag: url.deletingPathExtension().lastPathComponent,
                                                                 content: content)])))
    }
  }

  private func write(_ event: TensorBoardEvent) throws(DataFileError) {
    let record = TFRecord.frame(event.encoded)
    guard record.withUnsafeBytes({ FileDescriptor.writeAll(descriptor, $0) }) else {
      throw DataFileError(path: path, "cannot write to the TensorBoard event file: \(systemError())")
    }
  }

  private static func contents(of path: String) throws(DataFileError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataFileError(path: path, "cannot read the file to add it to TensorBoard")
    }
    return Array(data)
  }

}
