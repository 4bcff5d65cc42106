/// Deterministic shuffles of `0 ..< count`, identical on every rank for the same key.
public enum RandomPermutation {
  /// The global permutation of the training set for `epoch` (DESIGN §5): every rank computes the
  /// same order and takes positions r, r + W, r + 2W, … of it.
  public static func epoch(_ epoch: Int, count: Int, seed: UInt64) -> [Int] {
    shuffled(count: count, stream: RandomStream(seed: seed, purpose: .permutation, minor: epoch))
  }

  /// Fisher–Yates driven by the stream's 64-bit words (`PhiloxGenerator` from position 0):
  /// ```
  /// for i = count−1 … 1:  j = uniform in 0…i;  swap(p[i], p[j])
  /// ```
  /// Reference: Knuth, TAOCP vol. 2, Algorithm 3.4.2 P (Durstenfeld's in-place form).
  public static func shuffled(count: Int, stream: RandomStream) -> [Int] {
    precondition(count >= 0, "count must be non-negative, got \(count)")
    var permutation = Array(0..<count)
    var generator = PhiloxGenerator(stream: stream)
    permutation.withUnsafeMutableBufferPointer { p in
      for i in stride(from: count - 1, to: 0, by: -1) {
        let j = Int(generator.next(below: UInt64(i + 1)))
        p.swapAt(i, j)
      }
    }
    return permutation
  }
}
