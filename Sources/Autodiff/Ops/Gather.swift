import TensorCore

extension Tape {
  /// The slices of `x` at `indices` along `axis` (rows of a matrix for axis 0), in the order
  /// given; an index may repeat. The result's `axis` dimension is `indices.count`.
  ///
  /// The indices are copied into the tape's arena (stored as `Int`s in the node's `saved`
  /// memory), so the caller's array need not outlive the step.
  public func gathered(_ x: Variable<S>, indices: [Int], alongAxis axis: Int = 0) -> Variable<S> {
    precondition(x.tape === self, "operand recorded on another tape")
    let ax = x.shape.axis(axis), n = x.shape[ax]
    for i in 0..<indices.count {
      precondition(indices[i] >= 0 && indices[i] < n,
                   "index \(indices[i]) out of range 0..<\(n) on axis \(ax)")
    }
    let saved = GatherRule.store(indices, in: arena)
    var attributes = OpAttributes()
    attributes[0] = ax
    let shape = x.shape.replacing(axis: ax, with: indices.count)
    let (y, out) = record(GatherRule.self, shape: shape, inputs: x, attributes: attributes, saved: saved)
    saved.withMemoryRebound(to: Int.self, capacity: indices.count) {
      Gather.apply(x.value.baseAddress!, outer: shape.outerCount(before: ax), count: n,
                   inner: shape.innerCount(after: ax), indices: $0, indexCount: indices.count,
                   into: out)
    }
    return y
  }
}

extension Variable {
  public func gathered(indices: [Int], alongAxis axis: Int = 0) -> Variable {
    tape.gathered(self, indices: indices, alongAxis: axis)
  }
}

enum GatherRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    let ax = node.attributes[0], k = node.shape[ax]
    node.saved!.withMemoryRebound(to: Int.self, capacity: k) {
      Gather.scatterAdd(node.upstream, outer: node.shape.outerCount(before: ax),
                        count: tape.shape(of: x)[ax], inner: node.shape.innerCount(after: ax),
                        indices: $0, indexCount: k, into: dx)
    }
  }

  /// Copies `indices` into arena memory (sized in scalars, 64-byte aligned) and returns it; the
  /// memory stays bound to S and is viewed as `Int` only inside `withMemoryRebound`.
  static func store<S: TensorScalar>(_ indices: [Int], in arena: Arena<S>) -> UnsafeMutablePointer<S> {
    let scalars = (indices.count * MemoryLayout<Int>.stride + MemoryLayout<S>.stride - 1)
      / MemoryLayout<S>.stride
    let memory = arena.allocate(max(scalars, 1))
    memory.withMemoryRebound(to: Int.self, capacity: indices.count) { p in
      for i in 0..<indices.count { p[i] = indices[i] }
    }
    return memory
  }
}
