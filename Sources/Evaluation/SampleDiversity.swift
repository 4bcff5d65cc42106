#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Graphics

/// The diversity of a conditional model's samples for one input: the standard deviation over
/// the S samples of each pixel's channel value, averaged over pixels and channels, in 8-bit
/// levels (0 when every sample is the same image, as at τ = 0).
///
/// ```
/// diversity = mean_{p,c} sqrt( (1/S) Σ_s (x_s[p,c] − mean_s x_s[p,c])² )
/// ```
/// The population standard deviation (divided by S), so S = 2 identical samples give 0.
public enum SampleDiversity {
  /// Throws when fewer than 2 samples are given or they differ in size.
  public static func meanStandardDeviation(_ samples: [Image]) throws(MetricError) -> Double {
    guard samples.count >= 2 else {
      throw MetricError("diversity needs at least 2 samples per input, got \(samples.count); sample with --samples 2 or more")
    }
    let first = samples[0]
    for (s, sample) in samples.enumerated()
    where sample.width != first.width || sample.height != first.height || sample.channels != first.channels {
      throw MetricError("sample \(s) is \(SuperResolutionFidelity.describe(sample)) but sample 0 is "
        + "\(SuperResolutionFidelity.describe(first)); the samples of one input must have one size")
    }
    let n = Double(samples.count)
    var total = 0.0
    for i in 0..<first.pixels.count {
      var sum = 0.0, squares = 0.0
      for sample in samples { sum += Double(sample.pixels[i]) }
      let mean = sum / n
      for sample in samples {
        let d = Double(sample.pixels[i]) - mean
        squares += d * d
      }
      total += sqrt(squares / n)
    }
    return total / Double(first.pixels.count)
  }
}
