#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A background thread that calls `onTimeout` once when `beat` has not been called for
/// `timeout` seconds (issue 11): a stopped or dead peer, or a hung file system, then ends the job
/// instead of leaving every other rank spinning in a collective forever.
///
/// The main thread calls `beat(_:)` at each unit of progress (a training step); `stop()` ends
/// the thread. `onTimeout` runs on the watchdog thread and is expected not to return (abort).
public final class Watchdog: Sendable {
  public let timeout: Double
  private let lastBeat: Atomic<UInt64>
  private let progress = Atomic<Int>(-1)
  private let stopped = Atomic<Bool>(false)

  /// Starts watching at once; the first `beat` is implied by the start.
  public init(timeout: Double, onTimeout: @escaping @Sendable (_ progress: Int, _ seconds: Double) -> Void) {
    precondition(timeout > 0, "watchdog timeout \(timeout) must be > 0")
    self.timeout = timeout
    lastBeat = Atomic(Self.nanoseconds())
    // Polling a tenth of the timeout (at most 1 s) bounds the overshoot to 10 %.
    let poll = min(1.0, timeout / 10)
    Thread.detachNewThread { [self] in watch(poll: poll, onTimeout: onTimeout) }
  }

  /// Records progress; `progress` (a step number, −1 for start-up) appears in the timeout report.
  public func beat(_ progress: Int) {
    self.progress.store(progress, ordering: .relaxed)
    lastBeat.store(Self.nanoseconds(), ordering: .releasing)
  }

  /// The progress of the last `beat` (−1 before the first).
  public var lastProgress: Int { progress.load(ordering: .relaxed) }

  /// Ends the watch; `onTimeout` will not be called after this returns unless it already began.
  public func stop() { stopped.store(true, ordering: .releasing) }

  private func watch(poll: Double, onTimeout: @Sendable (Int, Double) -> Void) {
    while !stopped.load(ordering: .acquiring) {
      usleep(UInt32(poll * 1e6))
      let idle = Double(Self.nanoseconds() &- lastBeat.load(ordering: .acquiring)) * 1e-9
      if idle >= timeout && !stopped.load(ordering: .acquiring) {
        onTimeout(progress.load(ordering: .relaxed), idle)
        return
      }
    }
  }

  /// CLOCK_MONOTONIC: immune to wall-clock jumps, which must not fire (or hide) a timeout.
  private static func nanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
  }
}
