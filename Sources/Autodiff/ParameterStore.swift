import TensorCore

/// A named region of the flat parameter buffer.
public struct ParameterSlice: Hashable, Sendable {
  public let name: String
  public let offset: Int
  public let shape: Shape
  public var count: Int { shape.count }
}

/// All parameters of a model in one contiguous buffer, gradients in a second of the same layout
/// (DESIGN §4): the all-reduce, the optimizer and the checkpoint each see one buffer.
public final class ParameterStore<Scalar: TensorScalar> {
  public private(set) var slices: [ParameterSlice] = []
  /// How each slice is filled by `initialize(seed:)`, parallel to `slices`.
  public private(set) var initializers: [ParameterInitializer] = []
  private var byName: [String: Int] = [:]
  /// [totalCount]
  public private(set) var values: UnsafeMutableBufferPointer<Scalar>
  /// [totalCount], same layout as `values`.
  public private(set) var gradients: UnsafeMutableBufferPointer<Scalar>

  public init() {
    values = .allocate(capacity: 0)
    gradients = .allocate(capacity: 0)
  }

  deinit {
    values.deallocate()
    gradients.deallocate()
  }

  public var count: Int { values.count }

  /// Registers a parameter; values start at zero. Registration happens while building a model,
  /// before training, so growing the buffers here is not on the hot path.
  @discardableResult
  public func add(_ name: String, shape: Shape,
                  initializer: ParameterInitializer = .zeros) -> ParameterSlice {
    precondition(byName[name] == nil, "parameter '\(name)' registered twice")
    let slice = ParameterSlice(name: name, offset: values.count, shape: shape)
    let newCount = values.count + shape.count
    values = Self.grow(values, to: newCount)
    gradients = Self.grow(gradients, to: newCount)
    byName[name] = slices.count
    slices.append(slice)
    initializers.append(initializer)
    return slice
  }

  public func slice(named name: String) -> ParameterSlice? {
    byName[name].map { slices[$0] }
  }

  public func values(of slice: ParameterSlice) -> UnsafeMutableBufferPointer<Scalar> {
    UnsafeMutableBufferPointer(rebasing: values[slice.offset..<(slice.offset + slice.count)])
  }

  public func gradients(of slice: ParameterSlice) -> UnsafeMutableBufferPointer<Scalar> {
    UnsafeMutableBufferPointer(rebasing: gradients[slice.offset..<(slice.offset + slice.count)])
  }

  /// Fills every slice from its initializer; slice `i` draws from its own keyed stream, so the
  /// values depend on the seed and the registration order only.
  public func initialize(seed: UInt64) {
    for (i, (slice, initializer)) in zip(slices, initializers).enumerated() {
      let stream = RandomStream(seed: seed, purpose: .parameterInit, major: i)
      initializer.fill(values(of: slice), shape: slice.shape, stream: stream)
    }
  }

  public func zeroGradients() {
    if let base = gradients.baseAddress { Elementwise.fill(base, with: 0, count: gradients.count) }
  }

  private static func grow(_ old: UnsafeMutableBufferPointer<Scalar>, to count: Int)
    -> UnsafeMutableBufferPointer<Scalar>
  {
    let new = UnsafeMutableBufferPointer<Scalar>.allocate(capacity: count)
    defer { old.deallocate() }
    guard let base = new.baseAddress else { return new }
    if let from = old.baseAddress { base.initialize(from: from, count: old.count) }
    // Only the new part is zeroed; not `initialize(repeating:)`, which in this generic class runs
    // unspecialized, one call per element.
    Elementwise.fill(base + old.count, with: 0, count: count - old.count)
    return new
  }
}
