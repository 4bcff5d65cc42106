extension Image {
  /// Places images side by side, each under its centered title, on a `background` margin.
  ///
  /// Panels are top-aligned; the result is RGB (or RGBA if any panel has alpha).
  public static func panels(_ panels: [(title: String, image: Image)], spacing: Int = 12,
                            background: Color = .white, titleColor: Color = .black, titleScale: Int = 1) -> Image {
    precondition(!panels.isEmpty, "panels needs at least one image")
    let titleHeight = panels.contains { !$0.title.isEmpty } ? BitmapFont.height(scale: titleScale) + spacing / 2 + 2 : 0
    let width = panels.reduce(spacing) { $0 + $1.image.width + spacing }
    let height = spacing + titleHeight + panels.map(\.image.height).max()! + spacing
    let channels = max(3, panels.map(\.image.channels).max()!)
    var result = Image(width: width, height: height, channels: channels, filledWith: background)
    var x = spacing
    for (title, image) in panels {
      let titleWidth = BitmapFont.width(of: title, scale: titleScale)
      result.drawText(title, x: x + (image.width - titleWidth) / 2, y: spacing, color: titleColor, scale: titleScale)
      result.paste(image, x: x, y: spacing + titleHeight)
      x += image.width + spacing
    }
    return result
  }
}
