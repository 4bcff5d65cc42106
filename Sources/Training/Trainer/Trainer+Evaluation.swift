import Collectives
import Datasets
import TensorCore

/// The mean negative log-likelihood of a data set under the model.
public struct Evaluation: Sendable, Equatable {
  /// Examples scored over all ranks.
  public var examples: Int
  /// Mean −log p(x) per example, in nats.
  public var nats: Double
  /// `nats` / dimensions.
  public var natsPerDimension: Double
}

extension Trainer {
  /// Scores every example of `source` (collective: rank r takes examples r, r + W, …, in chunks
  /// of `validationBatch / W`) and all-reduces the sums. Uses the EMA parameters when an EMA is
  /// kept, restoring the training parameters afterwards.
  public func evaluate(_ source: any ExampleSource) throws -> Evaluation {
    precondition(source.exampleShape == model.eventShape, "evaluation data of shape \(source.exampleShape)")
    try prepare()
    var sums = [0.0, 0.0]
    try withEvaluationParameters { sums[0] = try localLogLikelihoodSum(source) }
    let rank = communicator.rank, size = communicator.size
    sums[1] = Double(rank < source.count ? (source.count - rank + size - 1) / size : 0)
    try communicator.allReduce(&sums, .sum)
    let nats = -sums[0] / sums[1]
    return Evaluation(examples: Int(sums[1]), nats: nats, natsPerDimension: nats / Double(model.dimensions))
  }

  /// Σ log p over this rank's share of `source`, in Float64.
  private func localLogLikelihoodSum(_ source: any ExampleSource) throws -> Double {
    let rank = communicator.rank, size = communicator.size
    let chunk = max(1, options.validationBatch / size)
    var indices: [Int] = []
    indices.reserveCapacity(chunk)
    var values = [Float](repeating: 0, count: chunk * model.dimensions)
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
        try values.withUnsafeMutableBufferPointer {
          try source.copyExamples(i, into: UnsafeMutableBufferPointer(rebasing: $0[0 ..< n * model.dimensions]))
        }
      }
      tape.reset()
      let x = values.withUnsafeBufferPointer {
        tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< n * model.dimensions]),
                   shape: Shape([n] + model.eventShape.dimensions))
      }
      total += Self.sum(model.logLikelihood(x).value)
    }
    tape.reset()
    return total
  }

  /// Runs `body` with the EMA average in the parameter buffer when an EMA is kept.
  private func withEvaluationParameters(_ body: () throws -> Void) throws {
    guard let ema else { return try body() }
    let training = Array(parameters.values)
    ema.copyShadow(into: parameters.values)
    defer { _ = parameters.values.update(fromContentsOf: training) }
    try body()
  }
}
