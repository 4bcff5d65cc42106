import Support
/// What the image sources share: the level arithmetic and the channels-last → channels-first copy.
///
/// Stored levels `0 ..< stored` become `bins` levels by merging `stored / bins` neighbours
/// (`level = stored_value / (stored / bins)`), e.g. 256 → 32 for Glow's 5-bit images.
enum ImageLevels {
  /// Stored levels per output level; throws when `bins` cannot be reached from `stored`.
  static func levelsPerBin(bins: Int, stored: Int, source: String) throws -> Int {
    guard bins >= 2, stored <= 256, stored % bins == 0 else {
      throw DataFileError(path: source, "cannot reduce \(stored) stored levels to \(bins) bins; bins must be "
        + "at least 2 and divide the stored levels (≤ 256), e.g. 256 → 32 for 5-bit images")
    }
    return stored / bins
  }

  /// The first image (and its largest value) holding a value ≥ `stored`; nil when all are below.
  static func firstImage(in bytes: UnsafeRawBufferPointer, dimensions: Int,
                         withLevelAtLeast stored: Int) -> (image: Int, value: UInt8)? {
    guard let largest = bytes.max(), Int(largest) >= stored else { return nil }
    return (bytes.firstIndex(of: largest)! / dimensions, largest)
  }

  /// How to fix a level out of range, for the error message.
  static func fix(bins: Int, stored: Int) -> String {
    stored == bins
      ? "pass the data's level count as bins (e.g. 17 for 0...16 digits, 256 for 8-bit images)"
      : "pass the level count the data was stored with as reducingFrom (stored_bins in a config)"
  }

  /// Copies one (height, width, channels) image of stored levels to [channels, height, width]
  /// Float32 levels.
  @inline(__always)
  static func copyChannelsFirst(_ image: UnsafePointer<UInt8>, plane: Int, channels: Int, levelsPerBin: Int,
                                into target: UnsafeMutablePointer<Float>) {
    for pixel in 0..<plane {
      for c in 0..<channels {
        target[c * plane + pixel] = Float(Int(image[pixel * channels + c]) / levelsPerBin)
      }
    }
  }
}
