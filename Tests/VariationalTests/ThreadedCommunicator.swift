import Collectives
import Foundation

/// W ranks as W threads of one process: a test double for MPI, so code that calls collectives can
/// run "on 2 ranks" under `swift test`.
///
/// Every collective is one rendezvous: each rank deposits its contribution, the last to arrive
/// combines them in rank order, and all ranks leave with the combined value. A generation counter
/// keeps a fast rank's next call from mixing with the current one.
final class ThreadedGroup: @unchecked Sendable {
  let size: Int
  private let condition = NSCondition()
  private var contributions: [Any?]
  private var arrived = 0
  private var generation = 0
  private var result: Any = ()

  init(size: Int) {
    precondition(size >= 1, "a group needs at least one rank")
    self.size = size
    contributions = Array(repeating: nil, count: size)
  }

  func rendezvous(rank: Int, _ contribution: Any, combine: ([Any]) -> Any) -> Any {
    condition.lock()
    defer { condition.unlock() }
    let mine = generation
    contributions[rank] = contribution
    arrived += 1
    if arrived == size {
      result = combine(contributions.map { $0! })
      contributions = Array(repeating: nil, count: size)
      arrived = 0
      generation += 1
      condition.broadcast()
    } else {
      while generation == mine { condition.wait() }
    }
    return result
  }

  /// Runs `body(rank, communicator)` on `size` threads and returns the results by rank.
  static func run<R>(size: Int, _ body: @escaping @Sendable (ThreadedCommunicator) throws -> R) throws -> [R] {
    let group = ThreadedGroup(size: size)
    let results = ResultSlots<R>(count: size)
    let done = DispatchSemaphore(value: 0)
    for rank in 0..<size {
      let thread = Thread {
        results.set(rank, Result { try body(ThreadedCommunicator(group: group, rank: rank)) })
        done.signal()
      }
      thread.stackSize = 8 << 20
      thread.start()
    }
    for _ in 0..<size { done.wait() }
    return try results.values.map { try $0!.get() }
  }
}

/// One slot per rank for the threads' results.
final class ResultSlots<R>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<R, any Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Result<R, any Error>) {
    lock.lock()
    slots[index] = value
    lock.unlock()
  }

  var values: [Result<R, any Error>?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}

/// One rank's view of a `ThreadedGroup`.
final class ThreadedCommunicator: Communicator, @unchecked Sendable {
  let group: ThreadedGroup
  let rank: Int
  var size: Int { group.size }

  init(group: ThreadedGroup, rank: Int) {
    self.group = group
    self.rank = rank
  }

  func allReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws {
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

  func broadcast<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws {
    let rootValues = group.rendezvous(rank: rank, Array(buffer)) { $0[root] } as! [T]
    _ = buffer.update(fromContentsOf: rootValues)
  }

  func broadcast(bytes: inout [UInt8], root: Int) throws {
    bytes = group.rendezvous(rank: rank, bytes) { $0[root] } as! [UInt8]
  }

  func barrier() throws {
    _ = group.rendezvous(rank: rank, ()) { _ in () }
  }

  func allGather<T: CollectiveScalar>(_ value: T) throws -> [T] {
    group.rendezvous(rank: rank, value) { $0.map { $0 as! T } } as! [T]
  }

  func allGather(bytes: [UInt8]) throws -> [[UInt8]] {
    group.rendezvous(rank: rank, bytes) { $0.map { $0 as! [UInt8] } } as! [[UInt8]]
  }

  func abort(code: Int32, message: String) -> Never {
    fatalError("rank \(rank) aborted with code \(code): \(message)")
  }
}
