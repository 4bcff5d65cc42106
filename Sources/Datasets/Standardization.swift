import Support
import TensorCore

/// Per-column standardization of tabular data, with its statistics kept in Float64:
/// ```
/// y[j] = (x[j] − mean[j]) / std[j]          log|det ∂y/∂x| = −Σⱼ log std[j]
/// ```
/// Add `logAbsDet` to a model's log-likelihood of y to get the log-likelihood of x in the
/// file's own units (DESIGN §2: reported figures include every preprocessing log-det).
public struct Standardization: Sendable, Equatable {
  /// [D]
  public let mean: [Double]
  /// [D], every entry finite and > 0.
  public let std: [Double]

  public init(mean: [Double], std: [Double]) {
    precondition(mean.count == std.count, "mean has \(mean.count) entries, std has \(std.count)")
    precondition(mean.allSatisfy(\.isFinite), "mean has a non-finite entry")
    precondition(std.allSatisfy { $0.isFinite && $0 > 0 }, "std entries must be finite and positive")
    self.mean = mean
    self.std = std
  }

  /// Number of columns D.
  public var dimensions: Int { mean.count }

  /// `log|det ∂y/∂x| = −Σ log std`, the same for every row.
  public var logAbsDet: Double { -std.reduce(0) { $0 + Double.log($1) } }

  /// `(x − mean) / std` for one row [D], in place; the arithmetic runs in Float64.
  public func apply(toRow row: UnsafeMutablePointer<Float>) {
    for j in 0..<mean.count { row[j] = Float((Double(row[j]) - mean[j]) / std[j]) }
  }

  /// `x · std + mean` for one row [D], in place: maps model samples back to the file's units.
  public func invert(row: UnsafeMutablePointer<Float>) {
    for j in 0..<mean.count { row[j] = Float(Double(row[j]) * std[j] + mean[j]) }
  }
}

extension Standardization {
  /// The population mean and standard deviation (ddof 0, as NumPy's `x.std(0)` and sklearn's
  /// `StandardScaler`) of every column of a 2-D array, in two passes over all rows in Float64.
  ///
  /// Every rank that fits the same file gets bit-identical statistics (fixed summation order).
  /// A constant column keeps std 1, so it is centred rather than divided by zero.
  public init(fittedTo array: NpyArray) throws {
    guard array.shape.count == 2, array.rowCount > 0 else {
      throw DataFileError(path: array.path, "has shape \(array.shape) but standardization needs a 2-D "
        + "array (rows, features) with at least one row")
    }
    let n = array.rowCount, d = array.shape[1]
    var row = [Double](repeating: 0, count: d)
    var sum = [Double](repeating: 0, count: d)
    var low = [Double](repeating: .infinity, count: d), high = [Double](repeating: -.infinity, count: d)
    for i in 0..<n {
      try row.withUnsafeMutableBufferPointer { try array.copyRows(CollectionOfOne(i), into: $0) }
      for j in 0..<d {
        guard row[j].isFinite else {
          throw DataFileError(path: array.path, "row \(i), column \(j) is \(row[j]); standardization needs "
            + "finite values: drop or impute the row first")
        }
        sum[j] += row[j]
        low[j] = min(low[j], row[j])
        high[j] = max(high[j], row[j])
      }
    }
    let mean = sum.map { $0 / Double(n) }
    var squares = [Double](repeating: 0, count: d)
    for i in 0..<n {
      try row.withUnsafeMutableBufferPointer { try array.copyRows(CollectionOfOne(i), into: $0) }
      for j in 0..<d { squares[j] += (row[j] - mean[j]) * (row[j] - mean[j]) }
    }
    let std = (0..<d).map { j in low[j] == high[j] ? 1 : (squares[j] / Double(n)).squareRoot() }
    self.init(mean: mean, std: std)
  }

  /// Statistics stored as two 1-D `.npy` files of length D, e.g. the training split's
  /// `wine_standardize_mean.npy` and `wine_standardize_std.npy`, so validation data is
  /// standardized with the training statistics.
  public init(meanFile: String, stdFile: String) throws {
    let mean = try Standardization.vector(meanFile)
    let std = try Standardization.vector(stdFile)
    guard mean.count == std.count else {
      throw DataFileError(path: stdFile, "has \(std.count) entries but \(meanFile) has \(mean.count); "
        + "use the mean and std files of the same dataset")
    }
    if let j = mean.firstIndex(where: { !$0.isFinite }) {
      throw DataFileError(path: meanFile, "entry \(j) is \(mean[j]); the mean must be finite")
    }
    if let j = std.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
      throw DataFileError(path: stdFile, "entry \(j) is \(std[j]); every std must be finite and positive")
    }
    self.init(mean: mean, std: std)
  }

  private static func vector(_ path: String) throws -> [Double] {
    let array = try NpyArray(contentsOf: path)
    guard array.shape.count == 1 || (array.shape.count == 2 && array.shape[0] == 1) else {
      throw DataFileError(path: path, "has shape \(array.shape) but a mean/std file must be 1-D (features,); "
        + "save it with np.save(path, x.reshape(-1))")
    }
    return try array.tensor(as: Double.self).scalars
  }
}
