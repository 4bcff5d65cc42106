import Support
import TensorCore

/// A safetensors file mapped into memory and validated on open (header length, JSON, dtypes,
/// shapes against byte counts, offsets tiling the data section).
public struct SafetensorsFile: Sendable {
  public let path: String
  /// Tensors in file (data-offset) order.
  public let entries: [SafetensorsEntry]
  public let metadata: [String: String]
  private let index: [String: Int]
  private let file: MappedFile
  private let dataStart: Int

  public init(contentsOf path: String) throws {
    let file = try MappedFile(path: path)
    let (entries, metadata, dataStart) = try SafetensorsHeader.parse(file.bytes, path: path)
    self.path = path
    self.file = file
    self.entries = entries
    self.metadata = metadata
    self.dataStart = dataStart
    self.index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
  }

  public func entry(_ name: String) throws -> SafetensorsEntry {
    guard let i = index[name] else {
      let names = entries.prefix(8).map(\.name).joined(separator: ", ") + (entries.count > 8 ? ", …" : "")
      throw DataFileError(path: path, "no tensor named '\(name)' (the file has \(entries.count): \(names)); "
        + "was it written by a different model?")
    }
    return entries[i]
  }

  /// The raw little-endian bytes of `entry`; valid while this file value (or a copy) is alive.
  public func bytes(of entry: SafetensorsEntry) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + entry.dataOffsets.lowerBound) ..< (dataStart + entry.dataOffsets.upperBound)])
  }

  /// Tensor `name` converted to `S` (exact conversions only: F32 → Float or Double, F64 → Double, …).
  public func tensor<S: TensorScalar>(_ name: String, as _: S.Type) throws -> Tensor<S> {
    let e = try entry(name)
    if let problem = e.elementType.conversionProblem(to: S.self) {
      throw DataFileError(path: path, "tensor '\(name)': \(problem)")
    }
    guard e.shape.count <= Shape.maxRank else {
      throw DataFileError(path: path, "tensor '\(name)' has rank \(e.shape.count), more than \(Shape.maxRank)")
    }
    var tensor = Tensor<S>(zeros: Shape(e.shape))
    tensor.withUnsafeMutableBufferPointer { out in
      if let base = out.baseAddress, let raw = bytes(of: e).baseAddress { e.elementType.convert(raw, count: e.count, into: base) }
    }
    return tensor
  }

  /// Copies tensor `name` bit for bit into `out` (e.g. a slice of the flat parameter buffer).
  /// The stored type must be `T` and the element counts must match.
  public func copy<T: StorableElement>(_ name: String, into out: UnsafeMutableBufferPointer<T>) throws {
    let e = try entry(name)
    guard e.elementType == T.elementType else {
      throw DataFileError(path: path, "tensor '\(name)' is \(e.elementType.safetensorsName) but \(T.self) was expected")
    }
    guard e.count == out.count else {
      throw DataFileError(path: path, "tensor '\(name)' has shape \(e.shape) (\(e.count) elements) but the "
        + "destination holds \(out.count); the checkpoint belongs to a different model configuration")
    }
    if let base = out.baseAddress, let raw = bytes(of: e).baseAddress {
      UnsafeMutableRawPointer(base).copyMemory(from: raw, byteCount: e.dataOffsets.count)
    }
  }

  /// Tensor `name` as a flat array of exactly its stored type.
  public func values<T: StorableElement>(_ name: String, as _: T.Type) throws -> [T] {
    let e = try entry(name)
    return try [T](unsafeUninitializedCapacity: e.count) { buffer, initialized in
      try copy(name, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<e.count]))
      initialized = e.count
    }
  }

  /// The checksum of the file's current contents (see `SafetensorsChecksum`).
  public func computedChecksum() -> UInt64 {
    SafetensorsChecksum.compute(entries: entries, metadata: metadata) {
      $0.update(UnsafeRawBufferPointer(rebasing: file.bytes[dataStart...]))
    }
  }

  /// Throws unless the stored checksum matches the contents.
  public func verifyChecksum() throws {
    guard let stored = metadata[SafetensorsChecksum.metadataKey] else {
      throw DataFileError(path: path, "no '\(SafetensorsChecksum.metadataKey)' in __metadata__, so its integrity "
        + "cannot be checked; it was not written by laminar")
    }
    let actual = SafetensorsChecksum.format(computedChecksum())
    guard stored == actual else {
      throw DataFileError(path: path, "checksum mismatch (stored \(stored), contents hash to \(actual)); "
        + "the file is corrupted: use an older checkpoint")
    }
  }
}
