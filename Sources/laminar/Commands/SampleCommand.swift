import ArgumentParser
import Autodiff
import Datasets
import Flows
import Foundation
import Graphics
import Runs
import Support
import TensorCore

struct Sample: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Draw samples from a trained flow.",
    discussion: """
      Writes [count, D] samples in the data's own units to --out: an .npy file, or for 2-D models also
      a .png scatter plot. --temperature scales the base distribution's standard deviation.
      Image models write a .png grid of the samples, or an (N, H, W, C) uint8 .npy of their levels
      (the format of the training images).
      """)

  @Option(help: "A checkpoint written by laminar train.")
  var checkpoint: String

  // The numbers parse their next word unconditionally: `--count -3` then reaches validate()
  // instead of failing as "Missing value" (ArgumentParser reads -3 as an option).
  @Option(parsing: .unconditional, help: "Number of samples.")
  var count = 1000

  @Option(parsing: .unconditional, help: "Scale of the base distribution's standard deviation (1 = the model itself).")
  var temperature = 1.0

  @Option(parsing: .unconditional, help: "Seed of the sampling noise.")
  var seed: UInt64 = 0

  @Option(help: "FILE.npy, or FILE.png for 2-D and image models.")
  var out: String

  @Option(help: ArgumentHelp("Conditional models: the condition of every sample, e.g. 0,1 (a one-hot class), or a .npy file with one row per sample.", valueName: "v1,v2,…|FILE.npy"))
  var condition: String?

  @Flag(help: "Use the EMA copy of the parameters.")
  var averaged = false

  func validate() throws {
    guard count > 0 else { throw ValidationError("--count must be > 0, got \(count)") }
    guard temperature >= 0 else { throw ValidationError("--temperature must be >= 0, got \(temperature)") }
    guard out.hasSuffix(".npy") || out.hasSuffix(".png") else {
      throw ValidationError("--out must end in .npy or .png, got '\(out)'")
    }
  }

  func run() throws {
    let trained = try TrainedModel(checkpoint: checkpoint, averaged: averaged)
    try checkCount(trained)
    if let dequantization = trained.spec.data.dequantization {
      guard trained.model.conditionShape == nil else {
        throw ValidationError("\(checkpoint) is a super-resolution model: it samples given an LR image; use "
                              + "laminar upscale --checkpoint \(checkpoint) --input LR.png --out DIR")
      }
      return try sampleImages(trained, dequantization: dequantization)
    }
    let tape = Tape<Float>(parameters: trained.trainable.parameters)
    let noise = RandomStream(seed: seed, purpose: .sampling)
    let conditions = try conditionRows(for: trained.model)
    let c = conditions.map { rows in rows.withUnsafeBufferPointer {
      tape.input($0, shape: Shape([count] + trained.model.conditionShape!.dimensions)) } }
    let x = trained.model.sample(count: count, on: tape, condition: c, temperature: temperature, noise: noise)
    var values = Array(x.value)
    let d = trained.model.dimensions
    warnNonFinite(SampleGrid.nonFiniteSamples(values, size: d))
    if let standardization = try trained.standardization() {
      values.withUnsafeMutableBufferPointer { v in
        for i in 0..<count { standardization.invert(row: v.baseAddress! + i * d) }
      }
    }
    if out.hasSuffix(".npy") {
      try NpyWriter.write(values, shape: [count, d], to: out)
    } else {
      guard d == 2 else { throw ValidationError("PNG output is for 2-D models; this one has \(d) dimensions, use .npy") }
      let points = (0..<count).map { (x: Double(values[2 * $0]), y: Double(values[2 * $0 + 1])) }
      let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
      let (xr, yr) = DensityPlot.bounds(of: finite)
      var canvas = Heatmap(values: [0], rows: 1, columns: 1, xRange: xr, yRange: yr)
      canvas.colormap = Colormap(anchors: [Color(gray: 250), Color(gray: 250)])
      try PNG.write(canvas.render(width: 480, height: 480, points: finite, pointColor: Color(hex: 0xE8731A), pointRadius: 1),
                    to: URL(fileURLWithPath: out))
    }
    print("wrote \(count) samples at temperature \(temperature) → \(out)")
  }

  /// All samples are drawn in one pass: `--count` must fit in memory (issue 11: a huge count
  /// overflowed `Shape` or failed to allocate).
  private func checkCount(_ trained: TrainedModel) throws {
    let perSample = trained.spec.model.activationsPerExample(eventShape: trained.model.eventShape)
    let bytes = perSample.flatMap { MemoryBudget.product([count, $0, 4]) }
    if let excess = MemoryBudget.excess(bytes: bytes) {
      throw ValidationError("--count \(count): drawing that many samples at once \(excess); draw fewer "
                            + "(e.g. --count 10000) and repeat with other --seed values")
    }
  }

  private func warnNonFinite(_ samples: Int) {
    guard samples > 0 else { return }
    warn("\(samples) of \(count) samples hold NaN or infinite values (left out of a scatter plot, black in an "
         + "image, NaN in .npy, level 0 in image .npy); the model may have diverged")
  }

  /// [count, C] the condition of every sample for a conditional model, nil for an unconditional one.
  private func conditionRows(for model: FlowModel) throws -> [Float]? {
    guard let shape = model.conditionShape else {
      guard condition == nil else { throw ValidationError("--condition: this model is unconditional; leave it out") }
      return nil
    }
    guard let condition else {
      throw ValidationError("this model is conditional: pass --condition with \(shape.count) values (e.g. a one-hot "
                            + "class) or a .npy file of \(count) rows")
    }
    if condition.hasSuffix(".npy") {
      let rows = try NpyExampleSource(path: condition, standardize: .raw)
      guard rows.exampleShape == shape, rows.count == count else {
        throw ValidationError("--condition \(condition): \(rows.count) rows of shape \(rows.exampleShape), but "
                              + "\(count) samples need \(count) rows of shape \(shape)")
      }
      var out = [Float](repeating: 0, count: count * shape.count)
      try Array(0..<count).withUnsafeBufferPointer { i in try out.withUnsafeMutableBufferPointer { try rows.copyExamples(i, into: $0) } }
      return out
    }
    let values = condition.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
    guard values.count == shape.count, let row = values as? [Float] else {
      throw ValidationError("--condition '\(condition)': expected \(shape.count) comma-separated numbers "
                            + "(e.g. a one-hot class) or a .npy file")
    }
    return Array((0..<count).map { _ in row }.joined())
  }

  /// A PNG grid (upscaled) or the samples' levels as (N, H, W, C) uint8.
  private func sampleImages(_ trained: TrainedModel, dequantization: Dequantization) throws {
    let model = trained.model
    let values = SampleGrid.intensities(trained.trainable, dequantization: dequantization, count: count,
                                        temperature: temperature, seed: seed)
    let (c, h, w) = (model.eventShape[0], model.eventShape[1], model.eventShape[2])
    warnNonFinite(SampleGrid.nonFiniteSamples(values, size: c * h * w))
    if out.hasSuffix(".png") {
      let images = Image.batch(planar: values, count: count, channels: c, height: h, width: w)
      let grid = Image.grid(images, scale: SampleGrid.defaultScale(h, w), background: SampleGrid.separator)
      try PNG.write(grid, to: URL(fileURLWithPath: out))
    } else {
      // Planar [N, C, H, W] intensities → stored (N, H, W, C) levels.
      let top = Float(dequantization.bins - 1)
      var levels = [UInt8](repeating: 0, count: values.count)
      for n in 0..<count {
        for ch in 0..<c {
          for p in 0..<(h * w) {
            let v = values[(n * c + ch) * h * w + p]
            levels[(n * h * w + p) * c + ch] = v.isNaN ? 0 : UInt8((v * top).rounded())
          }
        }
      }
      try NpyWriter.write(levels, shape: [count, h, w, c], to: out)
    }
    print("wrote \(count) samples at temperature \(temperature) → \(out)")
  }
}
