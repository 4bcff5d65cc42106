import CMPI
import Collectives

extension MPICommunicator {
  /// The ranks of this communicator that share this rank's node (its shared memory), ordered as
  /// here: `MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)`. Collective over this communicator.
  public func nodeCommunicator() throws -> MPICommunicator {
    requireLive()
    var node: MPI_Comm?
    try check(MPI_Comm_split_type(communicatorHandle, cmpi_comm_type_shared(), Int32(rank), cmpi_info_null(), &node),
              "MPI_Comm_split_type")
    guard let node else { throw CollectiveError("MPI_Comm_split_type returned no communicator") }
    return try MPICommunicator(environment: environment, communicator: node, buckets: buckets, ownsHandle: true)
  }

  /// This node's name as MPI reports it (`MPI_Get_processor_name`, usually the host name).
  public func processorName() throws -> String {
    var name = [CChar](repeating: 0, count: Int(MPI_MAX_PROCESSOR_NAME) + 1)
    var length: Int32 = 0
    try check(MPI_Get_processor_name(&name, &length), "MPI_Get_processor_name")
    return name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }
}
