@testable import Graphics
import XCTest

final class HeatmapTests: XCTestCase {
  func testColormapEndpointsAndMonotoneLightness() {
    XCTAssertEqual(Colormap.viridis.color(at: 0), Color(hex: 0x440154))
    XCTAssertEqual(Colormap.viridis.color(at: 1), Color(hex: 0xFDE725))
    XCTAssertEqual(Colormap.viridis.color(at: -5), Colormap.viridis.color(at: 0), "clamped below")
    XCTAssertEqual(Colormap.viridis.color(at: 9), Colormap.viridis.color(at: 1), "clamped above")
    XCTAssertEqual(Colormap.viridis.color(at: .nan), Colormap.viridis.color(at: 0))
    XCTAssertEqual(Colormap.gray.color(at: 0.5), Color(gray: 128))
    // A perceptual ramp gets lighter all the way; check luma on a fine grid.
    let lumas = stride(from: Float(0), through: 1, by: 0.01).map { Int(Colormap.viridis.color(at: $0).luma) }
    XCTAssertEqual(lumas, lumas.sorted(), "viridis luma must not decrease")
  }

  func testHeatmapIsDrawnWithYUp() {
    // 2×2 field: only the top-right cell (row 1 = larger y, column 1 = larger x) is high.
    let heatmap = Heatmap(values: [0, 0, 0, 1], rows: 2, columns: 2, xRange: -1...1, yRange: -1...1)
    let image = heatmap.render(width: 20, height: 10)
    XCTAssertEqual(image.color(x: 15, y: 2), Colormap.viridis.color(at: 1), "top right is the maximum")
    XCTAssertEqual(image.color(x: 15, y: 7), Colormap.viridis.color(at: 0), "bottom right")
    XCTAssertEqual(image.color(x: 4, y: 2), Colormap.viridis.color(at: 0), "top left")
  }

  func testFieldSamplingAndPointMapping() {
    // f(x, y) = y: each row of cells is constant and grows upwards.
    var heatmap = Heatmap(rows: 2, columns: 4, xRange: 0...4, yRange: 0...2) { _, y in Float(y) }
    XCTAssertEqual(heatmap.values, [0.5, 0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 1.5], "cell centers")
    heatmap.valueRange = 0...2
    let image = heatmap.render(width: 40, height: 20, points: [(x: 1, y: 1.5), (x: .nan, y: 0)],
                               pointColor: Color(red: 255, green: 0, blue: 0), pointRadius: 2)
    let point = heatmap.pixel(x: 1, y: 1.5, width: 40, height: 20)
    XCTAssert(point == (10, 5), "plane (1, 1.5) → pixel \(point)")
    XCTAssertEqual(image.color(x: 10, y: 5), Color(red: 255, green: 0, blue: 0))
    XCTAssertEqual(image.color(x: 30, y: 5), Colormap.viridis.color(at: 0.75))
    XCTAssertEqual(image.color(x: 30, y: 15), Colormap.viridis.color(at: 0.25))
  }

  func testNonFiniteCellsAndConstantFields() {
    let heatmap = Heatmap(values: [.nan, 3, 3, 3], rows: 2, columns: 2, xRange: 0...1, yRange: 0...1)
    let image = heatmap.render(width: 2, height: 2)
    XCTAssertEqual(image.color(x: 0, y: 1), heatmap.nonFiniteColor, "bottom-left NaN cell")
    XCTAssertEqual(image.color(x: 1, y: 1), Colormap.viridis.color(at: 0.5), "a constant field sits mid-ramp")
  }

  func testPanelsPutTitlesAboveSideBySideImages() {
    let left = Image(width: 30, height: 20, channels: 3, filledWith: Color(red: 255, green: 0, blue: 0))
    let right = Image(width: 10, height: 40, channels: 1, filledWith: Color(gray: 0))
    let combined = Image.panels([("data", left), ("model", right)], spacing: 10)
    let titleHeight = BitmapFont.height() + 5 + 2
    XCTAssertEqual([combined.width, combined.height], [10 + 30 + 10 + 10 + 10, 10 + titleHeight + 40 + 10])
    XCTAssertEqual(combined.color(x: 10, y: 10 + titleHeight), Color(red: 255, green: 0, blue: 0))
    XCTAssertEqual(combined.color(x: 50, y: 10 + titleHeight + 39), .black)
    let titleRow = (10..<(10 + BitmapFont.glyphHeight)).flatMap { y in (10..<40).map { combined.color(x: $0, y: y) } }
    XCTAssert(titleRow.contains { $0 != .white }, "the title is drawn above the first panel")
  }
}
