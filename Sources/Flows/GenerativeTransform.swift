import Autodiff
import TensorCore

/// A transform evaluated only in the generative (sampling) direction: latent z → sample x.
///
/// Layers with no closed-form inverse (planar) conform to this and not to `FlowLayer`, so they
/// can push base samples forward (variational inference: `log q(x) = log q₀(z) − logAbsDet`)
/// but can never be asked for a density of given data.
public protocol GenerativeTransform: Sendable {
  /// z → x; `logAbsDet` is [batch] log|det ∂x/∂z|.
  func transform<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S>
}

extension GenerativeTransform {
  public func transform<S: TensorScalar>(_ z: Variable<S>) -> FlowResult<S> { transform(z, condition: nil) }
}

/// An invertible layer used in the generative direction through its inverse:
/// `transform(z) = layer.inverse(z)`.
///
/// With `MaskedAutoregressiveFlow.inverseAutoregressive(…)` (IAF) this samples in one pass, which
/// is what variational inference wants.
public struct GenerativeDirection: GenerativeTransform {
  public let layer: any InvertibleFlowLayer

  public init(_ layer: any InvertibleFlowLayer) { self.layer = layer }

  public func transform<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    layer.inverse(z, condition: condition)
  }
}

/// Generative transforms applied one after another, z → x; log-determinants add up.
public struct GenerativeSequence: GenerativeTransform {
  public let layers: [any GenerativeTransform]

  public init(_ layers: [any GenerativeTransform]) { self.layers = layers }

  public func transform<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    var h = z
    var total: Variable<S>? = nil
    for layer in layers {
      let r = layer.transform(h, condition: condition)
      h = r.output
      total = total.map { $0 + r.logAbsDet } ?? r.logAbsDet
    }
    return FlowResult(output: h, logAbsDet: total ?? z.zeroLogAbsDet())
  }
}
