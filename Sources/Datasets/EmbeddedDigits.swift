import CEmbeddedDigits
import Support

/// The digits dataset compiled into Laminar (`Sources/CEmbeddedDigits/digits`, see its README for
/// provenance and license): 8×8 grayscale images with 17 levels (0…16), 1258 for training and
/// 270 for validation, so the quickstart needs no download.
///
/// The `.npy` bytes are part of the binary (a generated C array), so a `laminar` copied alone to a
/// node still has them, whatever the working directory.
public enum EmbeddedDigits {
  public enum Split: String, Sendable, CaseIterable {
    case train
    case validation = "val"
  }

  /// Levels of the data: values 0…16.
  public static let bins = 17

  /// The split as an image source: [1, 8, 8] examples of levels 0…16.
  public static func source(_ split: Split) throws -> NpyImageSource {
    try NpyImageSource(array: NpyArray(staticBytes: npyBytes(split), name: "embedded \(fileName(split))"),
                       bins: bins)
  }

  /// The split's `.npy` file as compiled in, (N, 8, 8, 1) uint8; valid for the life of the process.
  public static func npyBytes(_ split: Split) -> UnsafeRawBufferPointer {
    let file = switch split {
    case .train: laminar_digits_train_x()
    case .validation: laminar_digits_val_x()
    }
    return UnsafeRawBufferPointer(start: file.bytes, count: file.count)
  }

  /// The name of the split's source file in `Sources/CEmbeddedDigits/digits`.
  public static func fileName(_ split: Split) -> String { "digits_\(split.rawValue)_x.npy" }
}
