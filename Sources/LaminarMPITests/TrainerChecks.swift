import Collectives
import Datasets
import Foundation
import Support
import Training

/// The data-parallel contract of the trainer (DESIGN §5–§6) on the real communicator.
func checkTrainer(_ h: MPITestHarness) {
  for conditional in [false, true] {
    let kind = conditional ? "conditional " : ""
    h.run("trainer: \(kind)\(h.size) ranks × global batch 12 equals 1 rank × 12") { e in
      let distributed = try TrainerRun(h.comm, steps: 6, conditional: conditional)
      _ = try distributed.trainer.train()
      let single = try TrainerRun(LocalCommunicator(), steps: 6, conditional: conditional)
      _ = try single.trainer.train()
      let difference = TrainerRun.maxDifference(distributed.parameters, single.parameters)
      e.expect(difference < 1e-6, "parameters differ from the single-rank run by up to \(difference)")
      let initial = try TrainerRun(LocalCommunicator(), steps: 0, conditional: conditional)
      try initial.trainer.prepare()
      e.expect(TrainerRun.maxDifference(distributed.parameters, initial.parameters) > 1e-3, "nothing trained")
    }
  }
  h.run("trainer: actnorm init identical on all ranks") { e in
    let run = try TrainerRun(h.comm, steps: 1)
    try run.trainer.prepare()
    let actnorm = run.parameters.prefix(4)
    e.expect(run.trainer.dataDependentInitDone, "init did not run")
    var hash = FNV1a64()
    actnorm.withUnsafeBytes { hash.update($0) }
    let hashes = try h.comm.allGather(hash.value)
    e.expect(Set(hashes).count == 1, "actnorm hashes differ: \(hashes)")
    let local = try TrainerRun(LocalCommunicator(), steps: 1)
    try local.trainer.prepare()
    let difference = TrainerRun.maxDifference(Array(actnorm), Array(local.parameters.prefix(4)))
    e.expect(difference < 1e-6, "actnorm differs from the single-rank init by \(difference)")
  }
  checkTrainerResume(h)
  checkConditionalResume(h)
  checkCollectiveStop(h)
}

/// A conditional model resumes bit-exactly too: its conditions come back with their examples.
private func checkConditionalResume(_ h: MPITestHarness) {
  h.run("trainer: conditional resume on \(h.size) ranks is bit-exact (8 steps = 4 + resume + 4)") { e in
    let (straight, split) = (try SharedDirectory(h.comm), try SharedDirectory(h.comm))
    let full = try TrainerRun(h.comm, steps: 8, directory: straight.path, conditional: true)
    _ = try full.trainer.train()
    _ = try TrainerRun(h.comm, steps: 4, directory: split.path, conditional: true).trainer.train()
    let resumed = try TrainerRun(h.comm, steps: 8, directory: split.path, resume: .auto, conditional: true)
    _ = try resumed.trainer.train()
    e.expect(resumed.parameters.map(\.bitPattern) == full.parameters.map(\.bitPattern),
             "differs by up to \(TrainerRun.maxDifference(resumed.parameters, full.parameters))")
  }
}

/// Resume on the same rank count (bit-exact), on one rank, and past a corrupted checkpoint.
private func checkTrainerResume(_ h: MPITestHarness) {
  let straight: SharedDirectory, split: SharedDirectory
  do {
    (straight, split) = (try SharedDirectory(h.comm), try SharedDirectory(h.comm))
  } catch {
    h.comm.abort(code: 3, message: "cannot create the scratch directories: \(error)")
  }
  var uninterrupted: [Float] = []
  h.run("trainer: resume on \(h.size) ranks is bit-exact (8 steps = 4 + resume + 4)") { e in
    let full = try TrainerRun(h.comm, steps: 8, directory: straight.path, checkpointEvery: 4)
    _ = try full.trainer.train()
    uninterrupted = full.parameters
    _ = try TrainerRun(h.comm, steps: 4, directory: split.path).trainer.train()
    let resumed = try TrainerRun(h.comm, steps: 8, directory: split.path, resume: .auto)
    _ = try resumed.trainer.train()
    e.expect(resumed.trainer.resumedFrom == split.file("ckpt-000004.safetensors"),
             "resumed from \(resumed.trainer.resumedFrom ?? "nothing")")
    e.expect(resumed.parameters.map(\.bitPattern) == uninterrupted.map(\.bitPattern),
             "differs by up to \(TrainerRun.maxDifference(resumed.parameters, uninterrupted))")
  }
  h.run("trainer: a checkpoint from \(h.size) ranks resumes on 1 rank") { e in
    // Every rank resumes the same file alone, without a run directory, so nothing is written.
    let alone = try TrainerRun(LocalCommunicator(), steps: 8, resume: .path(split.file("ckpt-000004.safetensors")))
    _ = try alone.trainer.train()
    e.expect(alone.trainer.step == 8, "stopped at step \(alone.trainer.step)")
    let difference = TrainerRun.maxDifference(alone.parameters, uninterrupted)
    e.expect(difference < 1e-6, "differs from the \(h.size)-rank run by up to \(difference)")
  }
  h.run("trainer: a corrupted newest checkpoint is skipped for the previous one") { e in
    try h.comm.onRank0Corrupt(straight.file("ckpt-000008.safetensors"))
    let resumed = try TrainerRun(h.comm, steps: 8, directory: straight.path, resume: .auto)
    try resumed.trainer.prepare()
    e.expect(resumed.trainer.step == 4, "resumed at step \(resumed.trainer.step), expected 4")
    e.expect(resumed.trainer.resumedFrom == straight.file("ckpt-000004.safetensors"),
             "resumed from \(resumed.trainer.resumedFrom ?? "nothing")")
  }
}

extension Communicator {
  /// Rank 0 flips one byte near the end of `path`; the barrier orders it before any read.
  fileprivate func onRank0Corrupt(_ path: String) throws {
    if rank == 0 {
      var bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
      if !bytes.isEmpty { bytes[bytes.count - 5] ^= 0x10 }
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    try barrier()
  }
}
