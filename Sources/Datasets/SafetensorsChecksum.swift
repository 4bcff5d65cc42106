import Support
/// The integrity checksum laminar stores in a safetensors file's `__metadata__`.
///
/// FNV-1a 64 (`FNV1a64`) over, in this order:
/// 1. the data section: every tensor's bytes in file order;
/// 2. per tensor in file order: name, 0x00, dtype name, 0x00, shape as decimal joined by ",", 0x00;
/// 3. per metadata entry except the checksum itself, keys in UTF-8 byte order: key, 0x00, value, 0x00.
/// Stored as 16 lowercase hex digits under `metadataKey`. Covering the descriptions and the
/// metadata too means a flipped byte in a dtype, a shape or a saved step counter is caught, not
/// only one in the tensor data.
public enum SafetensorsChecksum {
  public static let metadataKey = "checksum_fnv1a64"

  /// `hashData` feeds the data section (all tensor bytes in file order) to the hash.
  static func compute(
    entries: [SafetensorsEntry], metadata: [String: String], hashData: (inout FNV1a64) -> Void
  ) -> UInt64 {
    var hash = FNV1a64()
    hashData(&hash)
    for entry in entries {
      for field in [entry.name, entry.elementType.safetensorsName, entry.shape.map(String.init).joined(separator: ",")] {
        hash.update(field)
        hash.update(byte: 0)
      }
    }
    let keys = metadata.keys.filter { $0 != metadataKey }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    for key in keys {
      hash.update(key)
      hash.update(byte: 0)
      hash.update(metadata[key]!)
      hash.update(byte: 0)
    }
    return hash.value
  }

  static func format(_ value: UInt64) -> String {
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
