import Training

/// Graceful preemption (issue 11): one rank's stop request, carried by the step statistics'
/// all-reduce, stops every rank after the same step, and the checkpoint saved there resumes
/// bit-exactly.
func checkCollectiveStop(_ h: MPITestHarness) {
  h.run("trainer: a stop requested on rank \(h.size - 1) only stops all \(h.size) ranks after step 4; resume is bit-exact") { e in
    let (straight, split) = (try SharedDirectory(h.comm), try SharedDirectory(h.comm))
    let full = try TrainerRun(h.comm, steps: 8, directory: straight.path)
    _ = try full.trainer.train()
    let (rank, last) = (h.rank, h.size - 1)
    let stopping = try TrainerRun(h.comm, steps: 8, directory: split.path,
                                  stopRequest: StopRequest { step in rank == last && step == 3 ? "a test request" : nil })
    var stoppedAt: Int64 = -1
    do {
      _ = try stopping.trainer.train()
      e.fail("training ran to the end")
    } catch let stop as TrainingInterrupted {
      stoppedAt = Int64(stop.step)
      e.expect(stop.checkpoint == split.file("ckpt-000004.safetensors"), "checkpoint \(stop.checkpoint ?? "none")")
    }
    // Gathered outside the catch: every rank makes this call whatever happened above.
    let steps = try h.comm.allGather(stoppedAt)
    e.expect(steps == [Int64](repeating: 4, count: h.size), "ranks stopped after steps \(steps)")
    let resumed = try TrainerRun(h.comm, steps: 8, directory: split.path, resume: .auto)
    _ = try resumed.trainer.train()
    e.expect(resumed.parameters.map(\.bitPattern) == full.parameters.map(\.bitPattern),
             "stop at 4 + resume differs from 8 uninterrupted steps")
  }
}
