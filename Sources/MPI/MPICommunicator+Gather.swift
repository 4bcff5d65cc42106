import CMPI
import Collectives

extension MPICommunicator {
  public func allGather<T: CollectiveScalar>(_ value: T) throws -> [T] {
    requireLive()
    var value = value
    let type = T.collectiveKind.mpiDatatype
    return try [T](unsafeUninitializedCapacity: size) { out, initialized in
      try check(MPI_Allgather(&value, 1, type, out.baseAddress, 1, type, communicatorHandle),
                "MPI_Allgather")
      initialized = size
    }
  }

  public func allGather(bytes: [UInt8]) throws -> [[UInt8]] {
    let lengths = try allGather(UInt64(bytes.count))
    let total = lengths.reduce(0, +)
    guard total <= UInt64(Int32.max) else {
      throw CollectiveError(
        "allGather(bytes:) of \(total) bytes in total exceeds the 2 GiB limit of one MPI call; "
          + "it is meant for small blobs, use broadcast or allReduce in buckets for bulk data")
    }
    let counts = lengths.map { Int32($0) }
    var offsets = [Int32](repeating: 0, count: size)
    for r in 1..<max(1, size) { offsets[r] = offsets[r - 1] + counts[r - 1] }
    var gathered = [UInt8](repeating: 0, count: Int(total))
    var sent = bytes
    try sent.withUnsafeMutableBytes { send in
      try gathered.withUnsafeMutableBytes { receive in
        try check(
          MPI_Allgatherv(send.baseAddress, counts[rank], cmpi_byte(), receive.baseAddress,
                         counts, offsets, cmpi_byte(), communicatorHandle),
          "MPI_Allgatherv")
      }
    }
    return (0..<size).map { r in
      Array(gathered[Int(offsets[r])..<Int(offsets[r] + counts[r])])
    }
  }
}
