#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffer fills. Element `i` of a fill is value number `offset + i` of the stream, so a buffer
/// filled in one call equals the same buffer filled piecewise with matching offsets.
extension RandomStream {
  /// Raw words: value `j` is lane `j % 4` of block `j / 4`.
  public func fillBits(_ buffer: UnsafeMutableBufferPointer<UInt32>, offset: UInt64 = 0) {
    fillLanes(buffer, offset: offset) { $0 }
  }

  /// Uniform draws in `interval` (see `RandomInterval` for the exact bit maps).
  ///
  /// Float takes one 32-bit word per value (4 values per block); Double takes two words,
  /// low word first (2 values per block), so that it has 53 random bits.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func fillUniform<S: TensorScalar>(
    _ buffer: UnsafeMutableBufferPointer<S>, offset: UInt64 = 0, interval: RandomInterval = .closedOpen
  ) {
    if S.self == Float.self {
      fillLanes(rebound(buffer, to: Float.self), offset: offset) { w in
        SIMD4(interval.float(w.x), interval.float(w.y), interval.float(w.z), interval.float(w.w))
      }
    } else if S.self == Double.self {
      fillLanes(rebound(buffer, to: Double.self), offset: offset) { w in
        SIMD2(interval.double(pack(w.x, w.y)), interval.double(pack(w.z, w.w)))
      }
    } else {
      preconditionFailure("fillUniform supports Float and Double, not \(S.self)")
    }
  }

  /// Standard normal draws by Box–Muller on pairs of uniforms:
  /// ```
  /// r = √(−2 ln u₁),  u₁ ∈ (0, 1)      z₀ = r cos 2πu₂,  z₁ = r sin 2πu₂,  u₂ ∈ [0, 1)
  /// ```
  /// Float: lanes (x, y) and (z, w) of a block give 4 values; Double: (x|y, z|w) give 2.
  ///
  /// Reference: Box & Muller 1958, "A note on the generation of random normal deviates".
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func fillNormal<S: TensorScalar>(_ buffer: UnsafeMutableBufferPointer<S>, offset: UInt64 = 0) {
    if S.self == Float.self {
      fillLanes(rebound(buffer, to: Float.self), offset: offset) { w in
        let a = boxMuller(RandomInterval.open.float(w.x), RandomInterval.closedOpen.float(w.y))
        let b = boxMuller(RandomInterval.open.float(w.z), RandomInterval.closedOpen.float(w.w))
        return SIMD4(a.0, a.1, b.0, b.1)
      }
    } else if S.self == Double.self {
      fillLanes(rebound(buffer, to: Double.self), offset: offset) { w in
        let a = boxMuller(RandomInterval.open.double(pack(w.x, w.y)),
                          RandomInterval.closedOpen.double(pack(w.z, w.w)))
        return SIMD2(a.0, a.1)
      }
    } else {
      preconditionFailure("fillNormal supports Float and Double, not \(S.self)")
    }
  }

  /// A tensor of uniform draws; element `i` (row-major) is value `offset + i`.
  public func uniform<S: TensorScalar>(
    _ shape: Shape, offset: UInt64 = 0, interval: RandomInterval = .closedOpen
  ) -> Tensor<S> {
    var tensor = Tensor<S>(zeros: shape)
    tensor.withUnsafeMutableBufferPointer { fillUniform($0, offset: offset, interval: interval) }
    return tensor
  }

  /// A tensor of standard normal draws; element `i` (row-major) is value `offset + i`.
  public func normal<S: TensorScalar>(_ shape: Shape, offset: UInt64 = 0) -> Tensor<S> {
    var tensor = Tensor<S>(zeros: shape)
    tensor.withUnsafeMutableBufferPointer { fillNormal($0, offset: offset) }
    return tensor
  }

  /// Writes values `offset ..< offset + count`, where value `j` is lane `j % lanes` of
  /// `produce(block(j / lanes))`. Partial blocks at either end are what make any offset legal.
  @inline(__always)
  private func fillLanes<V: SIMD>(
    _ out: UnsafeMutableBufferPointer<V.Scalar>, offset: UInt64, _ produce: (SIMD4<UInt32>) -> V
  ) {
    guard let base = out.baseAddress else { return }
    precondition(UInt64(out.count) <= UInt64.max - offset,
                 "offset \(offset) + count \(out.count) overflows the 64-bit value index")
    let lanes = V().scalarCount
    var i = 0
    var j = offset
    while i < out.count {
      let values = produce(block(j / UInt64(lanes)))
      let lane = Int(j % UInt64(lanes))
      let take = min(lanes - lane, out.count - i)
      for l in 0..<take { base[i + l] = values[lane + l] }
      i += take
      j += UInt64(take)
    }
  }
}

@inline(__always)
private func pack(_ low: UInt32, _ high: UInt32) -> UInt64 { UInt64(high) << 32 | UInt64(low) }

@inline(__always)
private func rebound<S, T>(_ buffer: UnsafeMutableBufferPointer<S>, to: T.Type) -> UnsafeMutableBufferPointer<T> {
  // Only called after checking S == T, so the memory is already bound to T.
  UnsafeMutableBufferPointer(start: UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: T.self),
                             count: buffer.count)
}

@inline(__always)
private func boxMuller(_ u1: Float, _ u2: Float) -> (Float, Float) {
  let r = (-2 * logf(u1)).squareRoot()
  let theta = 2 * Float.pi * u2
  return (r * cosf(theta), r * sinf(theta))
}

@inline(__always)
private func boxMuller(_ u1: Double, _ u2: Double) -> (Double, Double) {
  let r = (-2 * log(u1)).squareRoot()
  let theta = 2 * Double.pi * u2
  return (r * cos(theta), r * sin(theta))
}
