import Autodiff
import Collectives
import Datasets
import Flows
import TensorCore

/// Per-example log-likelihoods of a whole data set, computed data-parallel.
public enum Likelihood {
  /// [source.count] log p(x) in nats. Rank r evaluates examples r, r+W, …; the results are
  /// combined by one all-reduce so every rank returns the full array.
  public static func perExample(
    model: FlowModel, parameters: ParameterStore<Float>, source: any ExampleSource,
    batchSize: Int = 1024, communicator: any Communicator
  ) throws -> [Double] {
    let n = source.count, d = source.exampleShape.count
    let mine = Array(stride(from: communicator.rank, to: n, by: communicator.size))
    var result = [Double](repeating: 0, count: n)
    let tape = Tape<Float>(parameters: parameters)
    var buffer = [Float](repeating: 0, count: batchSize * d)
    var start = 0
    while start < mine.count {
      let indices = Array(mine[start..<min(start + batchSize, mine.count)])
      try indices.withUnsafeBufferPointer { idx in
        try buffer.withUnsafeMutableBufferPointer {
          try source.copyExamples(idx, into: UnsafeMutableBufferPointer(rebasing: $0[0..<(idx.count * d)]))
        }
      }
      tape.reset()
      let shape = Shape([indices.count] + source.exampleShape.dimensions)
      let x = buffer.withUnsafeBufferPointer {
        tape.input(UnsafeBufferPointer(rebasing: $0[0..<(indices.count * d)]), shape: shape)
      }
      let ll = model.logLikelihood(x).value
      for (k, i) in indices.enumerated() { result[i] = Double(ll[k]) }
      start += batchSize
    }
    try result.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
    return result
  }
}
