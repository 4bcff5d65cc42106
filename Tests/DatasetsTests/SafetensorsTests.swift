import Datasets
import Support
import TensorCore
import XCTest

final class SafetensorsTests: XCTestCase {
  private var directory: TemporaryDirectory!

  override func setUpWithError() throws { directory = try TemporaryDirectory() }
  override func tearDown() { directory = nil }

  private let metadata = ["step": "500", "config": "model: glow\nname: \"digits\"", "ünïcode": "✓"]

  /// F32 [2, 3], U8 [5], F64 [4], I64 [3], I32 [2], added in that order.
  private func writeSample(to path: String) throws {
    var writer = SafetensorsWriter(metadata: metadata)
    writer.add("flow.weight", Tensor<Float>(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-7, -0]))
    writer.add("pixels", shape: [5], values: [UInt8](arrayLiteral: 0, 1, 127, 128, 255))
    writer.add("adam.m.flow.weight", Tensor<Double>(shape: [4], scalars: [0.1, -0.2, .pi, 1e300]))
    writer.add("counters", shape: [3], values: [Int64.min, 0, Int64.max])
    writer.add("ranks", shape: [2], values: [Int32(-7), 7])
    try writer.write(to: path)
  }

  func testRoundTrip() throws {
    let path = directory.file("ckpt.safetensors")
    try writeSample(to: path)
    let file = try SafetensorsFile(contentsOf: path)
    XCTAssertEqual(file.entries.map(\.name), ["adam.m.flow.weight", "counters", "flow.weight", "ranks", "pixels"])
    for e in file.entries { XCTAssertEqual(e.dataOffsets.lowerBound % e.elementType.byteCount, 0, e.name) }
    XCTAssertEqual(try file.tensor("flow.weight", as: Float.self), Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-7, -0]))
    XCTAssertEqual(try file.tensor("flow.weight", as: Double.self).scalars, [1, -2, 3.5, 0, Double(Float(1e-7)), 0])
    XCTAssertEqual(try file.values("adam.m.flow.weight", as: Double.self), [0.1, -0.2, .pi, 1e300])
    XCTAssertEqual(try file.values("counters", as: Int64.self), [Int64.min, 0, Int64.max])
    XCTAssertEqual(try file.values("ranks", as: Int32.self), [-7, 7])
    XCTAssertEqual(try file.values("pixels", as: UInt8.self), [0, 1, 127, 128, 255])
    XCTAssertEqual(try file.tensor("pixels", as: Float.self).scalars, [0, 1, 127, 128, 255])
    var slice = [Float](repeating: 0, count: 6)
    try slice.withUnsafeMutableBufferPointer { try file.copy("flow.weight", into: $0) }
    XCTAssertEqual(slice, [1, -2, 3.5, 0, 1e-7, -0])
    XCTAssertEqual(file.metadata.filter { $0.key != SafetensorsChecksum.metadataKey }, metadata)
    XCTAssertNoThrow(try file.verifyChecksum())
    XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".tmp"))
  }

  func testWritingIsDeterministic() throws {
    try writeSample(to: directory.file("a.safetensors"))
    try writeSample(to: directory.file("b.safetensors"))
    XCTAssertEqual(FileBytes.read(directory.file("a.safetensors")), FileBytes.read(directory.file("b.safetensors")))
  }

  func testMismatchesAreClearErrors() throws {
    let path = directory.file("ckpt.safetensors")
    try writeSample(to: path)
    let file = try SafetensorsFile(contentsOf: path)
    assertDataFileError(path, contains: "no tensor named 'missing' (the file has 5: adam.m.flow.weight") {
      _ = try file.values("missing", as: Float.self)
    }
    assertDataFileError(path, contains: "tensor 'adam.m.flow.weight': dtype '<f8' but Float32 was requested") {
      _ = try file.tensor("adam.m.flow.weight", as: Float.self)
    }
    assertDataFileError(path, contains: "has shape [2, 3] (6 elements) but the destination holds 5") {
      var short = [Float](repeating: 0, count: 5)
      try short.withUnsafeMutableBufferPointer { try file.copy("flow.weight", into: $0) }
    }
  }

  func testTruncatedFileIsRejected() throws {
    let path = directory.file("ckpt.safetensors")
    try writeSample(to: path)
    let bytes = FileBytes.read(path)
    FileBytes.write(Array(bytes.dropLast(3)), to: path)
    assertDataFileError(path, contains: "truncated: tensor 'pixels' ends at byte") { _ = try SafetensorsFile(contentsOf: path) }
    FileBytes.write(Array(bytes.prefix(40)), to: path)
    assertDataFileError(path, contains: "truncated: the header claims") { _ = try SafetensorsFile(contentsOf: path) }
    FileBytes.write(Array(bytes.prefix(5)), to: path)
    assertDataFileError(path, contains: "too short for the 8-byte header length") { _ = try SafetensorsFile(contentsOf: path) }
  }

  /// A flipped byte anywhere in the data, or in a metadata value, fails the checksum.
  func testFlippedBytesFailTheChecksum() throws {
    let path = directory.file("ckpt.safetensors")
    try writeSample(to: path)
    let bytes = FileBytes.read(path)
    let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
    let dataStart = 8 + headerLength
    for position in [dataStart, dataStart + 17, bytes.count - 1] {
      var corrupted = bytes
      corrupted[position] ^= 0x10
      FileBytes.write(corrupted, to: path)
      let file = try SafetensorsFile(contentsOf: path)
      assertDataFileError(path, contains: "checksum mismatch") { try file.verifyChecksum() }
    }
    let header = String(decoding: bytes[8..<dataStart], as: UTF8.self)
    let stepRange = try XCTUnwrap(header.range(of: "\"step\":\"500\""))
    var corrupted = bytes
    corrupted[8 + header.utf8.distance(from: header.startIndex, to: stepRange.upperBound) - 2] = UInt8(ascii: "8")
    FileBytes.write(corrupted, to: path)
    XCTAssertEqual(try SafetensorsFile(contentsOf: path).metadata["step"], "508")
    assertDataFileError(path, contains: "checksum mismatch") { try SafetensorsFile(contentsOf: path).verifyChecksum() }
  }

  /// A file whose header is `json` (padded) followed by `dataBytes` zero bytes.
  private func handMade(_ name: String, _ json: String, dataBytes: Int) -> String {
    var header = Array(json.utf8)
    header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
    let path = directory.file(name)
    FileBytes.write(withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) } + header
                    + [UInt8](repeating: 0, count: dataBytes), to: path)
    return path
  }

  func testHeaderValidation() throws {
    let cases: [(String, Int, String)] = [
      (#"{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#, 4, "dtype 'BF16' is not supported"),
      (#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, 8, "shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8"),
      (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#, 8, "overlap"),
      (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}}"#, 6, "bytes 2..<4 of the data section belong to no tensor"),
      (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, 5, "3 bytes after the last tensor"),
      (#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,0]}}"#, 2, "0 <= begin <= end"),
      (#"{"a":{"dtype":"U8","shape":[-2],"data_offsets":[0,2]}}"#, 2, "non-negative integers"),
      (#"{"a":{"dtype":"U8","shape":[2]}}"#, 2, "needs 'dtype'"),
      (#"{"__metadata__":{"step":5}}"#, 0, "not a string"),
      (#"{"a": [1, 2"#, 0, "not a JSON object"),
    ]
    for (i, (json, dataBytes, message)) in cases.enumerated() {
      let path = handMade("case\(i).safetensors", json, dataBytes: dataBytes)
      assertDataFileError(path, contains: message) { _ = try SafetensorsFile(contentsOf: path) }
    }
    let huge = directory.file("huge.safetensors")
    FileBytes.write(withUnsafeBytes(of: UInt64(1) << 40) { Array($0) } + Array("{}".utf8), to: huge)
    assertDataFileError(huge, contains: "header length 1099511627776 is not plausible") {
      _ = try SafetensorsFile(contentsOf: huge)
    }
    let empty = handMade("empty.safetensors", "{}", dataBytes: 0)
    XCTAssertEqual(try SafetensorsFile(contentsOf: empty).entries, [])
    assertDataFileError(empty, contains: "no 'checksum_fnv1a64' in __metadata__") {
      try SafetensorsFile(contentsOf: empty).verifyChecksum()
    }
  }

  func testAtomicWriteReplacesTheOldFileAndCleansUpOnFailure() throws {
    let path = directory.file("ckpt.safetensors")
    var first = SafetensorsWriter(metadata: ["step": "1"])
    first.add("w", shape: [1], values: [Float(1)])
    try first.write(to: path)
    var second = SafetensorsWriter(metadata: ["step": "2"])
    second.add("w", shape: [1], values: [Float(2)])
    try second.write(to: path)
    XCTAssertEqual(try SafetensorsFile(contentsOf: path).values("w", as: Float.self), [2])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["ckpt.safetensors"])
    let nowhere = directory.file("missing-dir/ckpt.safetensors")
    assertDataFileError(nowhere, contains: "check that the directory exists") { try second.write(to: nowhere) }
  }

  /// FNV-1a 64 test vectors from the FNV reference (Fowler, Noll & Vo).
  func testFNV1a64KnownValues() {
    for (text, value) in [("", 0xcbf2_9ce4_8422_2325), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8)] as [(String, UInt64)] {
      var hash = FNV1a64()
      hash.update(text)
      XCTAssertEqual(hash.value, value, text)
    }
  }
}
