#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if FUZZING
import CLibFuzzer
#endif

/// What every fuzz target shares: the contract check, a scratch file for readers that take a
/// path, and the `main` of every target (see `launch/fuzz`).
///
/// The contract (issue 11): any input either parses or throws an error whose description says
/// what is wrong. A crash, a trap or an error without a message is a finding.
public enum FuzzHarness {
  /// Runs `body`; a thrown error must describe itself, or the process stops as a finding.
  public static func expectParsesOrThrows(_ body: () throws -> Void) {
    do {
      try body()
    } catch {
      // The project's errors (DataFileError, PNGError, ConfigError, TrainerError) describe themselves;
      // an error that only prints its type name would reach the user without a reason or a fix.
      guard let described = error as? CustomStringConvertible, !described.description.isEmpty else {
        fatalError("threw \(type(of: error)) without a message: \(error)")
      }
    }
  }

  /// Writes `bytes` to a file private to this process and passes its path to `body`; the readers
  /// under test memory-map a path, so fuzz input goes through a real file. Removed afterwards.
  public static func withTemporaryFile(_ bytes: UnsafeRawBufferPointer, suffix: String, _ body: (String) -> Void) {
    let path = "/tmp/laminar-fuzz-\(getpid())\(suffix)"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot create the scratch file \(path): errno \(errno)")
    var written = 0
    while written < bytes.count {
      let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
      precondition(n > 0, "cannot write the scratch file \(path): errno \(errno)")
      written += n
    }
    close(fd)
    defer { unlink(path) }
    body(path)
  }

  /// The target's `main`: libFuzzer's driver when built with `-D FUZZING -sanitize=fuzzer`, else a
  /// replay of the files given as arguments. SwiftPM renames an executable's `main` (to link tests
  /// against it), so libFuzzer's own `main` cannot be used; `LLVMFuzzerRunDriver` is its
  /// documented replacement.
  public static func main(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    #if FUZZING
    var argc = CommandLine.argc
    var argv = Optional(CommandLine.unsafeArgv)
    exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    #else
    replay(CommandLine.arguments.dropFirst()) { _ = test($0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
    #endif
  }

  /// Feeds each file named in `arguments` to `target`, as libFuzzer does when replaying a corpus,
  /// then exits: 0, or 1 when a file cannot be read. A finding stops the process earlier.
  static func replay(_ arguments: some Sequence<String>, _ target: (UnsafeRawBufferPointer) -> Void) -> Never {
    var count = 0
    for path in arguments {
      guard let bytes = contents(of: path) else {
        print("cannot read \(path)")
        exit(1)
      }
      bytes.withUnsafeBytes(target)
      count += 1
    }
    print("replayed \(count) inputs, no finding")
    exit(0)
  }

  private static func contents(of path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&chunk, 1, chunk.count, file)
      bytes += chunk[0..<n]
      if n < chunk.count { return ferror(file) == 0 ? bytes : nil }
    }
  }
}
