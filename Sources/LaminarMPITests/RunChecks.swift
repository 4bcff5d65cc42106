import Collectives
import MPI

/// Runs every check, combines the failures of all ranks and returns the exit code.
func runChecks() -> Int32 {
  do {
    let environment = try MPIEnvironment()
    let comm = try environment.world()
    let harness = MPITestHarness(comm)
    checkReductions(harness)
    checkBroadcasts(harness)
    let smallBuckets = try environment.world(buckets: Buckets(bytes: 1 << 20))
    checkBuckets(harness, smallBuckets: smallBuckets)
    checkStartedAllReduces(harness, smallBuckets: smallBuckets)
    checkGathers(harness)
    checkBarrier(harness)
    checkNode(harness, world: comm)
    checkErrors(harness)
    checkTrainer(harness)
    checkSuperResolution(harness)
    checkVocoder(harness)
    let failed = harness.failed
    if comm.rank == 0 { print("\(harness.passed) passed, \(failed) failed") }
    try environment.finalize()
    return failed == 0 ? 0 : 1
  } catch {
    writeError("LaminarMPITests: \(error)")
    return 2
  }
}
