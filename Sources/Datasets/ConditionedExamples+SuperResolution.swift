import Support
import TensorCore

extension ConditionedExamples {
  /// High-resolution images paired row by row with their low-resolution images, the LR image
  /// as each example's condition: p(HR | LR) for super-resolution. Both are image sources
  /// ([C, H, W] levels, e.g. two `.npy` files of (N, H, W, C) uint8, such as
  /// `sr_rgb_train_hr32.npy` with `sr_rgb_train_lr8_bicubic.npy`), so the conditions are LR
  /// levels in the HR images' units.
  ///
  /// Throws unless both hold the same number of images with the same channels and the HR sides
  /// are one integer factor ≥ 2 of the LR sides.
  public static func superResolution(highResolution: any ExampleSource, lowResolution: any ExampleSource,
                                     names: (String, String)) throws -> ConditionedExamples {
    let (hr, lr) = (highResolution.exampleShape, lowResolution.exampleShape)
    guard hr.rank == 3 && lr.rank == 3 else {
      throw DataFileError(path: names.1, "super-resolution pairs need images on both sides, but \(names.0) holds "
        + "\(hr) examples and \(names.1) \(lr); give (N, H, W, C) images for both")
    }
    guard hr[0] == lr[0] else {
      throw DataFileError(path: names.1, "has \(lr[0])-channel LR images but \(names.0) has \(hr[0])-channel HR "
        + "images; degrade the HR images themselves to make the LR ones")
    }
    let scale = hr[1] / lr[1]
    guard scale >= 2, hr[1] == scale * lr[1], hr[2] == scale * lr[2] else {
      throw DataFileError(path: names.1, "holds \(lr[2])×\(lr[1]) LR images for \(hr[2])×\(hr[1]) HR images in "
        + "\(names.0); the HR sides must be one integer factor ≥ 2 of the LR sides (e.g. 32×32 with 8×8)")
    }
    return try ConditionedExamples(examples: highResolution, conditions: lowResolution, names: names)
  }

}
