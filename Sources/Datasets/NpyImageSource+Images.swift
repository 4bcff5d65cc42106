import Graphics
import Support

extension NpyImageSource {
  /// Image `index` as stored, [H, W, C] 8-bit samples (no level reduction), e.g. an LR input to
  /// upscale or an HR reference to score against.
  public func image(at index: Int) throws -> Image {
    guard index >= 0 && index < count else {
      throw DataFileError(path: array.path, "image \(index) is out of range 0..<\(count)")
    }
    let bytes = UnsafeRawBufferPointer(rebasing: array.rawBytes[(index * dimensions)..<((index + 1) * dimensions)])
    return Image(width: width, height: height, channels: channels, pixels: Array(bytes))
  }
}
