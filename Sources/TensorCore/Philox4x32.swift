/// The Philox4x32-10 counter-based block function: a keyed bijection of 128-bit counters.
///
/// Ten rounds of a Feistel-like network; each round multiplies two counter words by fixed odd
/// constants, takes the high and low halves of the 64-bit products and mixes them with the other
/// words and the round key. The key advances by the Weyl constants between rounds.
/// ```
/// (hi0, lo0) = M0 · c0      (hi1, lo1) = M1 · c2
/// c' = (hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0)
/// k' = (k0 + W0, k1 + W1)
/// ```
/// Any block is computed independently of every other block, which is what lets each rank draw
/// exactly the numbers that belong to its examples.
///
/// Reference: Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3" (SC11).
public enum Philox4x32 {
  static let multiplier0: UInt32 = 0xD251_1F53
  static let multiplier1: UInt32 = 0xCD9E_8D57
  static let weyl0: UInt32 = 0x9E37_79B9
  static let weyl1: UInt32 = 0xBB67_AE85
  static let rounds = 10

  /// The 4 output words for `counter` under `key`, in the word order of Random123's `philox4x32`.
  @inline(__always)
  public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
    // Scalars rather than SIMD lanes in the loop: the round is a shuffle of words, not lane-wise work.
    var (c0, c1, c2, c3) = (counter.x, counter.y, counter.z, counter.w)
    var (k0, k1) = (key.x, key.y)
    for round in 0..<rounds {
      if round > 0 {
        k0 &+= weyl0
        k1 &+= weyl1
      }
      let p0 = UInt64(multiplier0) &* UInt64(c0)
      let p1 = UInt64(multiplier1) &* UInt64(c2)
      (c0, c1, c2, c3) = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c1 ^ k0,
                          UInt32(truncatingIfNeeded: p1),
                          UInt32(truncatingIfNeeded: p0 >> 32) ^ c3 ^ k1,
                          UInt32(truncatingIfNeeded: p0))
    }
    return SIMD4(c0, c1, c2, c3)
  }
}
