import CMPI

/// A failed MPI call: the return code and MPI's own text for it (`MPI_Error_string`).
public struct MPIError: Error, CustomStringConvertible, Sendable {
  /// The MPI return code, e.g. `MPI_ERR_ROOT`.
  public let code: Int32
  /// The MPI function that failed, e.g. "MPI_Bcast".
  public let call: String
  /// MPI's message for `code`, e.g. "MPI_ERR_ROOT: invalid root".
  public let message: String

  /// Reads the message now: `MPI_Error_string` may not be callable after `MPI_Finalize`.
  init(code: Int32, call: String) {
    self.code = code
    self.call = call
    self.message = MPIError.errorString(code)
  }

  public var description: String { "\(call) failed: \(message) (MPI error code \(code))" }

  private static func errorString(_ code: Int32) -> String {
    var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
    var length: Int32 = 0
    guard MPI_Error_string(code, &text, &length) == MPI_SUCCESS else {
      return "unknown MPI error"
    }
    return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }
}

/// The one place every MPI return code goes through: anything but `MPI_SUCCESS` is thrown.
@inline(__always)
func check(_ returnCode: Int32, _ call: String) throws(MPIError) {
  if returnCode != MPI_SUCCESS {
    throw MPIError(code: returnCode, call: call)
  }
}
