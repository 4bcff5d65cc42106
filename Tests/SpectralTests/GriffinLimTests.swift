@testable import Spectral
import XCTest

final class GriffinLimTests: XCTestCase {
  func testRightInverseIsAnInverse() {
    let (m, n) = (5, 9)
    let a = (0 ..< m * n).map { Double(($0 * 37) % 11) / 11 + ($0 % (n + 1) == 0 ? 2 : 0) }
    let inverse = PseudoInverse.rightInverse(a, rows: m, columns: n)
    for i in 0 ..< m {
      for j in 0 ..< m {
        var sum = 0.0
        for k in 0 ..< n { sum += a[i * n + k] * inverse[k * m + j] }
        XCTAssertEqual(sum, i == j ? 1 : 0, accuracy: 1e-10)
      }
    }
  }

  /// The mel of the recovered magnitudes is the mel again where the clipping at 0 did not act.
  func testMagnitudesFromTheMelReproduceTheMel() throws {
    let frontEnd = MelFrontEnd()
    let mel = try frontEnd.logMel(of: testSignal(samples: 4000))
    let magnitudes = GriffinLim(iterations: 0, frontEnd: frontEnd).magnitudes(from: mel)
    XCTAssertTrue(magnitudes.allSatisfy { $0 >= 0 && $0.isFinite })
    let again = frontEnd.filterbank.apply(toMagnitudes: magnitudes, frames: mel.frames)
    let remel = LogMelSpectrogram(bands: 80, frames: mel.frames, values: again.map { log(max($0, MelFrontEnd.floor)) })
    XCTAssertLessThan(MelDistance.logMelL1(reference: mel, generated: remel), 0.1)
  }

  /// More iterations fit the mel better; 100 get well below the zero-phase start.
  func testIterationsImproveTheFit() throws {
    let frontEnd = MelFrontEnd()
    let x = testSignal(samples: 6000)
    let mel = try frontEnd.logMel(of: x)
    var errors: [Double] = []
    for iterations in [0, 10, 100] {
      let y = GriffinLim(iterations: iterations, frontEnd: frontEnd).audio(from: mel)
      XCTAssertEqual(y.count, 256 * (mel.frames - 1))
      errors.append(MelDistance.logMelL1(reference: mel, generated: try frontEnd.logMel(of: y)))
    }
    XCTAssertLessThan(errors[1], errors[0], "\(errors)")
    XCTAssertLessThan(errors[2], errors[1], "\(errors)")
    XCTAssertLessThan(errors[2], 0.5 * errors[0], "\(errors)")
  }
}
