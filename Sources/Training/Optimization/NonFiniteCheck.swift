/// Detects NaN or ±Inf in the loss and the flat gradient buffer in one pass.
///
/// The trainer all-reduces the result (as 0/1 with a max or a sum) so every rank skips the same
/// step (DESIGN §7).
public enum NonFiniteCheck {
  /// True when `loss` or any gradient entry is NaN or ±Inf.
  /// - Parameter gradients: [parameterCount]
  public static func containsNonFinite(loss: Double, gradients: UnsafeBufferPointer<Float>) -> Bool {
    if !loss.isFinite { return true }
    return maximumExponentBits(gradients) == exponentMask
  }

  /// IEEE-754 binary32: a value is NaN or ±Inf exactly when all eight exponent bits are set.
  private static let exponentMask: UInt32 = 0x7F80_0000

  /// The largest exponent field in the buffer. An integer max reduction, unlike a floating-point
  /// sum or an early-exit loop, vectorizes, so the check costs one streaming read of the buffer.
  private static func maximumExponentBits(_ values: UnsafeBufferPointer<Float>) -> UInt32 {
    guard let base = values.baseAddress else { return 0 }
    return UnsafeRawPointer(base).withMemoryRebound(to: UInt32.self, capacity: values.count) { bits in
      var largest: UInt32 = 0
      for i in 0..<values.count { largest = Swift.max(largest, bits[i] & exponentMask) }
      return largest
    }
  }
}
