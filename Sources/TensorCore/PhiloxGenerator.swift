/// A sequential `RandomNumberGenerator` reading the 64-bit words of a `RandomStream` in order.
///
/// Word `p` is lanes (x | y << 32) of block `p / 2` for even `p`, (z | w << 32) for odd `p`.
/// Its whole state is (stream, position), so it can be saved in a checkpoint and resumed exactly.
public struct PhiloxGenerator: RandomNumberGenerator, Sendable {
  public let stream: RandomStream
  /// Index of the next 64-bit word.
  public private(set) var position: UInt64
  private var cached: SIMD4<UInt32> = .zero

  public init(stream: RandomStream, position: UInt64 = 0) {
    self.stream = stream
    self.position = position
    if position & 1 == 1 { cached = stream.block(position >> 1) }
  }

  public mutating func next() -> UInt64 {
    let word: UInt64
    if position & 1 == 0 {
      cached = stream.block(position >> 1)
      word = UInt64(cached.y) << 32 | UInt64(cached.x)
    } else {
      word = UInt64(cached.w) << 32 | UInt64(cached.z)
    }
    position &+= 1
    return word
  }

  /// An unbiased integer in `0 ..< bound`, by multiply-and-reject. Spelled out here rather than
  /// using `Int.random(in:using:)`, whose algorithm the standard library may change between
  /// releases; a permutation must not change when the compiler does.
  ///
  /// Reference: Lemire 2019, "Fast random integer generation in an interval".
  public mutating func next(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "bound must be positive")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }
}
