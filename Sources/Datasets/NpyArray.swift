import Support
import TensorCore

/// A `.npy` file mapped into memory (or `.npy` bytes in the binary): the header is parsed once,
/// the data is read in place.
///
/// Row `i` is the `i`-th slice along the first axis (`x[i]` in NumPy), so a rank reads only its
/// shard with `rows(_:as:)` or `copyRows(_:into:)`; the pages of other rows are never touched.
public struct NpyArray: Sendable {
  public let path: String
  public let elementType: ElementType
  /// [rows, ...] as in NumPy; empty for a 0-d array.
  public let shape: [Int]
  /// Total number of elements.
  public let count: Int
  private let file: MappedFile
  private let dataOffset: Int

  public init(contentsOf path: String) throws {
    try self.init(file: MappedFile(path: path))
  }

  /// An array whose `.npy` bytes live as long as the process (compiled into the binary); `name`
  /// stands for a path in messages.
  public init(staticBytes bytes: UnsafeRawBufferPointer, name: String) throws {
    try self.init(file: MappedFile(name: name, staticBytes: bytes))
  }

  private init(file: MappedFile) throws {
    let path = file.path
    let (header, dataOffset) = try NpyHeader.read(file.bytes, path: path)
    self.path = path
    self.file = file
    self.dataOffset = dataOffset
    self.shape = header.shape
    self.elementType = try NpyArray.elementType(header, path: path)
    // Row elements and bytes are checked too: with a 0 first axis the total is 0 however large
    // the rows are, and an unchecked row size then trapped (or, unchecked, wrapped) when read.
    rowElementCount = try Self.product(header.shape.dropFirst(), header.shape, path: path)
    count = try Self.product(header.shape, header.shape, path: path)
    let needed = count.multipliedReportingOverflow(by: elementType.byteCount)
    let rowBytes = rowElementCount.multipliedReportingOverflow(by: elementType.byteCount)
    guard !needed.overflow, !rowBytes.overflow else {
      throw DataFileError(path: path, "shape \(header.shape) of '\(header.descr)' overflows the byte count; "
        + "the header is corrupted: re-create it with np.save")
    }
    guard file.bytes.count - dataOffset >= needed.partialValue else {
      throw DataFileError(path: path, "truncated: shape \(header.shape) of '\(header.descr)' needs "
        + "\(needed.partialValue) bytes of data after the \(dataOffset)-byte header, but the file "
        + "has \(file.bytes.count - dataOffset); re-create it with np.save")
    }
  }

  /// The product of `dims`, or a DataFileError naming `shape` when it overflows.
  private static func product(_ dims: some Sequence<Int>, _ shape: [Int], path: String) throws -> Int {
    var result = 1
    for d in dims {
      let (product, overflow) = result.multipliedReportingOverflow(by: d)
      guard !overflow else { throw DataFileError(path: path, "shape \(shape) overflows the element count") }
      result = product
    }
    return result
  }

  private static func elementType(_ header: NpyHeader, path: String) throws -> ElementType {
    if header.descr.hasPrefix(">") {
      throw DataFileError(path: path, "big-endian dtype '\(header.descr)' is not supported; "
        + "convert with x.astype('<\(header.descr.dropFirst())')")
    }
    guard let type = ElementType(npyDescr: header.descr) else {
      let known = ElementType.allCases.map(\.npyDescr).joined(separator: ", ")
      throw DataFileError(path: path, "dtype '\(header.descr)' is not supported (supported: \(known)); "
        + "convert with x.astype(np.float32)")
    }
    if header.fortranOrder && header.shape.count > 1 {
      throw DataFileError(path: path, "fortran_order is True (column-major); "
        + "save a C-ordered copy with np.save(path, np.ascontiguousarray(x))")
    }
    return type
  }

  /// Rows along the first axis.
  public var rowCount: Int { shape.first ?? 1 }
  /// The shape of one row: `shape` without its first axis.
  public var rowShape: [Int] { Array(shape.dropFirst()) }
  /// Elements per row.
  public let rowElementCount: Int

  /// The raw little-endian data, `count × elementType.byteCount` bytes; valid while this array
  /// (or a copy of it) is alive, since it points into the mapping.
  public var rawBytes: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: file.bytes[dataOffset ..< dataOffset + count * elementType.byteCount])
  }

  /// Zero-copy typed access; `T` must be exactly the stored type.
  public func withUnsafeBufferPointer<T: StorableElement, R>(
    of _: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
  ) throws -> R {
    try requireExactType(T.self)
    let raw = rawBytes
    guard count == 0 || Int(bitPattern: raw.baseAddress) % MemoryLayout<T>.alignment == 0 else {
      throw DataFileError(path: path, "data at byte \(dataOffset) is not aligned for \(T.self); re-save it with np.save")
    }
    return try body(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: T.self), count: count))
  }

  /// The whole array converted to `S` (exact conversions only, see `ElementType.conversionProblem`).
  public func tensor<S: TensorScalar>(as _: S.Type) throws -> Tensor<S> {
    try requireExactConversion(to: S.self)
    var tensor = Tensor<S>(zeros: try tensorShape(shape))
    tensor.withUnsafeMutableBufferPointer { out in
      if let base = out.baseAddress, let raw = rawBytes.baseAddress { elementType.convert(raw, count: count, into: base) }
    }
    return tensor
  }

  /// The rows at `indices`, in that order, converted to `S`: shape [indices.count] + rowShape.
  public func rows<S: TensorScalar>(_ indices: some Collection<Int>, as _: S.Type) throws -> Tensor<S> {
    guard !shape.isEmpty else { throw DataFileError(path: path, "is a 0-d array and has no rows") }
    var tensor = Tensor<S>(zeros: try tensorShape([indices.count] + rowShape))
    try tensor.withUnsafeMutableBufferPointer { try copyRows(indices, into: $0) }
    return tensor
  }

  /// Copies the rows at `indices` into `out` (row-major, `indices.count × rowElementCount`
  /// elements) without allocating, so a training step can reuse one batch buffer.
  public func copyRows<S: TensorScalar>(
    _ indices: some Collection<Int>, into out: UnsafeMutableBufferPointer<S>
  ) throws {
    precondition(out.count == indices.count * rowElementCount,
                 "buffer holds \(out.count) elements, \(indices.count) rows need \(indices.count * rowElementCount)")
    try requireExactConversion(to: S.self)
    guard let base = out.baseAddress, let raw = rawBytes.baseAddress else { return }
    let rowBytes = rowElementCount * elementType.byteCount
    for (k, row) in indices.enumerated() {
      try requireRow(row)
      elementType.convert(raw + row * rowBytes, count: rowElementCount, into: base + k * rowElementCount)
    }
  }

  /// The rows at `indices` of an integer array (e.g. class labels), flattened, as `Int`.
  public func integerRows(_ indices: some Collection<Int>) throws -> [Int] {
    guard let raw = rawBytes.baseAddress else { return [] }
    var result: [Int] = []
    result.reserveCapacity(indices.count * rowElementCount)
    for row in indices {
      try requireRow(row)
      guard let values = elementType.integers(raw + row * rowElementCount * elementType.byteCount,
                                              count: rowElementCount) else {
        throw DataFileError(path: path, "dtype '\(elementType)' is not an integer type but integers were "
          + "requested; convert with x.astype(np.int64)")
      }
      result += values
    }
    return result
  }

  private func requireRow(_ row: Int) throws {
    guard row >= 0 && row < rowCount else {
      throw DataFileError(path: path, "row \(row) is out of range 0..<\(rowCount); "
        + "check that the data and label files have the same number of rows")
    }
  }

  private func requireExactType<T: StorableElement>(_: T.Type) throws {
    guard T.elementType == elementType else {
      throw DataFileError(path: path, "dtype '\(elementType)' but \(T.self) elements were requested; "
        + "convert with x.astype(\(T.elementType.numpyName))")
    }
  }

  private func requireExactConversion<S: TensorScalar>(to _: S.Type) throws {
    if let problem = elementType.conversionProblem(to: S.self) { throw DataFileError(path: path, problem) }
  }

  private func tensorShape(_ dims: [Int]) throws -> Shape {
    guard dims.count <= Shape.maxRank else {
      throw DataFileError(path: path, "rank \(dims.count) exceeds the supported \(Shape.maxRank); reshape the array")
    }
    return Shape(dims)
  }
}
