import TensorCore

/// How a parameter's values are drawn before training.
public enum ParameterInitializer: Sendable, Hashable {
  case zeros
  case constant(Double)
  /// Uniform in [-bound, bound).
  case uniform(bound: Double)
  case normal(standardDeviation: Double)
  /// A random orthogonal matrix (Gram–Schmidt on a Gaussian matrix); the shape's last two
  /// dimensions must be equal, leading ones (e.g. 1×1 conv kernel dims of size 1) are allowed.
  case orthogonal
  /// Exactly these values, in row-major order (for values a layer derives at construction, such
  /// as the LU factors of a random rotation); the count must match the shape.
  case values([Double])

  /// Glorot/Xavier uniform for a dense layer: bound = sqrt(6 / (fanIn + fanOut)).
  /// Reference: Glorot & Bengio 2010.
  public static func glorot(fanIn: Int, fanOut: Int) -> ParameterInitializer {
    .uniform(bound: (6.0 / Double(fanIn + fanOut)).squareRoot())
  }

  func fill<S: TensorScalar>(_ out: UnsafeMutableBufferPointer<S>, shape: Shape, stream: RandomStream) {
    switch self {
    case .zeros:
      out.update(repeating: 0)
    case .constant(let c):
      out.update(repeating: S(c))
    case .uniform(let bound):
      stream.fillUniform(out)
      for i in out.indices { out[i] = S(bound) * (2 * out[i] - 1) }
    case .normal(let std):
      stream.fillNormal(out)
      for i in out.indices { out[i] *= S(std) }
    case .orthogonal:
      precondition(shape.rank >= 2 && shape[shape.rank - 1] == shape[shape.rank - 2]
                     && shape.count == shape[shape.rank - 1] * shape[shape.rank - 1],
                   "orthogonal init needs a square matrix (leading dims of size 1), got \(shape)")
      let q = Self.randomOrthogonalMatrix(order: shape[shape.rank - 1], stream: stream)
      for i in 0..<q.count { out[i] = S(q[i]) }
    case .values(let values):
      precondition(values.count == shape.count, "\(values.count) values for shape \(shape)")
      for i in 0..<values.count { out[i] = S(values[i]) }
    }
  }

  /// An n×n row-major orthogonal matrix in Float64, drawn from `stream` the way `.orthogonal` is.
  public static func randomOrthogonalMatrix(order n: Int, stream: RandomStream) -> [Double] {
    var q = [Double](repeating: 0, count: n * n)
    q.withUnsafeMutableBufferPointer { stream.fillNormal($0) }
    orthonormalizeRows(&q, n: n)
    return q
  }

  /// Modified Gram–Schmidt on the rows of an n×n matrix.
  private static func orthonormalizeRows(_ q: inout [Double], n: Int) {
    for i in 0..<n {
      for j in 0..<i {
        var dot = 0.0
        for k in 0..<n { dot += q[i * n + k] * q[j * n + k] }
        for k in 0..<n { q[i * n + k] -= dot * q[j * n + k] }
      }
      var norm = 0.0
      for k in 0..<n { norm += q[i * n + k] * q[i * n + k] }
      norm = norm.squareRoot()
      for k in 0..<n { q[i * n + k] /= norm }
    }
  }
}
