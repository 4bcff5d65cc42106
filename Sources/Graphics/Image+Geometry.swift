extension Image {
  /// The `width`×`height` window whose top-left pixel is (x, y); it must lie inside the image.
  public func cropped(x: Int, y: Int, width newWidth: Int, height newHeight: Int) -> Image {
    precondition(x >= 0 && y >= 0 && newWidth > 0 && newHeight > 0 && x + newWidth <= width && y + newHeight <= height,
                 "window \(newWidth)×\(newHeight) at (\(x), \(y)) outside \(width)×\(height)")
    var result = [UInt8]()
    result.reserveCapacity(newWidth * newHeight * channels)
    for row in y..<(y + newHeight) {
      let start = (row * width + x) * channels
      result.append(contentsOf: pixels[start..<(start + newWidth * channels)])
    }
    return Image(width: newWidth, height: newHeight, channels: channels, pixels: result)
  }

  /// The image mirrored left–right and/or top–bottom.
  public func flipped(horizontally: Bool, vertically: Bool) -> Image {
    guard horizontally || vertically else { return self }
    var result = pixels
    for row in 0..<height {
      let from = vertically ? height - 1 - row : row
      for column in 0..<width {
        let source = (from * width + (horizontally ? width - 1 - column : column)) * channels
        let target = (row * width + column) * channels
        for c in 0..<channels { result[target + c] = pixels[source + c] }
      }
    }
    return Image(width: width, height: height, channels: channels, pixels: result)
  }
}
