import Collectives
@testable import Training
import TensorCore
import XCTest

final class EpochSamplerTests: XCTestCase {
  /// Rank r of W takes positions r, r + W, … of the global batch, so the union of the shards, put
  /// back in position order, is the single-rank batch for every W.
  func testShardsOfAnyWorldSizeInterleaveToTheSingleRankBatch() {
    let sampler = EpochSampler(exampleCount: 10, seed: 3)
    var single: [Int] = []
    sampler.shard(cursor: 6, shard: .whole(7), into: &single)
    for size in 2...4 {
      var merged = [Int](repeating: -1, count: 7)
      for rank in 0..<size {
        var shard: [Int] = []
        let positions = BatchShard(rank: rank, worldSize: size, batchSize: 7)
        sampler.shard(cursor: 6, shard: positions, into: &shard)
        XCTAssertEqual(shard.count, positions.count)
        for (k, index) in shard.enumerated() { merged[rank + k * size] = index }
      }
      XCTAssertEqual(merged, single, "world size \(size)")
    }
  }

  /// A batch that crosses the end of an epoch continues with the next epoch's permutation.
  func testBatchesRollOverIntoTheNextEpoch() {
    let sampler = EpochSampler(exampleCount: 10, seed: 3)
    var batch: [Int] = []
    sampler.shard(cursor: 6, shard: .whole(7), into: &batch)
    let epoch0 = RandomPermutation.epoch(0, count: 10, seed: 3)
    let epoch1 = RandomPermutation.epoch(1, count: 10, seed: 3)
    XCTAssertEqual(batch, Array(epoch0[6...]) + Array(epoch1[..<3]))
    XCTAssertNotEqual(epoch0, epoch1)
    XCTAssertEqual(sampler.epoch(atCursor: 13), 1)
  }
}
