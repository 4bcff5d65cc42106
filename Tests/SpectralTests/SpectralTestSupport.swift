import Foundation
import _TestSupport

/// A deterministic speech-like test signal at 16 kHz: a gliding harmonic tone with vibrato,
/// a burst of noise and a silent stretch (so the 1e-5 floor is exercised), full scale < 1.
func testSignal(samples: Int = 7000) -> [Float] {
  var state: UInt64 = 0x9E37_79B9_7F4A_7C15
  return (0 ..< samples).map { n in
    let t = Double(n) / 16000
    let f0 = 120 + 80 * t + 5 * sin(2 * Double.pi * 5 * t)
    var x = 0.0
    for h in 1 ... 6 { x += 0.3 / Double(h) * sin(2 * Double.pi * f0 * Double(h) * t) }
    state = state &* 6364136223846793005 &+ 1442695040888963407
    let noise = Double(state >> 40) / Double(1 << 24) - 0.5
    if n > 3000 && n < 4000 { x += 0.4 * noise }
    if n > 5000 && n < 6000 { x = 0 }
    return Float(x)
  }
}

/// Runs a Python script that reads float32 `input` from argv[1] and writes float32 values to
/// argv[2]; returns them.
func pythonFloats(_ script: String, input: [Float]) throws -> [Float] {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("laminar-spectral-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let inPath = directory.appendingPathComponent("in.f32").path, outPath = directory.appendingPathComponent("out.f32").path
  try input.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: inPath)) }
  let result = try PythonProcess.run(script, [inPath, outPath])
  guard result.status == 0 else { throw PythonFailure(errors: result.errors) }
  let data = try Data(contentsOf: URL(fileURLWithPath: outPath))
  return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}

struct PythonFailure: Error, CustomStringConvertible {
  let errors: String
  var description: String { "python3 failed: \(errors)" }
}

/// The largest |a − b| and the mean |a − b|.
func differences(_ a: [Float], _ b: [Float]) -> (max: Double, mean: Double) {
  precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
  var largest = 0.0, sum = 0.0
  for (x, y) in zip(a, b) {
    let d = abs(Double(x) - Double(y))
    largest = max(largest, d)
    sum += d
  }
  return (largest, sum / Double(max(a.count, 1)))
}
