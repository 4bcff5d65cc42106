import Autodiff
import Collectives
import Datasets
import Flows
import Foundation
import Graphics
import TensorCore

/// The picture of a 2-D model: its learned density on a grid, samples from it, and the data,
/// side by side in one PNG. A class-conditional model gets a density and a samples panel per
/// class (one-hot condition k).
public enum DensityPlot {
  /// Renders and writes `density.png`-style panels. Every rank must call it (the grid's
  /// log-densities are computed data-parallel); only rank 0 writes. Returns how many grid cells
  /// and samples were NaN or infinite (marked in the panel titles), for a warning.
  @discardableResult
  public static func write(
    _ trainable: TrainableFlow, data: any ExampleSource, to path: String, seed: UInt64, communicator: any Communicator
  ) throws -> Int {
    let model = trainable.model
    precondition(model.eventShape == [2], "density plots are for 2-D models, got \(model.eventShape)")
    let points = try dataPoints(data, count: 2000)
    let (xRange, yRange) = bounds(of: points)
    let grid = 160
    var blank = Heatmap(values: [Float](repeating: 0, count: 1), rows: 1, columns: 1, xRange: xRange, yRange: yRange)
    blank.colormap = Colormap(anchors: [Color(gray: 250), Color(gray: 250)])
    var panels: [(title: String, image: Image)] = []
    var nonFinite = 0
    for (title, condition) in conditions(of: model) {
      let field = try logDensityGrid(trainable, condition: condition, size: grid, xRange: xRange, yRange: yRange,
                                     communicator: communicator)
      var density = Heatmap(values: field.map { Float(Foundation.exp($0)) }, rows: grid, columns: grid,
                            xRange: xRange, yRange: yRange)
      // A NaN or infinite cell must not set the color scale (nor trap building the range).
      density.valueRange = 0...max(density.values.filter(\.isFinite).max() ?? 1, .leastNormalMagnitude)
      let samples = sampledPoints(trainable, condition: condition, count: 2000, seed: seed)
      let badCells = density.values.filter { !$0.isFinite }.count, badSamples = 2000 - samples.count
      nonFinite += badCells + badSamples
      panels.append(("learned density\(title)" + (badCells > 0 ? ", \(badCells) NaN cells (gray)" : ""),
                     density.render(width: 320, height: 320)))
      panels.append(("samples\(title)" + (badSamples > 0 ? ", \(badSamples) NaN left out" : ""), blank.render(width: 320, height: 320, points: samples,
                                                     pointColor: Color(hex: 0xE8731A), pointRadius: 1)))
    }
    panels.insert(("data", blank.render(width: 320, height: 320, points: points, pointColor: Color(hex: 0x1F6FB4),
                                        pointRadius: 1)), at: 1)
    guard communicator.rank == 0 else { return nonFinite }
    try PNG.write(Image.panels(panels), to: URL(fileURLWithPath: path))
    return nonFinite
  }

  /// (title suffix, condition) of each panel pair: one unconditional pair, or one per one-hot class.
  static func conditions(of model: FlowModel) -> [(String, [Float]?)] {
    guard let shape = model.conditionShape else { return [("", nil)] }
    let k = shape.count
    return (0..<k).map { c in (", class \(c)", (0..<k).map { $0 == c ? 1 : 0 }) }
  }

  static func dataPoints(_ data: any ExampleSource, count: Int) throws -> [(x: Double, y: Double)] {
    let n = min(count, data.count)
    let indices = (0..<n).map { $0 * data.count / n }
    var values = [Float](repeating: 0, count: 2 * n)
    try indices.withUnsafeBufferPointer { idx in
      try values.withUnsafeMutableBufferPointer { try data.copyExamples(idx, into: $0) }
    }
    return (0..<n).map { (Double(values[2 * $0]), Double(values[2 * $0 + 1])) }
  }

  /// The data's bounding box, widened by 10% on each side.
  public static func bounds(of points: [(x: Double, y: Double)]) -> (ClosedRange<Double>, ClosedRange<Double>) {
    func range(_ v: [Double]) -> ClosedRange<Double> {
      let finite = v.filter(\.isFinite)
      // The grid goes to the model as Float32: beyond ±1e30 its cells would overflow.
      let lo = max(finite.min() ?? -1, -1e30), hi = min(finite.max() ?? 1, 1e30)
      let pad = max(hi - lo, 1e-3) * 0.1
      return (lo - pad)...(hi + pad)
    }
    return (range(points.map(\.x)), range(points.map(\.y)))
  }

  /// [size, size] log p(· | condition) at cell centers, row 0 at the bottom.
  static func logDensityGrid(
    _ trainable: TrainableFlow, condition: [Float]?, size: Int, xRange: ClosedRange<Double>,
    yRange: ClosedRange<Double>, communicator: any Communicator
  ) throws -> [Double] {
    var values = [Float](repeating: 0, count: 2 * size * size)
    let dx = (xRange.upperBound - xRange.lowerBound) / Double(size)
    let dy = (yRange.upperBound - yRange.lowerBound) / Double(size)
    for r in 0..<size {
      for c in 0..<size {
        values[2 * (r * size + c)] = Float(xRange.lowerBound + (Double(c) + 0.5) * dx)
        values[2 * (r * size + c) + 1] = Float(yRange.lowerBound + (Double(r) + 0.5) * dy)
      }
    }
    return try Likelihood.perExample(trainable, source: InMemoryExamples(values: values, exampleShape: [2],
                                                                         condition: condition),
                                     communicator: communicator)
  }

  /// Finite samples of the model given `condition` (the same one for every sample).
  static func sampledPoints(_ trainable: TrainableFlow, condition: [Float]?, count: Int,
                            seed: UInt64) -> [(x: Double, y: Double)] {
    let tape = Tape<Float>(parameters: trainable.parameters)
    let noise = RandomStream(seed: seed, purpose: .sampling)
    let rows = condition.map { row in Array((0..<count).map { _ in row }.joined()) }
    let c = rows.map { r in r.withUnsafeBufferPointer { tape.input($0, shape: [count, r.count / count]) } }
    let v = trainable.model.sample(count: count, on: tape, condition: c, noise: noise).value
    return (0..<count).compactMap { i in
      let p = (x: Double(v[2 * i]), y: Double(v[2 * i + 1]))
      return p.x.isFinite && p.y.isFinite ? p : nil
    }
  }
}
