/// A continuous color ramp over t ∈ [0, 1], linear in RGB between evenly spaced anchor colors.
public struct Colormap: Sendable, Equatable {
  /// Colors at t = 0, 1/(n−1), …, 1.
  public let anchors: [Color]

  public init(anchors: [Color]) {
    precondition(anchors.count >= 2, "a colormap needs at least two anchors, got \(anchors.count)")
    self.anchors = anchors
  }

  /// The color at `t`, clamped to [0, 1]; NaN gives the t = 0 color.
  public func color(at t: Float) -> Color {
    let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
    let position = clamped * Float(anchors.count - 1)
    let lower = min(Int(position), anchors.count - 2)
    return anchors[lower].mixed(with: anchors[lower + 1], by: position - Float(lower))
  }

  /// A viridis-like ramp: dark blue-violet through teal and green to yellow. Lightness rises
  /// monotonically, so it reads correctly in grayscale and for color-blind viewers.
  /// Anchors at t = 0, 0.1, …, 1 sampled from the published viridis map
  /// (Smith & van der Walt 2015).
  public static let viridis = Colormap(anchors: [
    0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
    0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
  ].map { Color(hex: $0) })

  /// Black to white.
  public static let gray = Colormap(anchors: [.black, .white])
}
