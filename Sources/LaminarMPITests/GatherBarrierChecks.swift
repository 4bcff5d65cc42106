import Collectives
import Glibc

/// All-gather of values and of blobs of different lengths (rank r sends r bytes).
func checkGathers(_ h: MPITestHarness) {
  h.run("allGather UInt64") { e in
    let gathered = try h.comm.allGather(1 << 63 | UInt64(1000 * h.rank + 7))
    let expected = (0..<h.size).map { 1 << 63 | UInt64(1000 * $0 + 7) }
    e.expect(gathered == expected, "gathered \(gathered), expected \(expected)")
  }
  h.run("allGather Double") { e in
    let gathered = try h.comm.allGather(Double(h.rank) / 3)
    e.expect(gathered == (0..<h.size).map { Double($0) / 3 }, "gathered \(gathered)")
  }
  h.run("allGather bytes of different lengths") { e in
    let blob = { (r: Int) in (0..<r).map { UInt8(10 * r + $0) } }
    let gathered = try h.comm.allGather(bytes: blob(h.rank))
    let expected = (0..<h.size).map(blob)
    e.expect(gathered == expected, "gathered \(gathered), expected \(expected)")
  }
}

/// Rank 0 enters the barrier 300 ms late; every other rank must wait for it.
func checkBarrier(_ h: MPITestHarness) {
  h.run("barrier waits for the last rank") { e in
    let clock = ContinuousClock()
    let start = clock.now
    if h.rank == 0 { usleep(300_000) }
    try h.comm.barrier()
    let waited = clock.now - start
    e.expect(waited >= .milliseconds(250), "left the barrier after \(waited), before rank 0 entered")
  }
}
