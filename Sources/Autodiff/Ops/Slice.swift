import TensorCore

extension Tape {
  /// The entries of `x` whose index along `axis` lies in `range`; the result's `axis` dimension
  /// is `range.count`.
  public func sliced(_ x: Variable<S>, alongAxis axis: Int, _ range: Range<Int>) -> Variable<S> {
    precondition(x.tape === self, "operand recorded on another tape")
    let ax = x.shape.axis(axis)
    precondition(range.lowerBound >= 0 && range.upperBound <= x.shape[ax],
                 "range \(range) out of bounds for axis \(ax) of \(x.shape)")
    var attributes = OpAttributes()
    attributes[0] = ax
    attributes[1] = range.lowerBound
    let shape = x.shape.replacing(axis: ax, with: range.count)
    let (y, out) = record(SliceRule.self, shape: shape, inputs: x, attributes: attributes)
    let rows = shape.outerCount(before: ax), inner = shape.innerCount(after: ax)
    Elementwise.copyRows(x.value.baseAddress! + range.lowerBound * inner, stride: x.shape[ax] * inner,
                         into: out, stride: range.count * inner, rows: rows,
                         columns: range.count * inner)
    return y
  }

  /// Consecutive pieces of `x` along `axis` with the given sizes, which must add up to the
  /// axis's dimension; a composite of `sliced`.
  public func split(_ x: Variable<S>, alongAxis axis: Int, sizes: [Int]) -> [Variable<S>] {
    let ax = x.shape.axis(axis)
    precondition(sizes.reduce(0, +) == x.shape[ax],
                 "sizes \(sizes) do not add up to dimension \(x.shape[ax]) of \(x.shape)")
    var start = 0
    return sizes.map { size in
      defer { start += size }
      return sliced(x, alongAxis: ax, start..<(start + size))
    }
  }

  /// `x` cut in two along `axis` before `index`; a composite of `sliced` that, unlike
  /// `split(_:alongAxis:sizes:)`, builds no array.
  public func split(_ x: Variable<S>, alongAxis axis: Int, at index: Int) -> (Variable<S>, Variable<S>) {
    let ax = x.shape.axis(axis)
    return (sliced(x, alongAxis: ax, 0..<index), sliced(x, alongAxis: ax, index..<x.shape[ax]))
  }
}

extension Variable {
  public func sliced(alongAxis axis: Int, _ range: Range<Int>) -> Variable {
    tape.sliced(self, alongAxis: axis, range)
  }

  public func split(alongAxis axis: Int, sizes: [Int]) -> [Variable] {
    tape.split(self, alongAxis: axis, sizes: sizes)
  }

  public func split(alongAxis axis: Int, at index: Int) -> (Variable, Variable) {
    tape.split(self, alongAxis: axis, at: index)
  }
}

enum SliceRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    let ax = node.attributes[0], start = node.attributes[1]
    let n = tape.shape(of: x)[ax], k = node.shape[ax]
    let rows = node.shape.outerCount(before: ax), inner = node.shape.innerCount(after: ax)
    Elementwise.addRows(node.upstream, stride: k * inner, into: dx + start * inner,
                        stride: n * inner, rows: rows, columns: k * inner)
  }
}
