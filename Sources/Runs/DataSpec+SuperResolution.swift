import Configuration
import Datasets
import Foundation
import Graphics

/// The super-resolution keys of an image `data` section: HR images paired with LR images, the
/// LR image being each example's condition.
///
/// ```yaml
/// data:
///   source: images
///   train: sr_rgb_train_hr32.npy                  # HR images (.npy or a PNG folder) ...
///   train_condition: sr_rgb_train_lr8_bicubic.npy # ... and their LR images, row by row
///   validation: sr_rgb_val_hr32.npy               # optional
///   validation_condition: sr_rgb_val_lr8_bicubic.npy
/// ```
/// or pairs cut on the fly from a folder of HR photos (PNG, any sizes ≥ the crop):
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
/// Crops and flips are keyed by (trainer.seed, step, example), never by rank.
public struct SuperResolutionData: Sendable, Equatable {
  public enum Pairing: Sendable, Equatable {
    /// LR images stored beside the HR ones.
    case stored(train: String, validation: String?)
    /// LR images made from random crops of HR photos.
    case crops(crop: Int, scale: Int, degradation: Degradation, cropsPerImage: Int)
  }

  public var pairing: Pairing

  /// nil when the section has no super-resolution keys.
  init?(config section: ConfigSection, hasValidation: Bool) throws(ConfigError) {
    let trainCondition = try section.value("train_condition", as: String.self)
    let validationCondition = try section.value("validation_condition", as: String.self)
    let crop = try section.value("crop", as: Int.self)
    if let trainCondition {
      try section.check(crop == nil, "crop", "cannot be combined with train_condition (stored LR images); remove one")
      try section.check(validationCondition != nil || !hasValidation, "validation_condition",
                        "is needed with validation: the LR images of the validation HR images")
      pairing = .stored(train: trainCondition, validation: validationCondition)
      return
    }
    try section.check(validationCondition == nil, "validation_condition", "needs train_condition as well")
    guard let crop else { return nil }
    let scale = try section.int("scale")
    let degradation = try section.choice("degradation", of: Degradation.self, default: .bicubic)
    let cropsPerImage = try section.int("crops_per_image", default: 1)
    try section.check(scale >= 2, "scale", "must be ≥ 2 (HR side ÷ LR side)")
    try section.check(crop >= scale && crop % scale == 0, "crop", "must be a multiple of scale (\(scale)), e.g. \(8 * scale)")
    try section.check(cropsPerImage >= 1, "crops_per_image", "must be ≥ 1")
    pairing = .crops(crop: crop, scale: scale, degradation: degradation, cropsPerImage: cropsPerImage)
  }
}

extension DataSpec {
  /// The training and validation pairs of a super-resolution spec.
  func makeSuperResolutionSources(_ spec: SuperResolutionData) throws
    -> (training: any ExampleSource, validation: (any ExampleSource)?) {
    switch spec.pairing {
    case .stored(let trainCondition, let validationCondition):
      let pair = { (hr: String, lr: String) throws -> any ExampleSource in
        try ConditionedExamples.superResolution(highResolution: try imageSource(at: hr),
                                                lowResolution: try imageSource(at: lr), names: (hr, lr))
      }
      let validation = try validationPath.map { try pair($0, validationCondition!) }
      return (try pair(trainPath!, trainCondition), validation)
    case .crops(let crop, let scale, let degradation, let cropsPerImage):
      let photos = { (folder: String) throws -> any ExampleSource in
        try PhotoCropSource(directory: folder, crop: crop, scale: scale, degradation: degradation,
                            cropsPerImage: cropsPerImage, bins: bins!)
      }
      return (try photos(trainPath!), try validationPath.map(photos))
    }
  }
}
