/// A built-in 5×7 pixel font for chart labels, titles and legends, drawn at an integer scale.
///
/// Every glyph advances 6 pixels (5 plus one of spacing) at scale 1; lines are 9 pixels apart, and
/// the descenders g p q y sit two pixels lower, reaching into that spacing.
/// Covers printable ASCII plus × and ·; other characters draw as a hollow box.
public enum BitmapFont {
  public static let glyphWidth = 5
  public static let glyphHeight = 7
  public static let advance = 6
  public static let lineHeight = 9

  /// Per character, seven rows of five bits; bit 4 is the leftmost pixel.
  static let glyphs: [Character: [UInt8]] = Dictionary(
    uniqueKeysWithValues: glyphArt.map { ($0.0, rows(fromArt: $0.1)) })
  static let missingGlyph = rows(fromArt: missingGlyphArt)

  private static func rows(fromArt art: String) -> [UInt8] {
    let rows = art.split(separator: " ")
    precondition(rows.count == glyphHeight && rows.allSatisfy { $0.count == glyphWidth },
                 "glyph art must be 7 rows of 5 cells: \(art)")
    return rows.map { row in row.reduce(UInt8(0)) { $0 << 1 | ($1 == "#" ? 1 : 0) } }
  }

  /// Whether `character` has its own glyph.
  public static func hasGlyph(_ character: Character) -> Bool { glyphs[character] != nil }

  /// Width in pixels of `text` on one line (no trailing spacing column).
  public static func width(of text: String, scale: Int = 1) -> Int {
    text.isEmpty ? 0 : (text.count * advance - 1) * scale
  }

  /// Height in pixels of one line of text.
  public static func height(scale: Int = 1) -> Int { glyphHeight * scale }

  /// Rows by which a glyph is drawn below the top of its line: 2 for letters with descenders.
  static func descent(of character: Character) -> Int {
    "gpqy".contains(character) ? 2 : 0
  }

  /// Pixels set for `character`, as (column, row) within its 5×7 cell.
  static func setPixels(of character: Character) -> [(column: Int, row: Int)] {
    let rows = glyphs[character] ?? missingGlyph
    var result: [(column: Int, row: Int)] = []
    for (row, bits) in rows.enumerated() {
      for column in 0..<glyphWidth where bits & (1 << (glyphWidth - 1 - column)) != 0 {
        result.append((column, row))
      }
    }
    return result
  }
}

/// Which way text runs.
public enum TextDirection: Sendable {
  /// Left to right.
  case horizontal
  /// Bottom to top (rotated 90° counter-clockwise), for vertical axis labels.
  case upward
}

extension Image {
  /// Draws `text` with its top-left corner at (x, y) — for `.upward` text, (x, y) is the top-left of
  /// the rotated block, which reads from its bottom-left corner upwards.
  public mutating func drawText(_ text: String, x: Int, y: Int, color: Color, scale: Int = 1,
                                direction: TextDirection = .horizontal) {
    precondition(scale >= 1, "text scale must be ≥ 1, got \(scale)")
    let length = BitmapFont.width(of: text, scale: scale)
    for (index, character) in text.enumerated() {
      let descent = BitmapFont.descent(of: character)
      for (column, glyphRow) in BitmapFont.setPixels(of: character) {
        let row = glyphRow + descent
        // Position along the text and across it, in unscaled pixels.
        let along = index * BitmapFont.advance + column
        let (px, py) = switch direction {
        case .horizontal: (x + along * scale, y + row * scale)
        case .upward: (x + row * scale, y + length - (along + 1) * scale)
        }
        fill(PixelRect(x: px, y: py, width: scale, height: scale), with: color)
      }
    }
  }
}
