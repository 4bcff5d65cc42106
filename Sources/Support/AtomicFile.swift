#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement (DESIGN §6): write `path.tmp`, fsync it, rename it over `path`,
/// fsync the directory. A reader sees the old file or the complete new one, never a mix, and a
/// crash at any point leaves the previous file intact.
public enum AtomicFile {
  /// Appends byte chunks to the temporary file.
  public struct Sink {
    fileprivate let fd: Int32
    fileprivate let path: String

    public mutating func write(_ chunk: UnsafeRawBufferPointer) throws {
      guard FileDescriptor.writeAll(fd, chunk) else {
        throw DataFileError(path: path, "write failed: \(systemError())")
      }
    }

    public mutating func write(_ bytes: [UInt8]) throws {
      try bytes.withUnsafeBytes { try write($0) }
    }
  }

  /// Replaces `path` with `bytes`.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    try write(to: path) { try $0.write(bytes) }
  }

  /// Replaces `path` with what `body` writes into the sink.
  public static func write(to path: String, _ body: (inout Sink) throws -> Void) throws {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw DataFileError(path: path, "cannot create \(temporary): \(systemError()); check that the directory exists and is writable")
    }
    var failure: (any Error)?
    do {
      var sink = Sink(fd: fd, path: path)
      try body(&sink)
      if fsync(fd) != 0 { failure = DataFileError(path: path, "fsync failed: \(systemError())") }
    } catch {
      failure = error
    }
    if close(fd) != 0 && failure == nil { failure = DataFileError(path: path, "close failed: \(systemError())") }
    if let failure {
      unlink(temporary)
      throw failure
    }
    guard rename(temporary, path) == 0 else {
      let reason = systemError()
      unlink(temporary)
      throw DataFileError(path: path, "cannot rename \(temporary) into place: \(reason)")
    }
    try syncDirectory(of: path)
  }

  /// Makes the rename itself durable.
  private static func syncDirectory(of path: String) throws {
    let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw DataFileError(path: path, "cannot open directory \(directory): \(systemError())") }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw DataFileError(path: path, "fsync of directory \(directory) failed: \(systemError())") }
  }
}
