import TensorCore
import XCTest
import _TestSupport

final class PermuteTests: XCTestCase {
  /// Output entry at multi-index i equals the input at the index with axes put back.
  func testApplyMatchesManualIndexing() {
    var rng = SeededGenerator(seed: 7)
    for rank in 1...6 {
      for _ in 0..<4 {
        let shape = Shape((0..<rank).map { _ in Int.random(in: 1...3, using: &rng) })
        let permutation = Shape(Array(0..<rank).shuffled(using: &rng))
        let x: [Float] = testValues(shape.count)
        var y = [Float](repeating: .nan, count: shape.count)
        Permute.apply(x, shape: shape, permutation: permutation, into: &y)
        let out = Permute.permuted(shape, by: permutation)
        for i in 0..<out.count {
          let index = NaiveIndexing.multiIndex(i, in: out)
          var source = [Int](repeating: 0, count: rank)
          for axis in 0..<rank { source[permutation[axis]] = index[axis] }
          XCTAssertEqual(y[i], x[NaiveIndexing.flat(source, in: shape)], "\(shape) by \(permutation)")
        }
      }
    }
  }

  func testMatrixTranspose() {
    let x: [Float] = [1, 2, 3, 4, 5, 6]  // [2, 3]
    var y = [Float](repeating: 0, count: 6)
    Permute.apply(x, shape: [2, 3], permutation: [1, 0], into: &y)
    XCTAssertEqual(y, [1, 4, 2, 5, 3, 6])
  }

  /// The gradient kernel adds the inversely permuted upstream, so permuting back recovers x.
  func testAccumulateInverseUndoesApply() {
    let shape: Shape = [2, 3, 1, 4]
    let permutation: Shape = [3, 0, 2, 1]
    let x: [Double] = testValues(shape.count)
    var y = [Double](repeating: 0, count: shape.count)
    Permute.apply(x, shape: shape, permutation: permutation, into: &y)
    var back = [Double](repeating: 1, count: shape.count)
    Permute.accumulateInverse(y, shape: shape, permutation: permutation, into: &back)
    XCTAssertEqual(back, x.map { $0 + 1 })
    XCTAssertEqual(Permute.inverse(of: permutation), [1, 3, 2, 0])
  }

  func testRejectsNonPermutations() {
    XCTAssertTrue(Permute.isPermutation([2, 0, 1], rank: 3))
    XCTAssertFalse(Permute.isPermutation([0, 0, 1], rank: 3))
    XCTAssertFalse(Permute.isPermutation([0, 3, 1], rank: 3))
    XCTAssertFalse(Permute.isPermutation([0, 1], rank: 3))
  }
}
