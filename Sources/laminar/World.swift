import Collectives
import Foundation
import MPI
import TensorCore

/// Runs `body` with the job's communicator: MPI's world under mpirun or srun, a singleton otherwise.
/// MPI is finalized afterwards on every path, so a thrown error ends the job cleanly; an error
/// raised on some ranks only aborts the job instead of leaving the others waiting.
func withWorld<R>(_ body: (MPICommunicator) throws -> R) throws -> R {
  let environment = try MPIEnvironment()
  let world = try environment.world()
  let result: R
  do {
    try NodeBLASThreads.configure(world: world)
    result = try body(world)
  } catch {
    if world.size > 1 { world.abort(code: 1, message: "laminar: \(error)") }
    try environment.finalize()
    throw error
  }
  try environment.finalize()
  return result
}
