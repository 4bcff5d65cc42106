import Autodiff
import Datasets
import Flows
import TensorCore

/// A batch as the model reads it: model-space examples, their conditions, and under variational
/// dequantization log q(u | x) [batch] of the noise that dequantized them.
struct ModelInputs {
  let x: Variable<Float>
  let condition: Variable<Float>?
  let logDequantizerDensity: Variable<Float>?

  /// [batch] the log-likelihood the objective and the evaluator sum, before `correction`:
  /// log p(y' | c), minus log q(u | x) under variational dequantization.
  /// With `reversible`, the flow's backward recomputes its activations (`ReversibleBackprop`).
  func logLikelihood(_ model: FlowModel, reversible: ReversibleBackprop<Float>? = nil)
    -> (logLikelihood: Variable<Float>, layerLogAbsDets: [Variable<Float>])
  {
    let (ll, layers) = reversible.map { model.logLikelihoodWithLayers(x, condition: condition, reversible: $0) }
      ?? model.logLikelihoodWithLayers(x, condition: condition)
    return (logDequantizerDensity.map { ll - $0 } ?? ll, layers)
  }
}

/// One rank's examples of a batch as the model sees them: copied from the source with their
/// conditions, and dequantized with the noise of their step — the one preparation shared by
/// training steps, the actnorm init, the round-trip check and evaluation. Under variational
/// dequantization the rows stay integer levels and the noise is ε ~ N(0, I) (keyed by example
/// exactly like uniform noise); `inputs` then draws u = q(ε; x) on the tape.
final class LikelihoodBatch {
  let eventShape: Shape
  let conditionShape: Shape?
  /// Applied to every batch; nil for continuous data.
  let preprocessing: Dequantization?
  /// q(u | x); nil for uniform dequantization.
  let dequantizer: VariationalDequantizer?
  /// [count, event…] the base noise ε of the dequantizer; empty without one.
  private var epsilon: [Float] = []
  /// Dataset indices of the loaded examples.
  private(set) var indices: [Int] = []
  /// [count, event…]
  private(set) var values: [Float] = []
  /// [count, condition…]; empty for unconditional data.
  private var conditions: [Float] = []
  /// [count] each example's preprocessing log-determinant.
  private var logDets: [Double] = []
  /// What turns Σ log p(y') over the loaded examples into Σ log P(x): Σ log-dets − n·D·ln(bins)
  /// (0 for continuous data).
  private(set) var correction = 0.0

  init(eventShape: Shape, conditionShape: Shape?, preprocessing: Dequantization?,
       dequantizer: VariationalDequantizer? = nil) {
    if dequantizer != nil {
      guard case .shift = preprocessing?.transform else {
        preconditionFailure("variational dequantization needs levels with a shift transform, not \(String(describing: preprocessing))")
      }
    }
    self.eventShape = eventShape
    self.conditionShape = conditionShape
    self.preprocessing = preprocessing
    self.dequantizer = dequantizer
  }

  /// What turns example k's log p(y') (minus log q) into its log P(x) bound: its log-det − D·ln(bins).
  func correction(ofExample k: Int) -> Double {
    preprocessing?.dataLogLikelihood(model: 0, preprocessingLogDet: logDets[k], dimensions: eventShape.count) ?? 0
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
    if dequantizer != nil && epsilon.count < n * d { epsilon = [Float](repeating: 0, count: n * d) }
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
      guard dequantizer == nil else {
        // The levels stay; the shift and the division by bins act on the tape (`inputs`).
        drawBaseNoise(examples: examples, noise: noise, rowSize: rows.count / examples.count)
        for k in perExample.indices { perExample[k] = 0 }
        return preprocessing.dataLogLikelihood(model: 0, preprocessingLogDet: 0, dimensions: rows.count)
      }
      preprocessing.apply(to: rows, examples: examples, noise: noise, logDeterminants: perExample)
      var logDet = 0.0
      for v in perExample { logDet += v }
      return preprocessing.dataLogLikelihood(model: 0, preprocessingLogDet: logDet, dimensions: rows.count)
    }
  }

  /// ε of example `examples[k]` at element j: value `offset(example:, element: j)` of the stream.
  private func drawBaseNoise(examples: UnsafeBufferPointer<Int>, noise: RandomStream, rowSize d: Int) {
    epsilon.withUnsafeMutableBufferPointer { e in
      for (k, example) in examples.enumerated() {
        noise.fillNormal(UnsafeMutableBufferPointer(rebasing: e[(k * d) ..< ((k + 1) * d)]),
                         offset: RandomStream.offset(example: example))
      }
    }
  }

  /// The first `rows` loaded examples (all by default) and their conditions as tape inputs;
  /// under variational dequantization y' = (x + u)/bins + shift with u drawn from q on the tape.
  func inputs(on tape: Tape<Float>, rows: Int? = nil) -> ModelInputs {
    let n = rows ?? count, d = eventShape.count, shape = Shape([n] + eventShape.dimensions)
    var x = values.withUnsafeBufferPointer { tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< n * d]), shape: shape) }
    var logQ: Variable<Float>?
    if let dequantizer, let preprocessing, case .shift(let shift) = preprocessing.transform {
      let e = epsilon.withUnsafeBufferPointer { tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< n * d]), shape: shape) }
      let (u, logDensity) = dequantizer.sample(noise: e, levels: x, bins: preprocessing.bins)
      x = (x + u).scaled(by: Float(1 / Double(preprocessing.bins))) + Float(shift)
      logQ = logDensity
    }
    guard let conditionShape else { return ModelInputs(x: x, condition: nil, logDequantizerDensity: logQ) }
    let c = conditionShape.count
    let condition = conditions.withUnsafeBufferPointer {
      tape.input(UnsafeBufferPointer(rebasing: $0[0 ..< n * c]), shape: Shape([n] + conditionShape.dimensions))
    }
    return ModelInputs(x: x, condition: condition, logDequantizerDensity: logQ)
  }
}
