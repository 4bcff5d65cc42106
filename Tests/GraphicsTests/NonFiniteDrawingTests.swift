import Graphics
import XCTest

/// NaN, ±inf and huge finite values reach every drawing primitive without a trap (issue 11).
final class NonFiniteDrawingTests: XCTestCase {
  private let awkward: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, .greatestFiniteMagnitude, 0]

  func testLinesWithNonFiniteOrFarEndsDrawNothingOrClipped() {
    var image = Image(width: 20, height: 20, channels: 3, filledWith: .white)
    for a in awkward {
      for b in awkward {
        image.drawLine(from: (a, 5), to: (b, 5), color: .black)
        image.fillCircle(center: (a, b), radius: 2, color: .black)
      }
    }
    image.drawLine(from: (.nan, 5), to: (10, 5), color: .black, lineWidth: .nan)
    // A far-away segment through the image still draws its visible part.
    XCTAssertTrue(image.pixels.contains { $0 < 255 })
  }

  func testAxisTicksCoverInfiniteAndHugeRanges() {
    for range in [-Double.infinity...Double.infinity, -1e308...1e308, 1e308...Double.infinity, 0...1e-320] {
      let ticks = AxisTicks(covering: range, targetCount: 5)
      XCTAssertTrue(ticks.values.allSatisfy(\.isFinite) && ticks.lower < ticks.upper, "\(range): \(ticks)")
      XCTAssertEqual(ticks.values.count, ticks.labels.count)
    }
  }

  func testChartOfNonFiniteAndHugeValuesRendersAndCountsTheSkippedPoints() {
    let y: [Double] = [1, .nan, 3, .infinity, -.infinity, 1e308, -1e308, 2]
    var chart = LineChart(title: "t", series: [LineChart.Series(name: "loss", y: y)])
    XCTAssertEqual(chart.nonFinitePointCount, 3)
    XCTAssertEqual(chart.render().width, chart.width)
    chart.yRange = 0...4
    XCTAssertEqual(chart.render().height, chart.height)
    chart.yRange = -Double.infinity...Double.infinity
    _ = chart.render()
    let empty = LineChart(title: "all NaN", series: [LineChart.Series(name: "x", y: [.nan, .nan])])
    XCTAssertEqual(empty.nonFinitePointCount, 2)
    _ = empty.render()
  }

  func testHeatmapAndFloatImagesOfNonFiniteValues() {
    var map = Heatmap(values: [.nan, .infinity, -.infinity, 3e38, -3e38, 0], rows: 2, columns: 3,
                      xRange: -1...1, yRange: -1...1)
    _ = map.render(width: 12, height: 8, points: [(.nan, 0), (1e300, -1e300), (.infinity, 0)])
    map.valueRange = -Float.greatestFiniteMagnitude...Float.greatestFiniteMagnitude
    _ = map.render(width: 12, height: 8)
    let image = Image(floats: [.nan, .infinity, -.infinity, 0.5], width: 2, height: 2, channels: 1)
    XCTAssertEqual(image.pixels, [0, 255, 0, 128], "NaN black, +inf white, -inf black")
    _ = Image(floats: [.nan, .infinity, -3e38, 3e38], width: 2, height: 2, channels: 1, range: nil)
    XCTAssertEqual(Colormap.viridis.color(at: .nan), Colormap.viridis.color(at: 0))
  }
}
