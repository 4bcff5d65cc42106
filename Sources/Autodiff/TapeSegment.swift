import TensorCore

/// A part of a step computed off the tape and recorded as one op: its backward pass is an object
/// that recomputes whatever it needs instead of reading values the tape kept (reversible backprop
/// recomputes each flow layer's input from its output).
///
/// A segment has one primary output, whose node holds the inputs, and any number of secondary
/// outputs recorded after it. Backward reaches the secondary nodes first: their gradients are
/// the segment's to keep until the primary node's call, which must add into the gradients of
/// the inputs and of every parameter the segment declared.
public protocol TapeSegment<Scalar>: AnyObject {
  associatedtype Scalar: TensorScalar
  /// Called for output `output` (0 the primary) once its gradient `node.upstream` is complete.
  func backward(_ node: Node<Scalar>, output: Int, on tape: Tape<Scalar>)
}

/// Hands a segment's node to its segment.
enum SegmentRule: BackwardRule {
  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    tape.segments[node.attributes[0]].backward(node, output: node.attributes[1], on: tape)
  }
}

extension Tape {
  /// Records `segment` with uninitialized outputs of `shapes` (the first the primary, reading
  /// the inputs) for the caller to fill. The parameter regions `writes` (offset, count) count as
  /// used just below the primary node, so a gradient all-reduce planned from `parameterUses`
  /// waits for the segment's backward before it sends them.
  public func record(
    segment: some TapeSegment<S>, shapes: [Shape], inputs a: Variable<S>, _ b: Variable<S>? = nil,
    writes: [(offset: Int, count: Int)]
  ) -> [(Variable<S>, UnsafeMutablePointer<S>)] {
    precondition(!shapes.isEmpty, "a segment needs an output")
    var attributes = OpAttributes()
    attributes[0] = segments.count
    segments.append(segment)
    // The primary node needs a gradient whenever the segment writes parameters, even when its
    // inputs (the data) need none.
    let primary = record(SegmentRule.self, shape: shapes[0], inputs: a, b, nil, nil, attributes: attributes,
                         saved: nil, needsGradient: !writes.isEmpty)
    for (offset, count) in writes {
      appendParameterUse(ParameterUse(offset: offset, count: count, node: Int(primary.0.id) - 1))
    }
    var outputs = [primary]
    for (k, shape) in shapes.enumerated().dropFirst() {
      attributes[1] = k
      outputs.append(record(SegmentRule.self, shape: shape, inputs: primary.0, nil, nil, nil,
                            attributes: attributes, saved: nil, needsGradient: false))
    }
    return outputs
  }
}
