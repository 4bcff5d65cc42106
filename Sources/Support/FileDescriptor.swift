#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain `write(2)` on a descriptor, for the files Laminar writes without Foundation (checkpoints,
/// `.npy`, metrics lines).
public enum FileDescriptor {
  /// Writes every byte of `bytes`, retrying on EINTR and short writes; false on a failure, with
  /// `errno` set (see `systemError()`).
  public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
    var done = 0
    while done < bytes.count {
      #if canImport(Glibc)
      let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
      #else
      let n = Darwin.write(fd, bytes.baseAddress! + done, bytes.count - done)
      #endif
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return false }
      done += n
    }
    return true
  }
}

/// The text of the current `errno`, e.g. "No space left on device".
public func systemError() -> String { String(cString: strerror(errno)) }
