#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A communicator of one rank: every collective is the identity.
///
/// It validates roots like a real communicator, so code that passes a wrong root fails in
/// single-process runs too.
public final class LocalCommunicator: Communicator {
  public init() {}

  public var rank: Int { 0 }
  public var size: Int { 1 }

  public func allReduce<T: CollectiveScalar>(
    _ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp
  ) throws {}

  public func broadcast<T: CollectiveScalar>(
    _ buffer: UnsafeMutableBufferPointer<T>, root: Int
  ) throws {
    try checkRoot(root)
  }

  public func broadcast(bytes: inout [UInt8], root: Int) throws {
    try checkRoot(root)
  }

  public func barrier() throws {}

  public func allGather<T: CollectiveScalar>(_ value: T) throws -> [T] {
    [value]
  }

  public func allGather(bytes: [UInt8]) throws -> [[UInt8]] {
    [bytes]
  }

  public func abort(code: Int32, message: String) -> Never {
    let line = "laminar: aborting (code \(code)): \(message)\n"
    // `stderr` is a C global var that Swift 6 rejects as shared mutable state; fd 2 is not.
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(code)
  }

  private func checkRoot(_ root: Int) throws(CollectiveError) {
    guard root == 0 else {
      throw CollectiveError(
        "broadcast root \(root) is not a rank of this single-process communicator; use root 0")
    }
  }
}
