@testable import Graphics
import XCTest

final class ImageTests: XCTestCase {
  func testFloatsInUnitRangeAreScaledAndClamped() {
    let image = Image(floats: [0, 0.5, 1, -3, 7, .nan], width: 3, height: 2, channels: 1)
    XCTAssertEqual(image.pixels, [0, 128, 255, 0, 255, 0])
  }

  func testFloatsInACustomRangeAndAutomaticRange() {
    let custom = Image(floats: [-1, 0, 1, 2], width: 2, height: 2, channels: 1, range: -1...1)
    XCTAssertEqual(custom.pixels, [0, 128, 255, 255])
    let automatic = Image(floats: [10, 20, .infinity, 30], width: 2, height: 2, channels: 1, range: nil)
    XCTAssertEqual(automatic.pixels, [0, 128, 255, 255])
  }

  func testPlanarBatchBecomesInterleavedImages() {
    // [2, 3, 1, 2]: two RGB images of 2×1 pixels, channel planes one after another.
    let values: [Float] = [0, 1, 0, 0, 1, 1,  1, 1, 0, 1, 0, 0]
    let images = Image.batch(planar: values, count: 2, channels: 3, height: 1, width: 2)
    XCTAssertEqual(images[0].color(x: 0, y: 0), Color(red: 0, green: 0, blue: 255))
    XCTAssertEqual(images[0].color(x: 1, y: 0), Color(red: 255, green: 0, blue: 255))
    XCTAssertEqual(images[1].color(x: 0, y: 0), Color(red: 255, green: 0, blue: 0))
    XCTAssertEqual(images[1].color(x: 1, y: 0), Color(red: 255, green: 255, blue: 0))
  }

  func testUpscaleRepeatsPixels() {
    let image = Image(width: 2, height: 1, channels: 1, pixels: [10, 20])
    let big = image.upscaled(by: 3)
    XCTAssertEqual([big.width, big.height], [6, 3])
    XCTAssertEqual(big.pixels, [UInt8]([10, 10, 10, 20, 20, 20]) + [10, 10, 10, 20, 20, 20] + [10, 10, 10, 20, 20, 20])
  }

  func testGridLayoutCoordinates() {
    let layout = GridLayout(count: 10, cellWidth: 8, cellHeight: 6, padding: 2)
    XCTAssertEqual([layout.rows, layout.columns], [3, 4], "⌈√10⌉ = 4 columns, 3 rows")
    XCTAssertEqual([layout.width, layout.height], [4 * 8 + 5 * 2, 3 * 6 + 4 * 2])
    XCTAssert(layout.origin(of: 0) == (2, 2))
    XCTAssert(layout.origin(of: 3) == (2 + 3 * 10, 2))
    XCTAssert(layout.origin(of: 4) == (2, 2 + 8))
    XCTAssert(layout.origin(of: 9) == (2 + 10, 2 + 2 * 8))
    let wide = GridLayout(count: 3, cellWidth: 5, cellHeight: 5, columns: 8, padding: 0)
    XCTAssertEqual([wide.rows, wide.columns, wide.width], [1, 3, 15], "columns never exceed the count")
  }

  func testGridPlacesScaledTilesOnTheBackground() {
    let tiles = (0..<5).map { Image(width: 2, height: 2, channels: 1, pixels: [UInt8](repeating: UInt8(50 * ($0 + 1)), count: 4)) }
    let grid = Image.grid(tiles, columns: 3, padding: 1, scale: 2, background: Color(gray: 7))
    XCTAssertEqual([grid.width, grid.height, grid.channels], [3 * 4 + 4, 2 * 4 + 3, 1])
    let layout = GridLayout(count: 5, cellWidth: 4, cellHeight: 4, columns: 3, padding: 1)
    for index in 0..<5 {
      let (x, y) = layout.origin(of: index)
      XCTAssertEqual(grid.color(x: x, y: y).luma, UInt8(50 * (index + 1)), "tile \(index) top-left")
      XCTAssertEqual(grid.color(x: x + 3, y: y + 3).luma, UInt8(50 * (index + 1)), "tile \(index) bottom-right")
      XCTAssertEqual(grid.color(x: x + 4, y: y).luma, 7, "padding right of tile \(index)")
    }
    XCTAssertEqual(grid.color(x: layout.origin(of: 2).x, y: layout.origin(of: 5 - 1).y + 1).luma, 7, "empty sixth cell")
  }

  func testGridWithMixedChannelsIsColor() {
    let gray = Image(width: 1, height: 1, channels: 1, pixels: [200])
    let red = Image(width: 1, height: 1, channels: 3, filledWith: Color(red: 255, green: 0, blue: 0))
    let grid = Image.grid([gray, red], padding: 0)
    XCTAssertEqual(grid.channels, 3)
    XCTAssertEqual(grid.color(x: 0, y: 0), Color(gray: 200))
    XCTAssertEqual(grid.color(x: 1, y: 0), Color(red: 255, green: 0, blue: 0))
  }

  func testPasteClipsAtTheEdges() {
    var canvas = Image(width: 3, height: 3, channels: 1, filledWith: .black)
    canvas.paste(Image(width: 2, height: 2, channels: 1, filledWith: .white), x: 2, y: -1)
    XCTAssertEqual(canvas.pixels, [0, 0, 255, 0, 0, 0, 0, 0, 0])
  }

  func testLinesAndDiscsCoverTheirPixels() {
    var image = Image(width: 20, height: 20, channels: 3, filledWith: .white)
    image.drawLine(from: (2, 10.5), to: (18, 10.5), color: .black, lineWidth: 1)
    XCTAssertEqual(image.color(x: 10, y: 10), .black, "on the line")
    XCTAssertEqual(image.color(x: 10, y: 12), .white, "1.5 px away from a 1 px line")
    image.fillCircle(center: (5, 5), radius: 2, color: Color(red: 255, green: 0, blue: 0))
    XCTAssertEqual(image.color(x: 4, y: 4), Color(red: 255, green: 0, blue: 0))
    XCTAssertEqual(image.color(x: 9, y: 5), .white)
  }
}
