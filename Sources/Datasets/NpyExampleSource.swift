import Support
import TensorCore

/// How a tabular source standardizes its columns.
public enum StandardizationChoice: Sendable, Equatable {
  /// The values as stored.
  case raw
  /// Mean and std of the file itself (`Standardization(fittedTo:)`): for a training split.
  case fitted
  /// Given statistics, e.g. the training split's, for validation and test splits.
  case given(Standardization)
}

/// Examples from the rows of an N×D `.npy` file of any supported numeric dtype; each example
/// is one row [D] as Float32, optionally standardized.
///
/// Only the requested rows are read (the file is memory-mapped), so each rank touches only its
/// shard. Stored `<f8` rows round to the nearest Float32, as `torch.from_numpy(x).float()`;
/// standardization runs in Float64 before that rounding.
public struct NpyExampleSource: ExampleSource {
  public let array: NpyArray
  /// nil when the values are used as stored.
  public let standardization: Standardization?

  public init(path: String, standardize: StandardizationChoice = .raw) throws {
    try self.init(array: NpyArray(contentsOf: path), standardize: standardize)
  }

  public init(array: NpyArray, standardize: StandardizationChoice = .raw) throws {
    try NpyExampleSource.requireTable(array)
    self.array = array
    switch standardize {
    case .raw:
      standardization = nil
    case .fitted:
      standardization = try Standardization(fittedTo: array)
    case .given(let statistics):
      guard statistics.dimensions == array.shape[1] else {
        throw DataFileError(path: array.path, "has \(array.shape[1]) columns but the standardization has "
          + "\(statistics.dimensions) entries; use the mean/std files of this dataset")
      }
      standardization = statistics
    }
  }

  public var count: Int { array.rowCount }
  /// [D]
  public var exampleShape: Shape { [array.shape[1]] }

  /// out: [indices.count, D]
  public func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
    let d = array.shape[1]
    precondition(out.count == indices.count * d, "buffer holds \(out.count) floats, \(indices.count) rows need \(indices.count * d)")
    guard let base = out.baseAddress else { return }
    if array.elementType.conversionProblem(to: Float.self) == nil {
      try array.copyRows(indices, into: out)
      if let standardization {
        for k in 0..<indices.count { standardization.apply(toRow: base + k * d) }
      }
    } else {
      try copyThroughDouble(indices, into: base)
    }
  }

  /// Rows whose dtype Float32 cannot hold exactly (`<f8`, `<i4`): read as Float64, standardize,
  /// then round once.
  private func copyThroughDouble(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Float>) throws {
    let d = array.shape[1]
    var row = [Double](repeating: 0, count: d)
    for (k, index) in indices.enumerated() {
      try row.withUnsafeMutableBufferPointer { try array.copyRows(CollectionOfOne(index), into: $0) }
      for j in 0..<d {
        let value = standardization.map { (row[j] - $0.mean[j]) / $0.std[j] } ?? row[j]
        out[k * d + j] = Float(value)
      }
    }
  }

  private static func requireTable(_ array: NpyArray) throws {
    switch array.shape.count {
    case 2:
      guard array.shape[0] > 0, array.shape[1] > 0 else {
        throw DataFileError(path: array.path, "has shape \(array.shape) but a tabular source needs at least "
          + "one row and one column")
      }
    case 1:
      throw DataFileError(path: array.path, "has shape \(array.shape) but a tabular source needs a 2-D array "
        + "(rows, features); for one feature save x.reshape(-1, 1)")
    default:
      throw DataFileError(path: array.path, "has shape \(array.shape) but a tabular source needs a 2-D array "
        + "(rows, features); flatten with x.reshape(len(x), -1), or read (N, H, W, C) images with NpyImageSource")
    }
  }
}
