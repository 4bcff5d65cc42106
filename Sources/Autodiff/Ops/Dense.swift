import TensorCore

extension Tape {
  /// A dense layer as one op: `y = f(x · (W ⊙ M) + b)`, the mask M and the activation f optional.
  ///
  /// x: [rows, inputs], W and M: [inputs, outputs], b: [outputs] → [rows, outputs]. The bias is
  /// written first and the product added onto it by GEMM, f runs in place, and the backward pass
  /// reads f′ from the output, so the layer stores one [rows, outputs] buffer instead of three
  /// (the masked weight too, when there is a mask). f must pass
  /// `Elementwise.derivativeFollowsFromOutput` (relu, tanh, sigmoid, exp, elu with alpha > 0).
  /// Masked entries of W get zero gradient.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func dense(_ x: Variable<S>, weight w: Variable<S>, bias b: Variable<S>,
                    mask: Variable<S>? = nil, activation f: UnaryFunction? = nil,
                    parameter: S = 0) -> Variable<S> {
    precondition(x.tape === self && w.tape === self && b.tape === self && (mask?.tape ?? self) === self,
                 "operands recorded on another tape")
    precondition(x.shape.rank == 2 && w.shape.rank == 2 && x.shape[1] == w.shape[0]
                   && b.shape == [w.shape[1]] && (mask?.shape ?? w.shape) == w.shape,
                 "dense takes x [rows, inputs], W [inputs, outputs], b [outputs] and an optional mask "
                   + "shaped like W, got \(x.shape), \(w.shape), \(b.shape), \(mask?.shape as Any)")
    precondition(mask.map { !needsGradient($0.id) } ?? true, "a dense layer's mask must be a constant")
    let d = MatmulDimensions(m: x.shape[0], n: w.shape[1], k: w.shape[0])
    let attributes = DenseRule.attributes(activation: f, parameter: parameter)
    // The masked weight is kept for dX in the backward pass.
    let masked = mask.map { m in
      let p = arena.allocate(max(w.shape.count, 1))
      Elementwise.multiply(value(of: w.id), value(of: m.id), into: p, count: w.shape.count)
      return p
    }
    let (y, out) = record(DenseRule.self, shape: [d.m, d.n], inputs: x, w, b, mask,
                          attributes: attributes, saved: masked)
    Elementwise.broadcastRows(value(of: b.id), into: out, rows: d.m, columns: d.n)
    MatrixProduct.run(d, a: value(of: x.id), b: masked.map { UnsafePointer($0) } ?? value(of: w.id),
                      beta: 1, into: out)
    countForwardFLOPs(d.flops)
    if let f { Elementwise.applyInPlace(f, parameter: parameter, out, count: d.m * d.n) }
    return y
  }
}

enum DenseRule: BackwardRule {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0), w = node.input(1), b = node.input(2)
    let d = MatmulDimensions(m: node.shape[0], n: node.shape[1], k: tape.shape(of: w)[0])
    let dZ = preActivationGradient(node, biasGradient: tape.gradient(of: b), on: tape)
    if let dW = tape.gradient(of: w) {
      let xTdZ = MatmulDimensions(m: d.k, n: d.n, k: d.m, transposeA: true)
      if node.inputCount == 4 {
        // dW += (xᵀ · dZ) ⊙ M
        let product = tape.arena.allocate(max(d.k * d.n, 1))
        MatrixProduct.run(xTdZ, a: tape.value(of: x), b: dZ, beta: 0, into: product)
        Elementwise.addProduct(product, tape.value(of: node.input(3)), into: dW, count: d.k * d.n)
      } else {
        MatrixProduct.run(xTdZ, a: tape.value(of: x), b: dZ, beta: 1, into: dW)
      }
    }
    if let (dX, overwrite) = tape.gradientForWriting(of: x) {
      // dX (+)= dZ · (W ⊙ M)ᵀ
      let weight = node.saved.map { UnsafePointer($0) } ?? tape.value(of: w)
      MatrixProduct.run(MatmulDimensions(m: d.m, n: d.k, k: d.n, transposeB: true), a: dZ, b: weight,
                        beta: overwrite ? 0 : 1, into: dX)
    }
  }

  /// Attributes [0] = activation code (0 for none) and `constant` = its parameter, after checking
  /// that f′ follows from f's output.
  static func attributes<S: TensorScalar>(activation f: UnaryFunction?, parameter: S) -> OpAttributes {
    if let f {
      precondition(Elementwise.derivativeFollowsFromOutput(f, parameter: Double(parameter)),
                   "dense cannot fuse \(f) (parameter \(parameter)); apply it as a separate op")
    }
    var attributes = OpAttributes()
    attributes[0] = f.map { $0.rawValue + 1 } ?? 0
    attributes.constant = Double(parameter)
    return attributes
  }

  /// dY ⊙ f′ in arena scratch, or the upstream gradient itself without an activation; adds its
  /// column sums into `db` if given.
  static func preActivationGradient<S: TensorScalar>(
    _ node: Node<S>, biasGradient db: UnsafeMutablePointer<S>?, on tape: Tape<S>
  ) -> UnsafePointer<S> {
    let code = node.attributes[0], rows = node.shape[0], columns = node.shape[1]
    guard code != 0 else {
      if let db { Elementwise.addColumnSums(node.upstream, rows: rows, columns: columns, into: db) }
      return node.upstream
    }
    let dZ = tape.arena.allocate(max(rows * columns, 1))
    Elementwise.multiplyByDerivative(
      of: UnaryFunction(rawValue: code - 1)!, parameter: S(node.attributes.constant), output: node.value,
      upstream: node.upstream, into: dZ, rows: rows, columns: columns, addingColumnSumsTo: db)
    return UnsafePointer(dZ)
  }
}
