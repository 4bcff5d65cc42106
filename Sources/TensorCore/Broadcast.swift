/// An element-wise binary operator.
public enum BinaryOperator: Int, Sendable {
  case add, subtract, multiply, divide
}

/// One side of a binary operator.
public enum Operand: Int, Sendable {
  case left, right
}

/// Binary kernels with NumPy broadcasting, and the reductions their gradients need.
///
/// Shapes broadcast when aligned at the last axis each pair of dimensions is equal or one of them
/// is 1 (`Shape.broadcast`). The gradient of a broadcast operand sums over the axes it was
/// broadcast along; those sums are accumulated in Float64.
public enum Broadcast {
  /// `y = a ∘ b`, where `shape == Shape.broadcast(aShape, bShape)`.
  ///
  /// a: [aShape.count], b: [bShape.count], y: [shape.count]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func apply<S: TensorScalar>(
    _ op: BinaryOperator, _ a: UnsafePointer<S>, _ aShape: Shape, _ b: UnsafePointer<S>,
    _ bShape: Shape, into y: UnsafeMutablePointer<S>, shape: Shape
  ) {
    if aShape == shape && bShape == shape {
      // Contiguous loops the compiler vectorizes; the strided ones below it does not.
      ParallelLoop.forEachChunk(shape.count) { range in
        switch op {
        case .add: for i in range { y[i] = a[i] + b[i] }
        case .subtract: for i in range { y[i] = a[i] - b[i] }
        case .multiply: for i in range { y[i] = a[i] * b[i] }
        case .divide: for i in range { y[i] = a[i] / b[i] }
        }
      }
      return
    }
    let plan = StridedPlan(broadcasting: aShape, bShape, to: shape)
    let n = plan.innerCount, sa = plan.aInnerStride, sb = plan.bInnerStride
    switch op {
    case .add: plan.forEachRow { o, ia, ib in for j in 0..<n { y[o + j] = a[ia + j * sa] + b[ib + j * sb] } }
    case .subtract: plan.forEachRow { o, ia, ib in for j in 0..<n { y[o + j] = a[ia + j * sa] - b[ib + j * sb] } }
    case .multiply: plan.forEachRow { o, ia, ib in for j in 0..<n { y[o + j] = a[ia + j * sa] * b[ib + j * sb] } }
    case .divide: plan.forEachRow { o, ia, ib in for j in 0..<n { y[o + j] = a[ia + j * sa] / b[ib + j * sb] } }
    }
  }

  /// Accumulates the gradient of `y = a ∘ b` with respect to one operand, summed over the axes
  /// along which that operand was broadcast:
  /// ```
  /// add: d += dy    subtract: d += ±dy    multiply: d += dy · other
  /// divide: dA += dy / b,  dB += −dy · y / b
  /// ```
  /// dy, y: [shape.count]; a: [aShape.count]; b: [bShape.count]; d: the chosen operand's count.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateGradient<S: TensorScalar>(
    _ op: BinaryOperator, withRespectTo side: Operand, upstream dy: UnsafePointer<S>,
    output y: UnsafePointer<S>, _ a: UnsafePointer<S>, _ aShape: Shape, _ b: UnsafePointer<S>,
    _ bShape: Shape, shape: Shape, into d: UnsafeMutablePointer<S>
  ) {
    let left = side == .left
    // The plan's first operand is the one receiving the gradient, the second the other one.
    let plan = left ? StridedPlan(broadcasting: aShape, bShape, to: shape)
                    : StridedPlan(broadcasting: bShape, aShape, to: shape)
    let other = left ? b : a
    switch (op, side) {
    case (.add, _), (.subtract, .left): accumulate(plan, into: d) { i, _, _ in dy[i] }
    case (.subtract, .right): accumulate(plan, into: d) { i, _, _ in -dy[i] }
    case (.multiply, _): accumulate(plan, into: d) { i, _, io in dy[i] * other[io] }
    case (.divide, .left): accumulate(plan, into: d) { i, _, io in dy[i] / other[io] }
    case (.divide, .right): accumulate(plan, into: d) { i, it, _ in -dy[i] * y[i] / b[it] }
    }
  }

  /// `accumulateGradient` when a, b and y all have one shape of `count` scalars: no reduction, so
  /// the gradient can be stored (`overwrite`, d uninitialized) instead of added to a zeroed buffer.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func gradientOfEqualShapes<S: TensorScalar>(
    _ op: BinaryOperator, withRespectTo side: Operand, upstream dy: UnsafePointer<S>,
    output y: UnsafePointer<S>, _ a: UnsafePointer<S>, _ b: UnsafePointer<S>, count: Int,
    into d: UnsafeMutablePointer<S>, overwrite: Bool
  ) {
    let other = side == .left ? b : a
    // One plain loop per case and mode: through a term closure inside the chunk closure the
    // compiler no longer inlined the term.
    ParallelLoop.forEachChunk(count) { range in
      switch (op, side, overwrite) {
      case (.add, _, true), (.subtract, .left, true): for i in range { d[i] = dy[i] }
      case (.add, _, false), (.subtract, .left, false): for i in range { d[i] += dy[i] }
      case (.subtract, .right, true): for i in range { d[i] = -dy[i] }
      case (.subtract, .right, false): for i in range { d[i] -= dy[i] }
      case (.multiply, _, true): for i in range { d[i] = dy[i] * other[i] }
      case (.multiply, _, false): for i in range { d[i] += dy[i] * other[i] }
      case (.divide, .left, true): for i in range { d[i] = dy[i] / b[i] }
      case (.divide, .left, false): for i in range { d[i] += dy[i] / b[i] }
      case (.divide, .right, true): for i in range { d[i] = -dy[i] * y[i] / b[i] }
      case (.divide, .right, false): for i in range { d[i] += -dy[i] * y[i] / b[i] }
      }
    }
  }

  /// `y += Σ x` over the axes along which `yShape` broadcasts to `xShape` (a sum over axes
  /// when `yShape` is `xShape` with 1 at the summed axes).
  ///
  /// x: [xShape.count], y: [yShape.count]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateSum<S: TensorScalar>(
    _ x: UnsafePointer<S>, shape xShape: Shape, into y: UnsafeMutablePointer<S>, shape yShape: Shape
  ) {
    let plan = StridedPlan(broadcasting: yShape, Shape(rank: 0, repeating: 0), to: xShape)
    accumulate(plan, into: y) { i, _, _ in x[i] }
  }

  /// `y += x` with `x` broadcast to `yShape`.
  ///
  /// x: [xShape.count], y: [yShape.count]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func accumulateBroadcast<S: TensorScalar>(
    _ x: UnsafePointer<S>, shape xShape: Shape, into y: UnsafeMutablePointer<S>, shape yShape: Shape
  ) {
    let plan = StridedPlan(broadcasting: xShape, Shape(rank: 0, repeating: 0), to: yShape)
    let n = plan.innerCount, sx = plan.aInnerStride
    plan.forEachRow { o, ix, _ in for j in 0..<n { y[o + j] += x[ix + j * sx] } }
  }

  /// `d[target] += term(outputIndex, targetOffset, otherOffset)` over every output entry, where
  /// the plan's first operand is the target. A row along which the target is broadcast reduces
  /// into one entry; that sum runs in Float64 before it touches memory.
  @inline(__always)
  private static func accumulate<S: TensorScalar>(
    _ plan: StridedPlan, into d: UnsafeMutablePointer<S>,
    _ term: (_ output: Int, _ target: Int, _ other: Int) -> S
  ) {
    let n = plan.innerCount, st = plan.aInnerStride, so = plan.bInnerStride
    plan.forEachRow { o, it, io in
      if st == 0 {
        var acc: Double = 0
        for j in 0..<n { acc += Double(term(o + j, it, io + j * so)) }
        d[it] += S(acc)
      } else {
        for j in 0..<n { d[it + j * st] += term(o + j, it + j * st, io + j * so) }
      }
    }
  }
}
