import Autodiff
import Foundation
import TensorCore

/// A normalizing flow with its base distribution: the thing the trainer optimizes.
///
/// ```
/// log p(x | c) = log p_Z(f(x) | c) + log|det ∂f/∂x|
/// ```
public struct FlowModel: Sendable {
  /// The density-direction map x → z.
  public let flow: FlowSequence
  public let base: any BaseDistribution
  /// Shape of one example, e.g. [2] or [1, 8, 8].
  public let eventShape: Shape

  public init(flow: FlowSequence, base: any BaseDistribution, eventShape: Shape) {
    self.flow = flow
    self.base = base
    self.eventShape = eventShape
  }

  /// Number of dimensions per example (D in nats/dim and bits/dim).
  public var dimensions: Int { eventShape.count }

  /// [batch] log p(x | c); appends each layer's [batch] log-determinant to `perLayer` if given.
  public func logLikelihood<S: TensorScalar>(
    _ x: Variable<S>, condition: Variable<S>? = nil,
    perLayer: UnsafeMutablePointer<[Variable<S>]>? = nil
  ) -> Variable<S> {
    let r = flow.forward(x, condition: condition, perLayer: perLayer)
    return base.logProbability(r.output, condition: condition) + r.logAbsDet
  }

  /// Whether every layer has a closed-form inverse, so that `sample` is available.
  public var canSample: Bool { flow.layers.allSatisfy { $0 is any InvertibleFlowLayer } }

  /// `count` samples x = f⁻¹(z), z ~ p_Z at the given temperature; nil when a layer has no
  /// closed-form inverse (see `canSample`).
  public func sample<S: TensorScalar>(
    count: Int, on tape: Tape<S>, condition: Variable<S>? = nil, temperature: Double = 1,
    noise: RandomStream, firstExample: Int = 0
  ) -> Variable<S>? {
    let layers = flow.layers.compactMap { $0 as? any InvertibleFlowLayer }
    guard layers.count == flow.layers.count else { return nil }
    let z = base.sample(count: count, eventShape: eventShape, on: tape, condition: condition,
                        temperature: temperature, noise: noise, firstExample: firstExample)
    return InvertibleFlowSequence(layers).inverse(z, condition: condition).output
  }
}
