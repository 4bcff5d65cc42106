import Flows
import TensorCore

extension Trainer {
  /// Examples per rank in the round-trip health check.
  static let roundTripExamples = 8

  /// The round-trip error, a health metric of invertibility (issue 4):
  /// ```
  /// max |x − f⁻¹(f(x))|      over the first few examples of every rank's current batch
  /// ```
  /// in model space (after preprocessing), in Float32 as training runs, max-reduced over ranks
  /// (collective). A non-finite reconstruction counts as +∞. nil when a layer has no closed-form
  /// inverse (then every rank returns nil without communicating).
  func roundTripError() throws -> Double? {
    let layers = model.flow.layers.compactMap { $0 as? any InvertibleFlowLayer }
    guard layers.count == model.flow.layers.count else { return nil }
    let n = min(Self.roundTripExamples, shardIndices.count), d = model.dimensions
    tape.reset()
    defer { tape.reset() }
    let x = batch.withUnsafeBufferPointer {
      tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< n * d]), shape: Shape([n] + model.eventShape.dimensions))
    }
    let flow = InvertibleFlowSequence(layers)
    let back = flow.inverse(flow.forward(x).output).output
    var worst = 0.0
    for (a, b) in zip(x.value, back.value) {
      let error = Double(abs(a - b))
      worst = error.isFinite ? max(worst, error) : .infinity
    }
    return try communicator.allReduced(worst, .max)
  }
}
