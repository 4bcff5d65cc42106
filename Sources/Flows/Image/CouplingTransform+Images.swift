import Autodiff
import TensorCore

extension CouplingTransform {
  /// The transformed half and its log-scale (nil when additive) from the conditioner output
  /// h = [h_s, t] (or h = t when additive), split along the channels; `inverse` undoes the
  /// forward map for the same h. `update`, when given, is a 0/1 mask that zeroes scale and shift
  /// wherever the input passes through.
  func couple<S: TensorScalar>(_ xb: Variable<S>, _ h: Variable<S>, update: Variable<S>?, inverse: Bool)
    -> (output: Variable<S>, logScale: Variable<S>?)
  {
    let (s, t) = scaleAndShift(h, channels: xb.shape[1], update: update)
    guard let s else { return (inverse ? xb - t : xb + t, nil) }
    // Glow shifts before scaling; RealNVP scales before shifting.
    let shiftFirst = self == .affineSigmoid
    if inverse {
      let inverseScale = s.negated().exp()
      return (shiftFirst ? xb * inverseScale - t : (xb - t) * inverseScale, s)
    }
    return (shiftFirst ? (xb + t) * s.exp() : xb * s.exp() + t, s)
  }

  private func scaleAndShift<S: TensorScalar>(_ h: Variable<S>, channels: Int, update: Variable<S>?)
    -> (logScale: Variable<S>?, shift: Variable<S>)
  {
    func masked(_ v: Variable<S>) -> Variable<S> { update.map { v * $0 } ?? v }
    guard self != .additive else { return (nil, masked(h)) }
    let (hs, t) = h.split(alongAxis: 1, at: channels)
    let s: Variable<S>
    switch self {
    case .affineTanh: s = hs.tanh()
    case .affineExp: s = hs
    default: s = (hs + S(2)).logSigmoid()
    }
    return (masked(s), masked(t))
  }
}
