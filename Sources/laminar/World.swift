import ArgumentParser
import Collectives
import Foundation
import MPI
import TensorCore
import Training

/// Runs `body` with the job's communicator: MPI's world under mpirun or srun, a singleton otherwise.
/// MPI is finalized afterwards on every path, so a thrown error ends the job cleanly; an error
/// raised on some ranks only aborts the job instead of leaving the others waiting. A run stopped
/// on request (`TrainingInterrupted`) finalizes normally, prints how to resume and exits with 75.
func withWorld<R>(_ body: (MPICommunicator) throws -> R) throws -> R {
  let (environment, world) = try startWorld()
  let result: R
  do {
    try NodeBLASThreads.configure(world: world)
    result = try body(world)
  } catch let interrupted as TrainingInterrupted {
    // Every rank stopped after the same step: a clean end of an unfinished run, not an abort.
    Logger(communicator: world).info("laminar: \(interrupted)\nresume with:\n  \(ResumeCommand.line(worldSize: world.size))")
    try environment.finalize()
    throw ExitCode(TrainingInterrupted.exitCode)
  } catch {
    if world.size > 1 { world.abort(code: 1, message: "laminar: \(error)") }
    try environment.finalize()
    throw error
  }
  try environment.finalize()
  return result
}
