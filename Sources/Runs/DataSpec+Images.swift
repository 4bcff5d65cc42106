import Configuration
import Datasets
import Flows
import Foundation
import Training

/// The image keys of the `data` section.
///
/// ```yaml
/// data:
///   source: images           # images | digits (the embedded 8×8, 17-level digits; no other keys)
///   train: x.npy             # images: an (N, H, W, C) uint8 .npy file or a folder of PNG files
///   validation: held.npy     # images, optional: the same kinds
///   train_condition: lr.npy  # images, optional: an image per training image (row by row) as its
///                            #   condition, e.g. the LR images of super-resolution pairs
///   validation_condition: v.npy  # images: the same for the validation images (needed with train_condition)
///   bins: 256                # images: levels of the data (x ∈ 0 ..< bins); 32 for 5-bit images
///   stored_bins: 256         # images, optional: levels stored in the files, merged into `bins`
///   dequantize:              # both sources, optional
///     shift: -0.5            # y' = (x + u)/bins + shift (Glow: -0.5); default 0
///     logit_alpha: 0.05      # or y' = logit(α + (1 − 2α)(x + u)/bins) (RealNVP); not with shift
///     method: uniform        # uniform: u ~ U[0, 1)^D | variational: u ~ q(u | x), a conditional flow
///                            #   trained with the model by the dequantization ELBO (Flow++; shift only)
///     couplings: 4           # variational: mixture-logistic checkerboard couplings of q
///     width: 32              # variational: hidden channels of q's networks
///     components: 4          # variational: logistic components of q's couplings
///   augment:                 # both sources, optional: training images only, never validation
///     shift: 1               # translate each image by (dy, dx) uniform in {−shift … shift}², level-0 fill
/// ```
/// Super-resolution pairs cut from photos take the keys of `DataSpec+SuperResolution.swift`.
extension DataSpec {
  mutating func readImages(_ section: ConfigSection) throws(ConfigError) {
    if source == .digits {
      bins = EmbeddedDigits.bins
    } else {
      trainPath = try section.string("train")
      validationPath = try section.value("validation", as: String.self)
      trainConditionPath = try section.value("train_condition", as: String.self)
      validationConditionPath = try section.value("validation_condition", as: String.self)
      try section.check(validationConditionPath == nil || trainConditionPath != nil, "validation_condition",
                        "needs train_condition too (conditions for the training images)")
      try section.check(trainConditionPath == nil || (validationPath == nil) == (validationConditionPath == nil),
                        "validation_condition", "must be given with validation when train_condition is")
      let levels = try section.int("bins", default: 256)
      storedBins = try section.value("stored_bins", as: Int.self)
      try section.check(levels >= 2 && levels <= 256, "bins", "must be in 2...256")
      try section.check(storedBins.map { $0 >= levels && $0 <= 256 && $0 % levels == 0 } ?? true, "stored_bins",
                        "must be a multiple of bins and at most 256 (e.g. 256 with bins: 32)")
      bins = levels
      photoCrops = try PhotoCropSpec(config: section)
    }
    let dequantize = try section.section("dequantize")
    dequantization = try Self.readDequantization(dequantize, bins: bins!)
    variationalDequantization = try Self.readVariational(dequantize, transform: dequantization!.transform)
    augmentation = try section.optionalSection("augment").map(Self.readAugmentation)
  }

  private static func readAugmentation(_ section: ConfigSection) throws(ConfigError) -> ShiftAugmentation {
    let shift = try section.int("shift")
    try section.check(shift >= 1, "shift", "must be ≥ 1 pixel (remove data.augment for no shifts)")
    return ShiftAugmentation(maxShift: shift)
  }

  /// The enum of `dequantize.method`.
  enum DequantizationMethod: String, CaseIterable { case uniform, variational }

  private static func readVariational(_ section: ConfigSection, transform: Dequantization.Transform)
    throws(ConfigError) -> VariationalDequantizerOptions?
  {
    let method = try section.choice("method", of: DequantizationMethod.self, default: .uniform)
    guard method == .variational else {
      for key in ["couplings", "width", "components"] {
        try section.check(try section.value(key, as: Int.self) == nil, key,
                          "only applies to method: variational; remove it or set method: variational")
      }
      return nil
    }
    guard case .shift = transform else {
      try section.check(false, "logit_alpha", "cannot be combined with method: variational; use shift (e.g. -0.5)")
      return nil
    }
    let options = VariationalDequantizerOptions(couplings: try section.int("couplings", default: 4),
                                                width: try section.int("width", default: 32),
                                                components: try section.int("components", default: 4))
    try section.check(options.couplings >= 1 && options.couplings <= 32, "couplings", "must be in 1...32")
    try section.check(options.width >= 1 && options.width <= 1024, "width", "must be in 1...1024")
    try section.check(options.components >= 1 && options.components <= 64, "components", "must be in 1...64")
    return options
  }

  private static func readDequantization(_ section: ConfigSection, bins: Int) throws(ConfigError) -> Dequantization {
    let shift = try section.value("shift", as: Double.self)
    let alpha = try section.value("logit_alpha", as: Double.self)
    try section.check(shift == nil || alpha == nil, "logit_alpha",
                      "cannot be combined with shift (the logit maps [0, 1] itself); remove one of them")
    if let alpha {
      try section.check(alpha > 0 && alpha < 0.5, "logit_alpha", "must be in (0, 0.5), e.g. 0.05")
      return Dequantization(bins: bins, transform: .logit(alpha: alpha))
    }
    try section.check(shift.map(\.isFinite) ?? true, "shift", "must be a finite number")
    return Dequantization(bins: bins, transform: .shift(shift ?? 0))
  }

  /// The embedded digits' splits, or the configured files or folders.
  func makeImageSources() throws -> (training: any ExampleSource, validation: (any ExampleSource)?) {
    if let photoCrops { return try makePhotoCropSources(photoCrops) }
    if source == .digits {
      return (try EmbeddedDigits.source(.train), try EmbeddedDigits.source(.validation))
    }
    return (try imageSource(at: trainPath!, conditions: trainConditionPath),
            try validationPath.map { try imageSource(at: $0, conditions: validationConditionPath) })
  }

  /// Images at `path`, paired row by row with the condition images at `conditions` when given.
  public func imageSource(at path: String, conditions: String?) throws -> any ExampleSource {
    let images = try imageSource(at: path)
    guard let conditions else { return images }
    return try ConditionedExamples(examples: images, conditions: imageSource(at: conditions), names: (path, conditions))
  }

  /// Images at `path` read as this spec reads its training images: a folder of PNG files or an
  /// (N, H, W, C) uint8 `.npy` file, with the spec's levels (e.g. for `laminar eval --data`).
  public func imageSource(at path: String) throws -> any ExampleSource {
    precondition(bins != nil, "imageSource(at:) needs an image data spec, not \(source)")
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      return try PNGFolderSource(directory: path, bins: bins!, reducingFrom: storedBins)
    }
    return try NpyImageSource(path: path, bins: bins!, reducingFrom: storedBins)
  }
}
