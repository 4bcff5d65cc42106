import TensorCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class UnaryFunctionTests: XCTestCase {
  /// Naive Float64 formulas, fine at moderate inputs.
  func reference(_ f: UnaryFunction, _ x: Double, _ p: Double) -> Double {
    switch f {
    case .exp: return Glibc.exp(x)
    case .log: return Glibc.log(x)
    case .sqrt: return x.squareRoot()
    case .square: return x * x
    case .softplus: return Glibc.log(1 + Glibc.exp(x))
    case .sigmoid: return 1 / (1 + Glibc.exp(-x))
    case .logSigmoid: return Glibc.log(1 / (1 + Glibc.exp(-x)))
    case .tanh: return Glibc.tanh(x)
    case .relu: return max(x, 0)
    case .elu: return x > 0 ? x : p * (Glibc.exp(x) - 1)
    case .abs: return Swift.abs(x)
    case .power: return Glibc.pow(x, p)
    }
  }

  func apply(_ f: UnaryFunction, _ x: [Float], parameter: Float = 0) -> [Float] {
    var y = [Float](repeating: .nan, count: x.count)
    Elementwise.apply(f, parameter: parameter, x, into: &y, count: x.count)
    return y
  }

  func testEveryFunctionMatchesNaiveFormulaInFloat() {
    let x: [Float] = [-3, -1.5, -0.25, 0.1, 0.5, 1.25, 2.75]
    for f in UnaryFunction.allCases {
      let domain = [.log, .sqrt, .power].contains(f) ? x.map { Swift.abs($0) } : x
      let p: Float = f == .power ? 2.5 : 0.7
      for (xi, yi) in zip(domain, apply(f, domain, parameter: p)) {
        let expected = reference(f, Double(xi), Double(p))
        XCTAssertEqual(Double(yi), expected, accuracy: 2e-6 * max(1, Swift.abs(expected)), "\(f)(\(xi))")
      }
    }
  }

  /// At ±80 the naive forms overflow or round to 0 or 1 in Float; the stable forms stay finite
  /// and keep the tiny tails (e^-80 ≈ 1.8e-35 is a normal Float).
  func testLogisticFunctionsAtPlusMinus80() {
    let tail = Glibc.exp(-80.0)
    let x: [Float] = [-80, 80]
    let softplus = apply(.softplus, x), logSigmoid = apply(.logSigmoid, x), sigmoid = apply(.sigmoid, x)
    XCTAssertEqual(Double(softplus[0]), tail, accuracy: 1e-6 * tail)
    XCTAssertEqual(softplus[1], 80)
    XCTAssertEqual(logSigmoid[0], -80)
    XCTAssertEqual(Double(logSigmoid[1]), -tail, accuracy: 1e-6 * tail)
    XCTAssertEqual(Double(sigmoid[0]), tail, accuracy: 1e-6 * tail)
    XCTAssertEqual(sigmoid[1], 1)
    // Derivatives: softplus' = σ(x), logSigmoid' = σ(−x); the small ones must not round to 0.
    var dSoftplus: [Float] = [0, 0], dLogSigmoid: [Float] = [0, 0]
    let ones: [Float] = [1, 1]
    Elementwise.accumulateDerivative(of: .softplus, parameter: 0, input: x, output: softplus,
                                     upstream: ones, into: &dSoftplus, count: 2)
    Elementwise.accumulateDerivative(of: .logSigmoid, parameter: 0, input: x, output: logSigmoid,
                                     upstream: ones, into: &dLogSigmoid, count: 2)
    XCTAssertEqual(Double(dSoftplus[0]), tail, accuracy: 1e-6 * tail)
    XCTAssertEqual(dSoftplus[1], 1)
    XCTAssertEqual(dLogSigmoid[0], 1)
    XCTAssertEqual(Double(dLogSigmoid[1]), tail, accuracy: 1e-6 * tail)
  }

  func testDerivativesAccumulateAndPowerZeroIsConstant() {
    let x: [Float] = [0, 2]
    var dx: [Float] = [1, 1]
    Elementwise.accumulateDerivative(of: .square, parameter: 0, input: x, output: apply(.square, x),
                                     upstream: [3, 3], into: &dx, count: 2)
    XCTAssertEqual(dx, [1, 13])
    Elementwise.accumulateDerivative(of: .power, parameter: 0, input: x, output: apply(.power, x),
                                     upstream: [1, 1], into: &dx, count: 2)
    XCTAssertEqual(dx, [1, 13])
  }

  /// Storing the derivative into uninitialized memory gives exactly what adding it to zeros gives,
  /// for every function, including x = 0 and a non-finite dy where relu's derivative is 0.
  func testStoredDerivativeEqualsTheOneAddedToZeros() {
    let x: [Float] = [0.5, 1.5, 0, -0.75, 2, 3, -2, 0.25]
    let dy: [Float] = [0.3, -1.2, 0.7, .infinity, 0.1, -0.4, 2.5, 1]
    for f in UnaryFunction.allCases {
      for p: Float in [0, 1.5] {
        let input = [.log, .sqrt].contains(f) ? x.map { Swift.abs($0) + 0.5 } : x
        let y = apply(f, input, parameter: p)
        var added = [Float](repeating: 0, count: x.count), stored = [Float](repeating: .nan, count: x.count)
        Elementwise.accumulateDerivative(of: f, parameter: p, input: input, output: y, upstream: dy, into: &added,
                                         count: x.count)
        Elementwise.accumulateDerivative(of: f, parameter: p, input: input, output: y, upstream: dy, into: &stored,
                                         count: x.count, overwrite: true)
        XCTAssertEqual(stored.map(\.bitPattern), added.map(\.bitPattern), "\(f), parameter \(p)")
      }
    }
  }
}
