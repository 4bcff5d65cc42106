/// A keyed, stateless stream of random numbers: value number `i` is a pure function of
/// (seed, stream, i), so any rank can draw any slice of it without drawing what comes before.
///
/// Block `b` (4 words of 32 bits) is Philox4x32-10 with
/// ```
/// key     = (seed.low32, seed.high32)
/// counter = (b.low32, b.high32, stream.low32, stream.high32)
/// ```
/// so different seeds, different streams and different blocks can never share an input: no hashing,
/// hence no collisions. Element `i` of a fill lives in block `i / lanes` at lane `i % lanes`
/// (4 lanes for Float, 2 for Double), which is why filling `[0, n)` in one call and filling the
/// pieces `[a, b)`, `[b, n)` with `offset: a` and `offset: b` give the same numbers.
///
/// Keying rule (DESIGN §5): the trainer derives the stream from (purpose, step or epoch) with
/// `init(seed:purpose:major:minor:)` and the offset from the global example index with
/// `offset(example:element:)`, never from the rank, so results do not depend on the world size.
/// Use each stream for one kind of draw: a uniform fill and a normal fill of the same stream read
/// the same bits.
///
/// Reference: Salmon et al. 2011 (Philox); JAX's and PyTorch's counter-based `(key, counter)` design.
public struct RandomStream: Hashable, Sendable {
  public let seed: UInt64
  /// The high 64 bits of every counter of this stream.
  public let stream: UInt64

  /// A stream with an explicit 64-bit id. Prefer `init(seed:purpose:major:minor:)`, whose packed
  /// ids are tagged with a purpose; mixing raw ids with packed ones can collide.
  public init(seed: UInt64, stream: UInt64) {
    self.seed = seed
    self.stream = stream
  }

  /// A stream whose id packs a purpose and two indices, collision-free by construction:
  /// ```
  /// stream = purpose << 56 | major << 32 | minor      (major < 2²⁴)
  /// ```
  /// e.g. dequantization noise of step s: `(purpose: .dequantization, minor: s)`;
  /// the permutation of epoch e: `(purpose: .permutation, minor: e)`;
  /// noise of layer l at step s: `(purpose: ..., major: l, minor: s)`.
  public init(seed: UInt64, purpose: RandomPurpose, major: Int = 0, minor: Int = 0) {
    precondition(major >= 0 && major < 1 << 24, "major index \(major) must be in 0..<2^24")
    precondition(minor >= 0 && minor <= Int(UInt32.max), "minor index \(minor) must be in 0..<2^32")
    self.init(seed: seed,
              stream: UInt64(purpose.rawValue) << 56 | UInt64(major) << 32 | UInt64(minor))
  }

  /// The element offset of value `element` of example `example`:
  /// ```
  /// offset = example << 32 | element      (both < 2³²)
  /// ```
  /// Distinct (example, element) pairs never share a value, whatever the example size.
  public static func offset(example: Int, element: Int = 0) -> UInt64 {
    precondition(example >= 0 && example <= Int(UInt32.max), "example index \(example) must be in 0..<2^32")
    precondition(element >= 0 && element <= Int(UInt32.max), "element index \(element) must be in 0..<2^32")
    return UInt64(example) << 32 | UInt64(element)
  }

  /// The 4 random words of block `index`.
  @inline(__always)
  public func block(_ index: UInt64) -> SIMD4<UInt32> {
    Philox4x32.block(
      counter: SIMD4(UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32),
                     UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)),
      key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
  }
}
