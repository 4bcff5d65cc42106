import CMPI
import Collectives

// Computed, never stored globals: MPI handles are non-Sendable OpaquePointers, which Swift 6
// rejects in global `let`s, and they are only valid after MPI_Init.

extension CollectiveScalarKind {
  var mpiDatatype: MPI_Datatype {
    switch self {
    case .float32: cmpi_float()
    case .float64: cmpi_double()
    case .int32: cmpi_int32()
    case .int64: cmpi_int64()
    case .uint64: cmpi_uint64()
    }
  }
}

extension ReductionOp {
  var mpiOp: MPI_Op {
    switch self {
    case .sum: cmpi_op_sum()
    case .max: cmpi_op_max()
    case .min: cmpi_op_min()
    }
  }
}
