/// Axis permutation (general transpose) of a row-major tensor of rank ≤ 6.
///
/// A permutation is written as a `Shape` of axis indices: output axis i is input axis
/// `permutation[i]`, as in NumPy's `transpose(axes)`.
public enum Permute {
  /// The shape after permuting: `result[i] = shape[permutation[i]]`.
  public static func permuted(_ shape: Shape, by permutation: Shape) -> Shape {
    precondition(isPermutation(permutation, rank: shape.rank),
                 "\(permutation) is not a permutation of the \(shape.rank) axes of \(shape)")
    var result = shape
    for i in 0..<shape.rank { result[i] = shape[permutation[i]] }
    return result
  }

  /// True when `permutation` holds each of 0..<rank exactly once.
  public static func isPermutation(_ permutation: Shape, rank: Int) -> Bool {
    guard permutation.rank == rank else { return false }
    var seen = 0
    for i in 0..<rank {
      let a = permutation[i]
      guard a >= 0, a < rank, seen & (1 << a) == 0 else { return false }
      seen |= 1 << a
    }
    return true
  }

  /// The permutation that undoes `permutation`.
  public static func inverse(of permutation: Shape) -> Shape {
    var result = permutation
    for i in 0..<permutation.rank { result[permutation[i]] = i }
    return result
  }

  /// `y = x` with its axes reordered. x: [shape.count], y: [shape.count] laid out as
  /// `permuted(shape, by: permutation)`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func apply<S: TensorScalar>(
    _ x: UnsafePointer<S>, shape: Shape, permutation: Shape, into y: UnsafeMutablePointer<S>
  ) {
    let plan = self.plan(shape, permutation)
    let n = plan.innerCount, sx = plan.aInnerStride
    plan.forEachRow { o, ix, _ in for j in 0..<n { y[o + j] = x[ix + j * sx] } }
  }

  /// `dx += ` the inverse reordering of `dy`, the gradient of `apply`.
  /// dy: laid out as `permuted(shape, by: permutation)`; dx: [shape.count]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateInverse<S: TensorScalar>(
    _ dy: UnsafePointer<S>, shape: Shape, permutation: Shape, into dx: UnsafeMutablePointer<S>
  ) {
    let plan = self.plan(shape, permutation)
    let n = plan.innerCount, sx = plan.aInnerStride
    plan.forEachRow { o, ix, _ in for j in 0..<n { dx[ix + j * sx] += dy[o + j] } }
  }

  /// Walks the permuted (output) order, reading the input at its permuted strides.
  private static func plan(_ shape: Shape, _ permutation: Shape) -> StridedPlan {
    let strides = shape.strides
    let dims = permuted(shape, by: permutation)
    var inputStrides = strides
    for i in 0..<shape.rank { inputStrides[i] = strides[permutation[i]] }
    return StridedPlan(dimensions: dims, aStrides: inputStrides,
                       bStrides: Shape(rank: shape.rank, repeating: 0))
  }
}
