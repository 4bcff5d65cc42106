import Autodiff
import Foundation
import TensorCore
import VariationalTargets

/// Test-only target U(z) = ½‖z‖², so p = N(0, I) and log Z = log 2π exactly: a flow that is the
/// identity fits it perfectly, with every importance weight equal to Z.
struct StandardNormalEnergy: Energy2D {
  func energy(_ z: SIMD2<Double>) -> Double { 0.5 * (z * z).sum() }

  func energy<S: TensorScalar>(_ z: Variable<S>) -> Variable<S> {
    z.square().sum(alongAxes: [1]).scaled(by: 0.5)
  }

  var integrationBox: IntegrationBox { IntegrationBox(x: -12...12, y: -12...12) }

  var exactLogPartition: Double? { Foundation.log(2 * Double.pi) }
}
