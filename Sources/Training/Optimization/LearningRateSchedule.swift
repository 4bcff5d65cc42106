#if canImport(Glibc)
import Glibc
#endif

/// How the learning rate evolves after warmup.
public enum LearningRateDecay: String, CaseIterable, Sendable {
  /// Stay at the peak rate.
  case constant
  /// Half a cosine from the peak down to the floor at `totalSteps`, then stay at the floor.
  case cosine
}

/// The learning rate as a pure function of the optimizer step, so resuming needs only the step.
///
/// Steps count from 0 (the first update). With `w = warmupSteps`, `T = totalSteps`:
/// ```
/// step < w:        lr = peak · (step + 1) / w
/// constant:        lr = peak
/// cosine:          p = min(1, (step − w) / (T − w));  lr = floor + (peak − floor) · (1 + cos πp) / 2
/// ```
/// Warmup reaches the peak on step `w − 1`, so no update runs with a zero rate.
///
/// Reference: Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts"
/// (cosine); Goyal et al. 2017, "Accurate, Large Minibatch SGD" (linear warmup).
public struct LearningRateSchedule: Equatable, Sendable {
  public var peak: Double
  public var warmupSteps: Int
  public var decay: LearningRateDecay
  /// The step at which cosine decay reaches `floor`; unused by `.constant`.
  public var totalSteps: Int
  /// The final rate of cosine decay.
  public var floor: Double

  public init(
    peak: Double, warmupSteps: Int = 0, decay: LearningRateDecay = .constant,
    totalSteps: Int = 0, floor: Double = 0
  ) {
    precondition(peak > 0 && floor >= 0 && floor <= peak, "need 0 <= floor <= peak, 0 < peak")
    precondition(warmupSteps >= 0, "warmupSteps \(warmupSteps) < 0")
    precondition(decay == .constant || totalSteps > warmupSteps,
                 "cosine decay needs totalSteps (\(totalSteps)) > warmupSteps (\(warmupSteps))")
    self.peak = peak
    self.warmupSteps = warmupSteps
    self.decay = decay
    self.totalSteps = totalSteps
    self.floor = floor
  }

  /// The rate for the update numbered `step` (0-based).
  public func learningRate(atStep step: Int) -> Double {
    precondition(step >= 0, "step \(step) < 0")
    if step < warmupSteps { return peak * Double(step + 1) / Double(warmupSteps) }
    switch decay {
    case .constant:
      return peak
    case .cosine:
      let progress = Swift.min(1, Double(step - warmupSteps) / Double(totalSteps - warmupSteps))
      return floor + (peak - floor) * 0.5 * (1 + cos(Double.pi * progress))
    }
  }
}
