/// The inverse temperature β of the annealed reverse-KL objective E_q[log q(x) + β·U(x)].
///
/// ```
/// β(step) = min(1, β₀ + (1 − β₀) · step / S)        S = 0: β = 1 throughout
/// ```
/// Early in training a flow initialized near N(0, I) sits where U is steep (the ring's wall, the
/// mixture's far modes); a small β flattens the target so the entropy term spreads q out before
/// the energy pulls it in, which keeps q from collapsing onto the first mode it meets. β reaches 1
/// after S steps and the remaining steps optimize the true ELBO.
/// Reference: Rezende & Mohamed 2015, §6.1 (β_t = min(1, 0.01 + t/10⁴)).
public struct BetaAnnealing: Sendable, Equatable {
  /// β₀, the inverse temperature of step 0.
  public var initialBeta: Double
  /// S, the first step at which β = 1.
  public var steps: Int

  public init(initialBeta: Double, steps: Int) {
    precondition(initialBeta > 0 && initialBeta <= 1, "initial β \(initialBeta) must be in (0, 1]")
    precondition(steps >= 0, "annealing steps \(steps) < 0")
    self.initialBeta = initialBeta
    self.steps = steps
  }

  /// No annealing: β = 1 from the first step.
  public static let none = BetaAnnealing(initialBeta: 1, steps: 0)

  public func beta(atStep step: Int) -> Double {
    precondition(step >= 0, "step \(step) < 0")
    guard step < steps else { return 1 }
    return min(1, initialBeta + (1 - initialBeta) * Double(step) / Double(steps))
  }
}
