import TensorCore

extension Tape {
  /// The affine coupling transform as one op: the columns `updated` of `x` are scaled and shifted
  /// with raw log-scales read from `logScale` and shifts from `shift` as `map` says; the columns
  /// `kept` pass through.
  ///
  /// ```
  /// forward:  z_u = x_u · exp(s(h_s)) + t     (shift first for CouplingScale.sigmoid)
  /// inverse:  x_u = (z_u − t) · exp(−s(h_s))
  /// ```
  /// x: [rows, D], logScale: [rows, ws], shift: [rows, wt] → [rows, D]. The two sources may be
  /// the same variable (a conditioner output holding both); `CouplingScale.none` ignores the
  /// log-scales but still takes a source with the columns in range. `updated` and `kept` together list
  /// every column of x once. Its log-determinant is `couplingLogScaleSum`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func affineCoupling(
    _ x: Variable<S>, logScale hs: Variable<S>, shift ht: Variable<S>, map: CouplingMap,
    updated: [Int], kept: [Int], direction: CouplingDirection
  ) -> Variable<S> {
    precondition(x.tape === self && hs.tape === self && ht.tape === self,
                 "operands recorded on another tape")
    let layout = AffineCouplingRule.layout(map, x: x.shape, logScale: hs.shape, shift: ht.shape)
    precondition(map.scaleOffset + updated.count <= layout.scaleWidth
                   && map.shiftOffset + updated.count <= layout.shiftWidth,
                 "\(updated.count) updated columns need log-scales at column \(map.scaleOffset) of "
                   + "\(hs.shape) and shifts at column \(map.shiftOffset) of \(ht.shape)")
    let saved = storePartition(updated, kept, dimension: layout.dimension)
    var attributes = OpAttributes()
    attributes[0] = map.scale.rawValue
    attributes[1] = direction.rawValue
    attributes[2] = map.scaleOffset
    attributes[3] = map.shiftOffset
    attributes[4] = updated.count
    attributes.constant = map.bound
    let (y, out) = record(AffineCouplingRule.self, shape: x.shape, inputs: x, hs, ht,
                          attributes: attributes, saved: saved)
    saved.withMemoryRebound(to: Int.self, capacity: layout.dimension) { columns in
      AffineCoupling.apply(layout, direction, x: value(of: x.id), logScale: value(of: hs.id),
                           shift: value(of: ht.id), updated: columns, updatedCount: updated.count,
                           kept: columns + updated.count, keptCount: kept.count, into: out)
    }
    return y
  }

  /// `sign · Σ_j s(h[:, map.scaleOffset + j])` for j in 0..<count, the log-determinant of an
  /// affine coupling that updates `count` columns (negated for its inverse).
  ///
  /// h: [rows, width] → [rows]
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func couplingLogScaleSum(_ h: Variable<S>, map: CouplingMap, count: Int,
                                  negated: Bool) -> Variable<S> {
    precondition(h.tape === self, "operand recorded on another tape")
    precondition(h.shape.rank == 2 && map.scaleOffset + count <= h.shape[1],
                 "conditioner output \(h.shape) has no \(count) log-scales at column \(map.scaleOffset)")
    var attributes = OpAttributes()
    attributes[0] = map.scale.rawValue
    attributes[1] = map.scaleOffset
    attributes[2] = count
    attributes[3] = negated ? 1 : 0
    attributes.constant = map.bound
    let (y, out) = record(CouplingLogScaleSumRule.self, shape: [h.shape[0]], inputs: h,
                          attributes: attributes)
    AffineCoupling.logScaleSum(CouplingLogScaleSumRule.layout(attributes, h: h.shape), count: count,
                               sign: negated ? -1 : 1, h: value(of: h.id), into: out)
    return y
  }

  /// `a` then `b` as `Int`s in arena memory, which stays bound to S and is viewed as `Int` only
  /// inside `withMemoryRebound` (as `GatherRule.store` does), after checking that together they
  /// list each of 0..<dimension exactly once.
  private func storePartition(_ a: [Int], _ b: [Int], dimension: Int) -> UnsafeMutablePointer<S> {
    precondition(a.count + b.count == dimension,
                 "\(a.count) updated + \(b.count) kept columns for dimension \(dimension)")
    let marks = arena.allocateZeroed(max(dimension, 1))
    let memory = arena.allocate(max(1, (dimension * MemoryLayout<Int>.stride + MemoryLayout<S>.stride - 1)
                                          / MemoryLayout<S>.stride))
    memory.withMemoryRebound(to: Int.self, capacity: dimension) { columns in
      for i in 0..<a.count { columns[i] = a[i] }
      for i in 0..<b.count { columns[a.count + i] = b[i] }
      for i in 0..<dimension {
        let c = columns[i]
        precondition(c >= 0 && c < dimension && marks[c] == 0,
                     "coupling columns \(a) and \(b) do not partition 0..<\(dimension)")
        marks[c] = 1
      }
    }
    return memory
  }
}

enum AffineCouplingRule: BackwardRule {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0), hs = node.input(1), ht = node.input(2)
    let dx = tape.gradient(of: x), dhs = tape.gradient(of: hs), dht = tape.gradient(of: ht)
    guard dx != nil || dhs != nil || dht != nil else { return }
    let a = node.attributes
    let map = CouplingMap(scale: CouplingScale(rawValue: a[0])!, bound: a.constant,
                          scaleOffset: a[2], shiftOffset: a[3])
    let layout = self.layout(map, x: node.shape, logScale: tape.shape(of: hs), shift: tape.shape(of: ht))
    node.saved!.withMemoryRebound(to: Int.self, capacity: layout.dimension) { columns in
      AffineCoupling.accumulateGradients(
        layout, CouplingDirection(rawValue: a[1])!, output: node.value, logScale: tape.value(of: hs),
        shift: tape.value(of: ht), upstream: node.upstream, updated: columns, updatedCount: a[4],
        kept: columns + a[4], keptCount: layout.dimension - a[4], dx: dx, dLogScale: dhs,
        dShift: dht)
    }
  }

  static func layout(_ map: CouplingMap, x: Shape, logScale hs: Shape, shift ht: Shape) -> CouplingLayout {
    precondition(x.rank == 2 && hs.rank == 2 && ht.rank == 2 && hs[0] == x[0] && ht[0] == x[0],
                 "affine coupling takes x [rows, D] and sources [rows, width], got \(x), \(hs), \(ht)")
    return CouplingLayout(map, rows: x[0], dimension: x[1], scaleWidth: hs[1], shiftWidth: ht[1])
  }
}

enum CouplingLogScaleSumRule: BackwardRule {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let h = node.input(0)
    guard let dh = tape.gradient(of: h) else { return }
    let a = node.attributes
    AffineCoupling.accumulateLogScaleSumGradient(
      layout(a, h: tape.shape(of: h)), count: a[2], sign: a[3] != 0 ? -1 : 1, h: tape.value(of: h),
      upstream: node.upstream, into: dh)
  }

  static func layout(_ a: OpAttributes, h: Shape) -> CouplingLayout {
    let map = CouplingMap(scale: CouplingScale(rawValue: a[0])!, bound: a.constant,
                          scaleOffset: a[1], shiftOffset: 0)
    return CouplingLayout(map, rows: h[0], dimension: 0, scaleWidth: h[1], shiftWidth: 0)
  }
}
