import Datasets
import _TestSupport
import TensorCore
import XCTest

/// Tabular examples from N×D `.npy` files: row subsets, standardization and shape errors.
final class NpyExampleSourceTests: XCTestCase {
  private var directory: TemporaryDirectory!

  override func setUpWithError() throws { directory = try TemporaryDirectory() }
  override func tearDown() { directory = nil }

  private func copy(_ source: some ExampleSource, _ indices: [Int]) throws -> [Float] {
    var out = [Float](repeating: .nan, count: indices.count * source.exampleShape.count)
    try indices.withUnsafeBufferPointer { i in try out.withUnsafeMutableBufferPointer { try source.copyExamples(i, into: $0) } }
    return out
  }

  func testFittedStandardizationByHand() throws {
    let path = directory.file("x.npy")
    // Column 0: mean 3, population variance (4 + 1 + 0 + 9)/4 = 3.5. Column 1 is constant.
    try NpyWriter.write([Float](arrayLiteral: 1, 10, 2, 10, 3, 10, 6, 10), shape: [4, 2], to: path)
    let source = try NpyExampleSource(path: path, standardize: .fitted)
    XCTAssertEqual(source.count, 4)
    XCTAssertEqual(source.exampleShape, [2])
    XCTAssertEqual(source.standardization, Standardization(mean: [3, 10], std: [(3.5).squareRoot(), 1]))
    let s = (3.5).squareRoot()
    XCTAssertEqual(try copy(source, [3, 0]), [Float(3 / s), 0, Float(-2 / s), 0])
    XCTAssertEqual(source.standardization!.logAbsDet, -log(s), accuracy: 1e-15)
    XCTAssertEqual(try copy(NpyExampleSource(path: path), [2]), [3, 10])
  }

  func testGivenStatisticsAndInverse() throws {
    let path = directory.file("x.npy")
    try NpyWriter.write([Float](arrayLiteral: 1, 2, 3, 4, 5, 6), shape: [2, 3], to: path)
    let statistics = Standardization(mean: [1, 0, -1], std: [2, 4, 0.5])
    let source = try NpyExampleSource(path: path, standardize: .given(statistics))
    var row = try copy(source, [1])
    XCTAssertEqual(row, [1.5, 1.25, 14])
    row.withUnsafeMutableBufferPointer { statistics.invert(row: $0.baseAddress!) }
    XCTAssertEqual(row, [4, 5, 6])
    assertDataFileError(path, contains: "has 3 columns but the standardization has 2 entries") {
      _ = try NpyExampleSource(path: path, standardize: .given(Standardization(mean: [0, 0], std: [1, 1])))
    }
  }

  func testStatisticsFromMeanAndStdFiles() throws {
    let mean = directory.file("mean.npy"), std = directory.file("std.npy")
    try NpyWriter.write([Float](arrayLiteral: 0.5, -2), shape: [2], to: mean)
    try NpyWriter.write([Float](arrayLiteral: 0.25, 4), shape: [2], to: std)
    XCTAssertEqual(try Standardization(meanFile: mean, stdFile: std), Standardization(mean: [0.5, -2], std: [0.25, 4]))
    let zero = directory.file("zero.npy")
    try NpyWriter.write([Float](arrayLiteral: 1, 0), shape: [2], to: zero)
    assertDataFileError(zero, contains: "entry 1 is 0.0; every std must be finite and positive") {
      _ = try Standardization(meanFile: mean, stdFile: zero)
    }
    let three = directory.file("three.npy")
    try NpyWriter.write([Float](arrayLiteral: 1, 1, 1), shape: [3], to: three)
    assertDataFileError(three, contains: "has 3 entries but \(mean) has 2") {
      _ = try Standardization(meanFile: mean, stdFile: three)
    }
  }

  func testFloat64RowsAreStandardizedBeforeRounding() throws {
    let path = directory.file("x.npy")
    let values: [Double] = [1 + 0x1p-30, 0.1, 1 - 0x1p-30, 0.3]
    try NpyWriter.write(values, shape: [2, 2], to: path)
    XCTAssertEqual(try copy(NpyExampleSource(path: path), [0, 1]), values.map(Float.init))
    let source = try NpyExampleSource(path: path, standardize: .fitted)
    // Column 0's spread (2⁻³⁰) is below Float32's resolution at 1, but it standardizes to ∓1.
    XCTAssertEqual(try copy(source, [0, 1]), [1, -1, -1, 1])
    let wide = directory.file("wide.npy")
    try NpyWriter.write([Int64(1), 2], shape: [2, 1], to: wide)
    assertDataFileError(wide, contains: "dtype '<i8' cannot be read exactly as Float64") {
      _ = try copy(NpyExampleSource(path: wide), [0])
    }
  }

  func testShapeAndValueErrorsNameTheFile() throws {
    let vector = directory.file("vector.npy")
    try NpyWriter.write([Float](arrayLiteral: 1, 2, 3), shape: [3], to: vector)
    assertDataFileError(vector, contains: "needs a 2-D array (rows, features); for one feature save x.reshape(-1, 1)") {
      _ = try NpyExampleSource(path: vector)
    }
    let cube = directory.file("cube.npy")
    try NpyWriter.write([Float](repeating: 0, count: 8), shape: [2, 2, 2], to: cube)
    assertDataFileError(cube, contains: "flatten with x.reshape(len(x), -1)") { _ = try NpyExampleSource(path: cube) }
    let empty = directory.file("empty.npy")
    try NpyWriter.write([Float](), shape: [0, 3], to: empty)
    assertDataFileError(empty, contains: "needs at least one row") { _ = try NpyExampleSource(path: empty) }
    let holes = directory.file("holes.npy")
    try NpyWriter.write([Float](arrayLiteral: 1, 2, .nan, 4), shape: [2, 2], to: holes)
    assertDataFileError(holes, contains: "row 1, column 0 is nan") { _ = try NpyExampleSource(path: holes, standardize: .fitted) }
    let good = directory.file("good.npy")
    try NpyWriter.write([Float](arrayLiteral: 1, 2), shape: [1, 2], to: good)
    assertDataFileError(good, contains: "row 1 is out of range 0..<1") { _ = try copy(NpyExampleSource(path: good), [1]) }
  }

  func testFittedStatisticsMatchNumPy() throws {
    let path = directory.file("x.npy")
    var rng = SeededGenerator(seed: 42)
    let values = (0..<600).map { _ in Float.random(in: -3...7, using: &rng) }
    try NpyWriter.write(values, shape: [200, 3], to: path)
    let fitted = try Standardization(fittedTo: NpyArray(contentsOf: path))
    let output = try Python.run("""
      import sys, numpy as np
      x = np.load(sys.argv[1]).astype(np.float64)
      print(' '.join(repr(float(v)) for v in list(x.mean(0)) + list(x.std(0))))
      """, [path])
    let numpy = output.split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
    for j in 0..<3 {
      XCTAssertEqual(fitted.mean[j], numpy[j], accuracy: 1e-13)
      XCTAssertEqual(fitted.std[j], numpy[3 + j], accuracy: 1e-13)
    }
  }
}
