/// An 8-bit raster image: rows top to bottom, pixels left to right, channels interleaved.
///
/// `channels` is 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) — the PNG color types the encoder
/// writes. Coordinates are image coordinates: x to the right, y downwards from the top-left pixel.
public struct Image: Sendable, Equatable {
  public let width: Int
  public let height: Int
  public let channels: Int
  /// [height, width, channels]
  public var pixels: [UInt8]

  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(width > 0 && height > 0, "an image needs a positive size, got \(width)×\(height)")
    precondition((1...4).contains(channels), "images have 1–4 channels, got \(channels)")
    precondition(pixels.count == width * height * channels,
                 "\(width)×\(height)×\(channels) needs \(width * height * channels) samples, got \(pixels.count)")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// An image filled with `color`.
  public init(width: Int, height: Int, channels: Int, filledWith color: Color) {
    precondition(width > 0 && height > 0, "an image needs a positive size, got \(width)×\(height)")
    let samples = color.samples(channels: channels)
    var pixels: [UInt8] = []
    pixels.reserveCapacity(width * height * channels)
    for _ in 0..<(width * height) { pixels.append(contentsOf: samples) }
    self.init(width: width, height: height, channels: channels, pixels: pixels)
  }

  /// Offset of the first sample of pixel (x, y) in `pixels`.
  @inline(__always)
  public func offset(x: Int, y: Int) -> Int {
    precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)×\(height)")
    return (y * width + x) * channels
  }

  /// The color of pixel (x, y); gray images give gray colors.
  public func color(x: Int, y: Int) -> Color {
    let start = offset(x: x, y: y)
    return Color(samples: pixels[start..<(start + channels)])
  }

  /// Sets pixel (x, y) to `color` (converted to this image's channels, no blending).
  public mutating func setColor(_ color: Color, x: Int, y: Int) {
    let start = offset(x: x, y: y)
    for c in 0..<channels { pixels[start + c] = sample(of: color, channel: c) }
  }

  /// Channel `c` of `color` in this image's layout, as `color.samples(channels:)[c]` but without
  /// building an array (drawing calls this per pixel).
  @inline(__always)
  func sample(of color: Color, channel c: Int) -> UInt8 {
    switch (channels, c) {
    case (1, _), (2, 0): color.luma
    case (2, _), (4, 3): color.alpha
    case (_, 0): color.red
    case (_, 1): color.green
    default: color.blue
    }
  }

  /// The same picture with `channels` channels: gray is replicated to RGB, color reduced to luma,
  /// a missing alpha becomes opaque and a dropped alpha is discarded (not composited).
  public func converted(toChannels newChannels: Int) -> Image {
    if newChannels == channels { return self }
    var result = Image(width: width, height: height, channels: newChannels, filledWith: .black)
    for y in 0..<height {
      for x in 0..<width { result.setColor(color(x: x, y: y), x: x, y: y) }
    }
    return result
  }

  /// The image enlarged `factor` times in both directions by repeating pixels (nearest neighbour),
  /// so small samples such as 8×8 digits stay crisp.
  public func upscaled(by factor: Int) -> Image {
    precondition(factor >= 1, "upscale factor must be ≥ 1, got \(factor)")
    if factor == 1 { return self }
    var result = [UInt8]()
    result.reserveCapacity(pixels.count * factor * factor)
    for y in 0..<height {
      var row = [UInt8]()
      row.reserveCapacity(width * factor * channels)
      for x in 0..<width {
        let start = (y * width + x) * channels
        for _ in 0..<factor { row.append(contentsOf: pixels[start..<(start + channels)]) }
      }
      for _ in 0..<factor { result.append(contentsOf: row) }
    }
    return Image(width: width * factor, height: height * factor, channels: channels, pixels: result)
  }

  /// Copies `other` with its top-left corner at (x, y), clipping what falls outside this image.
  /// Channels are converted; alpha in `other` is copied, not composited.
  public mutating func paste(_ other: Image, x: Int, y: Int) {
    let source = other.converted(toChannels: channels)
    let x0 = max(0, x)
    let x1 = min(width, x + other.width)
    let y0 = max(0, y)
    let y1 = min(height, y + other.height)
    guard x0 < x1, y0 < y1 else { return }
    for row in y0..<y1 {
      let from = ((row - y) * other.width + (x0 - x)) * channels
      let to = (row * width + x0) * channels
      let count = (x1 - x0) * channels
      pixels.replaceSubrange(to..<(to + count), with: source.pixels[from..<(from + count)])
    }
  }
}
