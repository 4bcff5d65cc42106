@testable import Graphics
import XCTest

final class FontTests: XCTestCase {
  func testEveryPrintableASCIICharacterHasADistinctGlyph() {
    let printable = (32...126).map { Character(Unicode.Scalar(UInt8($0))) }
    for character in printable {
      XCTAssert(BitmapFont.hasGlyph(character), "no glyph for \(character)")
    }
    // Two characters sharing a bitmap would be unreadable; only space may be empty.
    var seen: [[UInt8]: Character] = [:]
    for character in printable {
      let rows = BitmapFont.glyphs[character]!
      XCTAssertNil(seen[rows], "\(character) looks like \(seen[rows].map(String.init) ?? "")")
      seen[rows] = character
      XCTAssertEqual(rows.allSatisfy { $0 == 0 }, character == " ", "\(character) blank?")
    }
  }

  func testTextIsDrawnWhereItsGlyphsAre() {
    var image = Image(width: 40, height: 20, channels: 1, filledWith: .black)
    image.drawText("1", x: 3, y: 4, color: .white, scale: 2)
    // "1" has its stem in column 2 for rows 1–5 and a full bottom bar from column 1 to 3.
    XCTAssertEqual(image.color(x: 3 + 2 * 2, y: 4 + 2 * 3).luma, 255, "stem")
    XCTAssertEqual(image.color(x: 3 + 2 * 1, y: 4 + 2 * 6 + 1).luma, 255, "foot")
    XCTAssertEqual(image.color(x: 3, y: 4).luma, 0, "empty corner")
    XCTAssertEqual(BitmapFont.width(of: "12", scale: 2), 22)
  }

  func testUpwardTextRunsBottomToTop() {
    var image = Image(width: 10, height: 20, channels: 1, filledWith: .black)
    image.drawText("L.", x: 0, y: 0, color: .white, direction: .upward)
    // Rotated counter-clockwise: glyph rows run left to right across the block, glyph columns
    // bottom to top; the L's stem (column 0) lies along the block's bottom edge, the dot above it.
    let length = BitmapFont.width(of: "L.")
    XCTAssertEqual(image.color(x: 0, y: length - 1).luma, 255, "L row 0, column 0: bottom-left")
    XCTAssertEqual(image.color(x: 6, y: length - 5).luma, 255, "L row 6, column 4: the end of its base")
    XCTAssertEqual(image.color(x: 6, y: length - 6).luma, 0, "spacing column between the glyphs")
    XCTAssertEqual(image.color(x: 6, y: 2).luma, 255, "dot row 6, column 2")
    XCTAssertEqual(image.color(x: 6, y: 1).luma, 0, "dot row 6, column 3 is clear")
  }
}
