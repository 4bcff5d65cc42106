import Foundation
import Support

/// The digits dataset shipped inside the package (`Resources/digits`, see its README for
/// provenance and license): 8×8 grayscale images with 17 levels (0…16), 1258 for training and
/// 270 for validation, so the quickstart needs no download.
///
/// The files are SwiftPM resources of this target, found through `Bundle.module` next to the
/// built binary (or in the build directory), whatever the working directory.
public enum EmbeddedDigits {
  public enum Split: String, Sendable, CaseIterable {
    case train
    case validation = "val"
  }

  /// Levels of the data: values 0…16.
  public static let bins = 17

  /// The split as an image source: [1, 8, 8] examples of levels 0…16.
  public static func source(_ split: Split) throws -> NpyImageSource {
    try NpyImageSource(path: file(split).path, bins: bins)
  }

  /// The split's `.npy` file, (N, 8, 8, 1) uint8.
  public static func file(_ split: Split) throws -> URL {
    let name = "digits_\(split.rawValue)_x"
    // SwiftPM puts the bundle beside the binary; Bundle.module traps when it is missing (a binary
    // copied alone), so look first and fail with a message instead.
    let bundle = Bundle.main.bundleURL.appendingPathComponent("Laminar_Datasets.resources")
    guard FileManager.default.fileExists(atPath: bundle.path),
          let url = Bundle.module.url(forResource: name, withExtension: "npy", subdirectory: "digits") else {
      throw DataFileError(path: "\(name).npy", "the embedded digits were not found in \(bundle.path); "
        + "keep the Laminar_Datasets.resources folder next to the laminar binary (swift build puts it there)")
    }
    return url
  }
}
