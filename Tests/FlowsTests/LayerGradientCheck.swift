import Autodiff
import Flows
import TensorCore
import _TestSupport

/// Reverse-mode gradients of `L = <c₁, z> + <c₂, logAbsDet>` with respect to the input, the
/// condition of a conditional layer (through the network that reads it) and every parameter,
/// against central differences in Float64. Returns failure messages.
func checkLayerGradients(_ inst: LayerFixtureTests.Instance, seed: UInt64, step: Double = 1e-6,
                         tolerance: Double = 1e-6) -> [String] {
  var rng = SeededGenerator(seed: seed)
  let n = inst.x.count, batch = inst.x.shape[0]
  let cz = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
  let cd = (0..<batch).map { _ in Double.random(in: -1...1, using: &rng) }

  func loss(_ x: Tensor<Double>, condition: Tensor<Double>? = inst.condition) -> Double {
    let tape = Tape<Double>(parameters: inst.store)
    let r = inst.layer.forward(tape.input(x), condition: condition.map { tape.input($0) })
    return zip(r.output.value, cz).reduce(0) { $0 + $1.0 * $1.1 }
      + zip(r.logAbsDet.value, cd).reduce(0) { $0 + $1.0 * $1.1 }
  }

  // Analytic: one backward pass with both cotangents.
  let tape = Tape<Double>(parameters: inst.store)
  let x = tape.input(inst.x, requiresGradient: true)
  let c = inst.condition.map { tape.input($0, requiresGradient: true) }
  let r = inst.layer.forward(x, condition: c)
  let czVar = tape.input(Tensor(shape: inst.x.shape, scalars: cz))
  let cdVar = tape.input(Tensor(shape: [batch], scalars: cd))
  inst.store.zeroGradients()
  tape.backward(from: (r.output * czVar).sum() + (r.logAbsDet * cdVar).sum())
  let dx = x.gradient.map(Array.init) ?? [Double](repeating: 0, count: n)
  let dCondition = c.map { $0.gradient.map(Array.init) ?? [Double](repeating: 0, count: $0.shape.count) }
  let dParameters = Array(inst.store.gradients)

  var failures: [String] = []
  func compare(_ analytic: Double, _ numeric: Double, _ what: String) {
    if !(abs(analytic - numeric) <= tolerance * max(1, abs(numeric))) {
      failures.append("\(what): analytic \(analytic), numeric \(numeric) (seed \(seed))")
    }
  }
  for i in 0..<n {
    var plus = inst.x, minus = inst.x
    plus.scalars[i] += step
    minus.scalars[i] -= step
    compare(dx[i], (loss(plus) - loss(minus)) / (2 * step), "input \(i)")
  }
  if let condition = inst.condition, let dCondition {
    for i in 0..<condition.count {
      var plus = condition, minus = condition
      plus.scalars[i] += step
      minus.scalars[i] -= step
      compare(dCondition[i], (loss(inst.x, condition: plus) - loss(inst.x, condition: minus)) / (2 * step),
              "condition \(i)")
    }
  }
  for slice in inst.store.slices {
    let values = inst.store.values(of: slice)
    for j in 0..<slice.count {
      let saved = values[j]
      values[j] = saved + step
      let lp = loss(inst.x)
      values[j] = saved - step
      let lm = loss(inst.x)
      values[j] = saved
      compare(dParameters[slice.offset + j], (lp - lm) / (2 * step), "\(slice.name)[\(j)]")
    }
  }
  return failures
}
