import Autodiff
import TensorCore

/// One entry of the gradient-check fixture table: an op (or composite) applied to inputs.
public struct GradientCase: Sendable {
  /// Input shape and the interval its entries are drawn from (e.g. positive for `log`).
  public struct Input: Sendable {
    public let shape: Shape
    public let range: ClosedRange<Double>
    public init(_ shape: Shape, in range: ClosedRange<Double> = -1...1) {
      self.shape = shape
      self.range = range
    }
  }

  public let name: String
  public let inputs: [Input]
  public let build: @Sendable (Tape<Double>, [Variable<Double>]) -> Variable<Double>
  /// Relative/absolute tolerance on each gradient entry.
  public let tolerance: Double

  public init(_ name: String, _ inputs: [Input], tolerance: Double = 1e-6,
              _ build: @escaping @Sendable (Tape<Double>, [Variable<Double>]) -> Variable<Double>) {
    self.name = name
    self.inputs = inputs
    self.build = build
    self.tolerance = tolerance
  }
}

/// Checks reverse-mode gradients against central differences in Float64.
///
/// The output is contracted with a random cotangent (a "fake loss" `L = <c, f(x)>`), so every
/// output entry's rule is exercised. Inputs are fed once as plain inputs and once as parameters
/// from a `ParameterStore`, so both gradient paths (arena and flat buffer) are checked.
/// Returns failure messages; empty means the case passed.
public func checkGradients(_ c: GradientCase, seed: UInt64, step: Double = 1e-6) -> [String] {
  var rng = SeededGenerator(seed: seed)
  let xs: [[Double]] = c.inputs.map { input in
    (0..<input.shape.count).map { _ in Double.random(in: input.range, using: &rng) }
  }
  // Evaluate once to learn the output shape and draw the cotangent.
  let probe = Tape<Double>()
  let probeOut = c.build(probe, zip(c.inputs, xs).map { probe.input(Tensor(shape: $0.shape, scalars: $1)) })
  let cotangent = (0..<probeOut.shape.count).map { _ in Double.random(in: -1...1, using: &rng) }

  func loss(_ inputs: [[Double]]) -> Double {
    let tape = Tape<Double>()
    let out = c.build(tape, zip(c.inputs, inputs).map { tape.input(Tensor(shape: $0.shape, scalars: $1)) })
    return zip(out.value, cotangent).reduce(0) { $0 + $1.0 * $1.1 }
  }

  var numeric: [[Double]] = []
  for (k, x) in xs.enumerated() {
    var g = [Double](repeating: 0, count: x.count)
    for i in 0..<x.count {
      var plus = xs, minus = xs
      plus[k][i] += step
      minus[k][i] -= step
      g[i] = (loss(plus) - loss(minus)) / (2 * step)
    }
    numeric.append(g)
  }

  var failures: [String] = []
  func compare(_ analytic: [[Double]], path: String) {
    for k in 0..<xs.count {
      for i in 0..<xs[k].count {
        let a = analytic[k][i], n = numeric[k][i]
        if !(abs(a - n) <= c.tolerance * max(1, abs(n))) {
          failures.append("\(c.name) [\(path)] input \(k) entry \(i): analytic \(a), numeric \(n) (seed \(seed))")
          return
        }
      }
    }
  }

  // Path 1: plain inputs, gradients in the arena.
  do {
    let tape = Tape<Double>()
    let vars = zip(c.inputs, xs).map { tape.input(Tensor(shape: $0.shape, scalars: $1), requiresGradient: true) }
    let out = c.build(tape, vars)
    cotangent.withUnsafeBufferPointer { tape.backward(from: out, cotangent: $0.baseAddress!) }
    compare(vars.map { v in v.gradient.map(Array.init) ?? [Double](repeating: 0, count: v.shape.count) },
            path: "inputs")
  }
  // Path 2: the same values as parameters, gradients in the flat buffer.
  do {
    let store = ParameterStore<Double>()
    let slices = c.inputs.enumerated().map { store.add("p\($0.offset)", shape: $0.element.shape) }
    for (s, x) in zip(slices, xs) { _ = store.values(of: s).update(fromContentsOf: x) }
    let tape = Tape<Double>(parameters: store)
    let out = c.build(tape, slices.map { tape.parameter($0) })
    cotangent.withUnsafeBufferPointer { tape.backward(from: out, cotangent: $0.baseAddress!) }
    compare(slices.map { Array(store.gradients(of: $0)) }, path: "parameters")
  }
  return failures
}
