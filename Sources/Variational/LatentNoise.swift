import Autodiff
import TensorCore

/// The base draws z₀ ~ N(0, I) of a VI run, keyed by (seed, purpose, step, example index) and
/// never by rank (DESIGN §5): example i of step s is the same 2 numbers on any number of ranks.
public struct LatentNoise: Sendable, Equatable {
  public let seed: UInt64

  public init(seed: UInt64) { self.seed = seed }

  /// Which draws a stream is for; training steps, the evaluation and the plot never share one.
  enum Use: Int {
    case training = 0
    case evaluation = 1
    case plotting = 2
  }

  /// The stream of training step `step`.
  public func training(step: Int) -> RandomStream {
    RandomStream(seed: seed, purpose: .sampling, major: Use.training.rawValue, minor: step)
  }

  /// The stream of the evaluation samples.
  public var evaluation: RandomStream {
    RandomStream(seed: seed, purpose: .sampling, major: Use.evaluation.rawValue)
  }

  /// The stream of the samples drawn over the target in the plot.
  public var plotting: RandomStream {
    RandomStream(seed: seed, purpose: .sampling, major: Use.plotting.rawValue)
  }
}

extension Tape {
  /// [examples.count, dimension] standard normal rows; row k holds example `examples[k]` of
  /// `stream`, so a rank that draws a subset gets the same rows as one that draws them all.
  public func standardNormalRows(
    _ examples: some Collection<Int>, dimension: Int, stream: RandomStream
  ) -> Variable<S> {
    let rows = constant(0, shape: [examples.count, dimension])
    let buffer = nodes[Int(rows.id)].value
    for (k, example) in examples.enumerated() {
      stream.fillNormal(UnsafeMutableBufferPointer(start: buffer + k * dimension, count: dimension),
                        offset: RandomStream.offset(example: example))
    }
    return rows
  }
}
