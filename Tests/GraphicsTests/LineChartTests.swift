@testable import Graphics
import XCTest

final class LineChartTests: XCTestCase {
  func testNiceTicks() {
    let ticks = AxisTicks(covering: 0.13...0.97, targetCount: 5)
    XCTAssertEqual(ticks.step, 0.2, accuracy: 1e-12)
    XCTAssertEqual(ticks.labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    // 1000 / 4 = 250 is not 1, 2 or 5 × 10^k; the next nice step is 500.
    XCTAssertEqual(AxisTicks(covering: 0...1000, targetCount: 4).labels, ["0", "500", "1000"])
    XCTAssertEqual(AxisTicks(covering: -3...2, targetCount: 5).labels, ["-3", "-2", "-1", "0", "1", "2"])
    XCTAssertEqual(AxisTicks(covering: 0.0001...0.0005, targetCount: 4).labels, ["1e-4", "2e-4", "3e-4", "4e-4", "5e-4"])
    XCTAssertEqual(AxisTicks(covering: 0...3e7, targetCount: 3).labels, ["0", "1e7", "2e7", "3e7"])
  }

  func testDegenerateRangesStillGiveAnAxis() {
    let constant = AxisTicks(covering: 2...2, targetCount: 4)
    XCTAssert(constant.lower < 2 && constant.upper > 2, "\(constant.lower)…\(constant.upper)")
    let zero = AxisTicks(covering: 0...0, targetCount: 4)
    XCTAssertEqual([zero.lower, zero.upper], [-1, 1])
    let empty = AxisTicks(covering: nil, targetCount: 4)
    XCTAssertEqual([empty.lower, empty.upper], [0, 1])
  }

  /// Whether any pixel within `radius` of `point` has the series color's hue (not gray).
  private func hasColor(_ image: Image, near point: (x: Double, y: Double), radius: Int = 1) -> Bool {
    for dy in -radius...radius {
      for dx in -radius...radius {
        let c = image.color(x: Int(point.x) + dx, y: Int(point.y) + dy)
        if Int(c.blue) - Int(c.red) > 60 { return true }  // palette[0] is blue
      }
    }
    return false
  }

  func testLineIsDrawnWhereTheDataIs() {
    let steps = (0..<50).map(Double.init)
    let chart = LineChart(title: "Loss", xLabel: "step", yLabel: "nats",
                          series: [.init(name: "train", x: steps, y: steps.map { 3 * exp(-$0 / 10) + 1 })])
    let image = chart.render()
    let layout = chart.layout()
    for step in [1.0, 10, 25, 48] {
      let point = layout.pixel(x: step, y: 3 * exp(-step / 10) + 1)
      XCTAssert(layout.plotArea.contains(x: Int(point.x), y: Int(point.y)))
      XCTAssert(hasColor(image, near: point), "no line pixel near step \(step) at \(point)")
    }
    // Far from the curve (upper right of the plot, below the legend) stays background or grid.
    let empty = layout.pixel(x: 40, y: 3.5)
    XCTAssertFalse(hasColor(image, near: empty, radius: 3))
  }

  func testYAxisPointsUp() {
    let chart = LineChart(title: "", series: [.init(name: "", x: [0, 1], y: [0, 10])])
    let layout = chart.layout()
    XCTAssertGreaterThan(layout.pixel(x: 0, y: 0).y, layout.pixel(x: 0, y: 10).y)
  }

  func testEdgeCasesRenderWithoutCrashing() {
    let cases: [(String, [LineChart.Series])] = [
      ("no series", []),
      ("empty series", [.init(name: "empty", y: [])]),
      ("all NaN", [.init(name: "nan", y: [.nan, .nan, .infinity])]),
      ("single point", [.init(name: "one", x: [5], y: [2.5])]),
      ("constant", [.init(name: "flat", y: [Double](repeating: 0.7, count: 20))]),
      ("gaps", [.init(name: "gappy", y: [1, 2, .nan, 3, -.infinity, 4, 5, .nan])]),
      ("huge values", [.init(name: "big", y: [1e9, 3e9, 2e9])]),
      ("tiny values", [.init(name: "small", y: [1e-6, 3e-6, 2e-6])]),
    ]
    for (name, series) in cases {
      let chart = LineChart(title: name, xLabel: "x", yLabel: "y", series: series, width: 320, height: 200)
      let image = chart.render()
      XCTAssertEqual([image.width, image.height, image.channels], [320, 200, 3], name)
    }
  }

  func testSinglePointAndIsolatedPointsAreVisible() {
    let single = LineChart(title: "", series: [.init(name: "", x: [5], y: [2.5])])
    XCTAssert(hasColor(single.render(), near: single.layout().pixel(x: 5, y: 2.5)), "single point")
    // Point 3 sits between two NaNs: it must show as a dot, not vanish.
    let gappy = LineChart(title: "", series: [.init(name: "", y: [1, 2, .nan, 3, .nan, 4, 5])])
    XCTAssert(hasColor(gappy.render(), near: gappy.layout().pixel(x: 3, y: 3)), "isolated point")
    // Nothing is drawn across the gap between x = 1 and x = 3.
    XCTAssertFalse(hasColor(gappy.render(), near: gappy.layout().pixel(x: 2, y: 2.5)), "line across a NaN")
  }

  func testSecondSeriesUsesTheSecondPaletteColorAndLegendIsDrawn() {
    let chart = LineChart(title: "", series: [.init(name: "a", y: [0, 1]), .init(name: "b", y: [1, 0])])
    XCTAssertEqual(chart.color(ofSeries: 1), LineChart.palette[1])
    let image = chart.render()
    let plot = chart.layout().plotArea
    // The legend box sits in the plot's top-right corner with its sample lines in series colors.
    let corner = (plot.maxX - 60..<plot.maxX).flatMap { x in (plot.y..<(plot.y + 30)).map { image.color(x: x, y: $0) } }
    XCTAssert(corner.contains(LineChart.palette[1]), "legend sample of series b")
  }
}
