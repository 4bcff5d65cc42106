#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversions of a negative log-likelihood in nats per example to the per-dimension units
/// papers report.
///
/// For discrete data x ∈ {0 … bins−1}^D the model sees `y = (x + u) / bins`, u ~ U[0, 1)^D,
/// and the likelihood of x is bounded through y with the Jacobian of the division:
/// ```
/// NLL_x = NLL_y + D·ln(bins)          bits/dim = (NLL_y + D·ln(bins)) / (D·ln 2)
/// ```
/// (DESIGN §2). NLL_y must already include every other preprocessing log-det (e.g. a logit
/// transform); `bins = 1` gives the continuous case.
///
/// Reference: Theis et al. 2016, "A note on the evaluation of generative models"; Dinh et al.
/// 2017 (RealNVP), §4.1.
public enum LikelihoodUnits {
  public static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

  /// Nats (per dimension) in bits: x / ln 2.
  public static func bits(nats: Double) -> Double { nats / ln2 }

  /// NLL / D.
  public static func natsPerDimension(nll: Double, dimensions: Int) -> Double {
    precondition(dimensions > 0, "dimensions must be positive, got \(dimensions)")
    return nll / Double(dimensions)
  }

  /// D·ln(bins): what dequantizing to [0, 1)^D adds to the NLL of the integer data.
  public static func dequantizationNats(dimensions: Int, bins: Int) -> Double {
    precondition(dimensions > 0 && bins >= 1, "need dimensions > 0 and bins ≥ 1, got \(dimensions) and \(bins)")
    return Double(dimensions) * log(Double(bins))
  }

  /// `(NLL_y + D·ln(bins)) / (D·ln 2)` for NLL_y in nats per example.
  public static func bitsPerDimension(nll: Double, dimensions: Int, bins: Int) -> Double {
    (nll + dequantizationNats(dimensions: dimensions, bins: bins)) / (Double(dimensions) * ln2)
  }

  /// The inverse of `bitsPerDimension`: NLL_y in nats per example.
  public static func nll(bitsPerDimension bpd: Double, dimensions: Int, bins: Int) -> Double {
    bpd * Double(dimensions) * ln2 - dequantizationNats(dimensions: dimensions, bins: bins)
  }
}
