/// Which unit interval a uniform draw lands in, and the exact bit-to-float maps for each.
///
/// Every map is exact (no rounding), so the endpoints hold by construction:
/// ```
/// closedOpen  Float:  (w >> 8)  · 2⁻²⁴           ∈ [0, 1 − 2⁻²⁴]
/// open        Float: ((w >> 9)  + ½) · 2⁻²³      ∈ [2⁻²⁴, 1 − 2⁻²⁴]
/// closedOpen  Double: (w >> 11) · 2⁻⁵³           ∈ [0, 1 − 2⁻⁵³]
/// open        Double: ((w >> 12) + ½) · 2⁻⁵²     ∈ [2⁻⁵³, 1 − 2⁻⁵³]
/// ```
/// (The naive `((w >> 8) + ½) · 2⁻²⁴` rounds its largest value up to exactly 1.0 in Float.)
public enum RandomInterval: Sendable {
  /// [0, 1): for noise added to data, thresholds, integer scaling.
  case closedOpen
  /// (0, 1): for anything passed to `log`, e.g. Box–Muller or logistic noise.
  case open

  @inline(__always)
  public func float(_ word: UInt32) -> Float {
    switch self {
    case .closedOpen: return Float(word >> 8) * 0x1p-24
    case .open: return (Float(word >> 9) + 0.5) * 0x1p-23
    }
  }

  @inline(__always)
  public func double(_ word: UInt64) -> Double {
    switch self {
    case .closedOpen: return Double(word >> 11) * 0x1p-53
    case .open: return (Double(word >> 12) + 0.5) * 0x1p-52
    }
  }
}
