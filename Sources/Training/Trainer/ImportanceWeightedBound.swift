import Autodiff
import Collectives
import Datasets
import Evaluation
import Flows
import Foundation
import TensorCore

/// The importance-weighted bound of a data set beside its dequantization ELBO, S draws of the
/// dequantization noise per example.
public struct ImportanceWeightedScore: Sendable, Equatable {
  public var examples: Int
  public var draws: Int
  /// Mean over examples of −log (1/S) Σ_s P̂_s(x), nats per dimension, P̂_s = p(y'_s)/q(u_s | x)·bins^−D.
  public var boundNatsPerDimension: Double
  /// Mean over examples and draws of −log P̂_s(x), the ELBO estimate, nats per dimension.
  public var elboNatsPerDimension: Double
  /// Entries (example, draw) whose log weight was not finite.
  public var nonFinite: Int

  public var boundBitsPerDimension: Double { LikelihoodUnits.bits(nats: boundNatsPerDimension) }
  public var elboBitsPerDimension: Double { LikelihoodUnits.bits(nats: elboNatsPerDimension) }
}

/// Importance-weighted bound of discrete data under a dequantized flow (collective).
/// ```
/// log P(x) ≥ log (1/S) Σ_s p(y'_s) / q(u_s | x) · bins^−D  ≥  E_q[log p(y') − log q(u | x)] − D·ln(bins)
/// ```
/// (uniform dequantization: q = 1; every preprocessing log-det included). Draw s uses the
/// noise `Dequantization.importanceNoise(seed:draw:)`, so draw 0 is the evaluation noise and S = 1
/// gives the ELBO `DatasetEvaluator` reports. Draws are shared out over ranks (rank r takes
/// s = r, r + W, …) and every rank scores all examples of its draws in the same fixed chunks, so the
/// log weights — and the bound — do not depend on the number of ranks; one all-reduce gathers
/// the [S, N] weights. Reference: Burda et al. 2016 (IWAE); Ho et al. 2019 (Flow++), §3.2.
public final class ImportanceWeightedEvaluator {
  public let trainable: TrainableFlow
  let communicator: any Communicator
  /// Examples per forward pass.
  public let batch: Int
  let seed: UInt64
  private let prepared: LikelihoodBatch
  private let tape: Tape<Float>

  public init(trainable: TrainableFlow, communicator: any Communicator, batch: Int, preprocessing: Dequantization,
              seed: UInt64) {
    precondition(batch > 0, "evaluation batch \(batch) must be > 0")
    self.trainable = trainable
    self.communicator = communicator
    self.batch = batch
    self.seed = seed
    prepared = LikelihoodBatch(eventShape: trainable.model.eventShape, conditionShape: trainable.model.conditionShape,
                               preprocessing: preprocessing, dequantizer: trainable.dequantizer)
    tape = Tape(parameters: trainable.parameters)
  }

  public func evaluate(_ source: any ExampleSource, draws: Int) throws -> ImportanceWeightedScore {
    precondition(draws >= 1, "importance sampling needs at least 1 draw, got \(draws)")
    try DatasetEvaluator.check(source, against: trainable.model, role: "evaluation")
    let n = source.count
    // [draws, n] log weights; each entry is written by one rank, so the sum gathers them.
    var weights = [Double](repeating: 0, count: draws * n)
    for s in stride(from: communicator.rank, to: draws, by: communicator.size) {
      try logWeights(source, draw: s, into: &weights[(s * n) ..< ((s + 1) * n)])
    }
    try communicator.allReduce(&weights, .sum)
    var bound = 0.0, elbo = 0.0, nonFinite = 0
    for i in 0..<n {
      var largest = -Double.infinity
      for s in 0..<draws {
        let w = weights[s * n + i]
        if !w.isFinite { nonFinite += 1 }
        largest = max(largest, w)
        elbo += w
      }
      var total = 0.0
      for s in 0..<draws { total += exp(weights[s * n + i] - largest) }
      bound += largest + log(total) - log(Double(draws))
    }
    let d = Double(trainable.model.dimensions)
    return ImportanceWeightedScore(examples: n, draws: draws, boundNatsPerDimension: -bound / (Double(n) * d),
                                   elboNatsPerDimension: -elbo / (Double(n * draws) * d), nonFinite: nonFinite)
  }

  /// log P̂_s(x_i) of every example for draw s, in chunks of `batch` examples.
  private func logWeights(_ source: any ExampleSource, draw s: Int, into out: inout ArraySlice<Double>) throws {
    let noise = Dequantization.importanceNoise(seed: seed, draw: s)
    let first = out.startIndex
    var start = 0
    while start < source.count {
      let indices = Array(start ..< min(start + batch, source.count))
      try prepared.load(indices, from: source, draw: .evaluation(seed: seed), noise: noise)
      tape.reset()
      let ll = prepared.inputs(on: tape).logLikelihood(trainable.model).logLikelihood.value
      for k in indices.indices { out[first + indices[k]] = Double(ll[k]) + prepared.correction(ofExample: k) }
      start += batch
    }
    tape.reset()
  }
}
