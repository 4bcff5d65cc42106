import TensorCore

extension Tape {
  /// Σ over `axes` (distinct, each in −rank..<rank). The result drops those axes, or keeps them
  /// with size 1 when `keepingDimensions`.
  public func sum(_ x: Variable<S>, alongAxes axes: [Int], keepingDimensions: Bool = false)
    -> Variable<S>
  {
    precondition(x.tape === self, "operand recorded on another tape")
    let kept = x.shape.reducing(axes, keepingDimensions: true)
    var attributes = OpAttributes()
    attributes.shape = kept
    let shape = keepingDimensions ? kept : x.shape.reducing(axes, keepingDimensions: false)
    let (y, out) = record(SumAlongAxesRule.self, shape: shape, inputs: x, attributes: attributes)
    Elementwise.fill(out, with: 0, count: shape.count)
    Broadcast.accumulateSum(x.value.baseAddress!, shape: x.shape, into: out, shape: kept)
    return y
  }

  /// The mean over `axes`: a composite, `sum(alongAxes:)` scaled by 1/n.
  public func mean(_ x: Variable<S>, alongAxes axes: [Int], keepingDimensions: Bool = false)
    -> Variable<S>
  {
    let s = sum(x, alongAxes: axes, keepingDimensions: keepingDimensions)
    return s.scaled(by: S(s.shape.count) / S(x.shape.count))
  }
}

extension Variable {
  public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Variable {
    tape.sum(self, alongAxes: axes, keepingDimensions: keepingDimensions)
  }

  public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Variable {
    tape.mean(self, alongAxes: axes, keepingDimensions: keepingDimensions)
  }

  /// The mean of every element, shape []: a composite, `sum()` scaled by 1/count.
  public func mean() -> Variable { sum().scaled(by: 1 / S(shape.count)) }
}

extension Shape {
  /// This shape with `axes` set to 1 (`keepingDimensions`) or removed.
  func reducing(_ axes: [Int], keepingDimensions: Bool) -> Shape {
    var mask = 0
    for i in 0..<axes.count {
      let bit = 1 << axis(axes[i])
      precondition(mask & bit == 0, "axis \(axes[i]) listed twice in \(axes)")
      mask |= bit
    }
    return reducing(mask: mask, keepingDimensions: keepingDimensions)
  }

  /// This shape with the axes whose bits are set in `mask` set to 1 or removed.
  func reducing(mask: Int, keepingDimensions: Bool) -> Shape {
    var result = Shape(rank: keepingDimensions ? rank : rank - mask.nonzeroBitCount, repeating: 1)
    var j = 0
    for i in 0..<rank where mask & (1 << i) == 0 || keepingDimensions {
      result[j] = mask & (1 << i) == 0 ? self[i] : 1
      j += 1
    }
    return result
  }
}

enum SumAlongAxesRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0)
    guard let dx = tape.gradient(of: x) else { return }
    Broadcast.accumulateBroadcast(node.upstream, shape: node.attributes.shape, into: dx,
                                  shape: tape.shape(of: x))
  }
}
