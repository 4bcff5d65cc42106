import Autodiff
import Foundation
import TensorCore

/// N(0, I) over the event dimensions.
///
/// ```
/// log p(z) = −½ Σ z² − (D/2) log 2π
/// ```
public struct StandardNormal: BaseDistribution {
  public init() {}

  public func logProbability<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> Variable<S> {
    let d = z.shape.count / z.shape[0]
    return z.square().sumPerExample().scaled(by: -0.5) - S(0.5 * Double(d) * Foundation.log(2 * Double.pi))
  }

  public func sample<S: TensorScalar>(
    count: Int, eventShape: Shape, on tape: Tape<S>, condition: Variable<S>?,
    temperature: Double, noise: RandomStream, firstExample: Int
  ) -> Variable<S> {
    tape.standardNormal(count: count, eventShape: eventShape, noise: noise, firstExample: firstExample)
      .scaled(by: S(temperature))
  }
}
