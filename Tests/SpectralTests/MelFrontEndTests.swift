import Dispatch
import Spectral
import XCTest
import _TestSupport

final class MelFrontEndTests: XCTestCase {
  /// The front end's definition written out in NumPy, independently of the Swift code:
  /// reflect padding, periodic Hann, rfft magnitude, Slaney mel filters with area normalization,
  /// log of max(mel, 1e-5); computed in float64.
  static let numpyReference = """
    import sys, numpy as np
    x = np.fromfile(sys.argv[1], dtype=np.float32).astype(np.float64)
    sr, n_fft, hop, n_mels, fmax = 16000, 1024, 256, 80, 8000.0
    xp = np.pad(x, n_fft // 2, mode='reflect')
    frames = 1 + (len(xp) - n_fft) // hop
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    spec = np.abs(np.fft.rfft(np.stack([xp[t * hop:t * hop + n_fft] * window for t in range(frames)]), axis=1)).T
    def to_mel(f):
        f = np.asarray(f, dtype=np.float64)
        return np.where(f < 1000, f * 3 / 200, 15 + np.log(np.maximum(f, 1e-9) / 1000) * 27 / np.log(6.4))
    def to_hz(m):
        m = np.asarray(m, dtype=np.float64)
        return np.where(m < 15, m * 200 / 3, 1000 * np.exp((m - 15) * np.log(6.4) / 27))
    edges = to_hz(np.linspace(to_mel(0.0), to_mel(fmax), n_mels + 2))
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    basis = np.zeros((n_mels, n_fft // 2 + 1))
    for b in range(n_mels):
        lo, c, hi = edges[b], edges[b + 1], edges[b + 2]
        basis[b] = np.maximum(0, np.minimum((freqs - lo) / (c - lo), (hi - freqs) / (hi - c))) * 2 / (hi - lo)
    np.log(np.maximum(basis @ spec, 1e-5)).astype(np.float32).tofile(sys.argv[2])
    """

  func testMatchesTheNumPyReferenceOfTheSameDefinition() throws {
    try PythonProcess.require("numpy")
    let x = testSignal()
    let mel = try MelFrontEnd().logMel(of: x)
    XCTAssertEqual(mel.bands, 80)
    XCTAssertEqual(mel.frames, 1 + 7000 / 256)
    assertClose(mel.values, try pythonFloats(Self.numpyReference, input: x), "NumPy")
    XCTAssertTrue(mel.values.contains(log(1e-5 as Float)), "the silent stretch reaches the floor")
  }

  func testMatchesLibrosa() throws {
    try PythonProcess.require("numpy", "librosa")
    let script = """
      import sys, numpy as np, librosa
      x = np.fromfile(sys.argv[1], dtype=np.float32)
      m = librosa.feature.melspectrogram(y=x, sr=16000, n_fft=1024, hop_length=256, win_length=1024,
                                         window='hann', center=True, pad_mode='reflect', power=1.0,
                                         n_mels=80, fmin=0.0, fmax=8000.0, htk=False, norm='slaney')
      np.log(np.maximum(m, 1e-5)).astype(np.float32).tofile(sys.argv[2])
      """
    let x = testSignal()
    let mel = try MelFrontEnd().logMel(of: x)
    assertClose(mel.values, try pythonFloats(script, input: x), "librosa")
  }

  /// A float32 FFT against a float64 one: the absolute error of a magnitude is about 1e-7 of the
  /// frame's peak (≈ 100 here), so where the mel is within a few decades of the 1e-5 floor the
  /// log differs by up to a few 1e-3; above 1e-2 it must agree to 1e-4.
  private func assertClose(_ ours: [Float], _ reference: [Float], _ name: String,
                           file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(ours.count, reference.count, file: file, line: line)
    let (largest, mean) = differences(ours, reference)
    let loud = zip(ours, reference).filter { $0.1 > log(1e-2) }
    let loudLargest = differences(loud.map(\.0), loud.map(\.1)).max
    XCTAssertGreaterThan(loud.count, ours.count / 4, file: file, line: line)
    XCTAssertLessThan(loudLargest, 1e-4, "max |Δ log-mel| against \(name) where mel > 1e-2", file: file, line: line)
    XCTAssertLessThan(largest, 1e-2, "max |Δ log-mel| against \(name)", file: file, line: line)
    XCTAssertLessThan(mean, 2e-5, "mean |Δ log-mel| against \(name)", file: file, line: line)
  }

  func testInverseSTFTReconstructsTheSignal() throws {
    let stft = ShortTimeFourierTransform(fftSize: 1024, hop: 256)
    let x = testSignal(samples: 4096)
    let y = stft.inverse(try stft.spectrum(of: x), length: x.count)
    XCTAssertLessThan(differences(x, y).max, 1e-5)
  }

  func testTooShortSignalsThrow() {
    XCTAssertThrowsError(try MelFrontEnd().logMel(of: [Float](repeating: 0.1, count: 512))) { error in
      XCTAssertEqual(String(describing: error),
                     "has 512 samples but the STFT needs at least 513 (n_fft/2 + 1) for its reflect padding")
    }
    XCTAssertEqual(try MelFrontEnd().logMel(of: [Float](repeating: 0.1, count: 513)).frames, 3)
  }

  /// Front ends made and used on several threads at once (FFTW's planner is not thread-safe;
  /// its plans are made under a lock) give the same spectrogram as one thread.
  func testConcurrentUseGivesIdenticalResults() throws {
    let x = testSignal(samples: 3000)
    let expected = try MelFrontEnd().logMel(of: x)
    let results = ResultSlots<LogMelSpectrogram>(count: 8)
    DispatchQueue.concurrentPerform(iterations: 8) { i in
      results.set(i, Result { try MelFrontEnd().logMel(of: x) })
    }
    for (i, result) in results.values.enumerated() { XCTAssertEqual(try result?.get(), expected, "thread \(i)") }
  }
}
