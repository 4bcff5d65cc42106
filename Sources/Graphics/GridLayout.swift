/// Where `count` equally sized cells go in a grid with padding between and around them.
///
/// ```
/// width  = columns · cellWidth  + (columns + 1) · padding
/// origin(i) = (padding + (i mod columns) · (cellWidth + padding),
///              padding + (i div columns) · (cellHeight + padding))
/// ```
public struct GridLayout: Sendable, Equatable {
  public let count: Int
  public let rows: Int
  public let columns: Int
  public let cellWidth: Int
  public let cellHeight: Int
  public let padding: Int

  /// - Parameter columns: cells per row; `nil` picks ⌈√count⌉ so the grid is roughly square.
  public init(count: Int, cellWidth: Int, cellHeight: Int, columns: Int? = nil, padding: Int) {
    precondition(count > 0, "a grid needs at least one cell")
    precondition(cellWidth > 0 && cellHeight > 0, "cells need a positive size, got \(cellWidth)×\(cellHeight)")
    precondition(padding >= 0, "padding must be ≥ 0, got \(padding)")
    let chosen = columns ?? Int(Double(count).squareRoot().rounded(.up))
    precondition(chosen > 0, "a grid needs at least one column, got \(chosen)")
    self.count = count
    self.columns = min(chosen, count)
    self.rows = (count + self.columns - 1) / self.columns
    self.cellWidth = cellWidth
    self.cellHeight = cellHeight
    self.padding = padding
  }

  public var width: Int { columns * cellWidth + (columns + 1) * padding }
  public var height: Int { rows * cellHeight + (rows + 1) * padding }

  /// Top-left pixel of cell `index`, filled row by row.
  public func origin(of index: Int) -> (x: Int, y: Int) {
    precondition(index >= 0 && index < count, "cell \(index) outside a grid of \(count)")
    return (padding + (index % columns) * (cellWidth + padding), padding + (index / columns) * (cellHeight + padding))
  }
}

extension Image {
  /// Tiles equally sized images row by row into one image.
  ///
  /// - Parameters:
  ///   - columns: images per row; `nil` makes the grid roughly square.
  ///   - scale: each image is first enlarged by this integer factor (nearest neighbour), so 8×8
  ///     digits become visible; `padding` is in output pixels.
  ///   - background: the color between and around the tiles.
  /// - Returns: an image with the largest channel count among `images` (gray tiles are replicated).
  public static func grid(_ images: [Image], columns: Int? = nil, padding: Int = 2, scale: Int = 1,
                          background: Color = .black) -> Image {
    precondition(!images.isEmpty, "a grid needs at least one image")
    let first = images[0]
    precondition(images.allSatisfy { $0.width == first.width && $0.height == first.height },
                 "grid images must share one size; the first is \(first.width)×\(first.height)")
    let channels = images.map(\.channels).max()!
    let layout = GridLayout(count: images.count, cellWidth: first.width * scale, cellHeight: first.height * scale,
                            columns: columns, padding: padding)
    var result = Image(width: layout.width, height: layout.height, channels: channels, filledWith: background)
    for (index, image) in images.enumerated() {
      let origin = layout.origin(of: index)
      result.paste(image.upscaled(by: scale), x: origin.x, y: origin.y)
    }
    return result
  }
}
