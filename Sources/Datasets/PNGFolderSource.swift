import Foundation
import Graphics
import Support
import TensorCore

/// Images from every `.png` file directly inside a folder, in file-name order, yielded as
/// [C, H, W] Float32 examples of integer levels `0 ..< bins`, like `NpyImageSource`.
///
/// All files must have one size and one color type, grayscale (C = 1) or RGB (C = 3; palette
/// images decode to RGB); the first file sets both and an odd file is named in the error. The
/// folder is decoded once at `init` and held in memory as bytes (N·H·W·C).
public struct PNGFolderSource: ExampleSource {
  public let directory: String
  /// The file names, in example order.
  public let names: [String]
  /// Number of levels of an example: its values lie in `0 ..< bins`.
  public let bins: Int
  /// Stored levels per output level (1 unless reducing, e.g. 8 for 256 → 32).
  public let levelsPerBin: Int
  public let height: Int, width: Int, channels: Int
  /// [count, height, width, channels] the decoded 8-bit samples.
  private let pixels: [UInt8]

  /// - Parameters:
  ///   - bins: levels per example; 256 for ordinary 8-bit PNGs.
  ///   - sourceBins: the levels the files were stored with, when merging them into fewer `bins`.
  public init(directory: String, bins: Int = 256, reducingFrom sourceBins: Int? = nil) throws {
    let files: [(name: String, image: Image)]
    do {
      files = try PNG.readFolder(URL(fileURLWithPath: directory))
    } catch {
      throw DataFileError(path: directory, "cannot read the PNG folder: \(error)")
    }
    guard let first = files.first else {
      throw DataFileError(path: directory, "holds no .png files; point the data at a folder of PNG images "
        + "(or at an (N, H, W, C) uint8 .npy file)")
    }
    try Self.requireGrayOrRGB(first.name, first.image, directory: directory)
    var pixels = [UInt8]()
    pixels.reserveCapacity(files.count * first.image.pixels.count)
    for (name, image) in files {
      try Self.requireMatch(name, image, first: first, directory: directory)
      pixels += image.pixels
    }
    let stored = sourceBins ?? bins
    self.directory = directory
    names = files.map(\.name)
    self.bins = bins
    levelsPerBin = try ImageLevels.levelsPerBin(bins: bins, stored: stored, source: directory)
    (height, width, channels) = (first.image.height, first.image.width, first.image.channels)
    self.pixels = pixels
    try requireLevels(below: stored)
  }

  public var count: Int { names.count }
  /// [channels, height, width]
  public var exampleShape: Shape { [channels, height, width] }
  /// Values per example, the D of bits/dim.
  public var dimensions: Int { channels * height * width }

  /// out: [indices.count, channels, height, width]
  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    let d = dimensions
    precondition(out.count == indices.count * d, "buffer holds \(out.count) floats, \(indices.count) images need \(indices.count * d)")
    guard let base = out.baseAddress else { return }
    try pixels.withUnsafeBufferPointer { stored in
      for (k, index) in indices.enumerated() {
        guard index >= 0 && index < count else {
          throw DataFileError(path: directory, "image \(index) is out of range 0..<\(count)")
        }
        ImageLevels.copyChannelsFirst(stored.baseAddress! + index * d, plane: height * width, channels: channels,
                                      levelsPerBin: levelsPerBin, into: base + k * d)
      }
    }
  }

  private func requireLevels(below stored: Int) throws {
    let bad = pixels.withUnsafeBytes {
      ImageLevels.firstImage(in: $0, dimensions: dimensions, withLevelAtLeast: stored)
    }
    guard let (image, largest) = bad else { return }
    throw DataFileError(path: directory, "'\(names[image])' holds level \(largest) but only 0..<\(stored) "
      + "are allowed; \(ImageLevels.fix(bins: bins, stored: stored))")
  }

  private static func requireGrayOrRGB(_ name: String, _ image: Image, directory: String) throws {
    guard image.channels == 1 || image.channels == 3 else {
      throw DataFileError(path: directory, "'\(name)' has an alpha channel (\(image.channels) channels); "
        + "image flows take grayscale or RGB, so save the files without alpha")
    }
  }

  private static func requireMatch(_ name: String, _ image: Image, first: (name: String, image: Image),
                                   directory: String) throws {
    let (a, b) = (image, first.image)
    guard a.width == b.width && a.height == b.height else {
      throw DataFileError(path: directory, "'\(name)' is \(a.width)×\(a.height) but '\(first.name)' (the first file) "
        + "is \(b.width)×\(b.height); every image must have the same size, so resize or remove '\(name)'")
    }
    guard a.channels == b.channels else {
      throw DataFileError(path: directory, "'\(name)' has \(colorName(a.channels)) pixels but '\(first.name)' "
        + "(the first file) has \(colorName(b.channels)); convert every file to one color type")
    }
  }

  private static func colorName(_ channels: Int) -> String {
    switch channels {
    case 1: "grayscale"
    case 2: "grayscale + alpha"
    case 3: "RGB"
    default: "RGBA"
    }
  }
}
