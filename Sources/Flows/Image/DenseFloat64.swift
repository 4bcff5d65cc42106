import Autodiff
import Foundation
import TensorCore

/// Small dense n×n matrix routines in Float64 on caller-provided memory (no allocation), for the
/// log-determinant and inverse of a plain invertible 1×1 convolution's weight.
enum DenseFloat64 {
  /// log|det A| by LU with partial pivoting; `a` [n, n] row-major is overwritten.
  static func logAbsDeterminant(_ a: UnsafeMutablePointer<Double>, n: Int) -> Double {
    var result = 0.0
    for k in 0..<n {
      let pivot = pivotRow(a, n: n, column: k, from: k)
      precondition(a[pivot * n + k] != 0, "singular matrix (column \(k)): log|det| is −∞")
      swapRows(a, n: n, k, pivot)
      let p = a[k * n + k]
      result += Foundation.log(Swift.abs(p))
      for i in (k + 1)..<max(k + 1, n) {
        let f = a[i * n + k] / p
        for j in k..<n { a[i * n + j] -= f * a[k * n + j] }
      }
    }
    return result
  }

  /// `inverse` [n, n] = A⁻¹ by Gauss–Jordan elimination with partial pivoting; `a` is overwritten.
  static func invert(_ a: UnsafeMutablePointer<Double>, n: Int, into inverse: UnsafeMutablePointer<Double>) {
    for i in 0..<(n * n) { inverse[i] = i / n == i % n ? 1 : 0 }
    for k in 0..<n {
      let pivot = pivotRow(a, n: n, column: k, from: k)
      precondition(a[pivot * n + k] != 0, "singular matrix (column \(k)) has no inverse")
      swapRows(a, n: n, k, pivot)
      swapRows(inverse, n: n, k, pivot)
      let p = 1 / a[k * n + k]
      for j in 0..<n {
        a[k * n + j] *= p
        inverse[k * n + j] *= p
      }
      for i in 0..<n where i != k {
        let f = a[i * n + k]
        guard f != 0 else { continue }
        for j in 0..<n {
          a[i * n + j] -= f * a[k * n + j]
          inverse[i * n + j] -= f * inverse[k * n + j]
        }
      }
    }
  }

  private static func pivotRow(_ a: UnsafeMutablePointer<Double>, n: Int, column k: Int, from start: Int) -> Int {
    var best = start
    for i in start..<n where Swift.abs(a[i * n + k]) > Swift.abs(a[best * n + k]) { best = i }
    return best
  }

  private static func swapRows(_ a: UnsafeMutablePointer<Double>, n: Int, _ r: Int, _ s: Int) {
    guard r != s else { return }
    for j in 0..<n { (a[r * n + j], a[s * n + j]) = (a[s * n + j], a[r * n + j]) }
  }
}

extension Arena {
  /// Arena memory for `count` Float64 values (64-byte aligned, so fit for Double whatever the
  /// arena's scalar), passed to `body` as Double; valid until the arena is reset.
  func withFloat64<R>(_ count: Int, _ body: (UnsafeMutablePointer<Double>) -> R) -> R {
    let scalars = (count * MemoryLayout<Double>.stride + MemoryLayout<Scalar>.stride - 1)
      / MemoryLayout<Scalar>.stride
    let memory = allocate(max(scalars, 1))
    return memory.withMemoryRebound(to: Double.self, capacity: count, body)
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
