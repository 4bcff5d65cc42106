import Foundation

/// W ranks as W threads of one process: a test double for MPI, so code that calls collectives can
/// run "on 2 ranks" under `swift test`.
///
/// Every collective is one rendezvous: each rank deposits its contribution, the last to arrive
/// combines them in rank order, and all ranks leave with the combined value. A generation counter
/// keeps a fast rank's next call from mixing with the current one.
public final class ThreadedGroup: @unchecked Sendable {
  public let size: Int
  private let condition = NSCondition()
  private var contributions: [Any?]
  private var arrived = 0
  private var generation = 0
  private var result: Any = ()

  public init(size: Int) {
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

  /// Runs `body(communicator)` for every rank on its own thread and returns the results by rank;
  /// rethrows the first rank's error, by rank order.
  public static func run<R>(size: Int, _ body: @escaping @Sendable (ThreadedCommunicator) throws -> R) throws -> [R] {
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
