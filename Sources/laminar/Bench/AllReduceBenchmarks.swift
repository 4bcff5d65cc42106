import Collectives

/// In-place sum all-reduce of 1, 16 and 64 MiB of Float through the bucketed path: per size a
/// time row (ms) and a bandwidth row (GB/s = bytes / time). Empty for a single rank.
///
/// Every rank must call it. Each repetition starts at a barrier; a rank's figure is the median
/// of its repetitions after a warm-up, and the reported figure the slowest rank's median, so all
/// ranks return the same rows.
func allReduceBenchmarkRows(_ comm: any Communicator) throws -> [BenchmarkRow] {
  guard comm.size > 1 else { return [] }
  var rows: [BenchmarkRow] = []
  for mebibytes in [1, 16, 64] {
    let seconds = try medianAllReduceSeconds(comm, bytes: mebibytes << 20)
    let gigabytesPerSecond = Double(mebibytes << 20) / seconds / 1e9
    let name = "all-reduce sum \(mebibytes) MiB Float (\(comm.size) ranks)"
    rows.append(BenchmarkRow(name: name, value: seconds * 1e3, unit: "ms", ratio: ""))
    let ratio = mebibytes == 64 ? ratioText(gigabytesPerSecond / targetGigabytesPerSecond) : ""
    rows.append(BenchmarkRow(name: name, value: gigabytesPerSecond, unit: "GB/s", ratio: ratio))
  }
  return rows
}

/// The goal for 64 MiB with 2 ranks on one host (shared memory).
private let targetGigabytesPerSecond = 3.0

private func ratioText(_ ratio: Double) -> String {
  let hundredths = Int((ratio * 100).rounded())
  let fraction = hundredths % 100 < 10 ? "0\(hundredths % 100)" : "\(hundredths % 100)"
  return "\(hundredths / 100).\(fraction) of the 3 GB/s target"
}

/// The slowest rank's median time of one all-reduce of `bytes` bytes, in seconds.
private func medianAllReduceSeconds(_ comm: any Communicator, bytes: Int) throws -> Double {
  let (warmUps, repetitions) = (2, 7)
  let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: bytes / 4)
  defer { buffer.deallocate() }
  // 1/size per rank keeps the sums near 1 however many repetitions run.
  buffer.initialize(repeating: 1 / Float(comm.size))
  let clock = ContinuousClock()
  var seconds: [Double] = []
  for repetition in 0..<(warmUps + repetitions) {
    try comm.barrier()
    let start = clock.now
    try comm.allReduce(buffer, .sum)
    let elapsed = clock.now - start
    if repetition >= warmUps {
      let (whole, attoseconds) = elapsed.components
      seconds.append(Double(whole) + Double(attoseconds) * 1e-18)
    }
  }
  seconds.sort()
  return try comm.allReduced(seconds[repetitions / 2], .max)
}
