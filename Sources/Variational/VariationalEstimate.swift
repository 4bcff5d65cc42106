import Collectives
import Foundation

/// The two estimates of log Z a fitted flow gives, from N samples xᵢ ~ q with log weights
/// log wᵢ = −U(xᵢ) − log q(xᵢ):
/// ```
/// ELBO  = (1/N) Σ log wᵢ                     ≤ log Z  (Jensen; the gap is KL(q ‖ p))
/// log Ẑ = log (1/N) Σ wᵢ                     → log Z  (importance sampling; E[Ẑ] = Z)
/// ESS   = (Σ wᵢ)² / Σ wᵢ²                    effective sample size of the weights
/// ```
/// log Ẑ is itself biased low for finite N (E[log Ẑ] ≤ log Z), but far less than the ELBO when q
/// covers p; a small ESS/N warns that it rests on a few large weights (a missed mode shows as
/// log Ẑ ≈ ELBO, both below log Z).
/// Reference: Burda, Grosse & Salakhutdinov 2016 (IWAE bound); Kong 1992 (ESS).
public struct VariationalEstimate: Sendable, Equatable {
  /// N, over all ranks.
  public let samples: Int
  public let elbo: Double
  public let logPartition: Double
  public let effectiveSampleSize: Double

  public init(samples: Int, elbo: Double, logPartition: Double, effectiveSampleSize: Double) {
    self.samples = samples
    self.elbo = elbo
    self.logPartition = logPartition
    self.effectiveSampleSize = effectiveSampleSize
  }

  /// Combines every rank's log weights; all ranks must call it and get the same result.
  ///
  /// The log-mean-exp is shifted by the global maximum M (one max all-reduce), then the sums
  /// Σ log w, Σ e^{log w − M}, Σ e^{2(log w − M)} and the count go out in one sum all-reduce,
  /// so no weight can overflow and the result does not depend on how the samples are split.
  public static func combining(localLogWeights: [Double], communicator: any Communicator) throws -> VariationalEstimate {
    let localMax = localLogWeights.max() ?? -.infinity
    let shift = try communicator.allReduced(localMax, .max)
    var sums = [0.0, 0.0, 0.0, Double(localLogWeights.count)]
    for w in localLogWeights {
      sums[0] += w
      let scaled = Foundation.exp(w - shift)
      sums[1] += scaled
      sums[2] += scaled * scaled
    }
    try communicator.allReduce(&sums, .sum)
    let n = sums[3]
    precondition(n > 0, "importance sampling needs at least one sample over all ranks")
    return VariationalEstimate(samples: Int(n), elbo: sums[0] / n,
                               logPartition: shift + Foundation.log(sums[1] / n),
                               effectiveSampleSize: sums[1] * sums[1] / sums[2])
  }
}
