import ArgumentParser
import Collectives
import Foundation
import MPI
import TensorCore
import Training

/// Runs `body` with the job's communicator: MPI's world under mpirun, a singleton otherwise.
/// MPI is finalized afterwards on every path, so a thrown error ends the job cleanly; an error
/// raised on some ranks only aborts the job instead of leaving the others waiting. A run stopped
/// on request (`TrainingInterrupted`) finalizes normally, prints how to resume and exits with 75.
///
/// OpenBLAS runs one thread per rank unless OPENBLAS_NUM_THREADS says otherwise (launch/run sets
/// it to cores ÷ ranks): its default of one thread per core spins in sched_yield between the small
/// GEMMs of a flow step, which made an 8-D MAF step 1.6× slower on 2 cores.
func withWorld<R>(_ body: (MPICommunicator) throws -> R) throws -> R {
  if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil { BLASThreads.set(1) }
  let (environment, world) = try startWorld()
  let result: R
  do {
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
