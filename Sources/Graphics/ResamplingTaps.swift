/// The taps of a separable resize along one axis: which input samples each output sample reads,
/// and with what weights — computed as Pillow's `Image.resize` computes them, so that resizing
/// here gives Pillow's pixels.
///
/// ```
/// scale   = inputSize / outputSize,   widen = max(scale, 1)
/// support = 2·widen                        (the cubic's support, widened when downscaling)
/// center  = (j + ½)·scale                  (output j's position in input coordinates)
/// taps    = inputs ⌊center − support + ½⌋ ..< ⌊center + support + ½⌋, clipped to the image
/// w_i     = cubic((i − center + ½) / widen) / Σ_i cubic(…)
/// ```
/// Widening the kernel by the scale factor low-passes before decimation (antialiasing, like
/// MATLAB's `imresize`). At the borders the taps outside the image are dropped and the remaining
/// weights renormalized, Pillow's edge handling. The arithmetic (its order included) follows
/// Pillow's so the Float64 weights agree to the last bit, which the 8-bit path needs: its
/// fixed-point weights round them.
///
/// Reference: Keys 1981 (cubic convolution, a = −0.5); Pillow `libImaging/Resample.c`.
struct ResamplingTaps: Sendable {
  let inputSize: Int
  let outputSize: Int
  /// [outputSize] the first input sample output j reads.
  let first: [Int]
  /// [outputSize] how many input samples output j reads (≤ `stride`).
  let count: [Int]
  /// The row length of `weights`: the most taps any output can have.
  let stride: Int
  /// [outputSize, stride] normalized weights; unused entries are 0.
  let weights: [Double]

  /// Bits after the binary point of the 8-bit path's fixed-point weights: 32 − 8 − 2, leaving
  /// room for the sign and for sums above 1 from the cubic's negative lobes (Pillow's choice).
  static let precisionBits = 22

  init(bicubicFrom inputSize: Int, to outputSize: Int) {
    precondition(inputSize > 0 && outputSize > 0, "resizing needs positive sizes, got \(inputSize) → \(outputSize)")
    let scale = Double(inputSize) / Double(outputSize)
    let widen = max(scale, 1)
    let support = 2 * widen
    let stride = Int(support.rounded(.up)) * 2 + 1
    var first = [Int](repeating: 0, count: outputSize)
    var count = [Int](repeating: 0, count: outputSize)
    var weights = [Double](repeating: 0, count: outputSize * stride)
    let reciprocal = 1 / widen
    for j in 0..<outputSize {
      let center = (Double(j) + 0.5) * scale
      // Int(_:) truncates toward zero as C's cast does; a negative start is clipped to 0 anyway.
      let start = max(Int(center - support + 0.5), 0)
      let end = min(Int(center + support + 0.5), inputSize)
      var total = 0.0
      for t in 0..<(end - start) {
        let w = Self.cubic((Double(start + t) - center + 0.5) * reciprocal)
        weights[j * stride + t] = w
        total += w
      }
      if total != 0 {
        for t in 0..<(end - start) { weights[j * stride + t] /= total }
      }
      (first[j], count[j]) = (start, end - start)
    }
    (self.inputSize, self.outputSize, self.first, self.count, self.stride, self.weights)
      = (inputSize, outputSize, first, count, stride, weights)
  }

  /// Keys' cubic convolution kernel with a = −0.5, support 2.
  static func cubic(_ x: Double) -> Double {
    let a = -0.5
    let x = abs(x)
    if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
    if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
    return 0
  }

  /// The weights in fixed point with `precisionBits` fraction bits, each rounded half away from
  /// zero, for the 8-bit path's integer sums.
  func fixedPointWeights() -> [Int32] {
    let one = Double(1 << Self.precisionBits)
    return weights.map { Int32($0 < 0 ? -0.5 + $0 * one : 0.5 + $0 * one) }
  }
}
