import Autodiff
import Collectives
import TensorCore

extension Trainer {
  /// One optimizer step on the global batch at the data cursor (DESIGN §5).
  ///
  /// ```
  /// loss_r = −Σ_{i ∈ shard r} log p(x_i) / B      (Σ_r ∇loss_r = ∇ of the global-batch mean)
  /// ```
  /// Zero the gradients, forward and backward this rank's shard, all-reduce (sum) the flat
  /// gradient buffer and the packed statistics, then — unless some rank saw a non-finite value —
  /// clip, update with the scheduled rate, and update the EMA. The cursor and step advance
  /// either way, so a skipped batch is not retried.
  func runStep() throws -> StepOutcome {
    let start = ContinuousClock.now
    parameters.zeroGradients()
    try forwardBackward()
    let reduceStart = ContinuousClock.now
    try communicator.allReduce(parameters.gradients, .sum)
    try statistics.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
    let allReduceSeconds = seconds(since: reduceStart)

    let b = Double(options.globalBatch), d = Double(model.dimensions)
    let learningRate = options.schedule.learningRate(atStep: state.step)
    var outcome = StepOutcome(
      applied: statistics[1] == 0, loss: -statistics[0] / b, logAbsDetScale: 1 / (b * d),
      gradientNorm: .nan, learningRate: learningRate, seconds: 0, allReduceSeconds: allReduceSeconds)
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

  /// Fills `statistics` with this rank's Σ log p, non-finite flag and per-layer Σ logAbsDet,
  /// and accumulates the gradient of `loss_r` into the parameter store.
  ///
  /// For discrete data Σ log p is Σ log P(x), constants and preprocessing log-dets included; they
  /// do not depend on the parameters, so the tape's loss leaves them out and the gradient is the same.
  private func forwardBackward() throws {
    sampler.shard(cursor: state.cursor, globalBatch: options.globalBatch, rank: communicator.rank,
                  size: communicator.size, into: &shardIndices)
    try shardIndices.withUnsafeBufferPointer { indices in
      try batch.withUnsafeMutableBufferPointer { try training.copyExamples(indices, into: $0) }
    }
    let correction = preprocessBatch()
    tape.reset()
    perLayer.removeAll(keepingCapacity: true)
    let x = batch.withUnsafeBufferPointer { tape.input($0, shape: batchShape) }
    let logLikelihood = withUnsafeMutablePointer(to: &perLayer) { model.logLikelihood(x, perLayer: $0) }
    let loss = logLikelihood.sum().scaled(by: Float(-1 / Double(options.globalBatch)))
    tape.backward(from: loss)

    let sum = Self.sum(logLikelihood.value)
    let nonFinite = NonFiniteCheck.containsNonFinite(loss: sum, gradients: UnsafeBufferPointer(parameters.gradients))
    statistics[0] = sum + correction
    statistics[1] = nonFinite ? 1 : 0
    for (i, layer) in perLayer.enumerated() { statistics[2 + i] = Self.sum(layer.value) }
  }

  /// Σ in Float64, so the reported loss does not depend on Float32 rounding of a long sum.
  static func sum(_ values: UnsafeBufferPointer<Float>) -> Double {
    var total = 0.0
    for v in values { total += Double(v) }
    return total
  }
}

/// Wall seconds since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
  let d = ContinuousClock.now - start
  return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
