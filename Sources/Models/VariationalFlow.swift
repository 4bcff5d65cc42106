import Autodiff
import Flows
import TensorCore

/// A variational density q over 2-D points: x = T(z₀), z₀ ~ N(0, I).
///
/// ```
/// log q(x) = log N(z₀; 0, I) − log|det ∂x/∂z₀|
/// ```
/// `densityMap` is the same map in the density direction (x → z₀) when the layers have closed-form
/// inverses (IAF), so q can be evaluated at arbitrary points, e.g. on a plotting grid; planar
/// flows have none and q is known only along their own samples.
public struct VariationalFlow: Sendable {
  /// Dimension of z₀ and x.
  public static let dimension = 2

  public let generative: any GenerativeTransform
  public let densityMap: InvertibleFlowSequence?

  /// Registers the layers' parameters in `parameters` in order (values stay zero until the store
  /// is initialized).
  public init<S: TensorScalar>(_ spec: VariationalFlowSpec, parameters: ParameterStore<S>) {
    let d = Self.dimension
    switch spec.family {
    case .planar:
      generative = GenerativeSequence((0..<spec.layers).map { Planar("planar\($0)", dimension: d, parameters: parameters) })
      densityMap = nil
    case .iaf:
      // Reversing the order between layers lets each dimension depend on the other in turn.
      var layers: [any InvertibleFlowLayer] = []
      for i in 0..<spec.layers {
        layers.append(MaskedAutoregressiveFlow.inverseAutoregressive(
          "iaf\(i)", dimension: d, hidden: spec.hidden, activation: spec.activation,
          logScaleBound: spec.logScaleBound, parameters: parameters))
        if i < spec.layers - 1 { layers.append(Permutation(order: Array((0..<d).reversed()))) }
      }
      let sequence = InvertibleFlowSequence(layers)
      generative = GenerativeDirection(sequence)
      densityMap = sequence
    }
  }

  /// [n] log q(x) of samples x = T(z₀), from z₀ [n, 2] and the transform's result.
  public static func logDensity<S: TensorScalar>(latent z0: Variable<S>, pushed: FlowResult<S>) -> Variable<S> {
    StandardNormal().logProbability(z0, condition: nil) - pushed.logAbsDet
  }

  /// [n] log q(x) at arbitrary points x [n, 2]; nil for flows without a density direction.
  public func logDensity<S: TensorScalar>(at x: Variable<S>) -> Variable<S>? {
    guard let densityMap else { return nil }
    let r = densityMap.forward(x, condition: nil)
    return StandardNormal().logProbability(r.output, condition: nil) + r.logAbsDet
  }
}
