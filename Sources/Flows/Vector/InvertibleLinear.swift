import Autodiff
import Foundation
import TensorCore

/// An invertible linear map of vectors [batch, D] with an LU-parameterized weight.
///
/// ```
/// W = P · L · (U + diag(sign · exp(logs))),   z = x · Wᵀ   (z_b = W · x_b per example)
/// log|det W| = Σ logs
/// ```
/// P is a fixed permutation, L unit lower triangular and U strictly upper triangular; `sign` is
/// fixed. L and U are stored as full [D, D] parameters of which only the strict triangle is used
/// (the other entries get zero gradients and never move). The inverse is two differentiable
/// triangular solves, `x_b = (U + diag)⁻¹ · L⁻¹ · Pᵀ · z_b`, so it can be trained through
/// (IAF-style use or sampling losses) like the forward.
///
/// Initialized from the LU factors of a random rotation, so it starts volume-preserving
/// (Σ logs = 0). P and sign come from that rotation: they are drawn from `seed` and `index` at
/// construction, so rebuilding the model with the same seed reproduces them (a checkpoint holds
/// only L, U and logs).
/// Reference: Kingma & Dhariwal 2018 (Glow, LU-decomposed invertible 1×1 convolution).
public struct InvertibleLinear: InvertibleFlowLayer {
  public let dimension: Int
  /// Row i of W is row `permutation[i]` of L · (U + diag).
  public let permutation: [Int]
  public let inversePermutation: [Int]
  /// [D] ±1, the fixed signs of U's diagonal.
  public let sign: [Double]
  /// [D, D], the strictly lower triangle is L's.
  public let lower: ParameterSlice
  /// [D, D], the strictly upper triangle is U's.
  public let upper: ParameterSlice
  /// [D] log|diagonal of U|.
  public let logScale: ParameterSlice

  /// The rotation is drawn from the stream (seed, parameterInit, major 2²³ + 1, minor `index`),
  /// apart from the store's per-slice streams and `Permutation`'s; `index` tells layers apart.
  public init<S: TensorScalar>(_ name: String, dimension: Int, seed: UInt64, index: Int,
                               parameters: ParameterStore<S>) {
    precondition(dimension >= 1, "invertible linear needs a dimension ≥ 1, got \(dimension)")
    let stream = RandomStream(seed: seed, purpose: .parameterInit, major: (1 << 23) + 1, minor: index)
    let rotation = ParameterInitializer.randomOrthogonalMatrix(order: dimension, stream: stream)
    let lu: PivotedLU<Double>
    do { lu = try PivotedLU(rotation, n: dimension) } catch { preconditionFailure("LU of a random rotation: \(error)") }
    let diagonal = (0..<dimension).map { lu.upper[$0 * dimension + $0] }
    self.dimension = dimension
    permutation = lu.permutation
    var inverse = [Int](repeating: 0, count: dimension)
    for (i, p) in permutation.enumerated() { inverse[p] = i }
    inversePermutation = inverse
    sign = diagonal.map { $0 < 0 ? -1 : 1 }
    lower = parameters.add("\(name).lower", shape: [dimension, dimension], initializer: .values(lu.lower))
    upper = parameters.add("\(name).upper", shape: [dimension, dimension],
                           initializer: .values(zip(lu.upper, SquareMask.strictlyUpper(dimension)).map { $0 * $1 }))
    logScale = parameters.add("\(name).logs", shape: [dimension],
                              initializer: .values(diagonal.map { Foundation.log(Swift.abs($0)) }))
  }

  /// [D, D] U + diag(sign · exp(logs)).
  private func upperFactor<S: TensorScalar>(on tape: Tape<S>) -> Variable<S> {
    let d = dimension
    let diagonal = tape.parameter(logScale).exp() * tape.constant(sign, shape: [d])
    return tape.parameter(upper) * tape.constant(SquareMask.strictlyUpper(d), shape: [d, d])
      + tape.constant(SquareMask.identity(d), shape: [d, d]) * diagonal
  }

  /// [D, D] the weight W = P · L · (U + diag(sign · exp(logs))).
  public func weight<S: TensorScalar>(on tape: Tape<S>) -> Variable<S> {
    let d = dimension
    let l = tape.parameter(lower) * tape.constant(SquareMask.strictlyLower(d), shape: [d, d])
      + tape.constant(SquareMask.identity(d), shape: [d, d])
    return l.matmul(upperFactor(on: tape)).gathered(indices: permutation, alongAxis: 0)
  }

  private func logAbsDet<S: TensorScalar>(_ x: Variable<S>) -> Variable<S> {
    x.zeroLogAbsDet() + x.tape.parameter(logScale).sum()
  }

  public func forward<S: TensorScalar>(_ x: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    precondition(x.shape.rank == 2 && x.shape[1] == dimension,
                 "invertible linear over \(dimension) dimensions got input \(x.shape)")
    let z = x.matmul(weight(on: x.tape), transposeB: true)
    return FlowResult(output: z, logAbsDet: logAbsDet(x))
  }

  public func inverse<S: TensorScalar>(_ z: Variable<S>, condition: Variable<S>?) -> FlowResult<S> {
    precondition(z.shape.rank == 2 && z.shape[1] == dimension,
                 "invertible linear over \(dimension) dimensions got input \(z.shape)")
    let tape = z.tape
    // Pᵀ z, then L⁻¹ (the raw parameter: the solve reads only its strict lower triangle), then
    // (U + diag)⁻¹.
    let unpermuted = z.gathered(indices: inversePermutation, alongAxis: 1)
    let y = tape.parameter(lower).triangularSolve(unpermuted, triangle: Triangle(lower: true, unitDiagonal: true))
    let x = upperFactor(on: tape).triangularSolve(y, triangle: Triangle(lower: false, unitDiagonal: false))
    return FlowResult(output: x, logAbsDet: logAbsDet(z).negated())
  }
}
