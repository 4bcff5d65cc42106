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
/// x_a = x[:, kept],   (h_s, t) = MLP(x_a ‖ c),   z[:, kept] = x_a,   z[:, updated] = g(x[:, updated]; h_s, t)
/// ```
/// A conditional coupling (`conditionFeatures` > 0) appends the condition c [batch, C] to the
/// MLP's input, so the transform of every example depends on its own condition.
/// The MLP sees only the kept dimensions and outputs parameters for the updated ones only (the
/// masked formulation without the multiplications by zero), and g with its log-determinant runs as
/// one fused op (`Tape.affineCoupling`).
/// Reference: Dinh et al. 2017 (RealNVP).
public struct VectorCoupling: InvertibleFlowLayer {
  public let dimension: Int
  public let transform: CouplingTransform
  /// [D], 1 where the input conditions (passes through), 0 where it is transformed.
  public let mask: [Double]
  /// The dimensions where the mask is 1, ascending.
  let kept: [Int]
  /// The dimensions where the mask is 0, ascending.
  let updated: [Int]
  /// kept.count → (log-scales for `updated`, then shifts), or shifts only for `additive`.
  public let conditioner: MLP
  /// C, the features of the condition the conditioner reads; 0 for an unconditional layer.
  public let conditionFeatures: Int

  /// `parity` alternates which dimensions pass through (even ones for parity 0).
  public init<S: TensorScalar>(
    _ name: String, dimension: Int, parity: Int, hidden: [Int], transform: CouplingTransform,
    activation: Activation = .relu, conditionFeatures: Int = 0, parameters: ParameterStore<S>
  ) {
    precondition(conditionFeatures >= 0, "condition features \(conditionFeatures) < 0")
    precondition(dimension >= 2, "a coupling layer needs at least 2 dimensions, got \(dimension)")
    self.dimension = dimension
    self.transform = transform
    let mask: [Double] = (0..<dimension).map { ($0 + parity) % 2 == 0 ? 1 : 0 }
    self.mask = mask
    kept = (0..<dimension).filter { mask[$0] == 1 }
    updated = (0..<dimension).filter { mask[$0] == 0 }
    self.conditionFeatures = conditionFeatures
    conditioner = MLP(name, inputs: kept.count + conditionFeatures, hidden: hidden,
                      outputs: updated.count * transform.conditionerOutputsPerDimension,
                      activation: activation, parameters: parameters)
  }

  /// Where the fused op reads s and t in the conditioner output.
  private var map: CouplingMap {
    let n = updated.count
    switch transform {
    case .additive: return CouplingMap(scale: .none, scaleOffset: 0, shiftOffset: 0)
    case .affineTanh: return CouplingMap(scale: .tanh, scaleOffset: 0, shiftOffset: n)
    case .affineExp: return CouplingMap(scale: .exp, scaleOffset: 0, shiftOffset: n)
    case .affineSigmoid: return CouplingMap(scale: .sigmoid, scaleOffset: 0, shiftOffset: n)
    }
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    couple(x, condition: condition, direction: .forward)
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    couple(z, condition: condition, direction: .inverse)
  }

  @_specialize(where S == Float) @_specialize(where S == Double)
  private func couple<S: TensorScalar>(
    _ x: Variable<S>, condition: Variable<S>?, direction: CouplingDirection
  ) -> FlowResult<S> {
    precondition(x.shape.rank == 2 && x.shape[1] == dimension,
                 "coupling over \(dimension) dimensions got input \(x.shape)")
    let tape = x.tape, map = self.map
    let h = conditioner(conditionerInput(x, condition: condition))
    let output = tape.affineCoupling(x, logScale: h, shift: h, map: map, updated: updated, kept: kept,
                                     direction: direction)
    guard transform != .additive else { return FlowResult(output: output, logAbsDet: x.zeroLogAbsDet()) }
    return FlowResult(output: output, logAbsDet: tape.couplingLogScaleSum(
      h, map: map, count: updated.count, negated: direction == .inverse))
  }

  /// x[:, kept], followed by the condition's features for a conditional layer.
  private func conditionerInput<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> Variable<S> {
    let kept = x.gathered(indices: self.kept, alongAxis: 1)
    guard conditionFeatures > 0 else { return kept }
    guard let condition, condition.shape == [x.shape[0], conditionFeatures] else {
      preconditionFailure("a conditional coupling needs a condition [\(x.shape[0]), \(conditionFeatures)], "
                          + "got \(condition.map { "\($0.shape)" } ?? "none")")
    }
    return kept.concatenated(with: condition, alongAxis: 1)
  }
}
