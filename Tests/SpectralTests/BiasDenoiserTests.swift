import Foundation
import Spectral
import XCTest

/// WaveGlow's bias removal on signals with a known hum.
final class BiasDenoiserTests: XCTestCase {
  let stft = MelFrontEnd().stft

  func tone(_ frequency: Double, amplitude: Double, samples: Int) -> [Float] {
    (0 ..< samples).map { Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / 16000)) }
  }

  /// Mean magnitude of STFT bin k over the frames away from the ends.
  func energy(_ x: [Float], bin k: Int) throws -> Double {
    let s = try stft.spectrum(of: x), m = s.magnitudes
    let frames = 4 ..< (s.frames - 4)
    return frames.reduce(0) { $0 + Double(m[$1 * s.bins + k]) } / Double(frames.count)
  }

  func testStrengthZeroIsTheSTFTRoundTrip() throws {
    let x = testSignal()
    let denoiser = try BiasDenoiser(silence: tone(1000, amplitude: 0.1, samples: 4000), strength: 0, stft: stft)
    let y = try denoiser.denoise(x)
    XCTAssertEqual(y.count, x.count)
    XCTAssertLessThan(zip(x, y).map { abs($0 - $1) }.max()!, 1e-4)
  }

  /// Hum: a steady tone on bin 64 (1000 Hz); speech stand-in: a tone on bin 160 (2500 Hz). With the
  /// hum as the bias at strength 1 the hum's bin loses most of its energy and the other keeps it.
  func testRemovesTheHumAndKeepsTheRest() throws {
    let n = 16000
    let hum = tone(1000, amplitude: 0.05, samples: n)
    let signal = zip(tone(2500, amplitude: 0.3, samples: n), hum).map { $0 + $1 }
    let denoiser = try BiasDenoiser(silence: hum, strength: 1, stft: stft)
    let y = try denoiser.denoise(signal)
    XCTAssertLessThan(try energy(y, bin: 64), 0.1 * (try energy(signal, bin: 64)), "the hum stays")
    XCTAssertEqual(try energy(y, bin: 160), try energy(signal, bin: 160), accuracy: 0.03 * (try energy(signal, bin: 160)))
  }

  func testAudioShorterThanHalfAWindowIsRefused() throws {
    let denoiser = BiasDenoiser(bias: [Float](repeating: 1, count: stft.bins), strength: 1, stft: stft)
    XCTAssertThrowsError(try denoiser.denoise([Float](repeating: 0, count: 100))) { XCTAssertTrue($0 is SignalTooShort) }
  }
}
