import Autodiff
import Collectives
import Datasets
import Flows
import TensorCore

/// Per-example log-likelihoods of a whole data set, computed data-parallel.
public enum Likelihood {
  /// [source.count] log p(x | c) in nats. Rank r evaluates examples r, r+W, …; the results are
  /// combined by one all-reduce so every rank returns the full array.
  public static func perExample(
    _ trainable: TrainableFlow, source: any ExampleSource, batchSize: Int = 1024, communicator: any Communicator
  ) throws -> [Double] {
    let model = trainable.model
    let n = source.count, d = source.exampleShape.count, c = source.conditionShape?.count ?? 0
    let mine = Array(stride(from: communicator.rank, to: n, by: communicator.size))
    var result = [Double](repeating: 0, count: n)
    let tape = Tape<Float>(parameters: trainable.parameters)
    var buffer = [Float](repeating: 0, count: batchSize * d)
    var conditions = [Float](repeating: 0, count: batchSize * c)
    var start = 0
    while start < mine.count {
      let indices = Array(mine[start..<min(start + batchSize, mine.count)])
      try indices.withUnsafeBufferPointer { idx in
        try buffer.withUnsafeMutableBufferPointer {
          try source.copyExamples(idx, into: UnsafeMutableBufferPointer(rebasing: $0[0..<(idx.count * d)]))
        }
        if c > 0 {
          try conditions.withUnsafeMutableBufferPointer {
            try source.copyConditions(idx, into: UnsafeMutableBufferPointer(rebasing: $0[0..<(idx.count * c)]))
          }
        }
      }
      tape.reset()
      let shape = Shape([indices.count] + source.exampleShape.dimensions)
      let x = buffer.withUnsafeBufferPointer {
        tape.input(UnsafeBufferPointer(rebasing: $0[0..<(indices.count * d)]), shape: shape)
      }
      let condition = source.conditionShape.map { shape in
        conditions.withUnsafeBufferPointer {
          tape.input(UnsafeBufferPointer(rebasing: $0[0..<(indices.count * c)]), shape: Shape([indices.count] + shape.dimensions))
        }
      }
      let ll = model.logLikelihood(x, condition: condition).value
      for (k, i) in indices.enumerated() { result[i] = Double(ll[k]) }
      start += batchSize
    }
    try result.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
    return result
  }
}
