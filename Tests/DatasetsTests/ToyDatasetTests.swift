import Datasets
import XCTest

/// The toy sets: keyed generation (example i depends only on seed and i) and each density's
/// moments against values derived by hand from its definition.
final class ToyDatasetTests: XCTestCase {
  func testExampleDependsOnlyOnSeedAndIndex() throws {
    for distribution in ToyDistribution.allCases {
      let small = ToyDataset(distribution, count: 10, seed: 7)
      let large = ToyDataset(distribution, count: 100_000, seed: 7)
      XCTAssertEqual(small.example(3), large.example(3), "\(distribution)")
      XCTAssertEqual(small.example(9), large.example(9), "\(distribution)")
      XCTAssertNotEqual(small.example(3), ToyDataset(distribution, count: 10, seed: 8).example(3), "\(distribution)")
      XCTAssertNotEqual(small.example(3), small.example(4), "\(distribution)")

      let indices = [9, 0, 3, 3]
      var out = [Float](repeating: .nan, count: 2 * indices.count)
      try indices.withUnsafeBufferPointer { i in try out.withUnsafeMutableBufferPointer { try small.copyExamples(i, into: $0) } }
      XCTAssertEqual(out, indices.flatMap { [Float(small.example($0).x), Float(small.example($0).y)] }, "\(distribution)")
      XCTAssertEqual(small.exampleShape, [2])
    }
  }

  func testNamesAreTheConfigSpellings() {
    XCTAssertEqual(ToyDistribution.allCases.map(\.rawValue),
                   ["moons", "circles", "checkerboard", "8gaussians", "pinwheel", "2spirals"])
  }

  /// E[x], E[y] and E[x² + y²] from each definition (the derivations are in the comments), checked
  /// within 4.5 standard errors of the sample means of 50,000 points.
  func testMomentsMatchTheDefinitions() {
    let pi = Double.pi
    let cases: [(ToyDistribution, mean: SIMD2<Double>, meanSquaredNorm: Double)] = [
      // ½(E[cos²t] + E[(1 − cos t)²]) + ½(E[sin²t] + E[(½ − sin t)²]) + 2·0.05², E[sin t] = 2/π.
      (.moons, [0.5, 0.25], 1.63 - 1 / pi),
      // ½(3² + 1.5²) + 2·0.24².
      (.circles, [0, 0], 5.625 + 2 * 0.24 * 0.24),
      // Both marginals are uniform on [−4, 4]: 2·16/3.
      (.checkerboard, [0, 0], 32.0 / 3),
      // (2√2)² + 2·(0.5/√2)².
      (.eightGaussians, [0, 0], 8.25),
      // 4·(E[(1 + 0.3n)²] + E[(0.1n)²]).
      (.pinwheel, [0, 0], 4.4),
      // t = 3π√u has density 2t/(9π²) on [0, 3π]: E[t²] = 9π²/2, E[t cos t] = −4/(3π),
      // E[t sin t] = 2 − 8/(9π²); then (E[t²] − ½E[t cos t] + ½E[t sin t] + ¼·2/3)/9 + 2·0.1².
      (.twoSpirals, [0, 0], (9 * pi * pi / 2 + 2 / (3 * pi) + 1 - 4 / (9 * pi * pi) + 1.0 / 6) / 9 + 0.02),
    ]
    let n = 50_000
    for (distribution, mean, meanSquaredNorm) in cases {
      let data = ToyDataset(distribution, count: n, seed: 11)
      let points = (0..<n).map(data.example)
      assertMean(points.map(\.x), mean.x, "\(distribution) E[x]")
      assertMean(points.map(\.y), mean.y, "\(distribution) E[y]")
      assertMean(points.map { ($0 * $0).sum() }, meanSquaredNorm, "\(distribution) E[|p|²]")
    }
  }

  private func assertMean(_ values: [Double], _ expected: Double, _ label: String) {
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    let standardError = (variance / n).squareRoot()
    XCTAssertLessThan(abs(mean - expected), 4.5 * standardError, "\(label): sample \(mean), expected \(expected)")
  }

  func testCheckerboardIsUniformOnTheEvenCells() {
    let data = ToyDataset(.checkerboard, count: 16_000, seed: 3)
    var counts = [Int](repeating: 0, count: 16)
    for i in 0..<data.count {
      let p = data.example(i)
      XCTAssertTrue(p.x >= -4 && p.x < 4 && p.y >= -4 && p.y < 4, "point \(p) outside [-4, 4)²")
      let column = Int(((p.x + 4) / 2).rounded(.down)), row = Int(((p.y + 4) / 2).rounded(.down))
      counts[4 * row + column] += 1
    }
    let expected = Double(data.count) / 8
    var chiSquare = 0.0
    for row in 0..<4 {
      for column in 0..<4 {
        let count = counts[4 * row + column]
        if (row + column) % 2 == 1 {
          XCTAssertEqual(count, 0, "odd cell (\(column), \(row)) holds points")
        } else {
          chiSquare += (Double(count) - expected) * (Double(count) - expected) / expected
        }
      }
    }
    XCTAssertLessThan(chiSquare, 24.3, "χ² with 7 degrees of freedom above its 0.999 quantile: \(counts)")
  }

  func testEightGaussiansClustersHaveTheirWidth() {
    let data = ToyDataset(.eightGaussians, count: 16_000, seed: 5)
    var counts = [Int](repeating: 0, count: 8)
    var squares = 0.0
    for i in 0..<data.count {
      let p = data.example(i)
      let k = (Int((atan2(p.y, p.x) / (.pi / 4)).rounded()) + 8) % 8
      let angle = Double(k) * .pi / 4
      let offset = p - 2 * 2.0.squareRoot() * SIMD2(cos(angle), sin(angle))
      squares += (offset * offset).sum()
      counts[k] += 1
    }
    // Per-coordinate variance 0.125; the standard error of 2N squared normals is ~1.1%.
    XCTAssertEqual(squares / Double(2 * data.count), 0.125, accuracy: 0.125 * 0.05)
    for count in counts { XCTAssertEqual(Double(count), 2000, accuracy: 4 * (2000 * 7.0 / 8).squareRoot()) }
  }

  func testMoonsLieOnTheirArcs() {
    let data = ToyDataset(.moons, count: 5000, seed: 1)
    for i in 0..<data.count {
      let p = data.example(i)
      // Distance to the upper arc (centre (0, 0)) or the lower arc (centre (1, ½)), radius 1.
      let upper = abs(((p * p).sum()).squareRoot() - 1)
      let q = p - SIMD2(1, 0.5)
      let lower = abs(((q * q).sum()).squareRoot() - 1)
      XCTAssertLessThan(min(upper, lower), 6 * 0.05, "point \(p) of example \(i) is off both moons")
    }
  }
}
