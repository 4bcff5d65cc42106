#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A signal shorter than the STFT's reflect padding allows.
public struct SignalTooShort: Error, CustomStringConvertible {
  public let samples: Int
  public let required: Int
  public var description: String {
    "has \(samples) samples but the STFT needs at least \(required) (n_fft/2 + 1) for its reflect padding"
  }
}

/// The short-time Fourier transform of the mel front end and of Griffin-Lim, and its inverse.
///
/// ```
/// x_pad = reflect-pad x by n_fft/2 on both sides (the edge sample not repeated: numpy 'reflect')
/// X[t, k] = Σ_n w[n]·x_pad[t·hop + n]·e^(−2πi·kn/n_fft),   t = 0 … ⌊len/hop⌋
/// w[n] = ½ − ½·cos(2πn/n_fft)   (periodic Hann, window length = n_fft)
/// ```
/// The inverse is the weighted overlap-add of librosa's `istft` (divided by Σ_t w²[n − t·hop],
/// the centering padding trimmed), the least-squares signal of a given complex spectrogram.
/// Reference: Griffin & Lim 1984 (the inverse); librosa 0.10 `stft`/`istft` (the conventions).
public struct ShortTimeFourierTransform: Sendable {
  public let fftSize: Int
  public let hop: Int
  /// [fftSize] periodic Hann.
  public let window: [Float]
  private let fft: RealFFT

  public init(fftSize: Int, hop: Int) {
    precondition(hop > 0 && hop <= fftSize, "hop \(hop) must be in 1 … \(fftSize)")
    self.fftSize = fftSize
    self.hop = hop
    fft = RealFFT(count: fftSize)
    window = (0 ..< fftSize).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(fftSize))) }
  }

  public var bins: Int { fftSize / 2 + 1 }
  private var padding: Int { fftSize / 2 }

  /// Frames of a signal of `samples` samples: 1 + ⌊samples / hop⌋.
  public func frameCount(samples: Int) -> Int { 1 + samples / hop }

  public func spectrum(of signal: [Float]) throws -> ComplexSpectrogram {
    guard signal.count > padding else { throw SignalTooShort(samples: signal.count, required: padding + 1) }
    let padded = reflectPadded(signal)
    let frames = frameCount(samples: signal.count), bins = self.bins
    var values = [Float](repeating: 0, count: frames * bins * 2)
    var frame = [Float](repeating: 0, count: fftSize)
    values.withUnsafeMutableBufferPointer { out in
      for t in 0 ..< frames {
        for n in 0 ..< fftSize { frame[n] = window[n] * padded[t * hop + n] }
        frame.withUnsafeMutableBufferPointer { fft.forward($0.baseAddress!, into: out.baseAddress! + 2 * t * bins) }
      }
    }
    return ComplexSpectrogram(frames: frames, bins: bins, values: values)
  }

  /// The signal of `length` samples (default `hop·(frames − 1)`, librosa's) whose STFT is
  /// closest to `spectrum` in the least-squares sense.
  public func inverse(_ spectrum: ComplexSpectrogram, length: Int? = nil) -> [Float] {
    precondition(spectrum.bins == bins, "spectrum has \(spectrum.bins) bins, this STFT \(bins)")
    let frames = spectrum.frames
    let full = fftSize + hop * (frames - 1)
    var sum = [Double](repeating: 0, count: full), weight = [Double](repeating: 0, count: full)
    var frame = [Float](repeating: 0, count: fftSize)
    var bin = [Float](repeating: 0, count: 2 * bins)
    let scale = 1 / Double(fftSize)
    for t in 0 ..< frames {
      for j in 0 ..< 2 * bins { bin[j] = spectrum.values[2 * t * bins + j] }
      bin.withUnsafeMutableBufferPointer { b in
        frame.withUnsafeMutableBufferPointer { fft.inverse(b.baseAddress!, into: $0.baseAddress!) }
      }
      for n in 0 ..< fftSize {
        let w = Double(window[n])
        sum[t * hop + n] += w * Double(frame[n]) * scale
        weight[t * hop + n] += w * w
      }
    }
    let length = length ?? hop * (frames - 1)
    return (0 ..< length).map { i in
      let j = i + padding
      guard j < full else { return 0 }
      // Where no window reaches (only the padded ends with hop = n_fft) leave the sum as is.
      return Float(weight[j] > 1e-10 ? sum[j] / weight[j] : sum[j])
    }
  }

  /// [len + fftSize] numpy.pad(x, fftSize/2, mode='reflect').
  private func reflectPadded(_ x: [Float]) -> [Float] {
    let p = padding, n = x.count
    var padded = [Float](repeating: 0, count: n + 2 * p)
    for i in 0 ..< p { padded[i] = x[p - i] }
    for i in 0 ..< n { padded[p + i] = x[i] }
    for i in 0 ..< p { padded[p + n + i] = x[n - 2 - i] }
    return padded
  }
}
