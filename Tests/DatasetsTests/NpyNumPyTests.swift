import Datasets
import TensorCore
import XCTest

/// `.npy` files exchanged with NumPy itself (skipped when python3 with NumPy is missing).
final class NpyNumPyTests: XCTestCase {
  private var directory: TemporaryDirectory!

  override func setUpWithError() throws { directory = try TemporaryDirectory() }
  override func tearDown() { directory = nil }

  /// value k of the test arrays, as NumPy computes it in the scripts below.
  private func expected(_ k: Int, _ descr: String) -> Double {
    let v = Double(k * 37 % 251)
    switch descr {
    case "u1": return v
    case "f4", "f8": return v - 100 + 0.5
    default: return v - 100
    }
  }

  func testReadsEveryDtypeAndFormatVersionWrittenByNumPy() throws {
    _ = try Python.run("""
      import sys, numpy as np
      out = sys.argv[1]
      ints = np.arange(24).reshape(2, 3, 4) * 37 % 251
      for name in ['f4', 'f8', 'u1', 'i2', 'i4', 'i8']:
          a = {'u1': ints, 'f4': ints - 100 + 0.5, 'f8': ints - 100 + 0.5}.get(name, ints - 100)
          a = a.astype('|u1' if name == 'u1' else '<' + name)
          for v in [(1, 0), (2, 0), (3, 0)]:
              with open(f'{out}/{name}-v{v[0]}.npy', 'wb') as f:
                  np.lib.format.write_array(f, a, version=v)
      np.save(f'{out}/scalar.npy', np.float64(2.5))
      np.save(f'{out}/empty.npy', np.zeros((0, 3), np.float32))
      """, [directory.path])
    for descr in ["f4", "f8", "u1", "i2", "i4", "i8"] {
      for version in 1...3 {
        let path = directory.file("\(descr)-v\(version).npy")
        let array = try NpyArray(contentsOf: path)
        XCTAssertEqual(array.shape, [2, 3, 4], path)
        XCTAssertEqual(array.elementType.npyDescr.dropFirst(), Substring(descr), path)
        let want = (0..<24).map { expected($0, descr) }
        switch array.elementType {
        case .float32, .float64:
          XCTAssertEqual(try array.tensor(as: Double.self).scalars, want, path)
        default:
          XCTAssertEqual(try array.integerRows(0..<2).map(Double.init), want, path)
        }
        XCTAssertEqual(try typedValues(array), want, path)
      }
    }
    let scalar = try NpyArray(contentsOf: directory.file("scalar.npy"))
    XCTAssertEqual(scalar.shape, [])
    XCTAssertEqual(try scalar.tensor(as: Double.self).scalars, [2.5])
    let empty = try NpyArray(contentsOf: directory.file("empty.npy"))
    XCTAssertEqual(empty.shape, [0, 3])
    XCTAssertEqual(try empty.rows([Int](), as: Float.self).shape, [0, 3])
  }

  /// The zero-copy path, in the file's own element type.
  private func typedValues(_ array: NpyArray) throws -> [Double] {
    switch array.elementType {
    case .float32: return try array.withUnsafeBufferPointer(of: Float.self) { $0.map(Double.init) }
    case .float64: return try array.withUnsafeBufferPointer(of: Double.self) { Array($0) }
    case .uint8: return try array.withUnsafeBufferPointer(of: UInt8.self) { $0.map(Double.init) }
    case .int16: return try array.withUnsafeBufferPointer(of: Int16.self) { $0.map(Double.init) }
    case .int32: return try array.withUnsafeBufferPointer(of: Int32.self) { $0.map(Double.init) }
    case .int64: return try array.withUnsafeBufferPointer(of: Int64.self) { $0.map(Double.init) }
    }
  }

  /// Swift writes, NumPy checks and writes back 2x, Swift checks.
  func testRoundTripThroughNumPy() throws {
    let k = (0..<12)
    try NpyWriter.write(Tensor<Float>(shape: [3, 4], scalars: k.map { Float($0) * 0.25 - 1 }),
                        to: directory.file("f4.npy"))
    try NpyWriter.write(k.map { Double($0) * 0.1 }, shape: [12], to: directory.file("f8.npy"))
    try NpyWriter.write(k.map { Int32($0 * 1000 - 5000) }, shape: [2, 2, 3], to: directory.file("i4.npy"))
    try NpyWriter.write(k.map { UInt8($0 * 10) }, shape: [12], to: directory.file("u1.npy"))
    let output = try Python.run("""
      import sys, numpy as np
      d = sys.argv[1]
      k = np.arange(12)
      expect = {'f4': (k * 0.25 - 1).astype('<f4').reshape(3, 4), 'f8': k * 0.1,
                'i4': (k * 1000 - 5000).astype('<i4').reshape(2, 2, 3), 'u1': (k * 10).astype('|u1')}
      for name, e in expect.items():
          x = np.load(f'{d}/{name}.npy', mmap_mode='r')
          assert x.dtype == e.dtype and x.shape == e.shape, (name, x.dtype, x.shape)
          assert np.array_equal(x, e), (name, x, e)
          np.save(f'{d}/{name}.back.npy', np.asarray(x) * 2)
      print('numpy ok')
      """, [directory.path])
    XCTAssertEqual(output, "numpy ok\n")
    XCTAssertEqual(try NpyArray(contentsOf: directory.file("f4.back.npy")).tensor(as: Float.self),
                   Tensor(shape: [3, 4], scalars: k.map { (Float($0) * 0.25 - 1) * 2 }))
    XCTAssertEqual(try NpyArray(contentsOf: directory.file("f8.back.npy")).tensor(as: Double.self).scalars,
                   k.map { Double($0) * 0.1 * 2 })
    let i4 = try NpyArray(contentsOf: directory.file("i4.back.npy"))
    XCTAssertEqual(i4.shape, [2, 2, 3])
    XCTAssertEqual(try i4.integerRows(0..<2), k.map { ($0 * 1000 - 5000) * 2 })
    XCTAssertEqual(try NpyArray(contentsOf: directory.file("u1.back.npy")).rows([11, 0], as: Float.self).scalars,
                   [220, 0])
  }

  func testRejectsBigEndianAndFortranOrderFromNumPy() throws {
    _ = try Python.run("""
      import sys, numpy as np
      np.save(sys.argv[1] + '/big.npy', np.arange(6, dtype='>f4'))
      np.save(sys.argv[1] + '/fortran.npy', np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)))
      """, [directory.path])
    let big = directory.file("big.npy"), fortran = directory.file("fortran.npy")
    assertDataFileError(big, contains: "big-endian dtype '>f4' is not supported; convert with x.astype('<f4')") {
      _ = try NpyArray(contentsOf: big)
    }
    assertDataFileError(fortran, contains: "fortran_order is True") { _ = try NpyArray(contentsOf: fortran) }
  }
}
