import Configuration
import Datasets
import Foundation
import Graphics

/// The keys that cut super-resolution pairs on the fly from a folder of HR photos (PNG, any
/// sizes ≥ the crop), the LR image of each crop being its condition:
///
/// ```yaml
/// data:
///   source: images
///   train: photos/             # a folder of HR photos
///   validation: held-photos/   # optional; fixed crops, no flips
///   crop: 32                   # HR crop side, a multiple of scale
///   scale: 4                   # HR side ÷ LR side
///   degradation: bicubic       # bicubic (Pillow's antialiased BICUBIC) | box (block mean, rounded)
///   crops_per_image: 1         # random crops per photo per epoch
/// ```
/// Crops and flips are keyed by (trainer.seed, step, example), never by rank. (Stored HR/LR
/// pairs are `train_condition` / `validation_condition` instead.)
public struct PhotoCropSpec: Sendable, Equatable {
  public var crop: Int
  public var scale: Int
  public var degradation: Degradation
  public var cropsPerImage: Int

  public init(crop: Int, scale: Int, degradation: Degradation, cropsPerImage: Int) {
    (self.crop, self.scale, self.degradation, self.cropsPerImage) = (crop, scale, degradation, cropsPerImage)
  }

  /// nil when the section has no `crop`.
  init?(config section: ConfigSection) throws(ConfigError) {
    guard let crop = try section.value("crop", as: Int.self) else { return nil }
    try section.check(try section.value("train_condition", as: String.self) == nil, "train_condition",
                      "cannot be combined with crop: the LR images are made from the crops; remove one of them")
    scale = try section.int("scale")
    degradation = try section.choice("degradation", of: Degradation.self, default: .bicubic)
    cropsPerImage = try section.int("crops_per_image", default: 1)
    try section.check(scale >= 2, "scale", "must be ≥ 2 (HR side ÷ LR side)")
    try section.check(crop >= scale && crop % scale == 0, "crop", "must be a multiple of scale (\(scale)), e.g. \(8 * scale)")
    try section.check(cropsPerImage >= 1, "crops_per_image", "must be ≥ 1")
    self.crop = crop
  }
}

extension DataSpec {
  /// The training and validation pairs cut from the photo folders.
  func makePhotoCropSources(_ spec: PhotoCropSpec) throws -> (training: any ExampleSource, validation: (any ExampleSource)?) {
    let photos = { (folder: String) throws -> any ExampleSource in
      try PhotoCropSource(directory: folder, crop: spec.crop, scale: spec.scale, degradation: spec.degradation,
                          cropsPerImage: spec.cropsPerImage, bins: bins!)
    }
    return (try photos(trainPath!), try validationPath.map(photos))
  }
}
