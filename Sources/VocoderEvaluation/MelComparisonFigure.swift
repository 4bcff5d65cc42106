import Graphics
import Spectral

/// Log-mel spectrograms of reference and generated audio side by side, one row per utterance,
/// low frequencies at the bottom, both panels of a row on the reference's color scale so a
/// brighter or darker generated panel means louder or quieter. NaN and ±∞ entries (a diverged
/// vocoder) show in the heatmap's gray instead of breaking the scale.
public enum MelComparisonFigure {
  public struct Row {
    public let name: String
    public let reference: LogMelSpectrogram
    public let generated: LogMelSpectrogram

    public init(name: String, reference: LogMelSpectrogram, generated: LogMelSpectrogram) {
      self.name = name
      self.reference = reference
      self.generated = generated
    }
  }

  /// `generatedTitle` names the right-hand column (e.g. "griffin-lim-100").
  public static func render(_ rows: [Row], generatedTitle: String, pixelsPerFrame: Int = 2,
                            pixelsPerBand: Int = 2) -> Image {
    precondition(!rows.isEmpty, "a mel comparison needs at least one row")
    let images = rows.map { row -> Image in
      let range = finiteRange(row.reference.values) ?? finiteRange(row.generated.values)
      return Image.panels([
        (title: "\(row.name): reference", image: panel(row.reference, range: range, pixelsPerFrame, pixelsPerBand)),
        (title: generatedTitle, image: panel(row.generated, range: range, pixelsPerFrame, pixelsPerBand)),
      ])
    }
    var figure = Image(width: images.map(\.width).max()!, height: images.reduce(0) { $0 + $1.height }, channels: 3,
                       filledWith: .white)
    var y = 0
    for image in images {
      figure.paste(image, x: 0, y: y)
      y += image.height
    }
    return figure
  }

  private static func panel(_ mel: LogMelSpectrogram, range: ClosedRange<Float>?, _ perFrame: Int, _ perBand: Int) -> Image {
    var map = Heatmap(values: mel.values, rows: mel.bands, columns: mel.frames,
                      xRange: 0 ... Double(mel.frames), yRange: 0 ... Double(mel.bands))
    map.valueRange = range
    return map.render(width: mel.frames * perFrame, height: mel.bands * perBand)
  }

  /// The smallest and largest finite values; nil when there are none or they are all equal.
  private static func finiteRange(_ values: [Float]) -> ClosedRange<Float>? {
    let finite = values.filter(\.isFinite)
    guard let lower = finite.min(), let upper = finite.max(), upper > lower else { return nil }
    return lower ... upper
  }
}
