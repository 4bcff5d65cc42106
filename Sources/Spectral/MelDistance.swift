#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The vocoder metrics of issue 9 between a reference and a generated log-mel spectrogram:
/// frames aligned from frame 0, both trimmed to the shorter length, no normalization and no
/// time warping (the audio behind both is int16 scaled by 1/32768).
public enum MelDistance {
  /// Mean |logmel_ref − logmel_gen| over the 80 × T entries.
  public static func logMelL1(reference: LogMelSpectrogram, generated: LogMelSpectrogram) -> Double {
    let (a, b) = aligned(reference, generated)
    var sum = 0.0
    for (x, y) in zip(a.values, b.values) { sum += abs(Double(x) - Double(y)) }
    return sum / Double(a.values.count)
  }

  /// Mel-cepstral distortion in dB, averaged over frames:
  /// ```
  /// c_d[t]  = (1/B) Σ_k logmel[k, t]·cos(π·d·(k + ½)/B),   d = 1 … 13,  B = 80 bands
  /// MCD[t]  = (10/ln 10)·sqrt(2·Σ_d (c_d[t] − c′_d[t])²)
  /// ```
  /// Reference: Kubichek 1993 (mel-cepstral distance); the DCT-II of the log-mel as cepstrum.
  public static func melCepstralDistortion(reference: LogMelSpectrogram, generated: LogMelSpectrogram,
                                           coefficients: Int = 13) -> Double {
    let (a, b) = aligned(reference, generated)
    let bands = a.bands, frames = a.frames
    var basis = [Double](repeating: 0, count: coefficients * bands)
    for d in 1 ... coefficients {
      for k in 0 ..< bands {
        basis[(d - 1) * bands + k] = cos(Double.pi * Double(d) * (Double(k) + 0.5) / Double(bands)) / Double(bands)
      }
    }
    var total = 0.0
    for t in 0 ..< frames {
      var squares = 0.0
      for d in 0 ..< coefficients {
        var c = 0.0
        for k in 0 ..< bands { c += basis[d * bands + k] * (Double(a.values[k * frames + t]) - Double(b.values[k * frames + t])) }
        squares += c * c
      }
      total += 10 / log(10) * (2 * squares).squareRoot()
    }
    return total / Double(frames)
  }

  private static func aligned(_ a: LogMelSpectrogram, _ b: LogMelSpectrogram) -> (LogMelSpectrogram, LogMelSpectrogram) {
    precondition(a.bands == b.bands, "reference has \(a.bands) mel bands, generated \(b.bands)")
    let frames = min(a.frames, b.frames)
    precondition(frames > 0, "no frames to compare")
    return (a.prefix(frames: frames), b.prefix(frames: frames))
  }
}
