import Autodiff
import Foundation
import TensorCore

/// The logistic-mixture CDF coupling transform of Flow++ applied element-wise to the updated half:
/// ```
/// t_k = (x − μ_k) · e^{−s_k}
/// F(x) = Σ_k π_k σ(t_k),             π = softmax(logits) over the K components
/// y    = σ⁻¹(F(x)) · e^{a} + b
/// log|dy/dx| = log Σ_k π_k σ(t_k) σ(−t_k) e^{−s_k} − log F − log(1 − F) + a
/// ```
/// Everything is computed in log space — `log F = logsumexp_k(log π_k + log σ(t_k))`,
/// `log(1 − F) = logsumexp_k(log π_k + log σ(−t_k))` — so σ⁻¹(F) = log F − log(1 − F) stays finite
/// in Float32 where F rounds to 0 or 1. The log-scales are soft-clamped below,
/// `s = s_min + softplus(h_s − s_min)` with s_min = −7, so e^{−s} ≤ e^7 and no component becomes a
/// step. The conditioner's means get fixed offsets spread over ±½ so the K components start apart
/// (identical components would receive identical gradients forever).
///
/// The inverse has no closed form: `inverse` solves F(x) = σ((y − b)·e^{−a}) per element by
/// bisection in Float64 on the exact bracket
/// ```
/// [min_k(μ_k + e^{s_k}·y₀), max_k(μ_k + e^{s_k}·y₀)],   y₀ = (y − b)·e^{−a}
/// ```
/// (at the lower end every component's CDF is ≤ σ(y₀), at the upper end ≥ σ(y₀)), stopping when
/// the bracket is narrower than `inverseTolerance · (1 + min(|lo|, |hi|))` (1e-12) or after
/// `inverseIterationCap` (200) halvings. The achieved error is measured in `MixtureLogisticTests`.
///
/// Reference: Ho et al. 2019 (Flow++), §3.1.
public struct MixtureLogisticCDF: Sendable, Equatable {
  /// K, the mixture components per transformed entry.
  public let components: Int

  /// The lower bound of the log-scales.
  public static let minimumLogScale = -7.0
  /// Relative width of the final bisection bracket.
  public static let inverseTolerance = 1e-12
  /// Halvings of the bracket at most.
  public static let inverseIterationCap = 200

  public init(components: Int) {
    precondition(components >= 1, "a logistic mixture needs at least 1 component, got \(components)")
    self.components = components
  }

  /// Conditioner outputs per transformed channel: a, b, then K logits, K means, K log-scales.
  public var parametersPerChannel: Int { 2 + 3 * components }

  /// The mixture's parameters read from the conditioner output, broadcastable against the
  /// transformed half x [N, C, H, W] reshaped to [N, 1, C, H, W].
  struct Parameters<S: TensorScalar> {
    /// [N, C, H, W]
    let logScale: Variable<S>, shift: Variable<S>
    /// [N, K, C, H, W]
    let logWeights: Variable<S>, means: Variable<S>, componentLogScales: Variable<S>
  }

  /// Splits h [N, (2 + 3K)·C, H, W] (parameter-major: channel block j holds parameter j of every
  /// transformed channel). Shapes are built without array literals and the parts are slices, so
  /// a steady-state step allocates nothing here.
  func parameters<S: TensorScalar>(_ h: Variable<S>, channels c: Int) -> Parameters<S> {
    let n = h.shape[0], k = components, height = h.shape[2], width = h.shape[3]
    precondition(h.shape[1] == parametersPerChannel * c,
                 "mixture coupling needs \(parametersPerChannel * c) conditioner channels, got \(h.shape[1])")
    let grouped = h.reshaped(to: Self.shape(n, parametersPerChannel, c, height, width))
    func part(_ start: Int, _ count: Int) -> Variable<S> { grouped.sliced(alongAxis: 1, start ..< start + count) }
    let plane = Self.shape(n, c, height, width)
    let tape = h.tape
    let offsets = tape.constant(0, shape: Self.shape(k, 1, 1, 1))
    let o = tape.nodes[Int(offsets.id)].value
    for j in 0..<k { o[j] = k == 1 ? 0 : S(Double(j) / Double(k - 1) - 0.5) }
    let smin = S(Self.minimumLogScale)
    let logits = part(2, k)
    return Parameters(
      logScale: part(0, 1).reshaped(to: plane).tanh(),
      shift: part(1, 1).reshaped(to: plane),
      logWeights: logits - logits.logSumExp(alongAxis: 1, keepingDimensions: true),
      means: part(2 + k, k) + offsets,
      componentLogScales: (part(2 + 2 * k, k) - smin).softplus() + smin)
  }

  /// [a, b, c, d] without a heap array (an array or shape literal would be one per call).
  static func shape(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Shape {
    Shape(rank: 4, repeating: 1).replacing(axis: 0, with: a).replacing(axis: 1, with: b)
      .replacing(axis: 2, with: c).replacing(axis: 3, with: d)
  }

  /// [a, b, c, d, e] without a heap array.
  static func shape(_ a: Int, _ b: Int, _ c: Int, _ d: Int, _ e: Int) -> Shape {
    Shape(rank: 5, repeating: 1).replacing(axis: 0, with: a).replacing(axis: 1, with: b)
      .replacing(axis: 2, with: c).replacing(axis: 3, with: d).replacing(axis: 4, with: e)
  }

  /// The transform of x [N, C, H, W] given the conditioner output h [N, (2 + 3K)·C, H, W]:
  /// y and log|dy/dx| per entry, both [N, C, H, W].
  public func callAsFunction<S: TensorScalar>(_ x: Variable<S>, conditioner h: Variable<S>)
    -> (output: Variable<S>, logDet: Variable<S>)
  {
    forward(x, parameters(h, channels: x.shape[1]))
  }

  /// y and log|dy/dx| per entry, both [N, C, H, W], for x [N, C, H, W].
  func forward<S: TensorScalar>(_ x: Variable<S>, _ p: Parameters<S>) -> (output: Variable<S>, logDet: Variable<S>) {
    let s = x.shape
    let t = (x.reshaped(to: Self.shape(s[0], 1, s[1], s[2], s[3])) - p.means) * p.componentLogScales.negated().exp()
    let logLower = t.logSigmoid(), logUpper = t.negated().logSigmoid()
    let logF = (p.logWeights + logLower).logSumExp(alongAxis: 1)
    let logOneMinusF = (p.logWeights + logUpper).logSumExp(alongAxis: 1)
    let logDensity = (p.logWeights + logLower + logUpper - p.componentLogScales).logSumExp(alongAxis: 1)
    let output = (logF - logOneMinusF) * p.logScale.exp() + p.shift
    return (output, logDensity - logF - logOneMinusF + p.logScale)
  }

  /// x with forward(x) = y per entry, by bisection (see the type's comment); a constant on y's
  /// tape (sampling needs no gradient through the inverse).
  func inverse<S: TensorScalar>(_ y: Variable<S>, _ p: Parameters<S>) -> Variable<S> {
    let out = y.tape.constant(0, shape: y.shape)
    let x = y.tape.nodes[Int(out.id)].value
    let plane = y.shape.count / y.shape[0], k = components
    let yv = y.value, a = p.logScale.value, b = p.shift.value
    let w = p.logWeights.value, mu = p.means.value, ls = p.componentLogScales.value
    for e in 0..<y.shape.count {
      let base = (e / plane) * k * plane + e % plane
      let target = (Double(yv[e]) - Double(b[e])) * Foundation.exp(-Double(a[e]))
      x[e] = S(Self.solve(target: target, components: k) { j in
        let i = base + j * plane
        return (Double(w[i]), Double(mu[i]), Double(ls[i]))
      })
    }
    return out
  }

  /// The x with σ⁻¹(F(x)) = target, F the mixture given by `component(j)` = (log π_j, μ_j, s_j).
  public static func solve(target: Double, components k: Int,
                    component: (Int) -> (logWeight: Double, mean: Double, logScale: Double)) -> Double {
    var lo = Double.infinity, hi = -Double.infinity
    for j in 0..<k {
      let c = component(j)
      let x = c.mean + Foundation.exp(c.logScale) * target
      lo = Swift.min(lo, x)
      hi = Swift.max(hi, x)
    }
    var iterations = 0
    while hi - lo > inverseTolerance * (1 + Swift.min(Swift.abs(lo), Swift.abs(hi))) && iterations < inverseIterationCap {
      let mid = 0.5 * (lo + hi)
      if logitCDF(mid, components: k, component: component) < target { lo = mid } else { hi = mid }
      iterations += 1
    }
    return 0.5 * (lo + hi)
  }

  /// σ⁻¹(F(x)) = log F − log(1 − F), in log space.
  public static func logitCDF(_ x: Double, components k: Int,
                       component: (Int) -> (logWeight: Double, mean: Double, logScale: Double)) -> Double {
    var maxLower = -Double.infinity, maxUpper = -Double.infinity
    for j in 0..<k {
      let c = component(j), t = (x - c.mean) * Foundation.exp(-c.logScale)
      maxLower = Swift.max(maxLower, c.logWeight + logSigmoid(t))
      maxUpper = Swift.max(maxUpper, c.logWeight + logSigmoid(-t))
    }
    var lower = 0.0, upper = 0.0
    for j in 0..<k {
      let c = component(j), t = (x - c.mean) * Foundation.exp(-c.logScale)
      lower += Foundation.exp(c.logWeight + logSigmoid(t) - maxLower)
      upper += Foundation.exp(c.logWeight + logSigmoid(-t) - maxUpper)
    }
    return (maxLower + Foundation.log(lower)) - (maxUpper + Foundation.log(upper))
  }

  private static func logSigmoid(_ t: Double) -> Double { -(Swift.max(-t, 0) + log1p(Foundation.exp(-Swift.abs(t)))) }
}
