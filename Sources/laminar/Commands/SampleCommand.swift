import ArgumentParser
import Autodiff
import Datasets
import Foundation
import Graphics
import Runs
import TensorCore

struct Sample: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Draw samples from a trained flow.",
    discussion: """
      Writes [count, D] samples in the data's own units to --out: an .npy file, or for 2-D models also
      a .png scatter plot. --temperature scales the base distribution's standard deviation.
      """)

  @Option(help: "A checkpoint written by laminar train.")
  var checkpoint: String

  @Option(help: "Number of samples.")
  var count = 1000

  @Option(help: "Scale of the base distribution's standard deviation (1 = the model itself).")
  var temperature = 1.0

  @Option(help: "Seed of the sampling noise.")
  var seed: UInt64 = 0

  @Option(help: "FILE.npy, or FILE.png for 2-D models.")
  var out: String

  @Flag(help: "Use the EMA copy of the parameters.")
  var averaged = false

  func validate() throws {
    guard count > 0 else { throw ValidationError("--count must be > 0, got \(count)") }
    guard temperature > 0 else { throw ValidationError("--temperature must be > 0, got \(temperature)") }
    guard out.hasSuffix(".npy") || out.hasSuffix(".png") else {
      throw ValidationError("--out must end in .npy or .png, got '\(out)'")
    }
  }

  func run() throws {
    let trained = try TrainedModel(checkpoint: checkpoint, averaged: averaged)
    let tape = Tape<Float>(parameters: trained.parameters)
    let noise = RandomStream(seed: seed, purpose: .sampling)
    guard let x = trained.model.sample(count: count, on: tape, temperature: temperature, noise: noise) else {
      throw ValidationError("this model has a layer without a closed-form inverse and cannot be sampled")
    }
    var values = Array(x.value)
    let d = trained.model.dimensions
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
}
