import TensorCore

/// Which draw of a randomly augmented source (random crops and flips) to copy: the one of a
/// training step, or the one fixed draw every evaluation reads — the same split as the
/// dequantization noise's (`Dequantization.trainingNoise` / `evaluationNoise`).
///
/// A draw is keyed by (seed, step) and the example index alone, never by rank (DESIGN §5), so
/// an example gets the same crop on one rank and on eight.
public struct ExampleDraw: Sendable, Hashable {
  public let seed: UInt64
  /// The training step; nil for the evaluation draw.
  public let step: Int?

  /// The draw of training step `step`.
  public static func training(seed: UInt64, step: Int) -> ExampleDraw { ExampleDraw(seed: seed, step: step) }

  /// The fixed draw of evaluation (and of sources read without a draw).
  public static func evaluation(seed: UInt64) -> ExampleDraw { ExampleDraw(seed: seed, step: nil) }

  /// The stream of this draw's randomness for `purpose` (`.augmentation` for crops and flips,
  /// `.audioSegment` for where speech segments start); example i reads it at `offset(example: i)`.
  public func stream(_ purpose: RandomPurpose) -> RandomStream {
    RandomStream(seed: seed, purpose: purpose, major: step == nil ? 1 : 0, minor: step ?? 0)
  }
}
