/// One tensor's description in a safetensors header.
public struct SafetensorsEntry: Sendable, Equatable {
  public let name: String
  public let elementType: ElementType
  public let shape: [Int]
  /// Byte range within the data section (which starts after the length field and the header).
  public let dataOffsets: Range<Int>

  public init(name: String, elementType: ElementType, shape: [Int], dataOffsets: Range<Int>) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
    self.dataOffsets = dataOffsets
  }

  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }
}
