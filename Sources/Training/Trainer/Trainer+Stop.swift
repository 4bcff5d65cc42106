import Collectives
import Support

/// The exit code of a job the step watchdog aborted, like timeout(1)'s.
public let stepTimeoutExitCode: Int32 = 124

extension Trainer {
  /// The watchdog of `options.stepTimeout` (nil when 0) that aborts the whole job, naming this
  /// rank and the step, when a step makes no progress: a SIGSTOPped or hung rank leaves the
  /// others waiting in a collective that never completes, and rank 0 would spin forever.
  func startWatchdog() -> Watchdog? {
    guard options.stepTimeout > 0 else { return nil }
    // The watchdog thread calls nothing but `abort`; OpenMPI's MPI_Abort may be called from any
    // thread (it kills the job through the runtime, not through the stalled communicator).
    nonisolated(unsafe) let communicator = communicator
    let timeout = options.stepTimeout
    return Watchdog(timeout: timeout) { step, idle in
      let place = step < 0 ? "the start-up before the first step" : "step \(step)"
      communicator.abort(
        code: stepTimeoutExitCode,
        message: "\(place) made no progress for \(Int(idle.rounded())) s (trainer.step_timeout_s = \(timeout)): "
          + "another rank is stopped, hung or dead, or the file system hangs; resume with --resume auto "
          + "once it is fixed, or raise trainer.step_timeout_s if steps are this slow")
    }
  }

  /// Every rank, after the step some rank asked to stop at: save it (unless just saved), then
  /// throw `TrainingInterrupted` naming the checkpoint to continue from.
  func stopOnRequest() throws -> Never {
    if lastCheckpointStep != state.step { try writeCheckpoint() }
    let checkpoint = lastCheckpointStep == state.step ? lastCheckpoint : lastCheckpoint ?? resumedFrom
    let why = stopRequest.reason(state.step - 1).map { "\($0) on rank \(communicator.rank)" } ?? "a signal on another rank"
    var message = "stopped at step \(state.step) of \(options.steps) on request (\(why)); "
    if let checkpoint {
      message += lastCheckpointStep == state.step ? "saved \(checkpoint)" : "continue from \(checkpoint)"
    } else {
      message += "no checkpoint to continue from (no run directory)"
    }
    throw TrainingInterrupted(step: state.step, checkpoint: checkpoint, description: message)
  }

  /// Counts nothing (the step did that); warns, and stops the run after too many in a row.
  func reportSkippedStep() throws {
    logger.warning("step \(state.step): non-finite loss or gradient on some rank; update skipped "
                   + "(\(state.skippedInARow) in a row, \(state.skippedSteps) in total)")
    guard state.skippedInARow >= options.maxNonFiniteInARow else { return }
    var message = "stopped at step \(state.step): \(state.skippedInARow) steps in a row had a non-finite loss "
      + "or gradient (limit max_nonfinite_in_a_row = \(options.maxNonFiniteInARow)). "
    // No checkpoint is written during a streak (see `writeCheckpoint`), so this is the one saved
    // before the streak began.
    if let good = lastCheckpoint ?? resumedFrom { message += "The last good checkpoint, \(good), is intact. " }
    throw TrainerError(message + "Check the data for NaN/Inf, lower the learning rate or enable clip_norm, then "
                       + "resume (the count of steps in a row starts again at 0).")
  }
}
