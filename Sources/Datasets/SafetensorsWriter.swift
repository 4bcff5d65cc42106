import Support
import TensorCore

/// Collects named tensors and metadata, then writes one safetensors file atomically
/// (`path.tmp`, fsync, rename, fsync the directory) with its checksum in `__metadata__`.
///
/// Tensors are laid out 8-byte types first, then 4-, 2- and 1-byte ones, each group in the order
/// added (a stable sort), so every tensor is aligned for its type and the bytes are deterministic.
public struct SafetensorsWriter {
  private var tensors: [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])] = []
  private var names: Set<String> = []
  /// String metadata (step, epoch, config, …). The checksum key is reserved.
  public var metadata: [String: String]

  public init(metadata: [String: String] = [:]) {
    self.metadata = metadata
  }

  /// Adds a copy of `values` (row-major, `shape.reduce(1, *)` elements).
  public mutating func add<T: StorableElement>(_ name: String, shape: [Int], values: UnsafeBufferPointer<T>) {
    precondition(name != "__metadata__", "'__metadata__' is reserved in safetensors")
    precondition(!names.contains(name), "tensor '\(name)' added twice")
    precondition(shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
                 "tensor '\(name)': shape \(shape) does not hold \(values.count) elements")
    names.insert(name)
    tensors.append((name, T.elementType, shape, Array(UnsafeRawBufferPointer(values))))
  }

  public mutating func add<T: StorableElement>(_ name: String, shape: [Int], values: [T]) {
    values.withUnsafeBufferPointer { add(name, shape: shape, values: $0) }
  }

  public mutating func add<S: TensorScalar & StorableElement>(_ name: String, _ tensor: Tensor<S>) {
    add(name, shape: tensor.shape.dimensions, values: tensor.scalars)
  }

  public func write(to path: String) throws {
    precondition(metadata[SafetensorsChecksum.metadataKey] == nil,
                 "'\(SafetensorsChecksum.metadataKey)' is set by the writer")
    let ordered = tensors.enumerated()
      .sorted { ($0.element.type.byteCount, $1.offset) > ($1.element.type.byteCount, $0.offset) }
      .map(\.element)
    var entries: [SafetensorsEntry] = []
    var offset = 0
    for t in ordered {
      entries.append(SafetensorsEntry(name: t.name, elementType: t.type, shape: t.shape,
                                      dataOffsets: offset ..< offset + t.bytes.count))
      offset += t.bytes.count
    }
    var finalMetadata = metadata
    let checksum = SafetensorsChecksum.compute(entries: entries, metadata: metadata) { hash in
      for t in ordered { t.bytes.withUnsafeBytes { hash.update($0) } }
    }
    finalMetadata[SafetensorsChecksum.metadataKey] = SafetensorsChecksum.format(checksum)
    let header = SafetensorsHeader.encode(entries: entries, metadata: finalMetadata)
    try AtomicFile.write(to: path) { sink in
      try sink.write(header)
      for t in ordered { try sink.write(t.bytes) }
    }
  }
}
