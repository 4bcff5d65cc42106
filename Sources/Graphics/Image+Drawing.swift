/// Drawing primitives in image coordinates (x right, y down; pixel (i, j) covers [i, i+1)×[j, j+1),
/// so its center is (i + 0.5, j + 0.5)). Shapes are anti-aliased by the fraction of a pixel they
/// cover, estimated from the distance between the pixel center and the shape's edge.
extension Image {
  /// The whole image as a rectangle.
  public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }

  /// Mixes `color` into pixel (x, y) with weight `coverage` × color alpha; outside pixels are ignored.
  public mutating func blend(_ color: Color, x: Int, y: Int, coverage: Float = 1) {
    guard x >= 0, x < width, y >= 0, y < height else { return }
    let weight = min(max(coverage, 0), 1) * Float(color.alpha) / 255
    guard weight > 0 else { return }
    let start = (y * width + x) * channels
    // Alpha channels become more opaque; color channels move towards the new color.
    for c in 0..<channels {
      let old = Float(pixels[start + c])
      let isAlpha = (channels == 2 && c == 1) || (channels == 4 && c == 3)
      let target: Float = isAlpha ? 255 : Float(sample(of: color, channel: c))
      pixels[start + c] = UInt8((old + (target - old) * weight).rounded())
    }
  }

  /// Fills `rect` (clipped to the image) with `color`, blending by its alpha.
  public mutating func fill(_ rect: PixelRect, with color: Color) {
    let area = rect.intersection(bounds)
    for y in area.y..<area.maxY {
      for x in area.x..<area.maxX { blend(color, x: x, y: y) }
    }
  }

  /// Draws the outline of `rect` one pixel wide, inside its edges.
  public mutating func stroke(_ rect: PixelRect, with color: Color) {
    fill(PixelRect(x: rect.x, y: rect.y, width: rect.width, height: 1), with: color)
    fill(PixelRect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1), with: color)
    fill(PixelRect(x: rect.x, y: rect.y + 1, width: 1, height: rect.height - 2), with: color)
    fill(PixelRect(x: rect.maxX - 1, y: rect.y + 1, width: 1, height: rect.height - 2), with: color)
  }

  /// An anti-aliased line of `lineWidth` pixels with round ends between two points in pixel units,
  /// drawn only inside `clip` (the whole image when nil).
  public mutating func drawLine(from start: (x: Double, y: Double), to end: (x: Double, y: Double),
                                color: Color, lineWidth: Double = 1.5, clip: PixelRect? = nil) {
    // A NaN or infinite end has no place on the image; converting it to Int would trap.
    guard start.x.isFinite, start.y.isFinite, end.x.isFinite, end.y.isFinite, lineWidth.isFinite else { return }
    let radius = lineWidth / 2
    let window = (clip ?? bounds).intersection(bounds)
    // Clamped in Double first: a far-away point (a huge value on a fixed axis) overflows Int.
    func clamped(_ v: Double, _ low: Int, _ high: Int) -> Int { Int(min(max(v, Double(low)), Double(high))) }
    let x0 = clamped((min(start.x, end.x) - radius - 1).rounded(.down), window.x, window.maxX)
    let y0 = clamped((min(start.y, end.y) - radius - 1).rounded(.down), window.y, window.maxY)
    let x1 = clamped((max(start.x, end.x) + radius + 2).rounded(.up), window.x, window.maxX)
    let y1 = clamped((max(start.y, end.y) + radius + 2).rounded(.up), window.y, window.maxY)
    let area = PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    let dx = end.x - start.x
    let dy = end.y - start.y
    let lengthSquared = dx * dx + dy * dy
    for y in area.y..<area.maxY {
      for x in area.x..<area.maxX {
        let px = Double(x) + 0.5 - start.x
        let py = Double(y) + 0.5 - start.y
        // Distance from the pixel center to the nearest point of the segment.
        let t = lengthSquared > 0 ? min(max((px * dx + py * dy) / lengthSquared, 0), 1) : 0
        let distance = ((px - t * dx) * (px - t * dx) + (py - t * dy) * (py - t * dy)).squareRoot()
        blend(color, x: x, y: y, coverage: Float(radius + 0.5 - distance))
      }
    }
  }

  /// An anti-aliased filled disc, drawn only inside `clip` (the whole image when nil).
  public mutating func fillCircle(center: (x: Double, y: Double), radius: Double, color: Color,
                                  clip: PixelRect? = nil) {
    drawLine(from: center, to: center, color: color, lineWidth: 2 * radius, clip: clip)
  }
}
