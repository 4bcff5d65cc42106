import TensorCore

extension Tape {
  /// `dense(_:weight:bias:mask:activation:parameter:)` for a mask whose ones in every column are a
  /// prefix of the rows: one GEMM per run of columns skips the masked-out blocks, in the forward
  /// product and in both gradients (masked entries of W get zero gradient).
  ///
  /// x: [rows, inputs], W: [inputs, outputs] with mask [inputs, outputs], b: [outputs]
  /// → [rows, outputs]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func dense(_ x: Variable<S>, weight w: Variable<S>, bias b: Variable<S>, mask: PrefixMask,
                    activation f: UnaryFunction? = nil, parameter: S = 0) -> Variable<S> {
    precondition(x.tape === self && w.tape === self && b.tape === self, "operands recorded on another tape")
    precondition(x.shape.rank == 2 && w.shape == [mask.rows, mask.columns] && x.shape[1] == mask.rows
                   && b.shape == [mask.columns],
                 "dense takes x [rows, inputs], W [inputs, outputs] shaped like the mask "
                   + "\(mask.rows)×\(mask.columns) and b [outputs], got \(x.shape), \(w.shape), \(b.shape)")
    let m = x.shape[0], k = mask.rows, n = mask.columns
    var attributes = DenseRule.attributes(activation: f, parameter: parameter)
    attributes[1] = mask.runs.count
    let saved = storeRuns(mask)
    let (y, out) = record(PrefixMaskedDenseRule.self, shape: [m, n], inputs: x, w, b,
                          attributes: attributes, saved: saved)
    Elementwise.broadcastRows(value(of: b.id), into: out, rows: m, columns: n)
    saved.withMemoryRebound(to: Int.self, capacity: 2 * mask.runs.count) { runs in
      PrefixMaskedMatmul.accumulateProduct(m: m, k: k, n: n, x: value(of: x.id), weight: value(of: w.id),
                                           runs: runs, runCount: mask.runs.count, into: out)
    }
    if let f { Elementwise.applyInPlace(f, parameter: parameter, out, count: m * n) }
    countForwardFLOPs(2 * Double(m) * Double(n) * Double(k))
    return y
  }

  /// The runs as (end, prefix) `Int` pairs in arena memory that stays bound to S (viewed as `Int`
  /// only inside `withMemoryRebound`).
  private func storeRuns(_ mask: PrefixMask) -> UnsafeMutablePointer<S> {
    let count = 2 * mask.runs.count
    let memory = arena.allocate(max(1, (count * MemoryLayout<Int>.stride + MemoryLayout<S>.stride - 1)
                                          / MemoryLayout<S>.stride))
    memory.withMemoryRebound(to: Int.self, capacity: count) { p in
      for (i, run) in mask.runs.enumerated() {
        p[2 * i] = run.end
        p[2 * i + 1] = run.prefix
      }
    }
    return memory
  }
}

enum PrefixMaskedDenseRule: BackwardRule {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0), w = node.input(1), b = node.input(2)
    let m = node.shape[0], n = node.shape[1], k = tape.shape(of: w)[0], runCount = node.attributes[1]
    let dZ = DenseRule.preActivationGradient(node, biasGradient: tape.gradient(of: b), on: tape)
    node.saved!.withMemoryRebound(to: Int.self, capacity: 2 * runCount) { runs in
      if let dW = tape.gradient(of: w) {
        PrefixMaskedMatmul.accumulateWeightGradient(m: m, k: k, n: n, x: tape.value(of: x), upstream: dZ,
                                                    runs: runs, runCount: runCount, into: dW)
      }
      if let dX = tape.gradient(of: x) {
        PrefixMaskedMatmul.accumulateInputGradient(m: m, k: k, n: n, upstream: dZ, weight: tape.value(of: w),
                                                   runs: runs, runCount: runCount, into: dX)
      }
    }
  }
}
