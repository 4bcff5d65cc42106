/// Resizing of 8-bit images and of Float planes: bicubic as Pillow's `Image.resize(…, BICUBIC)`
/// computes it, and the block mean of a box downscale.
///
/// The bicubic resize is separable and runs horizontally first, then vertically, like Pillow;
/// each pass stores its result in the image's own type, so an 8-bit resize rounds the
/// intermediate rows to 8 bits and a Float resize to Float32, as Pillow's "L"/"RGB" and "F"
/// modes do. An axis whose size does not change is not resampled. Channels are resampled
/// independently (alpha is not premultiplied, unlike Pillow's RGBA path).
public enum Resampling {
  /// Bicubic resize of a [height, width, channels] Float buffer (or, with `channels` = 1, of one
  /// plane): Pillow's mode "F" arithmetic, Float64 sums stored as Float32 after each pass.
  public static func bicubic(_ values: [Float], height: Int, width: Int, channels: Int,
                             toHeight newHeight: Int, width newWidth: Int) -> [Float] {
    precondition(values.count == height * width * channels,
                 "\(height)×\(width)×\(channels) needs \(height * width * channels) values, got \(values.count)")
    var result = values
    if newWidth != width {
      result = pass(result, outer: height, inner: channels, taps: ResamplingTaps(bicubicFrom: width, to: newWidth))
    }
    if newHeight != height {
      result = pass(result, outer: 1, inner: newWidth * channels, taps: ResamplingTaps(bicubicFrom: height, to: newHeight))
    }
    return result
  }

  /// Bicubic resize of each [height, width] plane of a [channels, height, width] buffer, the
  /// library's NCHW layout.
  public static func bicubic(planar values: [Float], channels: Int, height: Int, width: Int,
                             toHeight newHeight: Int, width newWidth: Int) -> [Float] {
    precondition(values.count == channels * height * width,
                 "\(channels)×\(height)×\(width) needs \(channels * height * width) values, got \(values.count)")
    let plane = height * width
    return (0..<channels).flatMap { c in
      bicubic(Array(values[(c * plane)..<((c + 1) * plane)]), height: height, width: width, channels: 1,
              toHeight: newHeight, width: newWidth)
    }
  }

  /// Pillow's bicubic resize of one axis from `inputSize` to `outputSize` samples as a dense
  /// [outputSize, inputSize] row-major matrix: output j = Σ_i M[j, i] · input i. What a model
  /// needs to put the resize on its own tape (a product it can differentiate), with the weights
  /// the image path uses.
  public static func bicubicMatrix(from inputSize: Int, to outputSize: Int) -> [Double] {
    let taps = ResamplingTaps(bicubicFrom: inputSize, to: outputSize)
    var matrix = [Double](repeating: 0, count: outputSize * inputSize)
    for j in 0..<outputSize {
      for t in 0..<taps.count[j] { matrix[j * inputSize + taps.first[j] + t] = taps.weights[j * taps.stride + t] }
    }
    return matrix
  }

  /// The mean of each `factor`×`factor` block of a [height, width, channels] Float buffer (any
  /// layout whose planes are [height, width] works with `channels` = 1 per plane).
  public static func blockMean(_ values: [Float], height: Int, width: Int, channels: Int, factor: Int) -> [Float] {
    blockSums(values, height: height, width: width, channels: channels, factor: factor).map {
      Float($0 / Double(factor * factor))
    }
  }

  /// Σ of each block in Float64, [height / factor, width / factor, channels].
  static func blockSums<T: BinaryFloatingPoint>(_ values: [T], height: Int, width: Int, channels: Int,
                                                factor: Int) -> [Double] {
    precondition(factor >= 1, "a box downscale needs a factor ≥ 1, got \(factor)")
    precondition(height % factor == 0 && width % factor == 0,
                 "a box downscale by \(factor) needs sides divisible by \(factor), got \(width)×\(height)")
    precondition(values.count == height * width * channels,
                 "\(height)×\(width)×\(channels) needs \(height * width * channels) values, got \(values.count)")
    let (h, w) = (height / factor, width / factor)
    var sums = [Double](repeating: 0, count: h * w * channels)
    for y in 0..<height {
      for x in 0..<width {
        let from = (y * width + x) * channels, to = ((y / factor) * w + x / factor) * channels
        for c in 0..<channels { sums[to + c] += Double(values[from + c]) }
      }
    }
    return sums
  }

  /// One Float pass along the middle axis of [outer, taps.inputSize, inner]: Float64 sums.
  static func pass(_ input: [Float], outer: Int, inner: Int, taps: ResamplingTaps) -> [Float] {
    let weights = taps.weights
    return pass(outer: outer, inner: inner, taps: taps, zero: 0) { start, row, count in
      var sum = 0.0
      for t in 0..<count { sum += Double(input[start + t * inner]) * weights[row + t] }
      return Float(sum)
    }
  }

  /// One 8-bit pass along the middle axis of [outer, taps.inputSize, inner]: integer sums of
  /// fixed-point weights, rounded by adding ½ and shifting, then clamped to 0…255.
  static func pass(_ input: [UInt8], outer: Int, inner: Int, taps: ResamplingTaps) -> [UInt8] {
    let weights = taps.fixedPointWeights()
    let bits = ResamplingTaps.precisionBits
    return pass(outer: outer, inner: inner, taps: taps, zero: 0) { start, row, count in
      var sum = 1 << (bits - 1)
      for t in 0..<count { sum += Int(input[start + t * inner]) * Int(weights[row + t]) }
      // >> on Int is arithmetic: the floor, also for negative sums.
      return UInt8(clamping: sum >> bits)
    }
  }

  /// The outputs of a pass along the middle axis of [outer, taps.inputSize, inner]: `output`
  /// gets the offset of an output's first input sample (its taps follow `inner` apart), the
  /// offset of its weights in `taps.weights` and their count.
  @inline(__always)
  private static func pass<T>(outer: Int, inner: Int, taps: ResamplingTaps, zero: T,
                              _ output: (_ start: Int, _ row: Int, _ count: Int) -> T) -> [T] {
    var result = [T](repeating: zero, count: outer * taps.outputSize * inner)
    for o in 0..<outer {
      let inBase = o * taps.inputSize * inner, outBase = o * taps.outputSize * inner
      for j in 0..<taps.outputSize {
        for i in 0..<inner {
          result[outBase + j * inner + i] = output(inBase + taps.first[j] * inner + i, j * taps.stride, taps.count[j])
        }
      }
    }
    return result
  }
}

extension Image {
  /// This image resized to `width`×`height` as Pillow's `Image.resize((width, height), BICUBIC)`
  /// resizes an "L" or "RGB" image: the same pixels, byte for byte (see `Resampling`).
  public func resizedBicubic(width newWidth: Int, height newHeight: Int) -> Image {
    precondition(newWidth > 0 && newHeight > 0, "an image needs a positive size, got \(newWidth)×\(newHeight)")
    var result = pixels
    if newWidth != width {
      result = Resampling.pass(result, outer: height, inner: channels, taps: ResamplingTaps(bicubicFrom: width, to: newWidth))
    }
    if newHeight != height {
      result = Resampling.pass(result, outer: 1, inner: newWidth * channels,
                               taps: ResamplingTaps(bicubicFrom: height, to: newHeight))
    }
    return Image(width: newWidth, height: newHeight, channels: channels, pixels: result)
  }

  /// This image shrunk `factor` times by the mean of each `factor`×`factor` block, rounded half
  /// up: `⌊Σ/factor² + ½⌋` in Float64 (the exact mean of the block's pixels, then rounded).
  public func blockMeanDownscaled(by factor: Int) -> Image {
    let sums = Resampling.blockSums(pixels.map(Double.init), height: height, width: width, channels: channels,
                                    factor: factor)
    let n = Double(factor * factor)
    return Image(width: width / factor, height: height / factor, channels: channels,
                 pixels: sums.map { UInt8(($0 / n + 0.5).rounded(.down)) })
  }
}
