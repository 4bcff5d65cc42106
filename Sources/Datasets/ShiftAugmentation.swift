import TensorCore

/// Random translations of training images by a few whole pixels: a data augmentation for image
/// sets too small for their flow (the 1258 training digits), so the model cannot memorize each
/// image at its one position.
///
/// ```
/// x'[c, y, x] = x[c, y − dy, x − dx]   where the source lies inside the image, else level 0
/// (dy, dx) uniform in {−m … m}²,  m = maxShift
/// ```
/// Level 0 is the digits' background; the shifted-in border is the one place the augmented image
/// differs from a translated copy. Only training batches are shifted: validation and `laminar eval`
/// score the images as stored.
///
/// Keying (DESIGN §5): example i of step s reads block `offset(example: i) / 4` of the stream
/// `noise(seed:step:)` — dy from its first word, dx from its second, each `word mod (2m + 1)`
/// (uniform to within 2⁻³²) — never the rank, so 1 and W ranks shift every example alike.
public struct ShiftAugmentation: Sendable, Equatable {
  /// m: the largest shift along each axis, in pixels.
  public let maxShift: Int

  public init(maxShift: Int) {
    precondition(maxShift >= 1, "the largest shift \(maxShift) must be ≥ 1")
    self.maxShift = maxShift
  }

  /// The shifts of training step `step`.
  public static func noise(seed: UInt64, step: Int) -> RandomStream {
    RandomStream(seed: seed, purpose: .imageShift, major: 0, minor: step)
  }

  /// The shift (dy, dx) of dataset example `example` in `noise`.
  public func shift(example: Int, noise: RandomStream) -> (dy: Int, dx: Int) {
    let words = noise.block(RandomStream.offset(example: example) / 4)
    let choices = UInt32(2 * maxShift + 1)
    return (Int(words.x % choices) - maxShift, Int(words.y % choices) - maxShift)
  }

  /// Shifts every example of `values` in place.
  /// - Parameters:
  ///   - values: [examples.count, channels, height, width] integer levels.
  ///   - imageShape: [channels, height, width].
  ///   - examples: the dataset index of each row: the key of its shift.
  public func apply(to values: UnsafeMutableBufferPointer<Float>, imageShape: Shape,
                    examples: UnsafeBufferPointer<Int>, noise: RandomStream) {
    precondition(imageShape.rank == 3, "shifts need [channels, height, width] images, got \(imageShape)")
    precondition(values.count == examples.count * imageShape.count,
                 "\(values.count) values are not \(examples.count) images of \(imageShape)")
    guard let base = values.baseAddress else { return }
    let planes = imageShape[0], height = imageShape[1], width = imageShape[2]
    for (k, example) in examples.enumerated() {
      let (dy, dx) = shift(example: example, noise: noise)
      for c in 0..<planes {
        Self.translate(base + (k * planes + c) * height * width, height: height, width: width, dy: dy, dx: dx)
      }
    }
  }

  /// One plane in place: walking away from the direction of the shift reads every source before
  /// it is overwritten, so no scratch copy is needed.
  private static func translate(_ plane: UnsafeMutablePointer<Float>, height: Int, width: Int, dy: Int, dx: Int) {
    for i in 0..<height {
      let y = dy > 0 ? height - 1 - i : i, sy = y - dy
      for j in 0..<width {
        let x = dx > 0 ? width - 1 - j : j, sx = x - dx
        plane[y * width + x] = sy >= 0 && sy < height && sx >= 0 && sx < width ? plane[sy * width + sx] : 0
      }
    }
  }
}
