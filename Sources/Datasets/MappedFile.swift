#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// A whole file mapped read-only into memory; unmapped when the last reference goes away.
/// Bytes compiled into the binary stand in for a file the same way, and are never unmapped.
///
/// `@unchecked Sendable`: the mapping is private and read-only and never changes after `init`.
final class MappedFile: @unchecked Sendable {
  let path: String
  let bytes: UnsafeRawBufferPointer
  private let isMapped: Bool

  /// `bytes` must stay valid for the life of the process; `name` stands for a path in messages.
  init(name: String, staticBytes bytes: UnsafeRawBufferPointer) {
    self.path = name
    self.bytes = bytes
    self.isMapped = false
  }

  init(path: String) throws {
    self.path = path
    self.isMapped = true
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw DataFileError(path: path, "cannot open: \(systemError())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw DataFileError(path: path, "cannot stat: \(systemError())") }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw DataFileError(path: path, "is not a regular file")
    }
    let size = Int(info.st_size)
    guard size > 0 else {
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      throw DataFileError(path: path, "cannot map \(size) bytes: \(systemError())")
    }
    bytes = UnsafeRawBufferPointer(start: base, count: size)
  }

  deinit {
    if isMapped, let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
  }
}
