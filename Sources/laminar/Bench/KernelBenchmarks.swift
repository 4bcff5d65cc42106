import Foundation
import TensorCore

/// The compute rows of `laminar bench kernels`, on one BLAS thread (DESIGN §8: one thread per rank).
///
/// GEMM and convolution rates are GFLOP/s with 2·M·N·K FLOPs per GEMM; a convolution's forward pass
/// is 2·batch·outC·outH·outW·inC·kH·kW FLOPs and its backward (dInput + dWeight) twice that. Each
/// figure is the median of several timed repetitions after a warm-up; rates are relative to sgemm
/// 1024 (or, for streaming kernels, to memcpy) measured in the same run, since the machine is shared.
func kernelBenchmarkRows() -> [BenchmarkRow] {
  let previousThreads = BLASThreads.count
  BLASThreads.set(1)
  defer { BLASThreads.set(previousThreads) }

  let sgemm256 = sgemmRate(size: 256)
  let sgemm1024 = sgemmRate(size: 1024)
  let ofSgemm = { (rate: Double) in String(format: "%.2f of sgemm 1024", rate / sgemm1024) }
  var rows = [
    BenchmarkRow(name: "sgemm 256 (1 thread)", value: sgemm256, unit: "GFLOP/s", ratio: ofSgemm(sgemm256)),
    BenchmarkRow(name: "sgemm 1024 (1 thread)", value: sgemm1024, unit: "GFLOP/s", ratio: ""),
  ]

  // Glow's coupling convolution: batch 64, 64 → 64 channels, 16×16, 3×3, padding 1.
  let glow = ConvolutionGeometry(input: [64, 64, 16, 16], weight: [64, 64, 3, 3],
                                 window: ConvolutionWindow(padding: 1))
  let glowRates = ConvolutionBench(glow).rates()
  rows.append(BenchmarkRow(name: "conv2d 3x3 forward (N64 C64→64 16x16)", value: glowRates.forward,
                           unit: "GFLOP/s", ratio: ofSgemm(glowRates.forward)))
  rows.append(BenchmarkRow(name: "conv2d 3x3 forward+backward (N64 C64→64 16x16)",
                           value: glowRates.forwardBackward, unit: "GFLOP/s",
                           ratio: ofSgemm(glowRates.forwardBackward)))

  // A WaveGlow layer: batch 8, 64 → 128 channels, 500 steps, k = 3, dilation 4, length kept.
  let wave = ConvolutionGeometry(input: [8, 64, 500], weight: [128, 64, 3],
                                 window: .temporal(padding: 4, dilation: 4))
  let waveRate = ConvolutionBench(wave).rates().forwardBackward
  rows.append(BenchmarkRow(name: "conv1d k3 dilation 4 forward+backward (N8 C64→128 T500)",
                           value: waveRate, unit: "GFLOP/s", ratio: ofSgemm(waveRate)))

  let stream = streamRates(count: 1 << 24)
  rows.append(BenchmarkRow(name: "memcpy 16M floats (8 B/element)", value: stream.memcpy,
                           unit: "GB/s", ratio: ""))
  rows.append(BenchmarkRow(name: "addScaled 16M floats (12 B/element)", value: stream.addScaled,
                           unit: "GB/s", ratio: String(format: "%.2f of memcpy", stream.addScaled / stream.memcpy)))
  return rows
}

/// Median seconds of one call of `body`: calls are batched so one timed repetition lasts at least
/// `minimumRepetition` seconds, after one untimed warm-up repetition.
private func medianSeconds(repetitions: Int = 7, minimumRepetition: Double = 0.02, _ body: () -> Void) -> Double {
  let clock = ContinuousClock()
  var calls = 1
  while true {
    let elapsed = clock.measure { for _ in 0..<calls { body() } }
    if elapsed.seconds >= minimumRepetition { break }
    calls *= 2
  }
  var times: [Double] = []
  for _ in 0..<repetitions {
    times.append(clock.measure { for _ in 0..<calls { body() } }.seconds / Double(calls))
  }
  return times.sorted()[repetitions / 2]
}

private extension Duration {
  var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) * 1e-18
  }
}

/// Buffers filled with a deterministic pattern of small values (no denormals, no zeros).
private func benchmarkBuffer(_ count: Int, seed: Int = 1) -> UnsafeMutablePointer<Float> {
  let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
  for i in 0..<count { p[i] = Float((i &* 7919 &+ seed &* 104_729) % 2001 - 1000) * 1e-3 }
  return p
}

private func sgemmRate(size n: Int) -> Double {
  let a = benchmarkBuffer(n * n, seed: 1), b = benchmarkBuffer(n * n, seed: 2), c = benchmarkBuffer(n * n)
  defer { a.deallocate(); b.deallocate(); c.deallocate() }
  let d = MatmulDimensions(m: n, n: n, k: n)
  let t = medianSeconds { Matmul.forward(d, a: a, b: b, into: c) }
  return d.flops / t / 1e9
}

/// Memory bandwidth of a plain copy, and of `y += c·x` (read x, read y, write y).
private func streamRates(count: Int) -> (memcpy: Double, addScaled: Double) {
  let x = benchmarkBuffer(count, seed: 3), y = benchmarkBuffer(count, seed: 4)
  defer { x.deallocate(); y.deallocate() }
  let bytes = Double(count * MemoryLayout<Float>.stride)
  let copy = medianSeconds { y.update(from: x, count: count) }
  // Alternating signs keep y bounded across the many calls of the measurement.
  var sign: Float = 1
  let axpy = medianSeconds {
    Elementwise.addScaled(x, by: sign * 0.5, into: y, count: count)
    sign = -sign
  }
  return (2 * bytes / copy / 1e9, 3 * bytes / axpy / 1e9)
}

/// Owns the buffers of one convolution shape and times its forward and forward+backward passes.
private final class ConvolutionBench {
  let geometry: ConvolutionGeometry
  let input, weight, bias, output, dOutput, dInput, dWeight, dBias, scratch: UnsafeMutablePointer<Float>

  init(_ g: ConvolutionGeometry) {
    geometry = g
    let inputCount = g.batch * g.inputImageCount
    let weightCount = g.outChannels * g.patchSize
    let outputCount = g.batch * g.outChannels * g.outputPixels
    input = benchmarkBuffer(inputCount, seed: 5)
    weight = benchmarkBuffer(weightCount, seed: 6)
    bias = benchmarkBuffer(g.outChannels, seed: 7)
    output = benchmarkBuffer(outputCount)
    dOutput = benchmarkBuffer(outputCount, seed: 8)
    dInput = benchmarkBuffer(inputCount)
    dWeight = benchmarkBuffer(weightCount)
    dBias = benchmarkBuffer(g.outChannels)
    scratch = benchmarkBuffer(g.scratchCount)
  }

  deinit {
    for p in [input, weight, bias, output, dOutput, dInput, dWeight, dBias, scratch] { p.deallocate() }
  }

  func forward() {
    Convolution.forward(geometry, input: input, weight: weight, bias: bias, output: output, scratch: scratch)
  }

  func backward() {
    Convolution.backward(geometry, input: input, weight: weight, dOutput: dOutput, dInput: dInput,
                         dWeight: dWeight, dBias: dBias, scratch: scratch)
  }

  /// GFLOP/s of the forward pass alone and of forward + backward (3× the forward FLOPs).
  func rates() -> (forward: Double, forwardBackward: Double) {
    let flops = geometry.forwardFLOPs
    let forwardTime = medianSeconds { forward() }
    let bothTime = medianSeconds { forward(); backward() }
    return (flops / forwardTime / 1e9, 3 * flops / bothTime / 1e9)
  }
}
