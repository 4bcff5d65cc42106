import Collectives
import Support
import Training

/// Gradient buckets started during backward (MPI_Iallreduce) sum what the same buckets started
/// after backward sum, bit for bit, on every rank count.
///
/// They are not compared with the blocking MPI_Allreduce beyond 2 ranks: Open MPI's non-blocking
/// all-reduce (libnbc) adds the ranks' values in another order than its blocking one (tuned), so
/// on 3 ranks about 1 sum in 1700 of random values differs in the last bit. A sum of two values
/// does not depend on the order, so on 2 ranks the two are bit-identical.
func checkStartedAllReduces(_ h: MPITestHarness, smallBuckets: any Communicator) {
  h.run("startAllReduce of 10 MiB of Float in 1 MiB buckets, last first while computing, equals starting all at once") { e in
    let count = 10 << 18 + 12_345
    // Values of mixed sign and magnitude, so a different summation order over 3 ranks would show.
    var state = UInt64(h.rank + 1) &* 0x9E37_79B9_7F4A_7C15
    let values: [Float] = (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let mantissa = Float(Int64(bitPattern: state) >> 40) / Float(1 << 23)
      return mantissa * Float(1 << Int((state >> 20) % 24)) / 4096
    }
    var atOnce = values
    try atOnce.withUnsafeMutableBufferPointer { buffer in
      try smallBuckets.startAllReduce(buffer, .sum)
      try smallBuckets.waitForStartedAllReduces()
    }
    var started = values
    var work = 0.0
    try started.withUnsafeMutableBufferPointer { buffer in
      let ranges = Array(smallBuckets.buckets.ranges(count: count, stride: MemoryLayout<Float>.stride))
      for range in ranges.reversed() {
        try smallBuckets.startAllReduce(UnsafeMutableBufferPointer(rebasing: buffer[range]), .sum)
        for v in values[range] { work += Double(v) * Double(v) }  // stands for backward's next layers
      }
      try smallBuckets.waitForStartedAllReduces()
    }
    e.expect(work > 0, "no work between the starts")
    let mismatches = zip(started, atOnce).filter { $0.bitPattern != $1.bitPattern }.count
    e.expect(mismatches == 0, "\(mismatches) of \(count) sums differ from starting every bucket at once")
    if h.size == 2 {
      var blocking = values
      try smallBuckets.allReduce(&blocking, .sum)
      let differ = zip(started, blocking).filter { $0.bitPattern != $1.bitPattern }.count
      e.expect(differ == 0, "\(differ) of \(count) sums differ from the blocking all-reduce on 2 ranks")
    }
    var hash = FNV1a64()
    started.withUnsafeBytes { hash.update($0) }
    let hashes = try h.comm.allGather(hash.value)
    e.expect(Set(hashes).count == 1, "ranks hold different sums: \(hashes)")
  }
  h.run("trainer: gradient buckets started during backward on \(h.size) ranks equal buckets started after it, bit for bit") { e in
    let overlapped = try TrainerRun(smallBuckets, steps: 6, hidden: [512, 512])
    _ = try overlapped.trainer.train()
    let deferred = try TrainerRun(AfterBackwardCommunicator(smallBuckets), steps: 6, hidden: [512, 512])
    _ = try deferred.trainer.train()
    e.expect(overlapped.parameters.count > 2 * (1 << 18), "\(overlapped.parameters.count) parameters fit in 2 buckets")
    let mismatches = zip(overlapped.parameters, deferred.parameters).filter { $0.bitPattern != $1.bitPattern }.count
    e.expect(mismatches == 0, "\(mismatches) of \(overlapped.parameters.count) parameters differ")
  }
}

/// `inner` with started all-reduces held back until the wait (which the trainer calls after
/// backward), then started in the same order: the non-overlapped schedule of the same collectives.
private final class AfterBackwardCommunicator: Communicator {
  let inner: any Communicator
  private var held: [UnsafeMutableBufferPointer<Float>] = []
  init(_ inner: any Communicator) { self.inner = inner }
  var rank: Int { inner.rank }
  var size: Int { inner.size }
  var buckets: Buckets { inner.buckets }
  func startAllReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws {
    guard T.self == Float.self, op == .sum else { return try inner.startAllReduce(buffer, op) }
    held.append(UnsafeMutableRawBufferPointer(buffer).bindMemory(to: Float.self))
  }
  func waitForStartedAllReduces() throws {
    for buffer in held { try inner.startAllReduce(buffer, .sum) }
    held.removeAll()
    try inner.waitForStartedAllReduces()
  }
  func allReduce<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReductionOp) throws {
    try inner.allReduce(buffer, op)
  }
  func broadcast<T: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) throws {
    try inner.broadcast(buffer, root: root)
  }
  func broadcast(bytes: inout [UInt8], root: Int) throws { try inner.broadcast(bytes: &bytes, root: root) }
  func barrier() throws { try inner.barrier() }
  func allGather<T: CollectiveScalar>(_ value: T) throws -> [T] { try inner.allGather(value) }
  func allGather(bytes: [UInt8]) throws -> [[UInt8]] { try inner.allGather(bytes: bytes) }
  func abort(code: Int32, message: String) -> Never { inner.abort(code: code, message: message) }
}
