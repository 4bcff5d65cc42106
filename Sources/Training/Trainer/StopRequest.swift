import Support

/// Asks a running `Trainer` to stop at the next step boundary (graceful preemption, issue 11).
///
/// Each rank polls its own request before the step's statistics all-reduce; the reduced flag
/// stops every rank after the same step, so one rank's SIGTERM is enough.
public struct StopRequest: Sendable {
  /// Why this rank wants to stop before `step` (0-based), nil to go on.
  let reason: @Sendable (_ step: Int) -> String?

  public init(_ reason: @escaping @Sendable (_ step: Int) -> String?) {
    self.reason = reason
  }

  /// Never stops early.
  public static let never = StopRequest { _ in nil }

  /// Installs the SIGTERM/SIGINT handler and stops once one has arrived; a second signal ends
  /// the process at once.
  public static func onSignals() -> StopRequest {
    StopSignals.install()
    return StopRequest { _ in StopSignals.received.map { StopSignals.name($0) } }
  }
}

/// Training stopped on request before `TrainerOptions.steps`: the run is not finished, and the
/// checkpoint of the step it stopped at (when one could be written) continues it bit-exactly.
///
/// Thrown on every rank after the same step. Not a failure of the run, so callers finalize MPI
/// normally rather than aborting, and exit with `exitCode`.
public struct TrainingInterrupted: Error, CustomStringConvertible, Sendable {
  /// EX_TEMPFAIL of sysexits.h: "try again later", which is what a preempted run asks for.
  public static let exitCode: Int32 = 75

  /// Steps completed when training stopped.
  public let step: Int
  /// The checkpoint to resume from: the one just written, or the last good one.
  public let checkpoint: String?
  public let description: String
}
