import TensorCore

extension Tape {
  /// Joins two to four variables along `axis`; every other dimension must agree. The result's
  /// `axis` dimension is the sum of the parts'.
  public func concatenate(_ a: Variable<S>, _ b: Variable<S>, _ c: Variable<S>? = nil,
                          _ d: Variable<S>? = nil, alongAxis axis: Int) -> Variable<S> {
    let ax = a.shape.axis(axis)
    let total = a.shape[ax] + extent(of: b, matching: a, alongAxis: ax)
      + extent(of: c, matching: a, alongAxis: ax) + extent(of: d, matching: a, alongAxis: ax)
    var attributes = OpAttributes()
    attributes[0] = ax
    let (y, out) = record(ConcatenateRule.self, shape: a.shape.replacing(axis: ax, with: total),
                          inputs: a, b, c, d, attributes: attributes)
    ConcatenateRule.forEachPart(of: nodes[Int(y.id)], on: self) { id, rows, columns, offset, stride in
      Elementwise.copyRows(value(of: id), stride: columns, into: out + offset, stride: stride,
                           rows: rows, columns: columns)
    }
    return y
  }

  /// The `axis` dimension of `part` (0 if absent), after checking it fits with `first`.
  private func extent(of part: Variable<S>?, matching first: Variable<S>, alongAxis ax: Int) -> Int {
    guard let part else { return 0 }
    precondition(first.tape === self && part.tape === self, "operand recorded on another tape")
    precondition(part.shape.replacing(axis: ax, with: 0) == first.shape.replacing(axis: ax, with: 0),
                 "cannot concatenate \(part.shape) with \(first.shape) along axis \(ax)")
    return part.shape[ax]
  }

  /// Joins one or more variables along `axis`. More than four parts are joined by a chain of
  /// `concatenate(_:_:_:_:alongAxis:)` nodes (the first takes four parts, each next one the
  /// previous result and three more), which copies the leading parts more than once.
  public func concatenate(_ parts: [Variable<S>], alongAxis axis: Int) -> Variable<S> {
    precondition(!parts.isEmpty, "concatenate needs at least one part")
    guard parts.count > 1 else { return parts[0] }
    func part(_ i: Int) -> Variable<S>? { i < parts.count ? parts[i] : nil }
    var result = concatenate(parts[0], parts[1], part(2), part(3), alongAxis: axis)
    var next = 4
    while next < parts.count {
      result = concatenate(result, parts[next], part(next + 1), part(next + 2), alongAxis: axis)
      next += 3
    }
    return result
  }
}

extension Variable {
  /// `self` followed by `other` along `axis`.
  public func concatenated(with other: Variable, alongAxis axis: Int) -> Variable {
    tape.concatenate(self, other, alongAxis: axis)
  }
}

enum ConcatenateRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    forEachPart(of: node, on: tape) { id, rows, columns, offset, stride in
      guard let dx = tape.gradient(of: id) else { return }
      Elementwise.addRows(node.upstream + offset, stride: stride, into: dx, stride: columns,
                          rows: rows, columns: columns)
    }
  }

  /// Calls `body(inputId, rows, columns, outputOffset, outputStride)` for each input: the input
  /// is `rows` rows of `columns` scalars, placed at `outputOffset` within output rows of
  /// `outputStride` scalars (the [outer, axis · inner] view).
  static func forEachPart<S: TensorScalar>(
    of node: Node<S>, on tape: Tape<S>,
    _ body: (_ id: Int32, _ rows: Int, _ columns: Int, _ offset: Int, _ stride: Int) -> Void
  ) {
    let ax = node.attributes[0]
    let rows = node.shape.outerCount(before: ax), inner = node.shape.innerCount(after: ax)
    var offset = 0
    for k in 0..<node.inputCount {
      let id = node.input(k)
      let columns = tape.shape(of: id)[ax] * inner
      body(id, rows, columns, offset, node.shape[ax] * inner)
      offset += columns
    }
  }
}
