/// A line chart of one or more series — e.g. training loss and validation bits/dim against the
/// step — with axes, numeric tick labels, a title, axis labels and a legend, rendered to an RGB image.
///
/// Non-finite points (NaN, ±inf) are skipped and break the line; a point with no finite neighbour
/// is drawn as a dot, so a single-point series is visible. Axis ranges cover all finite points
/// unless given.
public struct LineChart: Sendable {
  public struct Series: Sendable {
    public var name: String
    /// x and y of every point, in order.
    public var x: [Double]
    public var y: [Double]
    /// `nil` takes the next color of `LineChart.palette`.
    public var color: Color?

    public init(name: String, x: [Double], y: [Double], color: Color? = nil) {
      precondition(x.count == y.count, "series \(name) has \(x.count) x values but \(y.count) y values")
      self.name = name
      self.x = x
      self.y = y
      self.color = color
    }

    /// A series plotted against its index 0, 1, 2, ….
    public init(name: String, y: [Double], color: Color? = nil) {
      self.init(name: name, x: y.indices.map(Double.init), y: y, color: color)
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  public var width: Int
  public var height: Int
  /// Fixed axis ranges (e.g. to cut off an early loss spike); `nil` fits the data.
  public var xRange: ClosedRange<Double>? = nil
  public var yRange: ClosedRange<Double>? = nil
  public var lineWidth = 1.5

  /// Distinct series colors, used in order.
  public static let palette: [Color] = [0x1F6FB4, 0xE8731A, 0x2E9E44, 0xD03030, 0x8A5CC2, 0x8C564B, 0xD65DB1, 0x17A2B8]
    .map { Color(hex: $0) }

  public init(title: String, xLabel: String = "", yLabel: String = "", series: [Series] = [],
              width: Int = 640, height: Int = 400) {
    precondition(width >= 160 && height >= 120, "a chart needs at least 160×120 pixels, got \(width)×\(height)")
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.width = width
    self.height = height
  }

  /// The color series `index` is drawn in.
  public func color(ofSeries index: Int) -> Color {
    series[index].color ?? LineChart.palette[index % LineChart.palette.count]
  }

  /// The smallest and largest finite values of `values` (nil when there are none).
  static func finiteRange(_ values: some Sequence<Double>) -> ClosedRange<Double>? {
    var lower = Double.infinity
    var upper = -Double.infinity
    for value in values where value.isFinite {
      lower = min(lower, value)
      upper = max(upper, value)
    }
    return lower <= upper ? lower...upper : nil
  }

  /// Points with a NaN or infinite coordinate, over all series: `render()` skips them and says how
  /// many in the plot's corner, and callers warn with the same number.
  public var nonFinitePointCount: Int {
    series.reduce(0) { total, s in total + zip(s.x, s.y).filter { !($0.0.isFinite && $0.1.isFinite) }.count }
  }

  /// The data ranges over points whose x and y are both finite.
  func dataRanges() -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?) {
    let points = series.flatMap { s in zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite } }
    return (xRange ?? LineChart.finiteRange(points.map(\.0)), yRange ?? LineChart.finiteRange(points.map(\.1)))
  }
}
