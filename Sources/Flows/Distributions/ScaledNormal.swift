import Autodiff
import Foundation
import TensorCore

/// N(0, σ² I) over the event dimensions: WaveGlow's prior, trained with σ = 1 (or less) and
/// sampled with a smaller σ.
///
/// ```
/// log p(z) = −Σ z² / (2σ²) − D log σ − (D/2) log 2π
/// ```
/// `sample` draws σ · temperature · ε, so a sampling σ′ is temperature σ′/σ. Reference: Prenger
/// et al. 2019 (WaveGlow), §2.1 and §3 (σ = 0.6 at inference).
public struct ScaledNormal: BaseDistribution {
  public let sigma: Double

  public init(sigma: Double) {
    precondition(sigma > 0 && sigma.isFinite, "σ must be positive, got \(sigma)")
    self.sigma = sigma
  }

  public func logProbability<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> Variable<S> {
    let d = Double(z.shape.count / z.shape[0])
    let constant = -d * Foundation.log(sigma) - 0.5 * d * Foundation.log(2 * Double.pi)
    return z.square().sumPerExample().scaled(by: S(-0.5 / (sigma * sigma))) + S(constant)
  }

  public func sample<S: TensorScalar>(
    count: Int, eventShape: Shape, on tape: Tape<S>, condition: Variable<S>?,
    temperature: Double, noise: RandomStream, firstExample: Int
  ) -> Variable<S> {
    tape.standardNormal(count: count, eventShape: eventShape, noise: noise, firstExample: firstExample)
      .scaled(by: S(sigma * temperature))
  }
}
