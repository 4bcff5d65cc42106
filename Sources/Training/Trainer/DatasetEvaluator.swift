import Autodiff
import Collectives
import Datasets
import Flows
import Foundation
import TensorCore

/// The mean negative log-likelihood of a data set under a model.
public struct Evaluation: Sendable, Equatable {
  /// Examples scored over all ranks.
  public var examples: Int
  /// Mean −log p(x) per example, in nats; for dequantized data −log P(x) of the discrete data,
  /// constants and preprocessing log-dets included.
  public var nats: Double
  /// `nats` / dimensions.
  public var natsPerDimension: Double

  /// `natsPerDimension` / ln 2.
  public var bitsPerDimension: Double { natsPerDimension / M_LN2 }
}

/// Scores a whole data set with the current parameters, sharded over ranks (collective).
///
/// Rank r takes examples r, r + W, r + 2W, … in chunks of `batch / W`, sums log p(x) in Float64,
/// and the sums are all-reduced, so every rank returns the same `Evaluation`. Discrete data are
/// dequantized with one fixed noise (`Dequantization.evaluationNoise(seed:)`), so repeated
/// evaluations of the same parameters agree exactly.
public final class DatasetEvaluator {
  public let model: FlowModel
  public let parameters: ParameterStore<Float>
  let communicator: any Communicator
  /// Global number of examples per forward pass.
  public let batch: Int
  /// Applied to each chunk before the model sees it; nil for continuous data.
  public let preprocessing: Dequantization?
  /// The dequantization noise of every evaluation.
  let noise: RandomStream
  private let tape: Tape<Float>

  public init(model: FlowModel, parameters: ParameterStore<Float>, communicator: any Communicator, batch: Int,
              preprocessing: Dequantization? = nil, seed: UInt64 = 0) {
    precondition(batch > 0, "evaluation batch \(batch) must be > 0")
    self.model = model
    self.parameters = parameters
    self.communicator = communicator
    self.batch = batch
    self.preprocessing = preprocessing
    noise = Dequantization.evaluationNoise(seed: seed)
    tape = Tape(parameters: parameters)
  }

  public func evaluate(_ source: any ExampleSource) throws -> Evaluation {
    guard source.exampleShape == model.eventShape else {
      throw TrainerError("the evaluation examples have shape \(source.exampleShape) but the model expects "
                         + "\(model.eventShape); check the data file against the model's input shape")
    }
    let rank = communicator.rank, size = communicator.size
    var sums = [try localLogLikelihoodSum(source),
                Double(rank < source.count ? (source.count - rank + size - 1) / size : 0)]
    try communicator.allReduce(&sums, .sum)
    let nats = -sums[0] / sums[1]
    return Evaluation(examples: Int(sums[1]), nats: nats, natsPerDimension: nats / Double(model.dimensions))
  }

  /// Σ log p over this rank's share of `source`, in Float64.
  private func localLogLikelihoodSum(_ source: any ExampleSource) throws -> Double {
    let rank = communicator.rank, size = communicator.size, d = model.dimensions
    let chunk = max(1, batch / size)
    var indices: [Int] = []
    indices.reserveCapacity(chunk)
    var values = [Float](repeating: 0, count: chunk * d)
    var logDets = [Double](repeating: 0, count: chunk)
    var total = 0.0
    var next = rank
    while next < source.count {
      indices.removeAll(keepingCapacity: true)
      while indices.count < chunk && next < source.count {
        indices.append(next)
        next += size
      }
      let n = indices.count
      try indices.withUnsafeBufferPointer { i in
        try values.withUnsafeMutableBufferPointer { v in
          let rows = UnsafeMutableBufferPointer(rebasing: v[0 ..< n * d])
          try source.copyExamples(i, into: rows)
          total += preprocessing.map { p in
            logDets.withUnsafeMutableBufferPointer {
              p.applyReturningCorrection(to: rows, examples: i, noise: noise, logDets: $0)
            }
          } ?? 0
        }
      }
      tape.reset()
      let x = values.withUnsafeBufferPointer {
        tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< n * d]), shape: Shape([n] + model.eventShape.dimensions))
      }
      for v in model.logLikelihood(x).value { total += Double(v) }
    }
    tape.reset()
    return total
  }
}
