import Autodiff
import TensorCore
import XCTest
import _TestSupport

/// The fixture table of every primitive: adding an op means adding one line here.
let primitiveCases: [GradientCase] = [
  GradientCase("scaled", [.init([2, 3])]) { _, x in x[0].scaled(by: -2.5) },
  GradientCase("sum", [.init([3, 4])]) { _, x in x[0].sum() },
  // Binary operators with NumPy broadcasting.
  GradientCase("add", [.init([2, 3]), .init([2, 3])]) { _, x in x[0] + x[1] },
  GradientCase("add [2,3]+[3]", [.init([2, 3]), .init([3])]) { _, x in x[0] + x[1] },
  GradientCase("add []+[2,3]", [.init([]), .init([2, 3])]) { _, x in x[0] + x[1] },
  GradientCase("subtract [3]-[2,3]", [.init([3]), .init([2, 3])]) { _, x in x[0] - x[1] },
  GradientCase("subtract [2,1,4]-[3,1]", [.init([2, 1, 4]), .init([3, 1])]) { _, x in x[0] - x[1] },
  GradientCase("multiply [2,1,4]*[3,1]", [.init([2, 1, 4]), .init([3, 1])]) { _, x in x[0] * x[1] },
  GradientCase("multiply [2,3,4]*[3,1]", [.init([2, 3, 4]), .init([3, 1])]) { _, x in x[0] * x[1] },
  GradientCase("multiply x*x", [.init([2, 3])]) { _, x in x[0] * x[0] },
  GradientCase("divide [2,3]/[2,1]", [.init([2, 3]), .init([2, 1], in: 0.5...2)]) { _, x in x[0] / x[1] },
  GradientCase("divide [1,4]/[3,1]", [.init([1, 4]), .init([3, 1], in: -2 ... -0.5)]) { _, x in x[0] / x[1] },
  GradientCase("divide []/[]", [.init([]), .init([], in: 0.5...2)]) { _, x in x[0] / x[1] },
  GradientCase("x + c, c - x", [.init([2, 3])]) { _, x in (x[0] + 1.5) * (2 - x[0]) },
  GradientCase("c + x, x - c", [.init([3])]) { _, x in (0.5 + x[0]) * (x[0] - 3) },
  GradientCase("x * c, c * x", [.init([3])]) { _, x in (x[0] * 1.5) * (-2 * x[0]) },
  GradientCase("x / c, c / x", [.init([2, 2], in: 0.5...2)]) { _, x in x[0] / 4 + 3 / x[0] },
  GradientCase("negated", [.init([2, 3])]) { _, x in -x[0] },
  // Element-wise functions.
  GradientCase("exp", [.init([2, 3], in: -2...2)]) { _, x in x[0].exp() },
  GradientCase("log", [.init([2, 3], in: 0.5...3)]) { _, x in x[0].log() },
  GradientCase("sqrt", [.init([2, 3], in: 0.5...3)]) { _, x in x[0].sqrt() },
  GradientCase("square", [.init([2, 3])]) { _, x in x[0].square() },
  GradientCase("softplus", [.init([2, 3], in: -4...4)]) { _, x in x[0].softplus() },
  GradientCase("softplus large", [.init([2, 2], in: 20...30)]) { _, x in (-x[0]).softplus() + x[0].softplus() },
  GradientCase("sigmoid", [.init([2, 3], in: -4...4)]) { _, x in x[0].sigmoid() },
  GradientCase("logSigmoid", [.init([2, 3], in: -4...4)]) { _, x in x[0].logSigmoid() },
  GradientCase("logSigmoid large", [.init([2, 2], in: 20...30)]) { _, x in (-x[0]).logSigmoid() + x[0].logSigmoid() },
  GradientCase("tanh", [.init([2, 3], in: -2...2)]) { _, x in x[0].tanh() },
  GradientCase("relu", [.init([2, 3])]) { _, x in x[0].relu() },
  GradientCase("elu", [.init([2, 3], in: -2...2)]) { _, x in x[0].elu(alpha: 0.7) },
  GradientCase("abs", [.init([2, 3])]) { _, x in x[0].abs() },
  GradientCase("pow 3", [.init([2, 3], in: -2...2)]) { _, x in x[0].pow(3) },
  GradientCase("pow -1.5", [.init([2, 3], in: 0.5...2)]) { _, x in x[0].pow(-1.5) },
  // Reductions.
  GradientCase("sum axis 1", [.init([2, 3, 4])]) { _, x in x[0].sum(alongAxes: [1]) },
  GradientCase("sum axes 0,2 kept", [.init([2, 3, 4])]) { _, x in x[0].sum(alongAxes: [0, 2], keepingDimensions: true) },
  GradientCase("sum axes -1,1", [.init([2, 3, 2, 2])]) { _, x in x[0].sum(alongAxes: [-1, 1]) },
  GradientCase("sum all axes", [.init([2, 3])]) { _, x in x[0].sum(alongAxes: [0, 1]) },
  GradientCase("mean axes 1,2", [.init([2, 3, 4])]) { _, x in x[0].mean(alongAxes: [1, 2]) },
  GradientCase("mean", [.init([3, 4])]) { _, x in x[0].mean() },
  GradientCase("logSumExp axis 1", [.init([2, 3, 4], in: -3...3)]) { _, x in x[0].logSumExp(alongAxis: 1) },
  GradientCase("logSumExp axis -1 kept", [.init([3, 5], in: -3...3)]) { _, x in x[0].logSumExp(alongAxis: -1, keepingDimensions: true) },
  GradientCase("logSumExp large", [.init([2, 4], in: 200...210)], tolerance: 1e-5) { _, x in x[0].logSumExp(alongAxis: 1) },
  // Shape operations.
  GradientCase("reshaped", [.init([2, 3, 4])]) { _, x in x[0].reshaped(to: [4, -1]) * x[0].reshaped(to: [4, 6]) },
  GradientCase("transposed [2,0,1]", [.init([2, 3, 4])]) { _, x in x[0].transposed([2, 0, 1]) },
  GradientCase("transposed rank 6", [.init([2, 1, 3, 2, 1, 2])]) { _, x in x[0].transposed([5, 2, 0, 4, 3, 1]) },
  GradientCase("transposed()", [.init([3, 4])]) { _, x in x[0].transposed() * x[0].transposed().square() },
  GradientCase("concatenate 2 axis 1", [.init([2, 1, 3]), .init([2, 2, 3])]) { t, x in t.concatenate(x[0], x[1], alongAxis: 1) },
  GradientCase("concatenate 4 axis 0", [.init([1, 2]), .init([2, 2]), .init([1, 2]), .init([3, 2])]) { t, x in t.concatenate(x[0], x[1], x[2], x[3], alongAxis: 0) },
  GradientCase("concatenate 6 chained", (0..<6).map { .init([2, $0 % 3 + 1]) }) { t, x in t.concatenate(x, alongAxis: -1) },
  GradientCase("sliced", [.init([3, 5, 2])]) { _, x in x[0].sliced(alongAxis: 1, 1..<4) },
  GradientCase("split sizes", [.init([2, 5])]) { t, x in
    let p = x[0].split(alongAxis: 1, sizes: [1, 2, 2])
    return t.concatenate([p[2].square(), p[0], p[1].exp()], alongAxis: 1)
  },
  GradientCase("split at", [.init([4, 3])]) { _, x in
    let (a, b) = x[0].split(alongAxis: 0, at: 1)
    return a * b.sigmoid()
  },
  GradientCase("squeezed", [.init([2, 2, 4, 6])]) { _, x in x[0].squeezed() },
  GradientCase("squeezed factor 3", [.init([1, 2, 3, 6])]) { _, x in x[0].squeezed(factor: 3) },
  GradientCase("unsqueezed", [.init([2, 8, 2, 3])]) { _, x in x[0].unsqueezed() },
  GradientCase("gathered rows", [.init([3, 4])]) { _, x in x[0].gathered(indices: [2, 0, 2, 1, 2]) },
  GradientCase("gathered axis 1", [.init([2, 3, 2])]) { _, x in x[0].gathered(indices: [1, 1, 0], alongAxis: 1) },
  GradientCase("matmul", [.init([3, 4]), .init([4, 2])]) { _, x in x[0].matmul(x[1]) },
  GradientCase("batchedMatmul", [.init([2, 3, 4]), .init([2, 4, 2])]) { _, x in x[0].batchedMatmul(x[1]) },
  GradientCase("conv2d", [.init([2, 2, 4, 5]), .init([3, 2, 3, 3]), .init([3])]) { _, x in x[0].conv2d(x[1], bias: x[2], padding: 1) },
  GradientCase("conv1d", [.init([2, 2, 7]), .init([3, 2, 3]), .init([3])]) { _, x in x[0].conv1d(x[1], bias: x[2], padding: 2, dilation: 2) },
  // Triangular solves: entries of A outside the triangle must get exactly zero gradient.
  GradientCase("triangularSolve lower", [.init([3, 3], in: 1...2), .init([4, 3])]) { _, x in
    x[0].triangularSolve(x[1], triangle: Triangle(lower: true, unitDiagonal: false))
  },
  GradientCase("triangularSolve upper", [.init([4, 4], in: 1...2), .init([2, 4])]) { _, x in
    x[0].triangularSolve(x[1], triangle: Triangle(lower: false, unitDiagonal: false))
  },
  GradientCase("triangularSolve lower unit", [.init([3, 3]), .init([2, 3])]) { _, x in
    x[0].triangularSolve(x[1], triangle: Triangle(lower: true, unitDiagonal: true))
  },
  GradientCase("triangularSolve upper unit", [.init([3, 3]), .init([3, 3])]) { _, x in
    x[0].triangularSolve(x[1], triangle: Triangle(lower: false, unitDiagonal: true))
  },
  // Fused dense layer y = f(x · (W ⊙ M) + b); the mask is a constant made inside the case.
  GradientCase("dense", [.init([3, 4]), .init([4, 2]), .init([2])]) { t, x in
    t.dense(x[0], weight: x[1], bias: x[2])
  },
  GradientCase("dense relu", [.init([3, 4]), .init([4, 5]), .init([5])]) { t, x in
    t.dense(x[0], weight: x[1], bias: x[2], activation: .relu)
  },
  GradientCase("dense tanh masked", [.init([3, 4]), .init([4, 3]), .init([3])]) { t, x in
    t.dense(x[0], weight: x[1], bias: x[2], mask: denseMask(t), activation: .tanh)
  },
  GradientCase("dense elu 0.7 masked", [.init([2, 4]), .init([4, 3]), .init([3])]) { t, x in
    t.dense(x[0], weight: x[1], bias: x[2], mask: denseMask(t), activation: .elu, parameter: 0.7)
  },
  GradientCase("dense sigmoid, exp", [.init([2, 3]), .init([3, 3]), .init([3])]) { t, x in
    t.dense(x[0], weight: x[1], bias: x[2], activation: .sigmoid) * t.dense(x[0], weight: x[1], bias: x[2], activation: .exp)
  },
  GradientCase("dense prefix mask relu", [.init([3, 4]), .init([4, 5]), .init([5])]) { t, x in
    t.dense(x[0], weight: x[1], bias: x[2], mask: prefixMask, activation: .relu)
  },
  GradientCase("dense prefix mask, x used twice", [.init([2, 4]), .init([4, 5]), .init([5])]) { t, x in
    t.dense(x[0], weight: x[1], bias: x[2], mask: prefixMask) * t.dense(x[0], weight: x[1], bias: x[2], mask: prefixMask, activation: .tanh)
  },
  GradientCase("dense prefix mask, prefixes growing (row bands)", [.init([3, 4]), .init([4, 4]), .init([4])]) { t, x in
    t.dense(x[0], weight: x[1], bias: x[2], mask: growingPrefixMask, activation: .sigmoid)
  },
  // Fused affine coupling: columns 3 and 0 updated (out of order), log-scales read from h's
  // columns 3..<5 and shifts from 0..<2 of a wider h.
  couplingCase(.none, .forward), couplingCase(.none, .inverse),
  couplingCase(.exp, .forward), couplingCase(.exp, .inverse),
  couplingCase(.tanh, .forward), couplingCase(.tanh, .inverse),
  couplingCase(.sigmoid, .forward), couplingCase(.sigmoid, .inverse),
  GradientCase("affineCoupling tanh inverse, separate sources, all columns", [.init([3, 3]), .init([3, 3], in: -2...2), .init([3, 6])]) { t, x in
    t.affineCoupling(x[0], logScale: x[1], shift: x[2], map: CouplingMap(scale: .tanh, bound: 3, scaleOffset: 0, shiftOffset: 3),
                     updated: [0, 1, 2], kept: [], direction: .inverse)
  },
  GradientCase("affineCoupling exp forward, separate sources", [.init([3, 3]), .init([3, 2]), .init([3, 5])]) { t, x in
    t.affineCoupling(x[0], logScale: x[1], shift: x[2], map: CouplingMap(scale: .exp, scaleOffset: 0, shiftOffset: 2),
                     updated: [2, 0], kept: [1], direction: .forward)
  },
  GradientCase("couplingLogScaleSum exp", [.init([3, 6], in: -2...2)]) { t, x in
    t.couplingLogScaleSum(x[0], map: couplingMap(.exp), count: 2, negated: false)
  },
  GradientCase("couplingLogScaleSum tanh negated", [.init([3, 6], in: -2...2)]) { t, x in
    t.couplingLogScaleSum(x[0], map: couplingMap(.tanh), count: 2, negated: true)
  },
  GradientCase("couplingLogScaleSum sigmoid", [.init([3, 6], in: -2...2)]) { t, x in
    t.couplingLogScaleSum(x[0], map: couplingMap(.sigmoid), count: 2, negated: false)
  },
  // Composites of the Flow++ conditioner (issue 10).
  GradientCase("concatELU axis 1", [.init([2, 3, 2, 2], in: -2...2)]) { _, x in x[0].concatELU() },
  GradientCase("layerNormalized axis 1", [.init([2, 4, 2, 3], in: -2...2)]) { _, x in x[0].layerNormalized() },
  GradientCase("softmax axis -1", [.init([2, 3, 5], in: -3...3)]) { _, x in x[0].softmax(alongAxis: -1) },
  GradientCase("dropout 0.4 keyed by step and example", [.init([3, 2, 2, 2])]) { t, x in
    t.stepNoise = StepNoise(seed: 5, step: 7, examples: [11, 3, 40])
    return x[0].dropout(rate: 0.4) * x[0].dropout(rate: 0.4)
  },
  // Self-attention over positions as the conditioner computes it: [N·heads, d, P] queries,
  // keys, values; softmax(qᵀk/√d) applied to v by batched GEMMs.
  GradientCase("attention by batchedMatmul", [.init([2, 3, 4]), .init([2, 3, 4]), .init([2, 3, 4])]) { _, x in
    let weights = x[0].batchedMatmul(x[1], transposeA: true).scaled(by: 1 / 3.0.squareRoot()).softmax(alongAxis: -1)
    return x[2].batchedMatmul(weights, transposeB: true)
  },
]

/// A constant [4, 3] 0/1 mask with a zero column and a zero row.
private func denseMask(_ tape: Tape<Double>) -> Variable<Double> {
  tape.input(Tensor(shape: [4, 3], scalars: [1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1]))
}

/// [4, 5] with column prefixes 2, 2, 4, 0, 1: runs of unequal widths and an all-zero column.
let prefixMask = PrefixMask([1, 1, 1, 0, 1,
                             1, 1, 1, 0, 0,
                             0, 0, 1, 0, 0,
                             0, 0, 1, 0, 0], rows: 4, columns: 5)!

/// [4, 4] with column prefixes 1, 3, 3, 4, as between MADE's sorted hidden layers.
let growingPrefixMask = PrefixMask([1, 1, 1, 1,
                                    0, 1, 1, 1,
                                    0, 1, 1, 1,
                                    0, 0, 0, 1], rows: 4, columns: 4)!

/// Log-scales at h's columns 3..<5 (tanh bounded by 1.5), shifts at 0..<2.
private func couplingMap(_ scale: CouplingScale) -> CouplingMap {
  CouplingMap(scale: scale, bound: 1.5, scaleOffset: 3, shiftOffset: 0)
}

private func couplingCase(_ scale: CouplingScale, _ direction: CouplingDirection) -> GradientCase {
  GradientCase("affineCoupling \(scale) \(direction)", [.init([3, 5]), .init([3, 6], in: -2...2)]) { t, x in
    t.affineCoupling(x[0], logScale: x[1], shift: x[1], map: couplingMap(scale), updated: [3, 0],
                     kept: [1, 2, 4], direction: direction)
  }
}

final class PrimitiveGradientTests: XCTestCase {
  func testEveryPrimitiveMatchesCentralDifferences() {
    for (i, c) in primitiveCases.enumerated() {
      for failure in checkGradients(c, seed: 1000 + UInt64(i)) { XCTFail(failure) }
    }
  }
}

final class DropoutTests: XCTestCase {
  /// A row's mask depends on its example index and the step, not on the batch it sits in, and
  /// the tape without step noise (evaluation) leaves x unchanged.
  func testMaskIsKeyedByExampleNotByBatchPosition() {
    func masks(_ examples: [Int], step: Int) -> [[Double]] {
      let tape = Tape<Double>()
      tape.stepNoise = StepNoise(seed: 3, step: step, examples: examples)
      let y = tape.constant(1, shape: [examples.count, 64]).dropout(rate: 0.5)
      return (0..<examples.count).map { Array(y.value[($0 * 64)..<(($0 + 1) * 64)]) }
    }
    let whole = masks([4, 9, 2, 7], step: 1)
    let half = masks([9, 7], step: 1)
    XCTAssertEqual(whole[1], half[0])
    XCTAssertEqual(whole[3], half[1])
    XCTAssertNotEqual(whole[1], masks([4, 9, 2, 7], step: 2)[1])
    let kept = whole.joined().filter { $0 != 0 }
    XCTAssertTrue(kept.allSatisfy { $0 == 2 })
    XCTAssertTrue((80...176).contains(kept.count), "\(kept.count) of 256 kept at rate 0.5")
    let eval = Tape<Double>()
    XCTAssertEqual(eval.constant(1, shape: [2, 3]).dropout(rate: 0.5).scalars, [1, 1, 1, 1, 1, 1])
  }
}
