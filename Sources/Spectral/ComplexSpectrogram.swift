/// The complex STFT of a signal.
public struct ComplexSpectrogram: Sendable {
  public let frames: Int
  /// n_fft/2 + 1 frequency bins.
  public let bins: Int
  /// [frames, bins, 2]: (re, im) of bin k of frame t at `2·(t·bins + k)`.
  public var values: [Float]

  public init(frames: Int, bins: Int, values: [Float]) {
    precondition(values.count == frames * bins * 2, "\(frames)×\(bins) complex values need \(frames * bins * 2) floats")
    self.frames = frames
    self.bins = bins
    self.values = values
  }

  /// [frames, bins] |X[t, k]|.
  public var magnitudes: [Float] {
    (0 ..< frames * bins).map { i in
      let re = Double(values[2 * i]), im = Double(values[2 * i + 1])
      return Float((re * re + im * im).squareRoot())
    }
  }
}
