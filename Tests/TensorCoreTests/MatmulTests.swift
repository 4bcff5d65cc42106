import TensorCore
import XCTest
import _TestSupport

/// Batched GEMM and its gradients against direct loops, for every transpose combination.
final class MatmulTests: XCTestCase {
  func testEveryTransposeCombinationMatchesLoops() {
    var seed: UInt64 = 70
    for batch in [1, 3] {
      for transposeA in [false, true] {
        for transposeB in [false, true] {
          let d = MatmulDimensions(batch: batch, m: 4, n: 5, k: 3,
                                   transposeA: transposeA, transposeB: transposeB)
          check(d, Double.self, seed: seed)
          check(d, Float.self, seed: seed)
          seed += 1
        }
      }
    }
  }

  func testDimensionsFromStoredShapes() {
    let d = MatmulDimensions(a: [2, 3, 4], b: [2, 5, 3], transposeA: true, transposeB: true)
    XCTAssertEqual(d, MatmulDimensions(batch: 2, m: 4, n: 5, k: 3, transposeA: true, transposeB: true))
    XCTAssertEqual(d.outputShape(rank: 3), [2, 4, 5])
    let e = MatmulDimensions(a: [6, 2], b: [2, 7], transposeA: false, transposeB: false)
    XCTAssertEqual(e.outputShape(rank: 2), [6, 7])
  }

  func testForwardAddsBetaTimesC() {
    let d = MatmulDimensions(batch: 2, m: 3, n: 2, k: 4)
    var rng = SeededGenerator(seed: 90)
    let a = KernelCheck.random(d.batch * d.m * d.k, &rng), b = KernelCheck.random(d.batch * d.k * d.n, &rng)
    let c0 = KernelCheck.random(d.batch * d.m * d.n, &rng)
    var c = c0
    Matmul.forward(d, a: a, b: b, into: &c, beta: 0.5)
    KernelCheck.assertClose(c, zip(MatmulReference.product(d, a, b), c0).map { $0 + 0.5 * $1 }, "beta 0.5")
  }

  /// Forward into a NaN-filled output (beta 0 must ignore it), gradients onto non-zero accumulators.
  func check<S: TensorScalar>(_ d: MatmulDimensions, _: S.Type, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    let a = KernelCheck.random(d.batch * d.m * d.k, &rng), b = KernelCheck.random(d.batch * d.k * d.n, &rng)
    let dC = KernelCheck.random(d.batch * d.m * d.n, &rng)
    let label = "\(d)"
    var c = [S](repeating: .nan, count: dC.count)
    Matmul.forward(d, a: a.map { S($0) }, b: b.map { S($0) }, into: &c)
    KernelCheck.assertClose(c, MatmulReference.product(d, a, b), "product \(label)")

    let dA0 = KernelCheck.random(a.count, &rng), dB0 = KernelCheck.random(b.count, &rng)
    var dA = dA0.map { S($0) }, dB = dB0.map { S($0) }
    Matmul.accumulateGradientA(d, dC: dC.map { S($0) }, b: b.map { S($0) }, into: &dA)
    Matmul.accumulateGradientB(d, dC: dC.map { S($0) }, a: a.map { S($0) }, into: &dB)
    let expected = MatmulReference.gradients(d, a, b, dC: dC)
    KernelCheck.assertClose(dA, zip(dA0, expected.dA).map(+), "dA \(label)")
    KernelCheck.assertClose(dB, zip(dB0, expected.dB).map(+), "dB \(label)")
  }
}
