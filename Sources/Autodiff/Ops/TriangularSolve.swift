import TensorCore

extension Tape {
  /// The solution X of `X · Aᵀ = B`, i.e. `A · x = b` for every row b of B: [rows, n].
  ///
  /// `a` is [n, n] and only its `triangle` is read (entries outside it get a zero gradient), so a
  /// masked parameter can be passed without masking it first; `b` is [rows, n].
  public func triangularSolve(_ a: Variable<S>, _ b: Variable<S>, triangle: Triangle) -> Variable<S> {
    precondition(a.tape === self && b.tape === self, "operands recorded on another tape")
    precondition(a.shape.rank == 2 && a.shape[0] == a.shape[1],
                 "triangularSolve needs a square matrix [n, n], got \(a.shape)")
    precondition(b.shape.rank == 2 && b.shape[1] == a.shape[0],
                 "triangularSolve needs right-hand sides [rows, \(a.shape[0])], got \(b.shape)")
    var attributes = OpAttributes()
    attributes[0] = triangle.lower ? 1 : 0
    attributes[1] = triangle.unitDiagonal ? 1 : 0
    let (x, out) = record(TriangularSolveRule.self, shape: b.shape, inputs: a, b, attributes: attributes)
    out.update(from: b.value.baseAddress!, count: b.shape.count)
    TriangularSolve.solveInPlace(a.value.baseAddress!, n: a.shape[0], triangle: triangle, out,
                                 rows: b.shape[0])
    return x
  }
}

extension Variable {
  /// The rows x with `self · x = b` for each row b of `b`; `self` is the triangular matrix.
  /// See `Tape.triangularSolve`.
  public func triangularSolve(_ b: Variable, triangle: Triangle) -> Variable {
    tape.triangularSolve(self, b, triangle: triangle)
  }
}

/// With λ = A⁻ᵀ g for the upstream g of each row: dB += λ, dA −= λᵀ X inside the triangle.
enum TriangularSolveRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let a = node.input(0), b = node.input(1)
    let dA = tape.gradient(of: a), dB = tape.gradient(of: b)
    guard dA != nil || dB != nil else { return }
    let triangle = Triangle(lower: node.attributes[0] != 0, unitDiagonal: node.attributes[1] != 0)
    let n = node.shape[1], rows = node.shape[0]
    let lambda = tape.arena.allocate(node.shape.count)
    lambda.update(from: node.upstream, count: node.shape.count)
    TriangularSolve.solveTransposedInPlace(tape.value(of: a), n: n, triangle: triangle, lambda, rows: rows)
    if let dB { Elementwise.add(lambda, into: dB, count: node.shape.count) }
    if let dA {
      TriangularSolve.accumulateMatrixGradient(lambda: lambda, solution: node.value, n: n, rows: rows,
                                               triangle: triangle, into: dA)
    }
  }
}
