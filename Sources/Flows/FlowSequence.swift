import Autodiff
import Collectives
import TensorCore

/// Layers applied one after another in the density direction; log-determinants add up.
public struct FlowSequence: FlowLayer {
  public let layers: [any FlowLayer]

  public init(_ layers: [any FlowLayer]) { self.layers = layers }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    forward(x, condition: condition, perLayer: nil)
  }

  /// Also appends each layer's [batch] log-determinant to `perLayer` (for per-layer statistics).
  public func forward<S: TensorScalar>(
    _ x: Variable<S>, condition: Variable<S>?, perLayer: UnsafeMutablePointer<[Variable<S>]>?
  ) -> FlowResult<S> {
    var h = x
    var total: Variable<S>? = nil
    for layer in layers {
      let r = layer.forward(h, condition: condition)
      perLayer?.pointee.append(r.logAbsDet)
      h = r.output
      total = total.map { $0 + r.logAbsDet } ?? r.logAbsDet
    }
    return FlowResult(output: h, logAbsDet: total ?? x.zeroLogAbsDet())
  }
}

/// Invertible layers applied one after another; sampling runs them in reverse.
public struct InvertibleFlowSequence: InvertibleFlowLayer {
  public let layers: [any InvertibleFlowLayer]

  public init(_ layers: [any InvertibleFlowLayer]) { self.layers = layers }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    FlowSequence(layers).forward(x, condition: condition)
  }

  public func forward<S: TensorScalar>(
    _ x: Variable<S>, condition: Variable<S>?, perLayer: UnsafeMutablePointer<[Variable<S>]>?
  ) -> FlowResult<S> {
    FlowSequence(layers).forward(x, condition: condition, perLayer: perLayer)
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    var h = z
    var total: Variable<S>? = nil
    for layer in layers.reversed() {
      let r = layer.inverse(h, condition: condition)
      h = r.output
      total = total.map { $0 + r.logAbsDet } ?? r.logAbsDet
    }
    return FlowResult(output: h, logAbsDet: total ?? z.zeroLogAbsDet())
  }
}
