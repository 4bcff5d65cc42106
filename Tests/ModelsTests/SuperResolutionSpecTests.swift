import Autodiff
import Collectives
import Configuration
import Datasets
import Flows
import Graphics
import Models
import TensorCore
import Training
import XCTest

/// The bicubic skip and the L1 warm start of the super-resolution model.
final class SuperResolutionSpecTests: XCTestCase {
  /// 8×8 gray images of 16 levels (smooth ramps) and their 4×4 block means as conditions.
  private struct Pairs: ExampleSource {
    let count = 16
    var exampleShape: Shape { [1, 8, 8] }
    var conditionShape: Shape? { [1, 4, 4] }

    func level(_ n: Int, _ y: Int, _ x: Int) -> Float { Float((n + y * (1 + n % 3) + x * (2 - n % 2)) % 16) }

    func copyExamples(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
      for (k, n) in indices.enumerated() {
        for y in 0..<8 { for x in 0..<8 { out[64 * k + 8 * y + x] = level(n, y, x) } }
      }
    }

    func copyConditions(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutableBufferPointer<Float>) throws {
      for (k, n) in indices.enumerated() {
        for y in 0..<4 {
          for x in 0..<4 {
            let block = [(0, 0), (0, 1), (1, 0), (1, 1)].map { level(n, 2 * y + $0, 2 * x + $1) }
            out[16 * k + 4 * y + x] = (block.reduce(0, +) / 4).rounded(.down)
          }
        }
      }
    }
  }

  private func spec(_ extra: String) throws -> SuperResolutionSpec {
    let yaml = "family: srflow\nscale: 2\nlevels: 2\nsteps: 1\nwidth: 4\nencoder_width: 3\nencoder_depth: 1\n" + extra
    return try SuperResolutionSpec(config: Config(yaml: yaml, source: "test.yaml").root)
  }

  /// The offset is Pillow's Float bicubic upscaling (the image path's weights), centred like the data.
  func testBicubicOffsetIsTheResamplingOfEachPlane() {
    let (n, c, h, w, scale, levels) = (2, 3, 3, 5, 4, 256)
    let lr = (0..<(n * c * h * w)).map { Float(($0 * 37) % 256) }
    let tape = Tape<Double>()
    let condition = tape.input(Tensor(shape: [n, c, h, w], scalars: lr.map(Double.init)))
    let offset = BicubicUpscaling(scale: scale, levels: levels).offset(condition)
    XCTAssertEqual(offset.shape, [n, c, h * scale, w * scale])
    let plane = c * h * w
    for e in 0..<n {
      let expected = Resampling.bicubic(planar: Array(lr[(e * plane)..<((e + 1) * plane)]), channels: c, height: h,
                                        width: w, toHeight: h * scale, width: w * scale)
      for (i, v) in expected.enumerated() {
        XCTAssertEqual(offset.value[e * expected.count + i], (Double(v) + 0.5) / Double(levels) - 0.5, accuracy: 1e-7)
      }
    }
  }

  /// With the skip, z = 0 decodes to the bicubic upscaling at initialization (actnorm at its
  /// identity, zero-initialized priors and couplings at their fixed scale): the model starts at
  /// the baseline.
  func testSkipStartsAtTheUpscaling() throws {
    let store = ParameterStore<Double>()
    let model = try spec("skip: bicubic\ninjector: false").build(eventShape: [1, 8, 8], conditionLevels: 16,
                                                                   parameters: store, seed: 3)
    store.initialize(seed: 1)
    let tape = Tape<Double>(parameters: store)
    let condition = tape.input(Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map { Double($0) }))
    let x = model.decode(tape.constant(0, shape: [1, 1, 8, 8]), condition: condition)
    let upscaled = BicubicUpscaling(scale: 2, levels: 16).offset(condition)
    for (a, b) in zip(x.value, upscaled.value) { XCTAssertEqual(a, b, accuracy: 1e-12) }
  }

  /// Warm-start steps move only the encoder and the head and lower their L1 error; the likelihood
  /// steps after them train the flow. Runs of 4 and 6 steps from the same seed share their first 4.
  func testWarmStartTrainsTheEncoderAloneThenTheFlow() throws {
    let spec = try spec("skip: bicubic\nencoder_warm_start: 4")
    let store = ParameterStore<Float>()
    let model = spec.build(eventShape: [1, 8, 8], conditionLevels: 16, parameters: store, seed: 3)
    let warmStart = try XCTUnwrap(spec.warmStart(channels: 1, parameters: store))
    let pairs = Pairs()
    /// The mean |x − x̂| per dimension of the warm start over every pair at the store's parameters.
    func meanError() throws -> Double {
      let tape = Tape<Float>(parameters: store)
      let all = Array(0..<pairs.count)
      var x = [Float](repeating: 0, count: pairs.count * 64), c = [Float](repeating: 0, count: pairs.count * 16)
      try all.withUnsafeBufferPointer { i in
        try x.withUnsafeMutableBufferPointer { try pairs.copyExamples(i, into: $0) }
        try c.withUnsafeMutableBufferPointer { try pairs.copyConditions(i, into: $0) }
      }
      let hr = tape.input(Tensor(shape: [pairs.count, 1, 8, 8], scalars: x.map { ($0 + 0.5) / 16 - 0.5 }))
      let lr = tape.input(Tensor(shape: [pairs.count, 1, 4, 4], scalars: c))
      return warmStart.absoluteErrors(hr, condition: lr, model: model).value.reduce(0) { $0 + Double($1) } / Double(x.count)
    }
    func train(steps: Int) throws -> (initial: [Float], error: Double) {
      let options = TrainerOptions(
        globalBatch: 8, steps: steps, seed: 5, initBatch: 16,
        schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 0, decay: .constant, totalSteps: steps), logEvery: 1)
      let objective = try LikelihoodObjective(
        trainable: TrainableFlow(model: model, parameters: store, warmStart: warmStart), training: pairs,
        preprocessing: Dequantization(bins: 16, transform: .shift(-0.5)), options: options,
        communicator: LocalCommunicator())
      XCTAssertEqual(objective.termNames, ["encoder_l1"])
      let trainer = try Trainer(objective: objective, options: options,
                                run: RunSetup(directory: nil, configText: "", configHash: 1, resume: .none),
                                communicator: LocalCommunicator(), logger: Logger(rank: 0) { _ in })
      try trainer.prepare()
      let initial = (Array(store.values), try meanError())
      _ = try trainer.train()
      return initial
    }
    let (initial, initialError) = try train(steps: 4)
    let warm = Array(store.values), warmError = try meanError()
    XCTAssertLessThan(warmError, initialError, "the warm start did not lower its L1 error")
    for slice in store.slices {
      let moved = (0..<slice.count).contains { initial[slice.offset + $0] != warm[slice.offset + $0] }
      let trains = slice.name.hasPrefix("encoder") || slice.name.hasPrefix("warm_start")
      XCTAssertEqual(moved, trains, "\(slice.name) \(moved ? "moved" : "did not move") during the warm start")
    }
    _ = try train(steps: 6)
    let after = Array(store.values)
    XCTAssertTrue(store.slices.contains { s in
      s.name.hasPrefix("level") && (0..<s.count).contains { warm[s.offset + $0] != after[s.offset + $0] }
    }, "the flow did not train after the warm start")
  }
}
