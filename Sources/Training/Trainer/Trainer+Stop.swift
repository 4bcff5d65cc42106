import Collectives
import Foundation
import Support

/// The exit code of a job the step watchdog aborted, like timeout(1)'s.
public let stepTimeoutExitCode: Int32 = 124

/// Seconds rank 0 leaves the launcher to end a job whose silent rank is on another host:
/// longer than launch/run's OOB keepalive takes to declare a node lost.
private let lostNodeGrace = 40.0

extension Trainer {
  /// The watchdog of `options.stepTimeout` (nil when 0) that aborts the whole job, naming the
  /// step, when a step makes no progress: a SIGSTOPped, hung or unreachable rank leaves the others
  /// waiting in a collective that never completes, and rank 0 would spin forever.
  ///
  /// On more than one rank, the others send rank 0 heartbeats, so rank 0's report names the
  /// rank that went silent or fell behind. Rank 0 speaks first: the other ranks wait three
  /// heartbeats longer, so their own reports (which know only themselves) come only when rank 0
  /// itself is the one stalled. Collective: every rank calls it at the same point.
  func startWatchdog() throws -> StepWatch? {
    guard options.stepTimeout > 0 else { return nil }
    let receiver = communicator.size > 1 && communicator.rank == 0 ? makeHeartbeatReceiver() : nil
    var listening = receiver.map { Array("\($0.port) \(Heartbeats.localAddresses().joined(separator: " "))".utf8) } ?? []
    if communicator.size > 1 { try communicator.broadcast(bytes: &listening, root: 0) }
    // The watchdog thread calls nothing but `abort`; OpenMPI's MPI_Abort may be called from any
    // thread (it kills the job through the runtime, not through the stalled communicator).
    nonisolated(unsafe) let communicator = communicator
    let size = communicator.size
    let timeout = options.stepTimeout
    let grace = communicator.rank == 0 ? 0 : 3 * Heartbeats.interval
    let watchdog = Watchdog(timeout: timeout + grace) { step, idle in
      let place = step < 0 ? "the start-up before the first step" : "step \(step)"
      let report = receiver?.report(size: size, progress: step)
      let message = "\(place) made no progress for \(Int(idle.rounded())) s (trainer.step_timeout_s = \(timeout)): "
        + (report.map { "\($0). " } ?? "another rank is stopped, hung or dead, or the file system hangs. ")
        + "Resume with --resume auto once it is fixed, or raise trainer.step_timeout_s if steps are this slow"
      if let report, report.silentOnOtherHosts {
        // An MPI_Abort now would leave mpirun retransmitting the kill to a node it cannot reach
        // for many minutes. Its own TCP keepalive on that idle link (launch/run pins it: lost
        // after about 25 s) ends the job instead, killing this rank; abort only if it does not.
        FileHandle.standardError.write(Data(
          "laminar rank 0 of \(size): \(message). Waiting \(Int(lostNodeGrace)) s for the launcher to declare the node lost\n".utf8))
        usleep(UInt32(lostNodeGrace * 1e6))
      }
      communicator.abort(code: stepTimeoutExitCode, message: message)
    }
    let sender = communicator.rank == 0 ? nil : makeHeartbeatSender(listening: listening, watchdog: watchdog)
    return StepWatch(watchdog: watchdog, receiver: receiver, sender: sender)
  }

  private func makeHeartbeatReceiver() -> HeartbeatReceiver? {
    do { return try HeartbeatReceiver() } catch {
      logger.warning("no heartbeats (\(error)): a step timeout will not name the stalled rank")
      return nil
    }
  }

  /// Nil when rank 0 has no receiver (it warned) or the socket fails here (this rank warns).
  private func makeHeartbeatSender(listening: [UInt8], watchdog: Watchdog) -> HeartbeatSender? {
    let fields = String(decoding: listening, as: UTF8.self).split(separator: " ").map(String.init)
    guard let port = fields.first.flatMap({ UInt16($0) }) else { return nil }
    do {
      return try HeartbeatSender(rank: communicator.rank, addresses: Array(fields.dropFirst()), port: port) {
        watchdog.lastProgress
      }
    } catch {
      FileHandle.standardError.write(Data("laminar: rank \(communicator.rank): no heartbeats (\(error))\n".utf8))
      return nil
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

/// The step watchdog and, on a multi-rank job, this rank's end of the heartbeats.
struct StepWatch {
  let watchdog: Watchdog
  let receiver: HeartbeatReceiver?
  let sender: HeartbeatSender?

  func beat(_ step: Int) { watchdog.beat(step) }

  func stop() {
    watchdog.stop()
    receiver?.stop()
    sender?.stop()
  }
}
