/// How large collectives are split into consecutive buckets of at most `bytes` bytes.
///
/// One-shot all-reduces of tens of MiB are slow on shared-memory transports: the library's
/// temporary buffer is mmapped and page-faulted on every call. Buckets of 1–16 MiB reuse warm
/// memory: 64 MiB of Float over 2 ranks on one host took 10.5–14 ms in 1–16 MiB buckets
/// against 26–40 ms in one call (OpenMPI 4.1, ob1/vader, quiet runs).
public struct Buckets: Sendable, Equatable {
  /// 4 MiB.
  public static let defaultBytes = 4 << 20
  /// 1 MiB ... 16 MiB.
  public static let allowedBytes = (1 << 20)...(16 << 20)

  /// `defaultBytes`.
  public static let standard = Buckets(validBytes: defaultBytes)

  /// The largest bucket, in bytes.
  public let bytes: Int

  /// Throws when `bytes` is outside `allowedBytes`.
  public init(bytes: Int) throws(CollectiveError) {
    guard Buckets.allowedBytes.contains(bytes) else {
      throw CollectiveError(
        "all-reduce bucket size \(bytes) bytes is outside 1 MiB ... 16 MiB "
          + "(\(Buckets.allowedBytes.lowerBound) ... \(Buckets.allowedBytes.upperBound) bytes); "
          + "choose a size in that range, e.g. \(Buckets.defaultBytes) (4 MiB)")
    }
    self.bytes = bytes
  }

  private init(validBytes: Int) {
    bytes = validBytes
  }

  /// Index ranges covering `0..<count` in order, each at most `bytes` bytes of elements of
  /// `stride` bytes. An empty buffer gives one empty range, so every rank still makes a call.
  public func ranges(count: Int, stride: Int) -> BucketRanges {
    precondition(count >= 0, "negative element count \(count)")
    precondition(stride > 0, "element stride must be positive, got \(stride)")
    return BucketRanges(count: count, perBucket: max(1, bytes / stride))
  }
}

/// The ranges of `Buckets.ranges(count:stride:)`; iterating allocates nothing.
public struct BucketRanges: Sequence, IteratorProtocol, Sendable {
  private let count: Int
  private let perBucket: Int
  private var start = 0
  private var emittedEmpty = false

  init(count: Int, perBucket: Int) {
    self.count = count
    self.perBucket = perBucket
  }

  public mutating func next() -> Range<Int>? {
    if count == 0 {
      defer { emittedEmpty = true }
      return emittedEmpty ? nil : 0..<0
    }
    guard start < count else { return nil }
    let end = Swift.min(count, start + perBucket)
    defer { start = end }
    return start..<end
  }
}
