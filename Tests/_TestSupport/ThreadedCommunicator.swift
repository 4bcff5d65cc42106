import Collectives
import Foundation

/// One rank's view of a `ThreadedGroup`.
public final class ThreadedCommunicator: Communicator, @unchecked Sendable {
  public let group: ThreadedGroup
  public let rank: Int
  public var size: Int { group.size }
  /// The buckets a gradient reduction cuts its buffer into; set before the first collective.
  public var buckets: Buckets = .standard

  public init(group: ThreadedGroup, rank: Int) {
    self.group = group
    self.rank = rank
  }

  public func allReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws {
    let combined = group.rendezvous(rank: rank, Array(buffer)) { parts in
      let arrays = parts.map { $0 as! [T] }
      return arrays.dropFirst().reduce(arrays[0]) { acc, next in
        zip(acc, next).map { a, b in
          switch op {
          case .sum: return a + b
          case .max: return Swift.max(a, b)
          case .min: return Swift.min(a, b)
          }
        }
      }
    } as! [T]
    _ = buffer.update(fromContentsOf: combined)
  }

  public func broadcast<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws {
    let rootValues = group.rendezvous(rank: rank, Array(buffer)) { $0[root] } as! [T]
    _ = buffer.update(fromContentsOf: rootValues)
  }

  public func broadcast(bytes: inout [UInt8], root: Int) throws {
    bytes = group.rendezvous(rank: rank, bytes) { $0[root] } as! [UInt8]
  }

  public func barrier() throws {
    _ = group.rendezvous(rank: rank, ()) { _ in () }
  }

  public func allGather<T: CollectiveScalar>(_ value: T) throws -> [T] {
    group.rendezvous(rank: rank, value) { $0.map { $0 as! T } } as! [T]
  }

  public func allGather(bytes: [UInt8]) throws -> [[UInt8]] {
    group.rendezvous(rank: rank, bytes) { $0.map { $0 as! [UInt8] } } as! [[UInt8]]
  }

  public func abort(code: Int32, message: String) -> Never {
    fatalError("rank \(rank) aborted with code \(code): \(message)")
  }
}
