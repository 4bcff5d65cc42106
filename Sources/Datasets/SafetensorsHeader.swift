import Foundation
import Support

/// The safetensors layout: an 8-byte little-endian header length N, N bytes of JSON
/// (`{"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}}`),
/// then the data section. Offsets are relative to the data section, which the tensors tile
/// exactly: no overlaps, no gaps, nothing after the last tensor.
///
/// Reference: huggingface/safetensors, README "Format".
enum SafetensorsHeader {
  /// The reference implementation's limit; anything larger is corruption, not a header.
  static let maxLength = 100_000_000

  static func parse(_ file: UnsafeRawBufferPointer, path: String) throws
    -> (entries: [SafetensorsEntry], metadata: [String: String], dataStart: Int) {
    guard file.count >= 8 else {
      throw DataFileError(path: path, "truncated: \(file.count) bytes, too short for the 8-byte header length; not a safetensors file")
    }
    let length = file.loadUnaligned(as: UInt64.self)
    guard length >= 2 && length <= UInt64(maxLength) else {
      throw DataFileError(path: path, "header length \(length) is not plausible (2...\(maxLength)); not a safetensors file, or corrupted")
    }
    let dataStart = 8 + Int(length)
    guard dataStart <= file.count else {
      throw DataFileError(path: path, "truncated: the header claims \(length) bytes but only \(file.count - 8) follow the length field")
    }
    let json = Foundation.Data(file[8..<dataStart])
    guard let object = try? JSONSerialization.jsonObject(with: json), let fields = object as? [String: Any] else {
      throw DataFileError(path: path, "header is not a JSON object; the file is corrupted")
    }
    let metadata = try parseMetadata(fields["__metadata__"], path: path)
    var entries: [SafetensorsEntry] = []
    for (name, value) in fields where name != "__metadata__" {
      entries.append(try parseEntry(name, value, path: path))
    }
    entries.sort { $0.dataOffsets.lowerBound < $1.dataOffsets.lowerBound }
    try checkTiling(entries, dataSize: file.count - dataStart, path: path)
    return (entries, metadata, dataStart)
  }

  private static func parseMetadata(_ value: Any?, path: String) throws -> [String: String] {
    guard let value else { return [:] }
    guard let map = value as? [String: Any] else {
      throw DataFileError(path: path, "__metadata__ is not a JSON object of strings")
    }
    return try map.mapValues { v in
      guard let s = v as? String else { throw DataFileError(path: path, "__metadata__ holds a value that is not a string") }
      return s
    }
  }

  private static func parseEntry(_ name: String, _ value: Any, path: String) throws -> SafetensorsEntry {
    func fail(_ reason: String) -> DataFileError { DataFileError(path: path, "tensor '\(name)': \(reason)") }
    guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
          let shape = fields["shape"] as? [Any], let offsets = fields["data_offsets"] as? [Any] else {
      throw fail("header entry needs 'dtype' (string), 'shape' and 'data_offsets' (arrays)")
    }
    guard let type = ElementType(safetensorsName: dtype) else {
      let known = ElementType.allCases.map(\.safetensorsName).joined(separator: ", ")
      throw fail("dtype '\(dtype)' is not supported (supported: \(known)); convert the tensor before saving")
    }
    let dims = shape.compactMap { $0 as? Int }
    guard dims.count == shape.count, dims.allSatisfy({ $0 >= 0 }) else {
      throw fail("shape \(shape) is not a list of non-negative integers")
    }
    let bounds = offsets.compactMap { $0 as? Int }
    guard bounds.count == 2, offsets.count == 2, bounds[0] >= 0, bounds[0] <= bounds[1] else {
      throw fail("data_offsets \(offsets) is not [begin, end] with 0 <= begin <= end")
    }
    var bytes = type.byteCount
    for d in dims {
      let (product, overflow) = bytes.multipliedReportingOverflow(by: d)
      guard !overflow else { throw fail("shape \(dims) overflows") }
      bytes = product
    }
    guard bytes == bounds[1] - bounds[0] else {
      throw fail("shape \(dims) of \(dtype) needs \(bytes) bytes but data_offsets \(bounds) span \(bounds[1] - bounds[0])")
    }
    return SafetensorsEntry(name: name, elementType: type, shape: dims, dataOffsets: bounds[0]..<bounds[1])
  }

  /// `entries` sorted by begin must cover `0 ..< dataSize` exactly once.
  private static func checkTiling(_ entries: [SafetensorsEntry], dataSize: Int, path: String) throws {
    for e in entries where e.dataOffsets.upperBound > dataSize {
      throw DataFileError(path: path, "truncated: tensor '\(e.name)' ends at byte \(e.dataOffsets.upperBound) "
        + "of the data section, which has only \(dataSize) bytes")
    }
    var end = 0
    var previous = ""
    for e in entries {
      if e.dataOffsets.lowerBound < end {
        throw DataFileError(path: path, "tensors '\(previous)' and '\(e.name)' overlap in the data section; the file is corrupted")
      }
      if e.dataOffsets.lowerBound > end {
        throw DataFileError(path: path, "bytes \(end)..<\(e.dataOffsets.lowerBound) of the data section belong to no tensor; the file is corrupted")
      }
      end = e.dataOffsets.upperBound
      previous = e.name
    }
    guard end == dataSize else {
      throw DataFileError(path: path, "\(dataSize - end) bytes after the last tensor belong to no tensor; the file is corrupted")
    }
  }

  /// Length field and JSON, padded with spaces so the data section starts 8-byte aligned.
  /// Metadata keys are sorted and tensors keep the given order, so equal inputs give equal bytes.
  static func encode(entries: [SafetensorsEntry], metadata: [String: String]) -> [UInt8] {
    var members: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        .map { "\(JSONText.string($0)):\(JSONText.string(metadata[$0]!))" }
      members.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
    }
    for e in entries {
      members.append("\(JSONText.string(e.name)):{\"dtype\":\"\(e.elementType.safetensorsName)\","
        + "\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],"
        + "\"data_offsets\":[\(e.dataOffsets.lowerBound),\(e.dataOffsets.upperBound)]}")
    }
    var json = Array(("{" + members.joined(separator: ",") + "}").utf8)
    json += [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8)
    return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json
  }

}
