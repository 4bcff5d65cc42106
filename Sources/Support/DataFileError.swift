/// A problem with a data or checkpoint file that the user can fix: names the file, what is wrong
/// and how to fix it, e.g. `digits.npy: dtype '<f8' but Float32 was requested; convert with
/// x.astype(np.float32)`.
public struct DataFileError: Error, Equatable, CustomStringConvertible {
  /// The path as the caller spelled it.
  public let path: String
  /// What is wrong and the fix, without the path.
  public let reason: String

  public init(path: String, _ reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String { "\(path): \(reason)" }
}
