/// A scalar field on a regular grid over a rectangle of the plane — e.g. a learned 2-D density —
/// drawn through a colormap with y pointing up, optionally with scatter points on top.
public struct Heatmap: Sendable {
  /// [rows, columns]; row 0 is the bottom (smallest y), column 0 the left (smallest x).
  public var values: [Float]
  public let rows: Int
  public let columns: Int
  /// The plane region the grid covers; cell (r, c) is centered at
  /// x = xRange.lower + (c + ½)·Δx, y = yRange.lower + (r + ½)·Δy.
  public var xRange: ClosedRange<Double>
  public var yRange: ClosedRange<Double>
  public var colormap: Colormap = .viridis
  /// The values mapped to the colormap's ends; `nil` uses the smallest and largest finite values
  /// (a constant field then shows the middle of the ramp).
  public var valueRange: ClosedRange<Float>? = nil
  /// The color of NaN and infinite cells, which have no place on the ramp.
  public var nonFiniteColor = Color(gray: 128)

  public init(values: [Float], rows: Int, columns: Int, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) {
    precondition(rows > 0 && columns > 0, "a heatmap needs a positive grid, got \(rows)×\(columns)")
    precondition(values.count == rows * columns,
                 "\(rows)×\(columns) grid needs \(rows * columns) values, got \(values.count)")
    precondition(xRange.upperBound > xRange.lowerBound && yRange.upperBound > yRange.lowerBound,
                 "heatmap ranges must have positive width, got x \(xRange), y \(yRange)")
    self.values = values
    self.rows = rows
    self.columns = columns
    self.xRange = xRange
    self.yRange = yRange
  }

  /// Samples `field(x, y)` at every cell center, e.g. `{ x, y in exp(model.logDensity(x, y)) }`.
  public init(rows: Int, columns: Int, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
              field: (Double, Double) -> Float) {
    let dx = (xRange.upperBound - xRange.lowerBound) / Double(columns)
    let dy = (yRange.upperBound - yRange.lowerBound) / Double(rows)
    var values: [Float] = []
    values.reserveCapacity(rows * columns)
    for r in 0..<rows {
      for c in 0..<columns {
        values.append(field(xRange.lowerBound + (Double(c) + 0.5) * dx, yRange.lowerBound + (Double(r) + 0.5) * dy))
      }
    }
    self.init(values: values, rows: rows, columns: columns, xRange: xRange, yRange: yRange)
  }

  /// Where the plane point (x, y) lands in a `width`×`height` rendering, in pixel units
  /// (y flipped: larger y is nearer the top).
  public func pixel(x: Double, y: Double, width: Int, height: Int) -> (x: Double, y: Double) {
    let u = (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
    let v = (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)
    return (u * Double(width), (1 - v) * Double(height))
  }

  /// An RGB image of the field, each pixel colored by the cell under its center, with `points`
  /// (plane coordinates) drawn as discs of `pointRadius` pixels; points outside are clipped.
  public func render(width: Int, height: Int, points: [(x: Double, y: Double)] = [],
                     pointColor: Color = Color(hex: 0xFF3B30), pointRadius: Double = 1.5) -> Image {
    let bounds = valueRange ?? Image.finiteRange(of: values[...])
    let span = bounds.upperBound - bounds.lowerBound
    var image = Image(width: width, height: height, channels: 3, filledWith: nonFiniteColor)
    for py in 0..<height {
      // ⌊(py + ½)·rows / height⌋ counted from the top: image row 0 shows the last grid row.
      let row = rows - 1 - (2 * py + 1) * rows / (2 * height)
      for px in 0..<width {
        let column = (2 * px + 1) * columns / (2 * width)
        let value = values[row * columns + column]
        guard value.isFinite else { continue }
        let t = span > 0 ? (value - bounds.lowerBound) / span : 0.5
        image.setColor(colormap.color(at: t), x: px, y: py)
      }
    }
    for point in points where point.x.isFinite && point.y.isFinite {
      image.fillCircle(center: pixel(x: point.x, y: point.y, width: width, height: height),
                       radius: pointRadius, color: pointColor)
    }
    return image
  }
}
