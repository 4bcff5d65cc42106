/// Where a `LineChart`'s parts go: the plot rectangle, the axis ticks, and the data → pixel map.
public struct ChartLayout: Sendable {
  /// The rectangle the data is drawn in (image coordinates, y down).
  public let plotArea: PixelRect
  public let xTicks: AxisTicks
  public let yTicks: AxisTicks

  static let margin = 10
  static let tickLength = 4
  static let labelGap = 4
  static let titleScale = 2

  /// The pixel position of the data point (x, y); larger y is higher up.
  public func pixel(x: Double, y: Double) -> (x: Double, y: Double) {
    let u = (x - xTicks.lower) / (xTicks.upper - xTicks.lower)
    let v = (y - yTicks.lower) / (yTicks.upper - yTicks.lower)
    return (Double(plotArea.x) + u * Double(plotArea.width), Double(plotArea.maxY) - v * Double(plotArea.height))
  }

  /// Lays out `chart`: vertical margins first (they fix the y ticks), then the left margin from the
  /// widest y label, then the x ticks for the remaining width.
  init(_ chart: LineChart) {
    let font = BitmapFont.height()
    let top = ChartLayout.margin + (chart.title.isEmpty ? 0 : BitmapFont.height(scale: ChartLayout.titleScale) + 8)
    let bottom = ChartLayout.margin + ChartLayout.tickLength + ChartLayout.labelGap + font
      + (chart.xLabel.isEmpty ? 0 : font + 6)
    let plotHeight = chart.height - top - bottom
    let ranges = chart.dataRanges()
    yTicks = AxisTicks(covering: ranges.y, targetCount: max(2, plotHeight / 50))
    let widestLabel = yTicks.labels.map { BitmapFont.width(of: $0) }.max() ?? 0
    let left = ChartLayout.margin + (chart.yLabel.isEmpty ? 0 : font + 6) + widestLabel
      + ChartLayout.labelGap + ChartLayout.tickLength
    // Room for half of a last x label centered on the right edge.
    let right = ChartLayout.margin + 3 * BitmapFont.advance
    let plotWidth = chart.width - left - right
    xTicks = AxisTicks(covering: ranges.x, targetCount: max(2, plotWidth / 90))
    plotArea = PixelRect(x: left, y: top, width: plotWidth, height: plotHeight)
  }
}
