import Foundation

/// Writes files so that readers see either the old complete file or the new complete file.
enum AtomicFile {
  /// Writes `bytes` to a temporary file next to `url`, flushes it to disk, then renames it over
  /// `url` (rename within a directory is atomic on POSIX file systems).
  static func write(_ bytes: [UInt8], to url: URL) throws(PNGError) {
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
      try Data(bytes).write(to: temporary)
      let handle = try FileHandle(forUpdating: temporary)
      try handle.synchronize()
      try handle.close()
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw PNGError(source: url.path, problem: "cannot write (\(error.localizedDescription)); "
                       + "check that the directory exists and is writable")
    }
    guard rename(temporary.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw PNGError(source: url.path, problem: "cannot rename the temporary file into place (\(reason))")
    }
  }
}
