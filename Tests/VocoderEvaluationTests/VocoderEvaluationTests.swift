import Graphics
import Spectral
import VocoderEvaluation
import XCTest

final class VocoderEvaluationTests: XCTestCase {
  private func tone(_ frequency: Double, samples: Int = 4000) -> [Float] {
    (0 ..< samples).map { Float(0.3 * sin(2 * Double.pi * frequency * Double($0) / 16000)) }
  }

  func testIdenticalAudioScoresZeroAndQuantizationIsWhatTheWAVHolds() throws {
    let frontEnd = MelFrontEnd()
    let x = tone(440).map { (($0 * 32768).rounded()) / 32768 }
    let same = try VocoderComparison(name: "a", reference: frontEnd.logMel(of: x), generatedAudio: x, frontEnd: frontEnd)
    XCTAssertEqual(same.logMelL1, 0)
    XCTAssertEqual(same.melCepstralDistortion, 0)
    let other = try VocoderComparison(name: "b", reference: frontEnd.logMel(of: x), generatedAudio: tone(880),
                                      frontEnd: frontEnd)
    XCTAssertGreaterThan(other.logMelL1, 0.5)
    XCTAssertGreaterThan(other.melCepstralDistortion, 1)
    let means = VocoderComparison.means([same, other])
    XCTAssertEqual(means.logMelL1, other.logMelL1 / 2, accuracy: 1e-12)
    let loud = try VocoderComparison(name: "c", reference: frontEnd.logMel(of: x), generatedAudio: x.map { $0 * 5 },
                                     frontEnd: frontEnd)
    XCTAssertGreaterThan(loud.clippedSamples, 0)
  }

  func testFigureHasARowPerUtteranceAndSurvivesNaN() throws {
    let frontEnd = MelFrontEnd()
    let reference = try frontEnd.logMel(of: tone(300))
    var broken = reference
    broken.values[5] = .nan
    broken.values[6] = .infinity
    let rows = [MelComparisonFigure.Row(name: "one", reference: reference, generated: broken),
                MelComparisonFigure.Row(name: "two", reference: broken, generated: reference)]
    let image = MelComparisonFigure.render(rows, generatedTitle: "generated")
    let single = MelComparisonFigure.render(Array(rows.prefix(1)), generatedTitle: "generated")
    XCTAssertEqual(image.height, 2 * single.height)
    XCTAssertGreaterThanOrEqual(image.width, 2 * 2 * reference.frames)
    let allNaN = LogMelSpectrogram(bands: 80, frames: 3, values: [Float](repeating: .nan, count: 240))
    let gray = MelComparisonFigure.render([.init(name: "nan", reference: allNaN, generated: allNaN)], generatedTitle: "g")
    XCTAssertGreaterThan(gray.width, 0)
    XCTAssertFalse(PNG.encode(gray).isEmpty)
  }
}
