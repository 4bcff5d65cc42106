#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Triangular mel filters on the Slaney scale with Slaney area normalization (librosa's
/// `filters.mel` defaults: `htk=False, norm='slaney'`).
///
/// ```
/// mel(f) = 3f/200                                 for f < 1000 Hz
///        = 15 + ln(f/1000)·27/ln 6.4              above (linear below 1 kHz, logarithmic above)
/// m_0 … m_{B+1} evenly spaced in mel from mel(f_min) to mel(f_max), f_i their frequencies
/// W[b, k] = max(0, min((f_k − f_b)/(f_{b+1} − f_b), (f_{b+2} − f_k)/(f_{b+2} − f_{b+1})))
///           · 2/(f_{b+2} − f_b)                  (each filter's area is 1)
/// f_k = k·sr/n_fft,  k = 0 … n_fft/2
/// ```
/// Reference: Slaney 1998, Auditory Toolbox (Technical Report #1998-010), `MelFilterBank`.
public struct MelFilterbank: Sendable {
  public let bands: Int
  public let bins: Int
  /// [bands, bins], computed in Float64.
  public let weights: [Double]

  public init(bands: Int, fftSize: Int, sampleRate: Int, minFrequency: Double, maxFrequency: Double) {
    precondition(bands > 0 && minFrequency >= 0 && maxFrequency > minFrequency,
                 "mel filterbank needs bands > 0 and 0 ≤ f_min < f_max, got \(bands), \(minFrequency), \(maxFrequency)")
    self.bands = bands
    bins = fftSize / 2 + 1
    let lo = Self.mel(hertz: minFrequency), hi = Self.mel(hertz: maxFrequency)
    let edges = (0 ..< bands + 2).map { Self.hertz(mel: lo + (hi - lo) * Double($0) / Double(bands + 1)) }
    var weights = [Double](repeating: 0, count: bands * bins)
    for b in 0 ..< bands {
      let (left, center, right) = (edges[b], edges[b + 1], edges[b + 2])
      let area = 2 / (right - left)
      for k in 0 ..< bins {
        let f = Double(k) * Double(sampleRate) / Double(fftSize)
        let rising = (f - left) / (center - left), falling = (right - f) / (right - center)
        weights[b * bins + k] = max(0, min(rising, falling)) * area
      }
    }
    self.weights = weights
  }

  /// [bands, frames] Σ_k W[b, k]·magnitudes[t, k] from [frames, bins] magnitudes.
  public func apply(toMagnitudes magnitudes: [Float], frames: Int) -> [Float] {
    precondition(magnitudes.count == frames * bins, "\(magnitudes.count) magnitudes are not \(frames) frames of \(bins) bins")
    var mel = [Float](repeating: 0, count: bands * frames)
    for b in 0 ..< bands {
      // Each triangle covers a few bins: skip the zeros.
      let row = weights[b * bins ..< (b + 1) * bins]
      guard let first = row.firstIndex(where: { $0 > 0 }), let last = row.lastIndex(where: { $0 > 0 }) else { continue }
      for t in 0 ..< frames {
        var sum = 0.0
        for j in first ... last { sum += weights[j] * Double(magnitudes[t * bins + j - b * bins]) }
        mel[b * frames + t] = Float(sum)
      }
    }
    return mel
  }

  private static let linearStep = 200.0 / 3, breakHertz = 1000.0, breakMel = 15.0, logStep = log(6.4) / 27

  static func mel(hertz f: Double) -> Double {
    f < breakHertz ? f / linearStep : breakMel + log(f / breakHertz) / logStep
  }

  static func hertz(mel m: Double) -> Double {
    m < breakMel ? m * linearStep : breakHertz * exp(logStep * (m - breakMel))
  }
}
