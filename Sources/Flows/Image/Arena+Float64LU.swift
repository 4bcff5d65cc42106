import Autodiff
import TensorCore

extension Arena {
  /// Arena memory for `count` values of `type` (64-byte aligned, so fit for any scalar type whatever
  /// the arena's), passed to `body`; valid until the arena is reset.
  func withScratch<T, R>(_ type: T.Type, count: Int, _ body: (UnsafeMutablePointer<T>) -> R) -> R {
    let scalars = (count * MemoryLayout<T>.stride + MemoryLayout<Scalar>.stride - 1) / MemoryLayout<Scalar>.stride
    let memory = allocate(max(scalars, 1))
    return memory.withMemoryRebound(to: T.self, capacity: count, body)
  }

  /// The LU factors (`LUFactorization.factorInPlace`) in Float64 of the row-major [n, n] matrix `a`,
  /// passed to `body` with their pivots. Row-major `a` is factored as Aᵀ (see `LUFactorization`).
  /// A singular matrix is a precondition failure naming `op`.
  func withFloat64LU<R>(of a: UnsafePointer<Scalar>, n: Int, _ op: String,
                        _ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Int32>) -> R) -> R {
    withScratch(Double.self, count: n * n) { factors in
      withScratch(Int32.self, count: n) { pivots in
        Float64Copy.widen(a, count: n * n, into: factors)
        do { try LUFactorization.factorInPlace(factors, n: n, pivots: pivots) } catch {
          preconditionFailure("\(op) of a \(n)×\(n) \(error)")
        }
        return body(factors, pivots)
      }
    }
  }

  /// log|det A| in Float64 of the row-major [n, n] matrix `a`.
  func float64LogAbsDeterminant(of a: UnsafePointer<Scalar>, n: Int) -> Double {
    withFloat64LU(of: a, n: n, "log|det|") { factors, _ in LUFactorization.logAbsDeterminant(factors: factors, n: n) }
  }

  /// A⁻¹ in Float64 of the row-major [n, n] matrix `a`, row-major, passed to `body`.
  func withFloat64Inverse<R>(of a: UnsafePointer<Scalar>, n: Int, _ body: (UnsafePointer<Double>) -> R) -> R {
    withFloat64LU(of: a, n: n, "inverse") { factors, pivots in
      withScratch(Double.self, count: n) { work in
        LUFactorization.invertInPlace(factors: factors, n: n, pivots: pivots, work: work)
        return body(factors)
      }
    }
  }
}

/// Conversions between a tensor's scalars and Float64 scratch.
enum Float64Copy {
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func widen<S: TensorScalar>(_ x: UnsafePointer<S>, count: Int, into y: UnsafeMutablePointer<Double>) {
    for i in 0..<count { y[i] = Double(x[i]) }
  }

  @_specialize(where S == Float) @_specialize(where S == Double)
  static func narrow<S: TensorScalar>(_ x: UnsafePointer<Double>, count: Int, into y: UnsafeMutablePointer<S>) {
    for i in 0..<count { y[i] = S(x[i]) }
  }

  /// y += scale · xᵀ for n×n matrices (x in Float64).
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func addTransposed<S: TensorScalar>(_ x: UnsafePointer<Double>, n: Int, scale: Double,
                                             into y: UnsafeMutablePointer<S>) {
    for i in 0..<n {
      for j in 0..<n { y[i * n + j] += S(scale * x[j * n + i]) }
    }
  }
}
