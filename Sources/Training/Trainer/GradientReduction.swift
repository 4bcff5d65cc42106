import Autodiff
import Collectives
import TensorCore

/// The gradient all-reduce overlapped with the backward pass (DESIGN §4).
///
/// The flat gradient buffer is cut into the communicator's buckets, the same ranges a plain
/// `allReduce` of the whole buffer uses. Each bucket's sum is started, non-blocking, as soon as
/// backward has run every node that writes into it. Models register parameters in forward order,
/// so their gradients finish from the last bucket to the first: buckets are started in that fixed
/// order on every rank, a bucket waiting for the ones after it. The sums are the ones of the plain
/// all-reduce (same buckets, same counts), so results are bit-identical to it and across runs.
/// Under reversible backprop the whole flow is one tape segment that declares every flow
/// parameter used just below it, so the flow's buckets start only once its recomputed backward
/// is done — in effect the plain all-reduce after backward for them, with the same sums.
struct GradientReduction {
  /// The buckets, first to last in the buffer; started last to first.
  private let ranges: [Range<Int>]
  /// Elements per bucket (the last may hold fewer).
  private let perBucket: Int
  /// Per bucket, the first node that uses one of its parameters (this step's tape).
  private var firstUse: [Int]
  /// Per start (last bucket first), the node above which backward must be done.
  private(set) var marks: [Int]
  /// Whether the loss or some local gradient was NaN or ±Inf, checked with each bucket before it
  /// is sent (there is always one bucket, if empty).
  private(set) var nonFinite = false
  /// Seconds spent inside starting all-reduces during the last backward pass.
  private(set) var startSeconds = 0.0

  init(parameterCount: Int, buckets: Buckets) {
    ranges = Array(buckets.ranges(count: parameterCount, stride: MemoryLayout<Float>.stride))
    perBucket = max(1, ranges[0].count)
    firstUse = Array(repeating: 0, count: ranges.count)
    marks = Array(repeating: 0, count: ranges.count)
  }

  /// Runs `tape`'s backward pass from `loss` and starts every bucket's sum over ranks during it;
  /// the caller waits with `communicator.waitForStartedAllReduces()` before reading `gradients`.
  /// - Parameter lossSum: this rank's loss, for the non-finite check.
  mutating func backward(_ tape: Tape<Float>, from loss: Variable<Float>, lossSum: Double,
                         gradients: UnsafeMutableBufferPointer<Float>, communicator: any Communicator) throws {
    planMarks(tape)
    nonFinite = false
    startSeconds = 0
    try tape.backward(from: loss, marks: marks) { start in
      let bucket = UnsafeMutableBufferPointer(rebasing: gradients[ranges[ranges.count - 1 - start]])
      nonFinite = nonFinite || NonFiniteCheck.containsNonFinite(loss: lossSum, gradients: UnsafeBufferPointer(bucket))
      let startedAt = ContinuousClock.now
      try communicator.startAllReduce(bucket, .sum)
      startSeconds += seconds(since: startedAt)
    }
  }

  /// A bucket is done once backward has run every node above its parameters' first use (a bucket
  /// no node uses is done from the start), and is started once the buckets after it are.
  private mutating func planMarks(_ tape: Tape<Float>) {
    for k in firstUse.indices { firstUse[k] = tape.nodes.count }
    for use in tape.parameterUses where use.count > 0 {
      for k in (use.offset / perBucket)...((use.offset + use.count - 1) / perBucket) {
        firstUse[k] = min(firstUse[k], use.node)
      }
    }
    var mark = tape.nodes.count
    for start in marks.indices {
      mark = min(mark, firstUse[ranges.count - 1 - start])
      marks[start] = mark
    }
  }
}
