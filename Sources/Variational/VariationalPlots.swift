import Foundation
import Graphics
import VariationalTargets

extension VariationalTarget {
  /// The region the plots show: [−4, 4]² as in Rezende & Mohamed's figures (U2–U4's window is
  /// |z₁| ≤ 4), a little wider for the mixture, whose widest mode reaches ±4.1 at 3σ.
  public var plotBox: IntegrationBox {
    switch self {
    case .u1, .u2, .u3, .u4: return IntegrationBox(x: -4...4, y: -4...4)
    case .mixture: return IntegrationBox(x: -4.5...4.5, y: -4.5...4.5)
    }
  }
}

/// The pictures of a VI run: target, fitted density and samples side by side, and the loss curve.
public enum VariationalPlots {
  /// Pixels per panel side.
  static let panelSize = 256
  /// Grid cells per side for p(x) and, when available, q(x).
  static let gridResolution = 128
  /// Bins per side of the sample histogram (planar q): ~20 samples per bin for 10⁵ samples.
  public static let histogramBins = 64
  /// Samples drawn over the target in the third panel.
  public static let scatterCount = 1000

  /// Three panels: p(x) = exp(−U(x) − log Z), the flow's q(x) (exact on a grid, or a histogram of
  /// its samples), and samples of q over p. p and q share one color scale, [0, max p], so a q
  /// more concentrated than p saturates instead of rescaling.
  public static func densityPanels(
    target: VariationalTarget, logPartition: Double, flowDensity: [Double]?, histogram: SampleHistogram,
    samples: [(x: Double, y: Double)]
  ) -> Image {
    let box = target.plotBox, energy = target.energy
    let n = gridResolution
    let p = Heatmap(rows: n, columns: n, xRange: box.x, yRange: box.y) { x, y in
      Float(Foundation.exp(-energy.energy(SIMD2(x, y)) - logPartition))
    }
    let scale: ClosedRange<Float> = 0...max(p.values.max() ?? 1, .leastNormalMagnitude)
    var q: Heatmap
    let qTitle: String
    if let flowDensity {
      q = Heatmap(values: flowDensity.map(Float.init), rows: n, columns: n, xRange: box.x, yRange: box.y)
      qTitle = "flow q(x)"
    } else {
      q = Heatmap(values: histogram.density.map(Float.init), rows: histogram.bins, columns: histogram.bins,
                  xRange: box.x, yRange: box.y)
      qTitle = "flow q(x): histogram of \(Int(histogram.total)) samples"
    }
    var target = p
    target.valueRange = scale
    q.valueRange = scale
    let side = panelSize
    return Image.panels([
      ("target p(x) = exp(-U)/Z", target.render(width: side, height: side)),
      (qTitle, q.render(width: side, height: side)),
      ("\(samples.count) samples of q on p", target.render(width: side, height: side, points: samples,
                                                          pointRadius: 1.2)),
    ])
  }

  /// The batch −ELBO per step, its moving average, and the true −log Z it approaches from above.
  /// The y axis starts after the first tenth of the run, so the early descent does not flatten
  /// the part where the gap to −log Z is visible.
  /// - Parameter losses: each step's batch −ELBO from step `firstStep` on (NaN where skipped).
  public static func lossCurve(losses: [Double], firstStep: Int, logPartition: Double, title: String) -> Image {
    let history = losses
    let steps = losses.indices.map { Double(firstStep + $0 + 1) }
    let window = max(1, history.count / 50)
    let average = movingAverage(losses, window: window)
    var chart = LineChart(title: title, xLabel: "step", yLabel: "nats", series: [
      .init(name: "-ELBO of the batch", x: steps, y: losses, color: Color(gray: 180)),
      .init(name: "mean of \(window) steps", x: steps, y: average),
      .init(name: "-log Z (true)", x: steps, y: steps.map { _ in -logPartition }),
    ])
    let tail = average.dropFirst(history.count / 10).filter(\.isFinite)
    let lower = min(losses.filter(\.isFinite).min() ?? -logPartition, -logPartition)
    if let upper = tail.max(), upper > lower {
      let margin = 0.05 * (upper - lower)
      chart.yRange = (lower - margin)...(upper + margin)
    }
    return chart.render()
  }

  /// Mean of the finite values among the last `window` entries at each position.
  static func movingAverage(_ values: [Double], window: Int) -> [Double] {
    var sum = 0.0, count = 0
    var out: [Double] = []
    out.reserveCapacity(values.count)
    for i in values.indices {
      if values[i].isFinite { sum += values[i]; count += 1 }
      if i >= window, values[i - window].isFinite { sum -= values[i - window]; count -= 1 }
      out.append(count > 0 ? sum / Double(count) : .nan)
    }
    return out
  }
}
