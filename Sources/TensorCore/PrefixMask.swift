/// A 0/1 mask of shape [rows, columns] whose ones in every column are a prefix of the rows,
/// stored as runs of adjacent columns with the same prefix length.
///
/// MADE's masks have this shape when the units of both layers are sorted by degree: unit k sees
/// exactly the units of degree ≤ (or <) its own, which come first. A product with such a masked
/// weight skips the zero blocks instead of multiplying by them (`PrefixMaskedMatmul`).
public struct PrefixMask: Sendable, Equatable {
  /// Columns [previous run's end, end) are 1 in rows 0..<prefix and 0 below.
  public struct Run: Sendable, Equatable {
    public var end: Int
    public var prefix: Int

    public init(end: Int, prefix: Int) {
      self.end = end
      self.prefix = prefix
    }
  }

  public let rows: Int
  public let columns: Int
  /// In column order; the last ends at `columns`.
  public let runs: [Run]

  /// nil when the ones of some column of `mask` ([rows, columns] row-major) are not a prefix.
  public init?(_ mask: [Double], rows: Int, columns: Int) {
    precondition(mask.count == rows * columns, "\(mask.count) mask entries for \(rows)×\(columns)")
    var runs: [Run] = []
    for c in 0..<columns {
      var prefix = 0
      while prefix < rows && mask[prefix * columns + c] != 0 { prefix += 1 }
      for r in prefix..<rows where mask[r * columns + c] != 0 { return nil }
      if let last = runs.last, last.prefix == prefix {
        runs[runs.count - 1].end = c + 1
      } else {
        runs.append(Run(end: c + 1, prefix: prefix))
      }
    }
    self.rows = rows
    self.columns = columns
    self.runs = runs
  }

  /// The share of the mask's entries that are 1.
  public var density: Double {
    var ones = 0, start = 0
    for run in runs {
      ones += (run.end - start) * run.prefix
      start = run.end
    }
    return rows * columns == 0 ? 1 : Double(ones) / Double(rows * columns)
  }
}

/// Products with a weight W [k, n] masked by a `PrefixMask`, one GEMM per run of columns, so the
/// masked-out blocks are neither read nor multiplied and their gradient is never written.
///
/// Runs are passed flattened as (end, prefix) pairs: `runs[2i]`, `runs[2i + 1]`.
public enum PrefixMaskedMatmul {
  /// `y += x · (W ⊙ M)`; x: [m, k], W: [k, n], y: [m, n]
  ///
  /// When the prefixes never shrink from run to run (MADE's hidden layers), the rows
  /// [previous prefix, prefix) of W are used by every column from the run's start on: one GEMM per
  /// such band of rows (short inner dimension, wide output) packs x once instead of once per run,
  /// and ran MADE's 512 × 128 × 128 layer over 8 dimensions in 89 instead of 108 µs.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateProduct<S: TensorScalar>(
    m: Int, k: Int, n: Int, x: UnsafePointer<S>, weight w: UnsafePointer<S>,
    runs: UnsafePointer<Int>, runCount: Int, into y: UnsafeMutablePointer<S>
  ) {
    guard m > 0 else { return }
    var monotone = true
    for i in 1..<max(runCount, 1) where runs[2 * i + 1] < runs[2 * i - 1] { monotone = false }
    var start = 0, bandStart = 0
    for i in 0..<runCount {
      let end = runs[2 * i], prefix = runs[2 * i + 1]
      if monotone {
        if prefix > bandStart {
          // y[:, start..<n] += x[:, bandStart..<prefix] · W[bandStart..<prefix, start..<n]
          S.gemm(transposeA: false, transposeB: false, m: m, n: n - start, k: prefix - bandStart,
                 alpha: 1, a: x + bandStart, lda: k, b: w + bandStart * n + start, ldb: n, beta: 1,
                 c: y + start, ldc: n)
          bandStart = prefix
        }
      } else if prefix > 0 {
        // y[:, start..<end] += x[:, 0..<prefix] · W[0..<prefix, start..<end]
        S.gemm(transposeA: false, transposeB: false, m: m, n: end - start, k: prefix, alpha: 1,
               a: x, lda: k, b: w + start, ldb: n, beta: 1, c: y + start, ldc: n)
      }
      start = end
    }
  }

  /// `dW += (xᵀ · dY) ⊙ M`, writing only the unmasked blocks; x: [m, k], dY: [m, n], dW: [k, n]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateWeightGradient<S: TensorScalar>(
    m: Int, k: Int, n: Int, x: UnsafePointer<S>, upstream dy: UnsafePointer<S>,
    runs: UnsafePointer<Int>, runCount: Int, into dw: UnsafeMutablePointer<S>
  ) {
    var start = 0
    for i in 0..<runCount {
      let end = runs[2 * i], prefix = runs[2 * i + 1]
      if m > 0 && prefix > 0 {
        // dW[0..<prefix, start..<end] += x[:, 0..<prefix]ᵀ · dY[:, start..<end]
        S.gemm(transposeA: true, transposeB: false, m: prefix, n: end - start, k: m, alpha: 1,
               a: x, lda: k, b: dy + start, ldb: n, beta: 1, c: dw + start, ldc: n)
      }
      start = end
    }
  }

  /// `dX += dY · (W ⊙ M)ᵀ`; dY: [m, n], W: [k, n], dX: [m, k]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateInputGradient<S: TensorScalar>(
    m: Int, k: Int, n: Int, upstream dy: UnsafePointer<S>, weight w: UnsafePointer<S>,
    runs: UnsafePointer<Int>, runCount: Int, into dx: UnsafeMutablePointer<S>
  ) {
    var start = 0
    for i in 0..<runCount {
      let end = runs[2 * i], prefix = runs[2 * i + 1]
      if m > 0 && prefix > 0 {
        // dX[:, 0..<prefix] += dY[:, start..<end] · W[0..<prefix, start..<end]ᵀ
        S.gemm(transposeA: false, transposeB: true, m: m, n: prefix, k: end - start, alpha: 1,
               a: dy + start, lda: n, b: w + start, ldb: n, beta: 1, c: dx, ldc: k)
      }
      start = end
    }
  }
}
