/// The examples of a global batch that one rank computes: positions r, r + W, r + 2W, … < B
/// (DESIGN §5), so the union over ranks is the whole batch whatever W is.
public struct BatchShard: Sendable, Equatable {
  public let rank: Int
  public let worldSize: Int
  /// B, the global batch.
  public let batchSize: Int

  public init(rank: Int, worldSize: Int, batchSize: Int) {
    precondition(worldSize >= 1 && (0..<worldSize).contains(rank), "rank \(rank) outside a world of \(worldSize)")
    precondition(batchSize >= 0, "batch size \(batchSize) < 0")
    self.rank = rank
    self.worldSize = worldSize
    self.batchSize = batchSize
  }

  /// The whole batch on one rank.
  public static func whole(_ batchSize: Int) -> BatchShard {
    BatchShard(rank: 0, worldSize: 1, batchSize: batchSize)
  }

  /// Global example indices of this shard, ascending.
  public var examples: some RandomAccessCollection<Int> {
    (0..<count).lazy.map { [rank, worldSize] in rank + $0 * worldSize }
  }

  /// ⌈(B − r) / W⌉, possibly 0 when B < W.
  public var count: Int { max(0, (batchSize - rank + worldSize - 1) / worldSize) }
}
