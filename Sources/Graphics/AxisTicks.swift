import Foundation

/// Tick positions and labels for one chart axis: steps of 1, 2 or 5 × 10^k, with the axis range
/// widened outwards to whole steps so the first and last ticks sit on the plot's edges.
public struct AxisTicks: Sendable, Equatable {
  public let lower: Double
  public let upper: Double
  public let step: Double
  public let values: [Double]
  public let labels: [String]

  /// - Parameters:
  ///   - range: the data range to cover, clamped to ±1e300; `nil` (no data) gives 0…1. A single value is
  ///     widened by 10 % of its magnitude (±1 around zero) so it lands mid-axis.
  ///   - targetCount: roughly how many intervals to aim for.
  public init(covering range: ClosedRange<Double>?, targetCount: Int) {
    precondition(targetCount >= 1, "an axis needs at least one interval, got \(targetCount)")
    // Beyond ±1e300 (an infinite end included) the span high − low and the tick arithmetic
    // overflow to inf and NaN, so the axis stops there.
    let limit = 1e300
    var low = min(max(range?.lowerBound ?? 0, -limit), limit)
    var high = min(max(range?.upperBound ?? 1, -limit), limit)
    // Ranges narrower than 1e-9 of their magnitude count as one value: labels could not tell ticks apart.
    if high - low <= max(abs(low), abs(high)) * 1e-9 {
      let pad = low == 0 ? 1 : abs(low) * 0.1
      low -= pad
      high += pad
    }
    let step = AxisTicks.niceStep(for: (high - low) / Double(targetCount))
    let first = (low / step).rounded(.down)
    let last = (high / step).rounded(.up)
    self.step = step
    lower = first * step
    upper = last * step
    // Multiplying the index (rather than adding steps) keeps labels like 0.3 free of drift.
    values = stride(from: first, through: last, by: 1).map { $0 * step }
    let magnitude = max(abs(lower), abs(upper))
    let scientific = magnitude >= 1e6 || magnitude < 1e-3
    labels = values.map { AxisTicks.label($0, step: step, scientific: scientific) }
  }

  /// The smallest of 1, 2, 5, 10 × 10^k that is at least `raw`.
  static func niceStep(for raw: Double) -> Double {
    let magnitude = pow(10, floor(log10(raw)))
    let fraction = raw / magnitude
    let multiplier: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    return multiplier * magnitude
  }

  /// `value` with as many decimals as `step` needs ("0.25", "1500", "-3"), or in scientific
  /// notation ("2.5e-4", "1.2e7") for very large or very small axes.
  static func label(_ value: Double, step: Double, scientific: Bool) -> String {
    // The step is 1, 2 or 5 × 10^k, so k decides how many digits a tick needs.
    let stepExponent = Int(floor(log10(step) + 1e-9))
    // `value == 0` too: on a subnormal axis step × 1e-6 underflows to 0, and log10(0) = −inf traps below.
    let isZero = value == 0 || abs(value) < step * 1e-6
    guard scientific else { return fixed(isZero ? 0 : value, decimals: max(0, -stepExponent)) }
    if isZero { return "0" }
    var exponent = Int(floor(log10(abs(value))))
    // Rounding the mantissa can carry it to 10 (9.99 → 10.0); the renormalized one keeps its digits.
    if abs(value) / pow(10, Double(exponent)) >= 9.999_999_999 { exponent += 1 }
    let mantissa = value / pow(10, Double(exponent))
    return fixed(mantissa, decimals: max(0, exponent - stepExponent)) + "e\(exponent)"
  }

  /// Fixed-point text with exactly `decimals` digits after the point ("-0" never appears).
  static func fixed(_ value: Double, decimals: Int) -> String {
    let factor = pow(10, Double(decimals))
    let scaled = Int64((abs(value) * factor).rounded())
    let sign = value < 0 && scaled != 0 ? "-" : ""
    let whole = scaled / Int64(factor)
    guard decimals > 0 else { return "\(sign)\(whole)" }
    let fraction = String(scaled % Int64(factor))
    return "\(sign)\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
  }
}
