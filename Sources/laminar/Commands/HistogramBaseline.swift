import Datasets
import Foundation

/// The per-pixel histogram baseline of an image dataset as one report line: the bits/dim a flow
/// has to beat (fitted on the training split with add-one smoothing, scored on validation, or on
/// the training split itself when there is none).
struct HistogramBaseline {
  let bitsPerDimension: Double
  let split: String

  init(training: any ExampleSource, validation: (any ExampleSource)?, bins: Int) throws {
    let histogram = try PixelHistogram(fittedTo: training, bins: bins)
    bitsPerDimension = try histogram.bitsPerDimension(on: validation ?? training)
    split = validation == nil ? "training" : "validation"
  }

  var line: String {
    "baseline: per-pixel histogram (add-one smoothing, fitted on training) "
      + String(format: "%.4f", bitsPerDimension) + " bits/dim on \(split); a flow has to beat it"
  }
}
