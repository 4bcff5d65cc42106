/// An 8-bit RGBA color.
public struct Color: Sendable, Hashable {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8
  public var alpha: UInt8

  public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
    self.red = red
    self.green = green
    self.blue = blue
    self.alpha = alpha
  }

  /// An opaque gray.
  public init(gray: UInt8) {
    self.init(red: gray, green: gray, blue: gray)
  }

  /// `0xRRGGBB`, opaque.
  public init(hex: UInt32) {
    self.init(red: UInt8(truncatingIfNeeded: hex >> 16), green: UInt8(truncatingIfNeeded: hex >> 8),
              blue: UInt8(truncatingIfNeeded: hex))
  }

  public static let black = Color(gray: 0)
  public static let white = Color(gray: 255)

  /// Luma by the Rec. 601 weights, used when a color is drawn into a grayscale image.
  ///
  /// ```
  /// Y = 0.299 R + 0.587 G + 0.114 B
  /// ```
  public var luma: UInt8 {
    let weighted: Int = 299 * Int(red) + 587 * Int(green) + 114 * Int(blue)
    return UInt8((weighted + 500) / 1000)
  }

  /// The color's samples in an image with `channels` channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA).
  public func samples(channels: Int) -> [UInt8] {
    switch channels {
    case 1: [luma]
    case 2: [luma, alpha]
    case 3: [red, green, blue]
    case 4: [red, green, blue, alpha]
    default: preconditionFailure("images have 1–4 channels, got \(channels)")
    }
  }

  /// The color read from `channels` samples (the inverse of `samples(channels:)` for gray colors).
  public init(samples: some Collection<UInt8>) {
    let s = Array(samples)
    switch s.count {
    case 1: self.init(gray: s[0])
    case 2: self.init(red: s[0], green: s[0], blue: s[0], alpha: s[1])
    case 3: self.init(red: s[0], green: s[1], blue: s[2])
    case 4: self.init(red: s[0], green: s[1], blue: s[2], alpha: s[3])
    default: preconditionFailure("images have 1–4 channels, got \(s.count)")
    }
  }

  /// This color mixed with `other`: `t = 0` gives self, `t = 1` gives `other` (all four channels).
  public func mixed(with other: Color, by t: Float) -> Color {
    let w = min(max(t, 0), 1)
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Float(a) + (Float(b) - Float(a)) * w).rounded()) }
    return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue),
                 alpha: mix(alpha, other.alpha))
  }
}
