import Autodiff
import Datasets
import TensorCore

/// One rank's examples of a batch as the model sees them: copied from the source with their
/// conditions, and dequantized with the noise of their step — the one preparation shared by
/// training steps, the actnorm init, the round-trip check and evaluation.
final class LikelihoodBatch {
  let eventShape: Shape
  let conditionShape: Shape?
  /// Applied to every batch; nil for continuous data.
  let preprocessing: Dequantization?
  /// Dataset indices of the loaded examples.
  private(set) var indices: [Int] = []
  /// [count, event…]
  private(set) var values: [Float] = []
  /// [count, condition…]; empty for unconditional data.
  private var conditions: [Float] = []
  /// [count] scratch for each example's preprocessing log-determinant.
  private var logDets: [Double] = []
  /// What turns Σ log p(y') over the loaded examples into Σ log P(x): Σ log-dets − n·D·ln(bins)
  /// (0 for continuous data).
  private(set) var correction = 0.0

  init(eventShape: Shape, conditionShape: Shape?, preprocessing: Dequantization?) {
    self.eventShape = eventShape
    self.conditionShape = conditionShape
    self.preprocessing = preprocessing
  }

  var count: Int { indices.count }

  /// Loads the examples `indices` of `source` as `draw` draws them (random crops), shifted by
  /// `augmentation` (training images only) and dequantized with `noise` for discrete data.
  func load(_ indices: [Int], from source: any ExampleSource, draw: ExampleDraw, noise: RandomStream,
            augmentation: (shifts: ShiftAugmentation, noise: RandomStream)? = nil) throws {
    // Copied into our own buffer: sharing the caller's would make its next refill copy on write.
    self.indices.removeAll(keepingCapacity: true)
    self.indices.append(contentsOf: indices)
    let n = indices.count, d = eventShape.count, c = conditionShape?.count ?? 0
    // Buffers only grow, so steady-state steps reuse them.
    if values.count < n * d { values = [Float](repeating: 0, count: n * d) }
    if conditions.count < n * c { conditions = [Float](repeating: 0, count: n * c) }
    if logDets.count < n { logDets = [Double](repeating: 0, count: n) }
    try indices.withUnsafeBufferPointer { i in
      try values.withUnsafeMutableBufferPointer { v in
        let rows = UnsafeMutableBufferPointer(rebasing: v[0 ..< n * d])
        try source.copyExamples(i, draw: draw, into: rows)
        if let (shifts, shiftNoise) = augmentation {
          shifts.apply(to: rows, imageShape: eventShape, examples: i, noise: shiftNoise)
        }
        correction = dequantize(rows, examples: i, noise: noise)
      }
      if c > 0 {
        try conditions.withUnsafeMutableBufferPointer {
          try source.copyConditions(i, draw: draw, into: UnsafeMutableBufferPointer(rebasing: $0[0 ..< n * c]))
        }
      }
    }
  }

  /// Dequantizes the rows in place; returns Σ log-dets − n·D·ln(bins) (0 for continuous data).
  private func dequantize(_ rows: UnsafeMutableBufferPointer<Float>, examples: UnsafeBufferPointer<Int>,
                          noise: RandomStream) -> Double {
    guard let preprocessing, !examples.isEmpty else { return 0 }
    return logDets.withUnsafeMutableBufferPointer { buffer in
      let perExample = UnsafeMutableBufferPointer(rebasing: buffer[0 ..< examples.count])
      preprocessing.apply(to: rows, examples: examples, noise: noise, logDeterminants: perExample)
      var logDet = 0.0
      for v in perExample { logDet += v }
      return preprocessing.dataLogLikelihood(model: 0, preprocessingLogDet: logDet, dimensions: rows.count)
    }
  }

  /// The first `rows` loaded examples (all by default) and their conditions as tape inputs.
  func inputs(on tape: Tape<Float>, rows: Int? = nil) -> (x: Variable<Float>, condition: Variable<Float>?) {
    let n = rows ?? count, d = eventShape.count
    let x = values.withUnsafeBufferPointer {
      tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< n * d]), shape: Shape([n] + eventShape.dimensions))
    }
    guard let conditionShape else { return (x, nil) }
    let c = conditionShape.count
    let condition = conditions.withUnsafeBufferPointer {
      tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< n * c]), shape: Shape([n] + conditionShape.dimensions))
    }
    return (x, condition)
  }
}
