/// How Float samples are ordered in memory.
public enum SampleLayout: Sendable {
  /// [height, width, channels]: channels interleaved per pixel, like `Image.pixels`.
  case interleaved
  /// [channels, height, width]: one plane per channel, like the library's NCHW tensors.
  case planar
}

extension Image {
  /// An image from Float samples mapped linearly from `range` to 0…255, clamping values outside it.
  ///
  /// ```
  /// sample = round(255 · clamp((v − range.lower) / (range.upper − range.lower), 0, 1))
  /// ```
  /// - Parameters:
  ///   - values: width·height·channels samples in `layout` order.
  ///   - range: the values shown as black and white; `nil` takes the smallest and largest finite
  ///     values (a constant image then maps to black). NaN maps to 0.
  public init(floats values: [Float], width: Int, height: Int, channels: Int,
              layout: SampleLayout = .interleaved, range: ClosedRange<Float>? = 0...1) {
    precondition(values.count == width * height * channels,
                 "\(width)×\(height)×\(channels) needs \(width * height * channels) values, got \(values.count)")
    let bounds = range ?? Image.finiteRange(of: values[...])
    let span = bounds.upperBound - bounds.lowerBound
    let scale: Float = span > 0 ? 255 / span : 0
    var pixels = [UInt8](repeating: 0, count: values.count)
    let plane = width * height
    for (index, value) in values.enumerated() {
      // Planar sample c·plane + p goes to interleaved position p·channels + c.
      let target = layout == .interleaved ? index : (index % plane) * channels + index / plane
      let level = ((value - bounds.lowerBound) * scale).rounded()
      pixels[target] = level.isNaN ? 0 : UInt8(min(max(level, 0), 255))
    }
    self.init(width: width, height: height, channels: channels, pixels: pixels)
  }

  /// One image per example of a [count, channels, height, width] Float batch, e.g. flow samples.
  public static func batch(planar values: [Float], count: Int, channels: Int, height: Int, width: Int,
                           range: ClosedRange<Float>? = 0...1) -> [Image] {
    let size = channels * height * width
    precondition(values.count == count * size,
                 "[\(count), \(channels), \(height), \(width)] needs \(count * size) values, got \(values.count)")
    return (0..<count).map { n in
      Image(floats: Array(values[(n * size)..<((n + 1) * size)]), width: width, height: height,
            channels: channels, layout: .planar, range: range)
    }
  }

  /// The smallest and largest finite values (0…1 when there are none).
  static func finiteRange(of values: ArraySlice<Float>) -> ClosedRange<Float> {
    var lower = Float.infinity
    var upper = -Float.infinity
    for value in values where value.isFinite {
      lower = min(lower, value)
      upper = max(upper, value)
    }
    return lower <= upper ? lower...upper : 0...1
  }
}
