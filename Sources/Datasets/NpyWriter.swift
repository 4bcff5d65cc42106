import Support
import TensorCore

/// Writes `.npy` files (format 1.0, or 2.0 for very large headers) that `np.load` reads,
/// atomically (`path.tmp`, fsync, rename).
public enum NpyWriter {
  /// Writes `values` (row-major, `shape.reduce(1, *)` elements) with shape `shape`.
  public static func write<T: StorableElement>(
    _ values: UnsafeBufferPointer<T>, shape: [Int], to path: String
  ) throws {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
    precondition(shape.reduce(1, *) == values.count,
                 "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(values.count)")
    let header = NpyHeader(descr: T.elementType.npyDescr, fortranOrder: false, shape: shape).encoded()
    try AtomicFile.write(to: path) { sink in
      try sink.write(header)
      try sink.write(UnsafeRawBufferPointer(values))
    }
  }

  public static func write<T: StorableElement>(_ values: [T], shape: [Int], to path: String) throws {
    try values.withUnsafeBufferPointer { try write($0, shape: shape, to: path) }
  }

  public static func write<S: TensorScalar & StorableElement>(_ tensor: Tensor<S>, to path: String) throws {
    try write(tensor.scalars, shape: tensor.shape.dimensions, to: path)
  }
}
