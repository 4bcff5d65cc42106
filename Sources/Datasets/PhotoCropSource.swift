import Foundation
import Graphics
import Support
import TensorCore

/// Super-resolution pairs cut from a folder of high-resolution photos (`.png`, any sizes): each
/// example is a random `crop`×`crop` window of one photo, flipped at random, as [C, crop, crop]
/// Float32 levels `0 ..< bins`, and its condition is the LR image `degradation` makes of that
/// window, [C, crop/scale, crop/scale] in the same levels — made on the fly, so every step sees
/// new pairs.
///
/// Example i is a window of photo ⌊i / cropsPerImage⌋. Its window and flips are drawn from
/// `ExampleDraw.stream(.augmentation)` at offset `(example: i)`: keyed by (seed, step, i), never by rank, so
/// one rank and W ranks train on the same crops, and a resumed run redraws them exactly. The
/// evaluation draw keeps fixed windows and no flips. The photos are decoded once at `init` and
/// held in memory as bytes.
public struct PhotoCropSource: ExampleSource {
  public let directory: String
  /// The file names, in photo order.
  public let names: [String]
  /// Side of an HR crop; a multiple of `scale`.
  public let crop: Int
  /// HR side ÷ LR side.
  public let scale: Int
  public let degradation: Degradation
  /// Windows per photo per epoch: the source holds photos × cropsPerImage examples.
  public let cropsPerImage: Int
  /// Number of levels of an example: its values lie in `0 ..< bins`.
  public let bins: Int
  public let channels: Int
  private let photos: [Image]

  public init(directory: String, crop: Int, scale: Int, degradation: Degradation, cropsPerImage: Int = 1,
              bins: Int = 256) throws {
    if let problem = Degradation.problem(factor: scale, height: crop, width: crop), crop > 0 {
      throw DataFileError(path: directory, "crops of \(crop)×\(crop) for ×\(scale): \(problem)")
    }
    guard crop > 0, scale >= 2, cropsPerImage >= 1 else {
      throw DataFileError(path: directory, "needs crop ≥ 1, scale ≥ 2 and crops per image ≥ 1, got crop \(crop), "
        + "scale \(scale), \(cropsPerImage) crops per image")
    }
    let files: [(name: String, image: Image)]
    do {
      files = try PNG.readFolder(URL(fileURLWithPath: directory))
    } catch {
      throw DataFileError(path: directory, "cannot read the photo folder: \(error)")
    }
    guard let first = files.first else {
      throw DataFileError(path: directory, "holds no .png files; point the data at a folder of PNG photos")
    }
    for (name, image) in files {
      try Self.require(name, image, crop: crop, channels: first.image.channels, firstName: first.name, directory: directory)
    }
    self.directory = directory
    names = files.map(\.name)
    photos = files.map(\.image)
    (self.crop, self.scale, self.degradation, self.cropsPerImage) = (crop, scale, degradation, cropsPerImage)
    self.bins = bins
    levelsPerBin = try ImageLevels.levelsPerBin(bins: bins, stored: 256, source: directory)
    channels = first.image.channels
  }

  private let levelsPerBin: Int

  public var count: Int { photos.count * cropsPerImage }
  /// [channels, crop, crop]
  public var exampleShape: Shape { [channels, crop, crop] }
  /// [channels, crop / scale, crop / scale]
  public var conditionShape: Shape? { [channels, crop / scale, crop / scale] }

  /// The HR window of example `index` in `draw`, flipped as drawn.
  public func window(_ index: Int, draw: ExampleDraw) throws -> Image {
    guard index >= 0 && index < count else {
      throw DataFileError(path: directory, "example \(index) is out of range 0..<\(count)")
    }
    let photo = photos[index / cropsPerImage]
    var words = SIMD4<UInt32>()
    withUnsafeMutableBytes(of: &words) {
      draw.stream(.augmentation).fillBits($0.bindMemory(to: UInt32.self), offset: RandomStream.offset(example: index))
    }
    let x = Int(words[0] % UInt32(photo.width - crop + 1)), y = Int(words[1] % UInt32(photo.height - crop + 1))
    let training = draw.step != nil
    return photo.cropped(x: x, y: y, width: crop, height: crop)
      .flipped(horizontally: training && words[2] & 1 == 1, vertically: training && words[3] & 1 == 1)
  }

  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                           into out: UnsafeMutableBufferPointer<Float>) throws {
    try copy(indices, into: out, side: crop) { try window($0, draw: draw) }
  }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, draw: ExampleDraw,
                             into out: UnsafeMutableBufferPointer<Float>) throws {
    try copy(indices, into: out, side: crop / scale) { degradation.downscale(try window($0, draw: draw), by: scale) }
  }

  /// Without a draw: the evaluation draw of seed 0.
  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    try copyExamples(indices, draw: .evaluation(seed: 0), into: out)
  }

  public func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    try copyConditions(indices, draw: .evaluation(seed: 0), into: out)
  }

  /// out: [indices.count, channels, side, side], the images `make` gives, as levels.
  private func copy(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>, side: Int,
                    _ make: (Int) throws -> Image) throws {
    let d = channels * side * side
    precondition(out.count == indices.count * d, "buffer holds \(out.count) floats, \(indices.count) images need \(indices.count * d)")
    guard let base = out.baseAddress else { return }
    for (k, index) in indices.enumerated() {
      let image = try make(index)
      image.pixels.withUnsafeBufferPointer {
        ImageLevels.copyChannelsFirst($0.baseAddress!, plane: side * side, channels: channels,
                                      levelsPerBin: levelsPerBin, into: base + k * d)
      }
    }
  }

  private static func require(_ name: String, _ image: Image, crop: Int, channels: Int, firstName: String,
                              directory: String) throws {
    guard image.channels == 1 || image.channels == 3 else {
      throw DataFileError(path: directory, "'\(name)' has an alpha channel (\(image.channels) channels); "
        + "super-resolution takes grayscale or RGB photos, so save them without alpha")
    }
    guard image.channels == channels else {
      throw DataFileError(path: directory, "'\(name)' has \(image.channels == 1 ? "grayscale" : "RGB") pixels but "
        + "'\(firstName)' (the first file) does not; convert every photo to one color type")
    }
    guard image.width >= crop && image.height >= crop else {
      throw DataFileError(path: directory, "'\(name)' is \(image.width)×\(image.height), smaller than the "
        + "\(crop)×\(crop) crop; remove it or use a smaller crop")
    }
  }
}
