/// Which entries of an image a coupling layer passes through unchanged (and conditions on).
public enum ImageMask: String, Sendable, CaseIterable, Codable {
  /// Channel halves: with parity 0 the first ⌊C/2⌋ channels condition the others, with parity 1
  /// the others condition them. Reference: Kingma & Dhariwal 2018 (Glow); Dinh et al. 2017.
  case channel
  /// A spatial checkerboard in every channel: pixels (i, j) with i + j + parity even condition
  /// the others. Reference: Dinh et al. 2017 (RealNVP).
  case checkerboard
}
