import Support
import TensorCore

/// Images from an (N, H, W, C) `uint8` `.npy` file, yielded as [C, H, W] Float32 examples of
/// integer levels `0 ..< bins`.
///
/// The values stay discrete: the trainer adds the dequantization noise and divides by `bins`
/// (`y = (x + u) / bins`), and bits/dim then add `D·ln(bins)` (DESIGN §2). With
/// `reducingFrom: sourceBins` the stored levels `0 ..< sourceBins` are merged into `bins`
/// equal groups, `level = stored / (sourceBins / bins)` (Glow's 5-bit images: 256 → 32).
/// Every stored value is checked once at `init`, so a level out of range fails before training.
public struct NpyImageSource: ExampleSource {
  public let array: NpyArray
  /// Number of levels of an example: its values lie in `0 ..< bins`.
  public let bins: Int
  /// Stored levels per output level (1 unless reducing).
  public let levelsPerBin: Int
  public let height: Int, width: Int, channels: Int

  public init(path: String, bins: Int, reducingFrom sourceBins: Int? = nil) throws {
    try self.init(array: NpyArray(contentsOf: path), bins: bins, reducingFrom: sourceBins)
  }

  public init(array: NpyArray, bins: Int, reducingFrom sourceBins: Int? = nil) throws {
    try NpyImageSource.requireImages(array)
    let stored = sourceBins ?? bins
    self.array = array
    self.bins = bins
    self.levelsPerBin = try ImageLevels.levelsPerBin(bins: bins, stored: stored, source: array.path)
    (height, width, channels) = (array.shape[1], array.shape[2], array.shape[3])
    try requireLevels(below: stored)
  }

  public var count: Int { array.rowCount }
  /// [channels, height, width]
  public var exampleShape: Shape { [channels, height, width] }
  /// Values per example, the D of bits/dim.
  public var dimensions: Int { channels * height * width }

  /// out: [indices.count, channels, height, width], transposed from the stored HWC.
  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    let d = dimensions, plane = height * width
    precondition(out.count == indices.count * d, "buffer holds \(out.count) floats, \(indices.count) images need \(indices.count * d)")
    guard let base = out.baseAddress, let bytes = array.rawBytes.baseAddress else { return }
    for (k, index) in indices.enumerated() {
      guard index >= 0 && index < count else {
        throw DataFileError(path: array.path, "image \(index) is out of range 0..<\(count); "
          + "check that the data and label files have the same number of rows")
      }
      ImageLevels.copyChannelsFirst(bytes.assumingMemoryBound(to: UInt8.self) + index * d, plane: plane,
                                    channels: channels, levelsPerBin: levelsPerBin, into: base + k * d)
    }
  }

  /// Scans every stored byte once; names the first image holding the largest bad value.
  private func requireLevels(below stored: Int) throws {
    guard let (image, largest) = ImageLevels.firstImage(in: array.rawBytes, dimensions: dimensions,
                                                        withLevelAtLeast: stored) else { return }
    throw DataFileError(path: array.path, "image \(image) holds level \(largest) but only 0..<\(stored) "
      + "are allowed; \(ImageLevels.fix(bins: bins, stored: stored))")
  }

  private static func requireImages(_ array: NpyArray) throws {
    guard array.elementType == .uint8 else {
      throw DataFileError(path: array.path, "dtype '\(array.elementType)' but images must be uint8 levels; "
        + "convert with x.astype(np.uint8) if the values are integers in 0..255")
    }
    let shape = array.shape
    guard shape.count == 4 else {
      let hint = shape.count == 3 ? "; for one channel save x[..., None]" : ""
      throw DataFileError(path: array.path, "has shape \(shape) but images must be 4-D (N, H, W, C)\(hint)")
    }
    guard shape.allSatisfy({ $0 > 0 }) else {
      throw DataFileError(path: array.path, "has shape \(shape) with an empty axis; images need (N, H, W, C) all > 0")
    }
    if shape[1] <= 4 && shape[2] > 4 && shape[3] > 4 {
      throw DataFileError(path: array.path, "has shape \(shape), which looks channels-first (N, C, H, W); "
        + "save it channels-last with x.transpose(0, 2, 3, 1)")
    }
  }
}
