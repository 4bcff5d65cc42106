import Autodiff
import TensorCore

extension FlowModel {
  /// Images along latent paths between pairs: x₀, x₁ [pairs, event…] → [pairs · count, event…],
  /// where row p · count + k decodes z(t_k) of pair p with t_k = k / (count − 1), so the first
  /// and last images of each strip reconstruct x₀ and x₁.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func interpolate<S: TensorScalar>(
    from x0: Variable<S>, to x1: Variable<S>, count: Int, path: InterpolationPath = .linear
  ) -> Variable<S> {
    precondition(x0.shape == x1.shape, "interpolation endpoints differ in shape: \(x0.shape) vs \(x1.shape)")
    precondition(count >= 2, "an interpolation needs at least 2 points, got \(count)")
    let z0 = encode(x0).value, z1 = encode(x1).value
    let pairs = x0.shape[0], d = x0.shape.count / pairs
    let tape = x0.tape
    let buffer = tape.arena.allocate(pairs * count * d)
    for p in 0..<pairs {
      let a = UnsafeBufferPointer(rebasing: z0[(p * d)..<((p + 1) * d)])
      let b = UnsafeBufferPointer(rebasing: z1[(p * d)..<((p + 1) * d)])
      let (dot, norm0, norm1) = Self.innerProducts(a, b)
      for k in 0..<count {
        let (wa, wb) = path.weights(t: Double(k) / Double(count - 1), dot: dot, norm0: norm0, norm1: norm1)
        let row = buffer + (p * count + k) * d
        for i in 0..<d { row[i] = S(wa * Double(a[i]) + wb * Double(b[i])) }
      }
    }
    let z = tape.input(UnsafeBufferPointer(start: buffer, count: pairs * count * d),
                       shape: x0.shape.replacing(axis: 0, with: pairs * count))
    return decode(z)
  }

  /// ⟨a, b⟩, |a|, |b| in Float64.
  @_specialize(where S == Float) @_specialize(where S == Double)
  private static func innerProducts<S: TensorScalar>(_ a: UnsafeBufferPointer<S>, _ b: UnsafeBufferPointer<S>)
    -> (Double, Double, Double)
  {
    var dot = 0.0, aa = 0.0, bb = 0.0
    for i in 0..<a.count {
      let x = Double(a[i]), y = Double(b[i])
      dot += x * y
      aa += x * x
      bb += y * y
    }
    return (dot, aa.squareRoot(), bb.squareRoot())
  }
}
