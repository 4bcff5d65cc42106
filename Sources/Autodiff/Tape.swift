import TensorCore

/// A handle to a value recorded on a tape.
public struct Variable<S: TensorScalar> {
  // A strong reference: Swift may end a local tape's lifetime after its last direct use, while
  // code still reads values through its variables (an unowned reference made that a
  // use-after-free). The retain per handle is noise next to any kernel.
  public let tape: Tape<S>
  public let id: Int32

  public var shape: Shape { tape.nodes[Int(id)].shape }
  /// [shape.count], valid until the tape is reset.
  public var value: UnsafeBufferPointer<S> {
    UnsafeBufferPointer(start: tape.nodes[Int(id)].value, count: shape.count)
  }
  /// The accumulated gradient after `backward`, nil if nothing flowed into this value.
  public var gradient: UnsafeBufferPointer<S>? {
    tape.nodes[Int(id)].gradient.map { UnsafeBufferPointer(start: $0, count: shape.count) }
  }
  public var scalars: [S] { Array(value) }
  public var tensor: Tensor<S> { Tensor(shape: shape, scalars: scalars) }
}

/// A reverse-mode tape over one step.
///
/// Forward ops append nodes whose values live in the tape's arena; `backward` walks the nodes in
/// reverse and calls each node's `BackwardRule`. `reset()` rewinds nodes and arena for the next
/// step without freeing, so a steady-state step does not allocate. Parameter leaves are views into
/// a `ParameterStore`: their values are read in place and their gradients accumulate directly into
/// the store's flat gradient buffer.
public final class Tape<S: TensorScalar> {
  public internal(set) var nodes: [Node<S>] = []
  public let arena: Arena<S>
  public let parameters: ParameterStore<S>?
  /// Every parameter leaf recorded since the last reset, in node order.
  public private(set) var parameterUses: [ParameterUse] = []

  /// The randomness of training-only ops (dropout) for the step being recorded, or nil when the
  /// tape evaluates (validation, sampling, the round-trip check): then those ops are the identity.
  /// The objective sets it explicitly around a training forward pass; it keys every draw by
  /// (seed, step, example), never by rank (DESIGN §5).
  public var stepNoise: StepNoise?
  /// Dropout sites recorded since the last reset: each draws its own stream. Code that records a
  /// part of the step on another tape (reversible backprop) carries the count over, so every site
  /// keeps the number, and the mask, it has when the whole step is recorded on one tape.
  public var dropoutSites = 0
  /// The segments recorded since the last reset (`record(segment:…)`), indexed by their nodes.
  var segments: [any TapeSegment<S>] = []

  public init(parameters: ParameterStore<S>? = nil, initialCapacity: Int = 1 << 16) {
    self.parameters = parameters
    self.arena = Arena(initialCapacity: initialCapacity)
    nodes.reserveCapacity(256)
  }

  /// Forgets every node and rewinds the arena; earlier variables become invalid.
  public func reset() {
    nodes.removeAll(keepingCapacity: true)
    parameterUses.removeAll(keepingCapacity: true)
    segments.removeAll(keepingCapacity: true)
    arena.reset()
    forwardFLOPs = 0
    dropoutSites = 0
  }

  /// The nominal work of the GEMMs and convolutions recorded since the last reset, 2 FLOPs per
  /// multiply-add (masked products counted as dense). A training step costs about three times
  /// this: the backward pass computes two products per forward one.
  public private(set) var forwardFLOPs: Double = 0

  /// Called by the product and convolution ops as they record.
  public func countForwardFLOPs(_ flops: Double) { forwardFLOPs += flops }

  // MARK: Leaves

  /// A value copied into the tape; `requiresGradient` makes `backward` compute its gradient.
  public func input(_ tensor: Tensor<S>, requiresGradient: Bool = false) -> Variable<S> {
    tensor.withUnsafeBufferPointer { input($0, shape: tensor.shape, requiresGradient: requiresGradient) }
  }

  public func input(_ scalars: UnsafeBufferPointer<S>, shape: Shape,
                    requiresGradient: Bool = false) -> Variable<S> {
    precondition(scalars.count == shape.count, "\(scalars.count) scalars for shape \(shape)")
    let (v, out) = leaf(shape: shape, needsGradient: requiresGradient)
    if shape.count > 0 { out.update(from: scalars.baseAddress!, count: shape.count) }
    return v
  }

  /// A constant filled with one value.
  public func constant(_ value: S, shape: Shape) -> Variable<S> {
    let (v, out) = leaf(shape: shape, needsGradient: false)
    Elementwise.fill(out, with: value, count: shape.count)
    return v
  }

  /// A view of a parameter in the store; its gradient accumulates into the store's gradients.
  public func parameter(_ slice: ParameterSlice) -> Variable<S> {
    guard let store = parameters else {
      preconditionFailure("tape has no ParameterStore; create it with Tape(parameters:)")
    }
    let node = Node<S>(rule: nil, inputs: (-1, -1, -1, -1), inputCount: 0, shape: slice.shape,
                       value: store.values.baseAddress! + slice.offset,
                       gradient: store.gradients.baseAddress! + slice.offset,
                       needsGradient: true, attributes: OpAttributes(), saved: nil)
    nodes.append(node)
    parameterUses.append(ParameterUse(offset: slice.offset, count: slice.count, node: nodes.count - 1))
    return Variable(tape: self, id: Int32(nodes.count - 1))
  }

  public func parameter(named name: String) -> Variable<S> {
    guard let slice = parameters?.slice(named: name) else {
      preconditionFailure("no parameter named '\(name)'")
    }
    return parameter(slice)
  }

  private func leaf(shape: Shape, needsGradient: Bool) -> (Variable<S>, UnsafeMutablePointer<S>) {
    let out = arena.allocate(max(shape.count, 1))
    nodes.append(Node(rule: nil, inputs: (-1, -1, -1, -1), inputCount: 0, shape: shape, value: out,
                      gradient: nil, needsGradient: needsGradient, attributes: OpAttributes(),
                      saved: nil))
    return (Variable(tape: self, id: Int32(nodes.count - 1)), out)
  }

  // MARK: Recording ops

  /// Appends an op node with an uninitialized output of `shape`; the caller's forward kernel
  /// fills the returned buffer. The node needs a gradient if any input does.
  public func record(
    _ rule: any BackwardRule.Type, shape: Shape, inputs a: Variable<S>, _ b: Variable<S>? = nil,
    _ c: Variable<S>? = nil, _ d: Variable<S>? = nil, attributes: OpAttributes = OpAttributes(),
    saved: UnsafeMutablePointer<S>? = nil
  ) -> (Variable<S>, UnsafeMutablePointer<S>) {
    record(rule, shape: shape, inputs: a, b, c, d, attributes: attributes, saved: saved, needsGradient: false)
  }

  /// `record` for a node that needs a gradient also when no input does (`needsGradient`).
  func record(
    _ rule: any BackwardRule.Type, shape: Shape, inputs a: Variable<S>, _ b: Variable<S>?, _ c: Variable<S>?,
    _ d: Variable<S>?, attributes: OpAttributes, saved: UnsafeMutablePointer<S>?, needsGradient: Bool
  ) -> (Variable<S>, UnsafeMutablePointer<S>) {
    let ids = (a.id, b?.id ?? -1, c?.id ?? -1, d?.id ?? -1)
    let count = d != nil ? 4 : c != nil ? 3 : b != nil ? 2 : 1
    var needs = needsGradient || nodes[Int(a.id)].needsGradient
    if let b { needs = needs || nodes[Int(b.id)].needsGradient }
    if let c { needs = needs || nodes[Int(c.id)].needsGradient }
    if let d { needs = needs || nodes[Int(d.id)].needsGradient }
    let out = arena.allocate(max(shape.count, 1))
    nodes.append(Node(rule: rule, inputs: ids, inputCount: count, shape: shape, value: out,
                      gradient: nil, needsGradient: needs, attributes: attributes, saved: saved))
    return (Variable(tape: self, id: Int32(nodes.count - 1)), out)
  }

  /// Declares a parameter region written by a node that is not its leaf (a segment's backward).
  func appendParameterUse(_ use: ParameterUse) { parameterUses.append(use) }

  // MARK: Backward

  /// The value buffer of node `id`.
  public func value(of id: Int32) -> UnsafePointer<S> { UnsafePointer(nodes[Int(id)].value) }

  public func shape(of id: Int32) -> Shape { nodes[Int(id)].shape }

  public func needsGradient(_ id: Int32) -> Bool { nodes[Int(id)].needsGradient }

  /// The gradient accumulator of node `id` (zeroed on first use), or nil if it needs none.
  /// Rules add into it.
  public func gradient(of id: Int32) -> UnsafeMutablePointer<S>? {
    let i = Int(id)
    guard nodes[i].needsGradient else { return nil }
    if let g = nodes[i].gradient { return g }
    let g = arena.allocateZeroed(max(nodes[i].shape.count, 1))
    nodes[i].gradient = g
    return g
  }

  /// The gradient of node `id` for a rule that can store instead of add, or nil if the node needs
  /// none. When nothing has flowed into it yet, `overwrite` is true and the memory is
  /// uninitialized: the rule must then store every entry (e.g. GEMM with beta 0), which saves
  /// zeroing it. Otherwise the rule adds as with `gradient(of:)`.
  public func gradientForWriting(of id: Int32) -> (pointer: UnsafeMutablePointer<S>, overwrite: Bool)? {
    let i = Int(id)
    guard nodes[i].needsGradient else { return nil }
    if let g = nodes[i].gradient { return (g, false) }
    let g = arena.allocate(max(nodes[i].shape.count, 1))
    nodes[i].gradient = g
    return (g, true)
  }

  /// Back-propagates from a scalar (count 1) value with seed 1.
  public func backward(from loss: Variable<S>) {
    backward(from: loss, marks: [], reached: { _ in })
  }

  /// Back-propagates the cotangent `[output.shape.count]` from `output`.
  public func backward(from output: Variable<S>, cotangent: UnsafePointer<S>) {
    backward(from: output, cotangent: cotangent, marks: [], reached: { _ in })
  }

  /// Back-propagates several outputs at once, each `(output, cotangent [output.shape.count])`:
  /// the gradient of Σ_k ⟨cotangent_k, output_k⟩. Outputs that need no gradient are skipped.
  public func backward(from outputs: [(Variable<S>, UnsafePointer<S>)]) {
    var top = -1
    for (output, cotangent) in outputs {
      guard let g = gradient(of: output.id) else { continue }
      Elementwise.add(cotangent, into: g, count: output.shape.count)
      top = max(top, Int(output.id))
    }
    runRules(from: top, marks: [], reached: { _ in })
  }

  /// Back-propagates from a scalar like `backward(from:)`, and calls `reached(j)` for each mark in
  /// order as soon as every node above node `marks[j]` has run its rule, so no gradient of a
  /// parameter whose every use is at or below that node changes any more (a parameter leaf's
  /// gradient is written only by the nodes that consume it, which come after it). Marks must not
  /// increase; every mark is reached before this returns.
  public func backward(from loss: Variable<S>, marks: [Int], reached: (Int) throws -> Void) rethrows {
    precondition(loss.shape.count == 1, "backward(from:) needs a scalar, got shape \(loss.shape)")
    try withUnsafePointer(to: S(1)) { try backward(from: loss, cotangent: $0, marks: marks, reached: reached) }
  }

  // Specialized so the loop over nodes does not look up generic metadata for every node.
  @_specialize(where S == Float) @_specialize(where S == Double)
  private func backward(from output: Variable<S>, cotangent: UnsafePointer<S>, marks: [Int],
                        reached: (Int) throws -> Void) rethrows {
    var top = -1
    if let g = gradient(of: output.id) {
      g.update(from: cotangent, count: output.shape.count)
      top = Int(output.id)
    }
    try runRules(from: top, marks: marks, reached: reached)
  }

  /// Runs the rule of every node from `top` down to 0 that received a gradient, reaching the marks
  /// on the way (see `backward(from:marks:reached:)`); `top` −1 runs none.
  @_specialize(where S == Float) @_specialize(where S == Double)
  private func runRules(from top: Int, marks: [Int], reached: (Int) throws -> Void) rethrows {
    var next = 0
    var i = top
    while i >= 0 {
      while next < marks.count, marks[next] >= i {
        try reached(next)
        next += 1
      }
      let node = nodes[i]
      if let rule = node.rule, node.gradient != nil {
        rule.backward(node, on: self)
      }
      i -= 1
    }
    while next < marks.count {
      try reached(next)
      next += 1
    }
  }
}

/// One parameter leaf of a tape: the parameter's region of the flat buffers and the leaf's node.
public struct ParameterUse: Sendable {
  public let offset: Int
  public let count: Int
  public let node: Int
}
