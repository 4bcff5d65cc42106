import Datasets
import TensorCore
import XCTest

/// `.npy` reading and writing without Python: row subsets, conversions and every bad-file error.
final class NpyReaderTests: XCTestCase {
  private var directory: TemporaryDirectory!

  override func setUpWithError() throws { directory = try TemporaryDirectory() }
  override func tearDown() { directory = nil }

  /// A header as `np.save` would write it (version 1.0), around `dict`.
  private func npyFile(_ dict: String, version: UInt8 = 1, data: [UInt8]) -> [UInt8] {
    let text = Array(dict.utf8) + [0x0A]
    return [0x93] + Array("NUMPY".utf8) + [version, 0, UInt8(text.count), 0] + text + data
  }

  func testRowsSubsetConvertsUInt8ToFloat() throws {
    let path = directory.file("images.npy")
    let pixels = (0..<30).map { UInt8($0 * 7) }
    try NpyWriter.write(pixels, shape: [5, 2, 3], to: path)
    let array = try NpyArray(contentsOf: path)
    XCTAssertEqual(array.rowCount, 5)
    XCTAssertEqual(array.rowShape, [2, 3])
    let rows = try array.rows([4, 0, 2], as: Float.self)
    XCTAssertEqual(rows.shape, [3, 2, 3])
    XCTAssertEqual(rows.scalars, ([4, 0, 2] as [Int]).flatMap { r in (0..<6).map { Float(pixels[r * 6 + $0]) } })
    var batch = [Double](repeating: -1, count: 6)
    try batch.withUnsafeMutableBufferPointer { try array.copyRows([3], into: $0) }
    XCTAssertEqual(batch, (18..<24).map { Double(pixels[$0]) })
    assertDataFileError(path, contains: "row 5 is out of range 0..<5") { _ = try array.rows([1, 5], as: Float.self) }
  }

  func testWriterAlignsDataTo64Bytes() throws {
    let path = directory.file("x.npy")
    try NpyWriter.write([Float](repeating: 1, count: 6), shape: [2, 3], to: path)
    let bytes = FileBytes.read(path)
    XCTAssertEqual((bytes.count - 24) % 64, 0)
    XCTAssertEqual(bytes[6], 1)
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".tmp"))
  }

  func testLossyConversionsAreRefusedWithTheFix() throws {
    let path = directory.file("digits.npy")
    try NpyWriter.write([0.5, 1.5], shape: [2], to: path)
    let array = try NpyArray(contentsOf: path)
    assertDataFileError(path, contains: "dtype '<f8' but Float32 was requested; convert with x.astype(np.float32)") {
      _ = try array.rows([0], as: Float.self)
    }
    assertDataFileError(path, contains: "dtype '<f8' but Float elements were requested; convert with x.astype(np.float32)") {
      _ = try array.withUnsafeBufferPointer(of: Float.self) { $0.count }
    }
    assertDataFileError(path, contains: "not an integer type") { _ = try array.integerRows([0]) }
    XCTAssertEqual(try array.rows([1], as: Double.self).scalars, [1.5])
    let labels = directory.file("labels.npy")
    try NpyWriter.write([Int64(1) << 60, 3], shape: [2], to: labels)
    assertDataFileError(labels, contains: "dtype '<i8' cannot be read exactly as Float64") {
      _ = try NpyArray(contentsOf: labels).rows([0], as: Double.self)
    }
    XCTAssertEqual(try NpyArray(contentsOf: labels).integerRows([0, 1]), [1 << 60, 3])
  }

  func testRejectsWrongMagicUnknownVersionAndTruncation() throws {
    let good = npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: [0, 0, 128, 63, 0, 0, 0, 64])
    let cases: [(String, [UInt8], String)] = [
      ("magic.npy", Array("PK\u{3}\u{4}not numpy".utf8), "not a .npy file"),
      ("version.npy", Array(good[0..<6]) + [4, 0] + Array(good[8...]), "unsupported .npy format version 4.0"),
      ("data.npy", Array(good.dropLast(3)), "truncated: shape [2] of '<f4' needs 8 bytes"),
      ("header.npy", Array(good[0..<20]), "truncated: the file ends inside its header"),
      ("short.npy", Array(good[0..<9]), "not a .npy file"),
    ]
    for (name, bytes, message) in cases {
      let path = directory.file(name)
      FileBytes.write(bytes, to: path)
      assertDataFileError(path, contains: message) { _ = try NpyArray(contentsOf: path) }
    }
    let path = directory.file("good.npy")
    FileBytes.write(good, to: path)
    XCTAssertEqual(try NpyArray(contentsOf: path).tensor(as: Float.self).scalars, [1, 2])
  }

  func testRejectsBigEndianFortranStructuredAndMalformedHeaders() throws {
    let cases: [(String, String, String)] = [
      ("be.npy", "{'descr': '>i4', 'fortran_order': False, 'shape': (1,), }", "big-endian dtype '>i4'"),
      ("f.npy", "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", "np.ascontiguousarray(x)"),
      ("c.npy", "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "dtype '<c8' is not supported"),
      ("s.npy", "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "structured dtypes"),
      ("m.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,) ", "malformed header"),
      ("k.npy", "{'descr': '<f4', 'shape': (1,), }", "lacks one of"),
      ("n.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", "non-negative integer"),
      // Issue 11 (launch/fuzz's corpus, review): the row size overflowed behind a 0 first axis (a trap
      // when rows were read), and the truncation message overflowed computing the byte count it printed.
      ("r.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296), }", "overflows"),
      ("b.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2305843009213693952,), }", "overflows the byte count"),
    ]
    for (name, dict, message) in cases {
      let path = directory.file(name)
      FileBytes.write(npyFile(dict, data: [0, 0, 0, 0]), to: path)
      assertDataFileError(path, contains: message) { _ = try NpyArray(contentsOf: path) }
    }
  }

  /// Python 2's NumPy wrote `(2L, 3L)`; such files are still around.
  func testAcceptsPython2LongIntegersInShape() throws {
    let path = directory.file("py2.npy")
    FileBytes.write(npyFile("{'descr': '|u1', 'fortran_order': False, 'shape': (2L, 3L), }", data: Array(0..<6)),
                    to: path)
    let array = try NpyArray(contentsOf: path)
    XCTAssertEqual(array.shape, [2, 3])
    XCTAssertEqual(try array.integerRows([1]), [3, 4, 5])
  }

  func testMissingFileNamesThePath() {
    let path = directory.file("absent.npy")
    assertDataFileError(path, contains: "cannot open: No such file") { _ = try NpyArray(contentsOf: path) }
  }
}
