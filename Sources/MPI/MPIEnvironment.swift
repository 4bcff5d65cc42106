import CMPI
import Collectives

/// Owns MPI's lifetime in this process: `MPI_Init_thread` on creation, `MPI_Finalize` in
/// `finalize()` (or, as a fallback, when released).
///
/// Create exactly one per process, on the thread that will make every MPI call
/// (`MPI_THREAD_FUNNELED`). Without `mpirun` MPI starts as a singleton and `world` has size 1.
/// World-communicator errors are set to return (`MPI_ERRORS_RETURN`) so they become thrown
/// `MPIError`s instead of killing the job.
public final class MPIEnvironment {
  /// True once `finalize()` ran; no MPI call may follow.
  public private(set) var isFinalized = false

  public init() throws {
    var initialized: Int32 = 0
    try check(MPI_Initialized(&initialized), "MPI_Initialized")
    precondition(initialized == 0, "MPI is already initialized: create one MPIEnvironment per process")
    var provided: Int32 = 0
    try check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init_thread")
    try check(MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return()),
              "MPI_Comm_set_errhandler")
    guard provided >= Int32(MPI_THREAD_FUNNELED) else {
      try finalize()
      throw CollectiveError(
        "this MPI library provides thread level \(provided), below MPI_THREAD_FUNNELED; "
          + "use an MPI build with thread support (OpenMPI 4 provides it by default)")
    }
  }

  deinit {
    if !isFinalized { try? finalize() }
  }

  /// The communicator of all ranks in the job.
  public func world(buckets: Buckets = .standard) throws -> MPICommunicator {
    try MPICommunicator(environment: self, communicator: cmpi_comm_world(), buckets: buckets)
  }

  /// Shuts MPI down; every rank calls it once, after its last collective.
  public func finalize() throws {
    precondition(!isFinalized, "MPIEnvironment.finalize() called twice")
    isFinalized = true
    try check(MPI_Finalize(), "MPI_Finalize")
  }
}
