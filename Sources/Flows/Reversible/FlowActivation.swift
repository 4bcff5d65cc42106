import Autodiff
import TensorCore

/// A batch between two layers, held off the tape while reversible backprop walks the flow: the
/// values a layer reads or writes, or their gradient. A copy of the same size reuses the buffer,
/// so a walk over a level of equal-sized layers allocates nothing. Scalars move by memcpy and
/// the `Elementwise` kernels, never element by element: this generic code may run unspecialized.
struct FlowActivation<S: TensorScalar> {
  /// [shape.count]
  private(set) var values: [S] = []
  private(set) var shape: Shape = []

  init() {}

  init(_ variable: Variable<S>) { set(variable) }

  init(copying values: UnsafeBufferPointer<S>, shape: Shape) { set(values, shape: shape) }

  /// `count` zeros of `shape`.
  init(zeros shape: Shape) { setZeros(shape) }

  mutating func set(_ variable: Variable<S>) { set(variable.value, shape: variable.shape) }

  mutating func set(_ source: UnsafeBufferPointer<S>, shape: Shape) {
    precondition(source.count == shape.count, "\(source.count) values for shape \(shape)")
    resize(shape)
    guard let from = source.baseAddress else { return }
    values.withUnsafeMutableBytes {
      $0.baseAddress!.copyMemory(from: from, byteCount: shape.count * MemoryLayout<S>.stride)
    }
  }

  /// The gradient of `variable`, zeros when nothing flowed into it.
  mutating func setGradient(of variable: Variable<S>) {
    guard let gradient = variable.gradient else { return setZeros(variable.shape) }
    set(gradient, shape: variable.shape)
  }

  mutating func setZeros(_ shape: Shape) {
    resize(shape)
    values.withUnsafeMutableBufferPointer { Elementwise.fill($0.baseAddress!, with: 0, count: shape.count) }
  }

  /// Holds `shape.count` scalars of unspecified value; a new buffer only when the count changes.
  private mutating func resize(_ shape: Shape) {
    let count = shape.count
    // At least one scalar, so every buffer has a base address.
    if values.count != max(count, 1) {
      values = Array(unsafeUninitializedCapacity: max(count, 1)) { _, initialized in initialized = max(count, 1) }
    }
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

  /// The values as an array of exactly `shape.count`.
  var scalars: [S] { Array(values[0 ..< shape.count]) }

  /// Copies the values to `destination` [shape.count].
  func copy(to destination: UnsafeMutablePointer<S>) {
    values.withUnsafeBytes {
      UnsafeMutableRawPointer(destination).copyMemory(from: $0.baseAddress!, byteCount: shape.count * MemoryLayout<S>.stride)
    }
  }

  /// Adds the values into `destination` [shape.count].
  func add(into destination: UnsafeMutablePointer<S>) {
    values.withUnsafeBufferPointer { Elementwise.add($0.baseAddress!, into: destination, count: shape.count) }
  }

  /// A tape leaf holding these values.
  func input(on tape: Tape<S>, requiresGradient: Bool = false) -> Variable<S> {
    values.withUnsafeBufferPointer {
      tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< shape.count]), shape: shape, requiresGradient: requiresGradient)
    }
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
    first.values.withUnsafeBufferPointer { a in
      second.values.withUnsafeBufferPointer { b in concatenate([(a, first.shape), (b, second.shape)]) }
    }
  }

  /// Becomes the values of `parts` concatenated along the channels, or with `gradients` their
  /// gradients (zeros for a part nothing flowed into).
  mutating func setConcatenation(of parts: [Variable<S>], gradients: Bool) {
    concatenate(parts.map { (gradients ? $0.gradient : $0.value, $0.shape) })
  }

  /// Concatenates [N, C_k, …] parts along the channels; a nil part is zeros.
  private mutating func concatenate(_ parts: [(values: UnsafeBufferPointer<S>?, shape: Shape)]) {
    let n = parts[0].shape[0], plane = parts[0].shape.innerCount(after: 1)
    let total = parts.reduce(0) { $0 + $1.shape[1] }
    for part in parts {
      precondition(part.shape == parts[0].shape.replacing(axis: 1, with: part.shape[1]),
                   "cannot concatenate \(part.shape) with \(parts[0].shape) along the channels")
    }
    setZeros(parts[0].shape.replacing(axis: 1, with: total))
    values.withUnsafeMutableBufferPointer { y in
      var channel = 0
      for part in parts {
        let c = part.shape[1]
        if let x = part.values?.baseAddress {
          Elementwise.copyRows(x, stride: c * plane, into: y.baseAddress! + channel * plane, stride: total * plane,
                               rows: n, columns: c * plane)
        }
        channel += c
      }
    }
  }
}
