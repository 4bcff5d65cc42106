import Spectral
import XCTest
import _TestSupport

final class MelDistanceTests: XCTestCase {
  private func mel(frames: Int, _ value: (Int, Int) -> Float) -> LogMelSpectrogram {
    LogMelSpectrogram(bands: 80, frames: frames, values: (0 ..< 80 * frames).map { value($0 / frames, $0 % frames) })
  }

  func testIdenticalSpectrogramsAreAtZero() {
    let a = mel(frames: 7) { b, t in sin(Float(b * 3 + t)) - 5 }
    XCTAssertEqual(MelDistance.logMelL1(reference: a, generated: a), 0)
    XCTAssertEqual(MelDistance.melCepstralDistortion(reference: a, generated: a), 0)
  }

  /// A gain change shifts every log-mel entry by the same amount: the L1 is that amount, and the
  /// cepstrum from d = 1 on does not see it (Σ_k cos(πd(k + ½)/80) = 0 for d = 1 … 79).
  func testAConstantOffsetCountsInTheL1OnlyAndFramesAreTrimmed() {
    let a = mel(frames: 9) { b, t in Float(b % 7) * 0.3 - Float(t) }
    let b = mel(frames: 12) { band, t in t < 9 ? a.values[band * 9 + t] + 0.75 : 100 }
    XCTAssertEqual(MelDistance.logMelL1(reference: a, generated: b), 0.75, accuracy: 1e-6)
    XCTAssertEqual(MelDistance.melCepstralDistortion(reference: a, generated: b), 0, accuracy: 1e-5)
  }

  /// The first cepstral coefficient alone: logmel differing by cos(π(k + ½)/80) gives c_1 = ½,
  /// so MCD = (10/ln 10)·sqrt(2·¼) in every frame.
  func testOneCepstralCoefficientHasTheClosedFormDistortion() {
    let a = mel(frames: 5) { _, _ in -3 }
    let b = mel(frames: 5) { k, _ in -3 + Float(cos(Double.pi * (Double(k) + 0.5) / 80)) }
    let expected = 10 / log(10.0) * (2 * 0.25).squareRoot()
    XCTAssertEqual(MelDistance.melCepstralDistortion(reference: a, generated: b), expected, accuracy: 1e-4)
  }

  func testMatchesNumPy() throws {
    try PythonProcess.require("numpy")
    let a = mel(frames: 11) { b, t in sin(Float(b) * 0.37 + Float(t)) * 3 - 4 }
    let b = mel(frames: 13) { b, t in cos(Float(b * t) * 0.11) * 2 - 5 }
    let script = """
      import sys, numpy as np
      v = np.fromfile(sys.argv[1], dtype=np.float32).astype(np.float64)
      a, b = v[:80 * 11].reshape(80, 11), v[80 * 11:].reshape(80, 13)[:, :11]
      k = np.arange(80)
      dct = np.stack([np.cos(np.pi * d * (k + 0.5) / 80) / 80 for d in range(1, 14)])
      ca, cb = dct @ a, dct @ b
      mcd = np.mean(10 / np.log(10) * np.sqrt(2 * np.sum((ca - cb) ** 2, axis=0)))
      np.array([np.mean(np.abs(a - b)), mcd], dtype=np.float32).tofile(sys.argv[2])
      """
    let reference = try pythonFloats(script, input: a.values + b.values)
    XCTAssertEqual(MelDistance.logMelL1(reference: a, generated: b), Double(reference[0]), accuracy: 1e-5)
    XCTAssertEqual(MelDistance.melCepstralDistortion(reference: a, generated: b), Double(reference[1]), accuracy: 1e-4)
  }
}
