import Collectives

/// All-reduces larger than one bucket, every element checked.
func checkBuckets(_ h: MPITestHarness, smallBuckets: any Communicator) {
  h.run("allReduce sum 40 MiB of Float in 4 MiB buckets") { e in
    let count = 10 << 20
    let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
    defer { values.deallocate() }
    // i % 4093 (prime) makes every bucket's contents differ, so a misplaced bucket shows.
    for i in 0..<count { values[i] = Float(i % 4093 + h.rank + 1) }
    try h.comm.allReduce(values, .sum)
    let triangle = Float(h.size * (h.size + 1) / 2)
    for i in 0..<count {
      let expected = Float(h.size) * Float(i % 4093) + triangle
      if values[i] != expected { e.fail("element \(i) = \(values[i]), expected \(expected)") }
    }
  }
  h.run("allReduce max of 300001 Double in 1 MiB buckets (a partial last bucket)") { e in
    var values = (0..<300_001).map { Double($0) + 0.5 * Double(h.rank) }
    try smallBuckets.allReduce(&values, .max)
    for i in values.indices where values[i] != Double(i) + 0.5 * Double(h.size - 1) {
      e.fail("element \(i) = \(values[i]), expected \(Double(i) + 0.5 * Double(h.size - 1))")
    }
  }
}
