import Autodiff
import Collectives
import TensorCore

/// A sequence's result in the density direction, with each top-level layer's log-determinant.
public struct SequenceResult<S: TensorScalar> {
  /// The transformed batch.
  public let output: Variable<S>
  /// [batch] the summed log|det| of every layer.
  public let logAbsDet: Variable<S>
  /// One [batch] log|det| per top-level layer, in order (per-layer statistics).
  public let layerLogAbsDets: [Variable<S>]
}

/// Invertible layers applied one after another; log-determinants add up, and sampling runs the
/// layers in reverse.
public struct InvertibleFlowSequence: InvertibleFlowLayer {
  public let layers: [any InvertibleFlowLayer]

  public init(_ layers: [any InvertibleFlowLayer]) { self.layers = layers }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let r = forwardLayers(x, condition: condition)
    return FlowResult(output: r.output, logAbsDet: r.logAbsDet)
  }

  /// The forward pass that also returns each layer's [batch] log-determinant.
  public func forwardLayers<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> SequenceResult<S> {
    var h = x
    var total: Variable<S>? = nil
    var perLayer: [Variable<S>] = []
    perLayer.reserveCapacity(layers.count)
    for layer in layers {
      let r = layer.forward(h, condition: condition)
      perLayer.append(r.logAbsDet)
      h = r.output
      total = total.map { $0 + r.logAbsDet } ?? r.logAbsDet
    }
    return SequenceResult(output: h, logAbsDet: total ?? x.zeroLogAbsDet(), layerLogAbsDets: perLayer)
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
