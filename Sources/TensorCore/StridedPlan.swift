/// How to walk a contiguous output while reading two operands at arbitrary strides.
///
/// The output is visited in row-major order as rows of `innerCount` scalars; for each row the
/// plan yields the row's output offset and the two operands' offsets, and the operands advance by
/// `aInnerStride` / `bInnerStride` within the row. A stride of 0 means the operand is broadcast
/// along that axis. Size-1 axes are dropped and adjacent axes that are contiguous in all three
/// are merged, so the common cases (equal shapes, a bias over rows) become one or two loops.
struct StridedPlan {
  /// Merged output dimensions, outermost first; rank ≥ 1, the last is the inner loop.
  private var dims = Shape(rank: 0, repeating: 0)
  private var aStrides = Shape(rank: 0, repeating: 0)
  private var bStrides = Shape(rank: 0, repeating: 0)

  /// `dimensions[i]` output axes with operand strides `aStrides[i]`, `bStrides[i]` (same rank).
  init(dimensions: Shape, aStrides a: Shape, bStrides b: Shape) {
    precondition(dimensions.rank == a.rank && dimensions.rank == b.rank, "plan ranks differ")
    for i in 0..<dimensions.rank where dimensions[i] != 1 {
      let r = dims.rank
      if r > 0, a[i] * dimensions[i] == aStrides[r - 1], b[i] * dimensions[i] == bStrides[r - 1] {
        // Axis i continues axis r-1 in memory for both operands (and the output): merge.
        dims[r - 1] *= dimensions[i]
        aStrides[r - 1] = a[i]
        bStrides[r - 1] = b[i]
      } else {
        dims = Shape(appending: dimensions[i], to: dims)
        aStrides = Shape(appending: a[i], to: aStrides)
        bStrides = Shape(appending: b[i], to: bStrides)
      }
    }
    if dims.rank == 0 {
      dims = Shape(rank: 1, repeating: 1)
      aStrides = Shape(rank: 1, repeating: 0)
      bStrides = Shape(rank: 1, repeating: 0)
    }
  }

  /// Output `shape` reading operands of shapes `a` and `b` that broadcast to it (NumPy rules:
  /// aligned at the last axis; each operand dimension equals the output's or is 1).
  init(broadcasting a: Shape, _ b: Shape, to shape: Shape) {
    self.init(dimensions: shape, aStrides: Self.broadcastStrides(a, to: shape),
              bStrides: Self.broadcastStrides(b, to: shape))
  }

  /// Row-major strides of `operand` expressed on the axes of `shape`, 0 along broadcast axes.
  static func broadcastStrides(_ operand: Shape, to shape: Shape) -> Shape {
    precondition(operand.rank <= shape.rank, "cannot broadcast \(operand) to \(shape)")
    var strides = Shape(rank: shape.rank, repeating: 0)
    let lead = shape.rank - operand.rank
    var step = 1
    for i in stride(from: operand.rank - 1, through: 0, by: -1) {
      let d = operand[i]
      precondition(d == shape[lead + i] || d == 1, "cannot broadcast \(operand) to \(shape)")
      strides[lead + i] = d == 1 ? 0 : step
      step *= d
    }
    return strides
  }

  var innerCount: Int { dims[dims.rank - 1] }
  var aInnerStride: Int { aStrides[dims.rank - 1] }
  var bInnerStride: Int { bStrides[dims.rank - 1] }

  /// Calls `body(outputOffset, aOffset, bOffset)` once per row, in output order.
  @inline(__always)
  func forEachRow(_ body: (_ output: Int, _ a: Int, _ b: Int) -> Void) {
    let last = dims.rank - 1
    let inner = dims[last]
    let rows = inner == 0 ? 0 : dims.count / inner
    var index = Shape(rank: last, repeating: 0)
    var ia = 0, ib = 0
    for row in 0..<rows {
      body(row * inner, ia, ib)
      // Odometer over the outer axes, innermost outer axis first.
      var k = last - 1
      while k >= 0 {
        index[k] += 1
        ia += aStrides[k]
        ib += bStrides[k]
        if index[k] < dims[k] { break }
        ia -= aStrides[k] * dims[k]
        ib -= bStrides[k] * dims[k]
        index[k] = 0
        k -= 1
      }
    }
  }
}

extension Shape {
  // Built element by element: an array literal would allocate on every call in debug builds.
  init(_ d: (Int, Int, Int, Int)) {
    self = Shape(rank: 4, repeating: d.0)
    self[1] = d.1; self[2] = d.2; self[3] = d.3
  }

  init(_ d: (Int, Int, Int, Int, Int, Int)) {
    self = Shape(rank: 6, repeating: d.0)
    self[1] = d.1; self[2] = d.2; self[3] = d.3; self[4] = d.4; self[5] = d.5
  }

  /// `shape` with one more trailing dimension.
  init(appending value: Int, to shape: Shape) {
    self = Shape(rank: shape.rank + 1, repeating: value)
    for i in 0..<shape.rank { self[i] = shape[i] }
  }

  /// The NumPy broadcast of two shapes, or nil if they are incompatible.
  ///
  /// Shapes are aligned at their last axis; each pair of dimensions must be equal or one of them 1.
  public static func broadcast(_ a: Shape, _ b: Shape) -> Shape? {
    let rank = Swift.max(a.rank, b.rank)
    var result = Shape(rank: rank, repeating: 1)
    for i in 0..<rank {
      let da = i < rank - a.rank ? 1 : a[i - (rank - a.rank)]
      let db = i < rank - b.rank ? 1 : b[i - (rank - b.rank)]
      guard da == db || da == 1 || db == 1 else { return nil }
      result[i] = da == 1 ? db : da
    }
    return result
  }
}
