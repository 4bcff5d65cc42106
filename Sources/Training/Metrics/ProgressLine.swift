import Foundation

/// The one-line training status rank 0 prints:
/// `step 120/5000  loss 1.2345  bits/dim 3.4567  412.3 samples/s  ETA 0:12:34`.
public struct ProgressLine: CustomStringConvertible, Sendable {
  /// Updates completed so far.
  public var step: Int
  public var totalSteps: Int
  public var loss: Double
  /// Omitted from the line when nil (models that are not scored in bits/dim).
  public var bitsPerDim: Double?
  public var samplesPerSecond: Double
  /// Mean wall time of recent steps, used for the ETA.
  public var secondsPerStep: Double

  public init(
    step: Int, totalSteps: Int, loss: Double, bitsPerDim: Double? = nil,
    samplesPerSecond: Double, secondsPerStep: Double
  ) {
    self.step = step
    self.totalSteps = totalSteps
    self.loss = loss
    self.bitsPerDim = bitsPerDim
    self.samplesPerSecond = samplesPerSecond
    self.secondsPerStep = secondsPerStep
  }

  /// Seconds until `totalSteps` at the current pace.
  public var secondsRemaining: Double { Double(Swift.max(0, totalSteps - step)) * secondsPerStep }

  public var description: String {
    var parts = ["step \(step)/\(totalSteps)", "loss " + String(format: "%.4f", loss)]
    if let bitsPerDim { parts.append("bits/dim " + String(format: "%.4f", bitsPerDim)) }
    parts.append(String(format: "%.1f samples/s", samplesPerSecond))
    parts.append("ETA " + Self.clock(seconds: secondsRemaining))
    return parts.joined(separator: "  ")
  }

  /// `h:mm:ss` with as many hour digits as needed; `--:--:--` when unknown (NaN, ±Inf, negative).
  public static func clock(seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < Double(Int.max / 2) else { return "--:--:--" }
    let total = Int(seconds.rounded())
    let h = total / 3600, m = (total / 60) % 60, s = total % 60
    return "\(h):" + (m < 10 ? "0" : "") + "\(m):" + (s < 10 ? "0" : "") + "\(s)"
  }
}
