import Autodiff
import TensorCore

/// A batch between two layers, held off the tape while reversible backprop walks the flow: the
/// values a layer reads or writes, or their gradient. Copies reuse the buffer's capacity, so a
/// walk over a flow of equal-sized layers allocates only its first buffer.
struct FlowActivation<S: TensorScalar> {
  /// [shape.count]
  private(set) var values: [S] = []
  private(set) var shape: Shape = []

  init() {}

  init(_ variable: Variable<S>) { set(variable) }

  init(copying values: UnsafeBufferPointer<S>, shape: Shape) { set(values, shape: shape) }

  /// `count` zeros of `shape`.
  init(zeros shape: Shape) {
    values = [S](repeating: 0, count: shape.count)
    self.shape = shape
  }

  mutating func set(_ variable: Variable<S>) { set(variable.value, shape: variable.shape) }

  mutating func set(_ source: UnsafeBufferPointer<S>, shape: Shape) {
    precondition(source.count == shape.count, "\(source.count) values for shape \(shape)")
    values.removeAll(keepingCapacity: true)
    values.append(contentsOf: source)
    self.shape = shape
  }

  /// The gradient of `variable`, zeros when nothing flowed into it.
  mutating func setGradient(of variable: Variable<S>) {
    guard let gradient = variable.gradient else { return setZeros(variable.shape) }
    set(gradient, shape: variable.shape)
  }

  mutating func setZeros(_ shape: Shape) {
    values.removeAll(keepingCapacity: true)
    values.append(contentsOf: repeatElement(0, count: shape.count))
    self.shape = shape
  }

  /// Adds the gradient of `variable` (of this shape), if any flowed into it.
  mutating func addGradient(of variable: Variable<S>?) {
    guard let variable, let gradient = variable.gradient else { return }
    add(gradient, shape: variable.shape)
  }

  /// Adds `other` (of this shape) in place.
  mutating func add(_ other: FlowActivation) {
    other.values.withUnsafeBufferPointer { add($0, shape: other.shape) }
  }

  /// Adds the values of `variable` (of this shape) in place.
  mutating func add(_ variable: Variable<S>) { add(variable.value, shape: variable.shape) }

  private mutating func add(_ source: UnsafeBufferPointer<S>, shape: Shape) {
    precondition(shape == self.shape, "adding \(shape) to \(self.shape)")
    guard let from = source.baseAddress else { return }
    values.withUnsafeMutableBufferPointer { Elementwise.add(from, into: $0.baseAddress!, count: shape.count) }
  }

  /// A tape leaf holding these values.
  func input(on tape: Tape<S>, requiresGradient: Bool = false) -> Variable<S> {
    values.withUnsafeBufferPointer { tape.input($0, shape: shape, requiresGradient: requiresGradient) }
  }

  /// The first `kept` channels of [N, C, …] and the rest.
  func split(atChannel kept: Int) -> (FlowActivation, FlowActivation) {
    precondition(shape.rank >= 2 && kept > 0 && kept < shape[1], "cannot split \(shape) at channel \(kept)")
    let n = shape[0], plane = shape.innerCount(after: 1), channels = shape[1]
    func part(_ first: Int, _ count: Int) -> FlowActivation {
      var out = FlowActivation(zeros: shape.replacing(axis: 1, with: count))
      values.withUnsafeBufferPointer { x in
        out.values.withUnsafeMutableBufferPointer { y in
          Elementwise.copyRows(x.baseAddress! + first * plane, stride: channels * plane, into: y.baseAddress!,
                               stride: count * plane, rows: n, columns: count * plane)
        }
      }
      return out
    }
    return (part(0, kept), part(kept, channels - kept))
  }

  /// Becomes `first` and `second` concatenated along the channels of [N, C, …].
  mutating func setConcatenation(_ first: FlowActivation, _ second: FlowActivation) {
    let n = first.shape[0], plane = first.shape.innerCount(after: 1)
    let a = first.shape[1], b = second.shape[1]
    precondition(second.shape == first.shape.replacing(axis: 1, with: b), "cannot concatenate \(first.shape) and \(second.shape)")
    setZeros(first.shape.replacing(axis: 1, with: a + b))
    values.withUnsafeMutableBufferPointer { y in
      first.values.withUnsafeBufferPointer {
        Elementwise.copyRows($0.baseAddress!, stride: a * plane, into: y.baseAddress!, stride: (a + b) * plane,
                             rows: n, columns: a * plane)
      }
      second.values.withUnsafeBufferPointer {
        Elementwise.copyRows($0.baseAddress!, stride: b * plane, into: y.baseAddress! + a * plane,
                             stride: (a + b) * plane, rows: n, columns: b * plane)
      }
    }
  }
}
