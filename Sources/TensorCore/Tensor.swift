/// A contiguous row-major tensor value with copy-on-write storage.
///
/// The host-side type for data, tests and checkpoints; the training step itself runs on the
/// autodiff tape's arena, which does not allocate per op.
public struct Tensor<Scalar: TensorScalar>: Equatable, Sendable {
  public private(set) var shape: Shape
  public var scalars: [Scalar]

  public init(shape: Shape, scalars: [Scalar]) {
    precondition(shape.count == scalars.count,
                 "shape \(shape) needs \(shape.count) scalars, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  public init(zeros shape: Shape) { self.init(repeating: 0, shape: shape) }

  public init(repeating value: Scalar, shape: Shape) {
    self.init(shape: shape, scalars: [Scalar](repeating: value, count: shape.count))
  }

  public var count: Int { scalars.count }

  public func reshaped(to newShape: Shape) -> Tensor {
    precondition(newShape.count == shape.count, "cannot reshape \(shape) to \(newShape)")
    return Tensor(shape: newShape, scalars: scalars)
  }

  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
    try scalars.withUnsafeBufferPointer(body)
  }

  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try scalars.withUnsafeMutableBufferPointer(body)
  }

  /// Element-wise conversion between precisions (Float32 <-> Float64).
  public init<Other: TensorScalar>(converting other: Tensor<Other>) {
    self.init(shape: other.shape, scalars: other.scalars.map { Scalar($0) })
  }
}
