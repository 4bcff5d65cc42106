import Autodiff
import TensorCore

/// How a coupling layer transforms the half it updates, given the conditioner output h.
public enum CouplingTransform: String, Sendable, CaseIterable, Codable {
  /// NICE: `z_b = x_b + t`, volume-preserving. Reference: Dinh et al. 2015.
  case additive
  /// RealNVP: `z_b = x_b · exp(s) + t` with `s = tanh(h_s)` bounding the log-scale.
  /// Reference: Dinh et al. 2017.
  case affineTanh = "affine_tanh"
  /// Plain exponential scale `s = h_s` (the normflows/plain-PyTorch peer's "exp" map).
  case affineExp = "affine_exp"
  /// Glow: `z_b = (x_b + t) · sigmoid(h_s + 2)`, which starts near the identity and keeps the
  /// scale in (0, 1). Reference: Kingma & Dhariwal 2018.
  case affineSigmoid = "affine_sigmoid"

  var conditionerOutputsPerDimension: Int { self == .additive ? 1 : 2 }
}

/// A coupling layer on vectors [batch, D] with a binary mask: the dimensions where the mask is 1
/// pass through unchanged and condition an MLP that transforms the others.
///
/// ```
/// x_a = m ⊙ x,   (h_s, t) = MLP(x_a),   z = x_a + (1 − m) ⊙ g(x; h_s, t)
/// ```
/// Reference: Dinh et al. 2017 (RealNVP, masked formulation).
public struct VectorCoupling: InvertibleFlowLayer {
  public let dimension: Int
  public let transform: CouplingTransform
  /// [D], 1 where the input conditions (passes through), 0 where it is transformed.
  public let mask: [Double]
  /// [D], 1 − mask.
  let updateMask: [Double]
  public let conditioner: MLP

  /// `parity` alternates which dimensions pass through (even ones for parity 0).
  public init<S: TensorScalar>(
    _ name: String, dimension: Int, parity: Int, hidden: [Int], transform: CouplingTransform,
    activation: Activation = .relu, parameters: ParameterStore<S>
  ) {
    precondition(dimension >= 2, "a coupling layer needs at least 2 dimensions, got \(dimension)")
    self.dimension = dimension
    self.transform = transform
    mask = (0..<dimension).map { ($0 + parity) % 2 == 0 ? 1 : 0 }
    updateMask = mask.map { 1 - $0 }
    conditioner = MLP(name, inputs: dimension, hidden: hidden,
                      outputs: dimension * transform.conditionerOutputsPerDimension,
                      activation: activation, parameters: parameters)
  }

  private func masks<S: TensorScalar>(on tape: Tape<S>) -> (keep: Variable<S>, update: Variable<S>) {
    (tape.constant(mask, shape: [dimension]), tape.constant(updateMask, shape: [dimension]))
  }

  /// The conditioner's log-scale (already masked to the updated dimensions) and shift.
  private func scaleAndShift<S: TensorScalar>(_ xa: Variable<S>, update: Variable<S>)
    -> (logScale: Variable<S>?, shift: Variable<S>)
  {
    let h = conditioner(xa)
    switch transform {
    case .additive:
      return (nil, h * update)
    case .affineTanh, .affineExp, .affineSigmoid:
      let (hs, t) = h.split(alongAxis: 1, at: dimension)
      let s: Variable<S>
      switch transform {
      case .affineTanh: s = hs.tanh()
      case .affineExp: s = hs
      default: s = (hs + S(2)).logSigmoid()
      }
      return (s * update, t * update)
    }
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (keep, update) = masks(on: x.tape)
    let xa = x * keep
    let (s, t) = scaleAndShift(xa, update: update)
    guard let s else { return FlowResult(output: x + t, logAbsDet: x.zeroLogAbsDet()) }
    let xb = x * update
    // Glow shifts before scaling; RealNVP scales before shifting.
    let zb = transform == .affineSigmoid ? (xb + t) * s.exp() : xb * s.exp() + t
    return FlowResult(output: xa + zb, logAbsDet: s.sumPerExample())
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    let (keep, update) = masks(on: z.tape)
    let za = z * keep
    let (s, t) = scaleAndShift(za, update: update)
    guard let s else { return FlowResult(output: z - t, logAbsDet: z.zeroLogAbsDet()) }
    let zb = z * update
    let inverseScale = s.negated().exp()
    let xb = transform == .affineSigmoid ? zb * inverseScale - t : (zb - t) * inverseScale
    return FlowResult(output: za + xb, logAbsDet: s.sumPerExample().negated())
  }
}
