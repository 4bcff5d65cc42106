import Collectives
import TensorCore

/// Turns the data cursor into this rank's example indices (DESIGN §5).
///
/// The cursor counts examples consumed since the start of training. Global batch position j of
/// the batch that starts at cursor c is example `perm_e[(c + j) mod N]` with `e = (c + j) / N`, where
/// `perm_e = RandomPermutation.epoch(e, count: N, seed:)`; a batch that crosses the end of an
/// epoch continues in the next one. Rank r of W takes positions r, r + W, r + 2W, … of the
/// batch, so which examples a global batch holds depends on neither r nor W.
final class EpochSampler {
  let exampleCount: Int
  let seed: UInt64
  /// Two cached epochs: a batch spans at most the current and the next one while the global
  /// batch is no larger than the dataset. Plain slots, looked up without closures, so drawing
  /// a batch allocates nothing between epoch changes.
  private var cachedEpochs = [-1, -1]
  private var cachedOrders: [[Int]] = [[], []]
  private var slotToReplace = 0

  init(exampleCount: Int, seed: UInt64) {
    precondition(exampleCount > 0, "cannot sample from an empty dataset")
    self.exampleCount = exampleCount
    self.seed = seed
  }

  /// The epoch the example at `cursor` belongs to.
  func epoch(atCursor cursor: Int) -> Int { cursor / exampleCount }

  /// Writes the dataset indices of `shard` (this rank's positions of the global batch starting
  /// at `cursor`) into `indices`.
  func shard(cursor: Int, shard: BatchShard, into indices: inout [Int]) {
    indices.removeAll(keepingCapacity: true)
    // A plain stride: iterating `shard.examples` (a lazy map) allocated per element in debug builds.
    for position in stride(from: shard.rank, to: shard.batchSize, by: shard.worldSize) {
      indices.append(example(atCursor: cursor + position))
    }
  }

  /// The dataset index of the example at global position `cursor`.
  func example(atCursor cursor: Int) -> Int {
    let epoch = cursor / exampleCount
    return cachedOrders[slot(of: epoch)][cursor - epoch * exampleCount]
  }

  private func slot(of epoch: Int) -> Int {
    if cachedEpochs[0] == epoch { return 0 }
    if cachedEpochs[1] == epoch { return 1 }
    let slot = slotToReplace
    slotToReplace = 1 - slot
    cachedEpochs[slot] = epoch
    cachedOrders[slot] = RandomPermutation.epoch(epoch, count: exampleCount, seed: seed)
    return slot
  }
}
