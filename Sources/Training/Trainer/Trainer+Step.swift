import Autodiff
import Collectives
import TensorCore

extension Trainer {
  /// One optimizer step on the global batch at the data cursor (DESIGN §5).
  ///
  /// Zero the gradients, forward and backward this rank's shard of the objective while the flat
  /// gradient buffer's buckets are summed over ranks (`GradientReduction`), wait for the sums,
  /// all-reduce the step statistics, then — unless some rank saw a non-finite value — clip, update
  /// with the scheduled rate, and update the EMA. The cursor and step advance either way, so a
  /// skipped batch is not retried. The all-reduce seconds are those spent in collective calls:
  /// starting the buckets during backward, waiting for them, and the statistics.
  func runStep() throws -> StepOutcome {
    let start = ContinuousClock.now
    parameters.zeroGradients()
    try forwardBackward()
    statistics.stopRequested = stopRequest.reason(state.step) != nil
    let reduceStart = ContinuousClock.now
    try communicator.waitForStartedAllReduces()
    try statistics.allReduce(communicator)
    let allReduceSeconds = gradientReduction.startSeconds + seconds(since: reduceStart)

    let learningRate = options.schedule.learningRate(atStep: state.step)
    var outcome = StepOutcome(
      applied: !statistics.nonFinite, loss: statistics.lossSum / Double(options.globalBatch),
      stopRequested: statistics.stopRequested, gradientNorm: .nan, learningRate: learningRate, seconds: 0,
      allReduceSeconds: allReduceSeconds)
    if outcome.applied {
      outcome.gradientNorm = options.clipNorm.map { GradientClipping.clip(parameters.gradients, maxNorm: $0) }
        ?? GradientClipping.globalNorm(UnsafeBufferPointer(parameters.gradients))
      optimizer.update(parameters, learningRate: learningRate)
      ema?.update(from: UnsafeBufferPointer(parameters.values))
      state.skippedInARow = 0
    } else {
      state.skippedSteps += 1
      state.skippedInARow += 1
    }
    state.cursor += options.globalBatch
    state.step += 1
    outcome.seconds = seconds(since: start)
    return outcome
  }

  /// Fills `statistics` with this rank's sums, accumulates the gradient of its part of the loss
  /// into the parameter store and starts its all-reduce bucket by bucket.
  private func forwardBackward() throws {
    statistics.reset()
    tape.reset()
    let loss = try objective.loss(context, on: tape, statistics: &statistics)
    try gradientReduction.backward(tape, from: loss, lossSum: statistics.lossSum,
                                   gradients: parameters.gradients, communicator: communicator)
    statistics.nonFinite = gradientReduction.nonFinite
  }
}

/// Wall seconds since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
  let d = ContinuousClock.now - start
  return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
