import Autodiff
import TensorCore
import XCTest
import _TestSupport

/// Fused ops against the same computation written with the primitive ops (the readable
/// reference); their gradients are checked in `primitiveCases`.
final class FusedOpForwardTests: XCTestCase {
  private func random(_ shape: Shape, on tape: Tape<Double>, seed: UInt64) -> Variable<Double> {
    var rng = SeededGenerator(seed: seed)
    return tape.input(Tensor(shape: shape, scalars: (0..<shape.count).map { _ in
      Double.random(in: -2...2, using: &rng)
    }))
  }

  /// s(h) written with primitive ops.
  private func logScale(_ h: Variable<Double>, _ map: CouplingMap) -> Variable<Double> {
    switch map.scale {
    case .none: return h.scaled(by: 0)
    case .exp: return h
    case .tanh: return h.scaled(by: 1 / map.bound).tanh().scaled(by: map.bound)
    case .sigmoid: return (h + 2).logSigmoid()
    }
  }

  func testAffineCouplingMatchesPrimitiveComposite() {
    let updated = [3, 0], kept = [1, 2, 4]
    for scale in CouplingScale.allCases {
      for direction in CouplingDirection.allCases {
        let tape = Tape<Double>()
        let x = random([4, 5], on: tape, seed: 1), h = random([4, 6], on: tape, seed: 2)
        let map = CouplingMap(scale: scale, bound: 1.5, scaleOffset: 3, shiftOffset: 0)
        let fused = tape.affineCoupling(x, logScale: h, shift: h, map: map, updated: updated, kept: kept,
                                         direction: direction)

        let xu = x.gathered(indices: updated, alongAxis: 1)
        let s = logScale(h.sliced(alongAxis: 1, 3..<5), map), t = h.sliced(alongAxis: 1, 0..<2)
        let reference: Variable<Double>
        switch (scale == .sigmoid, direction) {
        case (false, .forward): reference = xu * s.exp() + t
        case (false, .inverse): reference = (xu - t) * s.negated().exp()
        case (true, .forward): reference = (xu + t) * s.exp()
        case (true, .inverse): reference = xu * s.negated().exp() - t
        }
        let name = "\(scale) \(direction)"
        for r in 0..<4 {
          for (j, c) in updated.enumerated() {
            XCTAssertEqual(fused.scalars[r * 5 + c], reference.scalars[r * 2 + j], accuracy: 1e-12, name)
          }
          for c in kept { XCTAssertEqual(fused.scalars[r * 5 + c], x.scalars[r * 5 + c], name) }
        }

        let logDet = tape.couplingLogScaleSum(h, map: map, count: 2, negated: direction == .inverse)
        let expected = direction == .inverse ? s.sum(alongAxes: [1]).negated() : s.sum(alongAxes: [1])
        XCTAssertEqual(logDet.shape, [4])
        for r in 0..<4 { XCTAssertEqual(logDet.scalars[r], expected.scalars[r], accuracy: 1e-12, name) }
      }
    }
  }
}

extension FusedOpForwardTests {
  func testDenseMatchesPrimitiveComposite() {
    let tape = Tape<Double>()
    let x = random([5, 4], on: tape, seed: 3), w = random([4, 3], on: tape, seed: 4)
    let b = random([3], on: tape, seed: 5)
    let mask = tape.input(Tensor(shape: [4, 3], scalars: [1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0]))
    let cases: [(UnaryFunction?, Double, Variable<Double>?)] = [
      (nil, 0, nil), (.relu, 0, nil), (.tanh, 0, mask), (.elu, 0.5, mask), (.sigmoid, 0, nil), (.exp, 0, mask),
    ]
    for (f, p, m) in cases {
      let fused = tape.dense(x, weight: w, bias: b, mask: m, activation: f, parameter: p)
      let affine = x.matmul(m.map { w * $0 } ?? w) + b
      let reference = f.map { tape.apply($0, to: affine, parameter: p) } ?? affine
      XCTAssertEqual(fused.shape, [5, 3])
      for (a, e) in zip(fused.scalars, reference.scalars) {
        XCTAssertEqual(a, e, accuracy: 1e-12, "\(f as Any) masked \(m != nil)")
      }
    }
  }
}

extension FusedOpForwardTests {
  func testPrefixMaskedDenseMatchesGeneralMask() {
    let tape = Tape<Double>()
    let x = random([3, 4], on: tape, seed: 6), w = random([4, 5], on: tape, seed: 7)
    let b = random([5], on: tape, seed: 8)
    let dense = tape.input(Tensor(shape: [4, 5], scalars: [1, 1, 1, 0, 1, 1, 1, 1, 0, 0,
                                                           0, 0, 1, 0, 0, 0, 0, 1, 0, 0]))
    let fused = tape.dense(x, weight: w, bias: b, mask: prefixMask, activation: .tanh)
    let reference = tape.dense(x, weight: w, bias: b, mask: dense, activation: .tanh)
    for (a, e) in zip(fused.scalars, reference.scalars) { XCTAssertEqual(a, e, accuracy: 1e-12) }

    // Growing prefixes take the row-band path.
    let square = random([4, 4], on: tape, seed: 9), b4 = random([4], on: tape, seed: 10)
    let growing = tape.input(Tensor(shape: [4, 4], scalars: [1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1]))
    let banded = tape.dense(x.sliced(alongAxis: 1, 0..<4), weight: square, bias: b4, mask: growingPrefixMask)
    let general = tape.dense(x.sliced(alongAxis: 1, 0..<4), weight: square, bias: b4, mask: growing)
    for (a, e) in zip(banded.scalars, general.scalars) { XCTAssertEqual(a, e, accuracy: 1e-12) }
  }
}
