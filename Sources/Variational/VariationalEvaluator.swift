import Autodiff
import Models
import Collectives
import TensorCore
import Training
import VariationalTargets

/// Evaluates a fitted flow: the log-Z estimates from many samples (sharded over the ranks), the
/// samples' histogram, and, on one rank, samples and q on a grid for the plot.
///
/// Samples are pushed through the flow in chunks on a reused tape, so N can be far larger than a
/// training batch without holding N samples' intermediates at once.
public struct VariationalEvaluator {
  public let objective: ReverseKL
  public let parameters: ParameterStore<Float>
  public let noise: LatentNoise
  /// Rows per forward pass.
  public var chunkSize = 8192

  public init(objective: ReverseKL, parameters: ParameterStore<Float>, noise: LatentNoise) {
    self.objective = objective
    self.parameters = parameters
    self.noise = noise
  }

  /// ELBO, log Ẑ and ESS from `samples` draws of `noise.evaluation`, together with their
  /// histogram over `histogramBox`; collective, every rank gets the same values.
  public func estimate(samples: Int, histogramBox: IntegrationBox, bins: Int,
                       communicator: any Communicator) throws -> (VariationalEstimate, SampleHistogram) {
    guard samples >= communicator.size else {
      throw TrainerError("evaluation.samples (\(samples)) is smaller than the \(communicator.size) "
                                + "ranks; raise it to at least \(communicator.size)")
    }
    let examples = Array(BatchShard(rank: communicator.rank, worldSize: communicator.size, batchSize: samples).examples)
    var histogram = SampleHistogram(box: histogramBox, bins: bins)
    var logWeights: [Double] = []
    logWeights.reserveCapacity(examples.count)
    let tape = Tape<Float>(parameters: parameters)
    // Variables refer to their tape unowned: keep it alive while their values are read.
    withExtendedLifetime(tape) {
      for start in stride(from: 0, to: examples.count, by: chunkSize) {
        tape.reset()
        let chunk = examples[start..<min(start + chunkSize, examples.count)]
        let terms = objective.terms(latent: tape.standardNormalRows(chunk, dimension: VariationalFlow.dimension,
                                                                   stream: noise.evaluation))
        logWeights += terms.logWeights
        histogram.add(points: terms.samples.value)
      }
    }
    try histogram.allReduce(communicator)
    return (try VariationalEstimate.combining(localLogWeights: logWeights, communicator: communicator), histogram)
  }

  /// [count, 2] samples x = T(z₀) from `noise.plotting`, as (x, y) pairs.
  public func samples(count: Int) -> [(x: Double, y: Double)] {
    let tape = Tape<Float>(parameters: parameters)
    return withExtendedLifetime(tape) {
      let z0: Variable<Float> = tape.standardNormalRows(0..<count, dimension: VariationalFlow.dimension,
                                                        stream: noise.plotting)
      let x = objective.flow.generative.transform(z0).output.value
      return (0..<count).map { (Double(x[2 * $0]), Double(x[2 * $0 + 1])) }
    }
  }

  /// q(x) at the `rows × columns` cell centers of `box` (row 0 at the bottom, as `Heatmap`), or
  /// nil when the flow has no density direction (planar).
  public func densityGrid(box: IntegrationBox, rows: Int, columns: Int) -> [Double]? {
    guard objective.flow.densityMap != nil else { return nil }
    let dx = (box.x.upperBound - box.x.lowerBound) / Double(columns)
    let dy = (box.y.upperBound - box.y.lowerBound) / Double(rows)
    var points = [Float](repeating: 0, count: 2 * rows * columns)
    for r in 0..<rows {
      for c in 0..<columns {
        points[2 * (r * columns + c)] = Float(box.x.lowerBound + (Double(c) + 0.5) * dx)
        points[2 * (r * columns + c) + 1] = Float(box.y.lowerBound + (Double(r) + 0.5) * dy)
      }
    }
    let tape = Tape<Float>(parameters: parameters)
    return withExtendedLifetime(tape) {
      let x = points.withUnsafeBufferPointer { tape.input($0, shape: [rows * columns, 2]) }
      return objective.flow.logDensity(at: x)!.value.map { Double.exp(Double($0)) }
    }
  }
}
