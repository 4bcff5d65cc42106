/// What a random stream is for; the top byte of a packed stream id.
///
/// Every purpose gets its own number in this one table, so two purposes can never draw the same
/// numbers by accident. Add new purposes here with the next free number; never renumber one,
/// because checkpoints and reproducibility depend on the values. 0 is left unused so that a
/// packed stream id is never 0.
public struct RandomPurpose: RawRepresentable, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  /// The per-epoch global permutation of the training set.
  public static let permutation = RandomPurpose(rawValue: 1)
  /// Initial parameter values (drawn on rank 0, then broadcast).
  public static let parameterInit = RandomPurpose(rawValue: 2)
  /// Uniform dequantization noise added to discrete data.
  public static let dequantization = RandomPurpose(rawValue: 3)
  /// Latent draws when sampling from a trained model.
  public static let sampling = RandomPurpose(rawValue: 4)
  /// Points of the built-in 2-D toy datasets (moons, checkerboard, …), keyed by example index.
  public static let toyData = RandomPurpose(rawValue: 5)
  /// Where a fixed-length training segment starts in its utterance (speech data, issue 9).
  public static let audioSegment = RandomPurpose(rawValue: 6)
  /// Random crops and flips of augmented image data, keyed by (step, example index).
  public static let augmentation = RandomPurpose(rawValue: 7)
  /// Random whole-pixel shifts of training images (`ShiftAugmentation`), keyed by step and example index.
  public static let imageShift = RandomPurpose(rawValue: 8)
  /// Dropout masks of training steps, keyed by (site, step) and the example index.
  public static let dropout = RandomPurpose(rawValue: 9)
  /// Random audio and mel of the synthetic vocoder benchmark data (`NoiseSegments`).
  public static let syntheticAudio = RandomPurpose(rawValue: 10)
}
