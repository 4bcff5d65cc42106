import Collectives

/// Broadcasts from the last rank (a non-zero root whenever size > 1) of typed buffers and blobs.
func checkBroadcasts(_ h: MPITestHarness) {
  checkTypedBroadcast(Float.self, h)
  checkTypedBroadcast(Double.self, h)
  checkTypedBroadcast(Int32.self, h)
  checkTypedBroadcast(Int64.self, h)
  checkTypedBroadcast(UInt64.self, h)
  checkBlobBroadcasts(h)
}

private func checkTypedBroadcast<T: CollectiveScalar>(_: T.Type, _ h: MPITestHarness) {
  h.run("broadcast [\(T.self)] from root size-1") { e in
    let root = h.size - 1
    let pattern = (0..<1000).map { i in T(exactly: 3 * i + 1)! }
    var values = h.rank == root ? pattern : [T](repeating: 0, count: pattern.count)
    try h.comm.broadcast(&values, root: root)
    e.expect(values == pattern, "received \(values.prefix(4))..., expected \(pattern.prefix(4))...")
    let single = try h.comm.broadcasted(T(exactly: 100 + h.rank)!, root: root)
    e.expect(single == T(exactly: 100 + root)!, "single value \(single), expected \(100 + root)")
  }
}

private func checkBlobBroadcasts(_ h: MPITestHarness) {
  let root = h.size - 1
  h.run("broadcast bytes of a length only root knows") { e in
    // 5 MiB + 3 bytes: two buckets and a tail at the default 4 MiB.
    let blob = (0..<(5 << 20) + 3).map { UInt8(truncatingIfNeeded: $0 &* 7 % 251) }
    var received: [UInt8] = h.rank == root ? blob : [9, 9, 9]
    try h.comm.broadcast(bytes: &received, root: root)
    e.expect(received.count == blob.count, "length \(received.count), expected \(blob.count)")
    e.expect(received == blob, "content differs from root's")
  }
  h.run("broadcast an empty blob") { e in
    var received: [UInt8] = h.rank == root ? [] : [1, 2, 3]
    try h.comm.broadcast(bytes: &received, root: root)
    e.expect(received.isEmpty, "received \(received), expected []")
  }
}
