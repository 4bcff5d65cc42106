import Foundation

/// One result slot per thread (a rank, a concurrent case), filled from any thread.
public final class ResultSlots<R>: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<R, any Error>?]

  public init(count: Int) { slots = Array(repeating: nil, count: count) }

  public func set(_ index: Int, _ value: Result<R, any Error>) {
    lock.withLock { slots[index] = value }
  }

  public var values: [Result<R, any Error>?] { lock.withLock { slots } }
}
