import TensorCore

/// What keys the random draws of training-only ops in one training step: the run's seed, the
/// step and the dataset index of each row of the batch. Row n of every such op draws from the
/// stream of (site, step) at offset `RandomStream.offset(example: examples[n], element: j)`, so
/// a batch split over ranks draws exactly what it draws on one rank.
public struct StepNoise: Sendable {
  public var seed: UInt64
  public var step: Int
  /// [batch] the dataset index of each row of the batch being recorded.
  public var examples: [Int]

  public init(seed: UInt64, step: Int, examples: [Int]) {
    self.seed = seed
    self.step = step
    self.examples = examples
  }
}
