import Foundation
import TensorCore

/// The compute rows of `laminar bench kernels`, on one BLAS thread (DESIGN §8: one thread per rank).
///
/// GEMM and convolution rates are GFLOP/s with 2·M·N·K FLOPs per GEMM; a convolution's forward pass
/// is 2·batch·outC·outH·outW·inC·kH·kW FLOPs and its backward (dInput + dWeight) twice that.
/// The machine is shared and noisy, so each kernel is timed in alternation with its reference
/// (sgemm 1024, or memcpy for streaming kernels): a value is the median over repetitions after a
/// warm-up, and its ratio the median of the per-repetition ratios.
func kernelBenchmarkRows() -> [BenchmarkRow] {
  let previousThreads = BLASThreads.count
  BLASThreads.set(1)
  defer { BLASThreads.set(previousThreads) }

  let sgemm1024 = SgemmBench(size: 1024)
  let sgemm256 = SgemmBench(size: 256)
  let square = Paired(reference: sgemm1024.run, sgemm256.run)
  var rows = [
    BenchmarkRow(name: "sgemm 1024 (1 thread)", value: square.referenceRate(sgemm1024.flops),
                 unit: "GFLOP/s", ratio: ""),
    square.row("sgemm 256 (1 thread)", work: sgemm256.flops, referenceWork: sgemm1024.flops),
  ]

  // Glow's coupling convolution: batch 64, 64 → 64 channels, 16×16, 3×3, padding 1.
  let glow = ConvolutionBench(ConvolutionGeometry(input: [64, 64, 16, 16], weight: [64, 64, 3, 3],
                                                  window: ConvolutionWindow(padding: 1)))
  rows.append(Paired(reference: sgemm1024.run, glow.forward)
    .row("conv2d 3x3 forward (N64 C64→64 16x16)", work: glow.flops, referenceWork: sgemm1024.flops))
  rows.append(Paired(reference: sgemm1024.run, glow.forwardBackward)
    .row("conv2d 3x3 forward+backward (N64 C64→64 16x16)", work: 3 * glow.flops,
         referenceWork: sgemm1024.flops))

  // A WaveGlow layer: batch 8, 64 → 128 channels, 500 steps, k = 3, dilation 4, length kept.
  let wave = ConvolutionBench(ConvolutionGeometry(input: [8, 64, 500], weight: [128, 64, 3],
                                                  window: .temporal(padding: 4, dilation: 4)))
  rows.append(Paired(reference: sgemm1024.run, wave.forward)
    .row("conv1d k3 dilation 4 forward (N8 C64→128 T500)", work: wave.flops, referenceWork: sgemm1024.flops))
  rows.append(Paired(reference: sgemm1024.run, wave.forwardBackward)
    .row("conv1d k3 dilation 4 forward+backward (N8 C64→128 T500)", work: 3 * wave.flops,
         referenceWork: sgemm1024.flops))

  // WaveGlow's mel upsampler, batch 8, 80 bands, 63 frames → 16896 samples, k 1024, stride 256: a
  // transposed convolution runs as the input gradient of the strided convolution it is the adjoint
  // of (GEMM + col2im); its backward is that convolution's forward and weight gradient.
  let upsampler = ConvolutionBench(ConvolutionGeometry(input: [8, 80, 62 * 256 + 1024], weight: [80, 80, 1024],
                                                       window: .temporal(stride: 256)))
  rows.append(Paired(reference: sgemm1024.run, upsampler.inputGradient)
    .row("convTranspose1d k1024 stride 256 forward (N8 C80→80 63→16896)", work: upsampler.flops,
         referenceWork: sgemm1024.flops))
  rows.append(Paired(reference: sgemm1024.run, upsampler.transposedForwardBackward)
    .row("convTranspose1d k1024 stride 256 forward+backward (N8 C80→80)", work: 3 * upsampler.flops,
         referenceWork: sgemm1024.flops))

  let stream = StreamBench(count: 1 << 24)
  let bandwidth = Paired(reference: stream.copy, stream.addScaled)
  rows.append(BenchmarkRow(name: "memcpy 16M floats (8 B/element)",
                           value: bandwidth.referenceRate(stream.copyBytes), unit: "GB/s", ratio: ""))
  rows.append(bandwidth.row("addScaled 16M floats (12 B/element)", work: stream.addScaledBytes,
                            referenceWork: stream.copyBytes, unit: "GB/s", reference: "memcpy"))
  return rows
}

/// Seconds per call of a reference and a candidate, timed alternately: each repetition times one
/// batch of reference calls then one batch of candidate calls, so both see the same machine load.
private struct Paired {
  var reference: [Double] = []
  var candidate: [Double] = []

  init(reference: () -> Void, _ candidate: () -> Void, repetitions: Int = 9) {
    let referenceCalls = callsPerRepetition(reference), candidateCalls = callsPerRepetition(candidate)
    for _ in 0..<repetitions {
      self.reference.append(secondsPerCall(referenceCalls, reference))
      self.candidate.append(secondsPerCall(candidateCalls, candidate))
    }
  }

  /// Median rate of the reference, in units of 1e9 `work` per second.
  func referenceRate(_ work: Double) -> Double { work / median(reference) / 1e9 }

  /// The candidate's median rate and the median of its per-repetition ratios to the reference.
  func row(_ name: String, work: Double, referenceWork: Double,
           unit: String = "GFLOP/s", reference label: String = "sgemm 1024") -> BenchmarkRow {
    let ratios = zip(reference, candidate).map { (work / $1) / (referenceWork / $0) }
    return BenchmarkRow(name: name, value: work / median(candidate) / 1e9, unit: unit,
                        ratio: String(format: "%.2f", median(ratios)) + " of \(label)")
  }
}

private func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

/// How many calls make one timed repetition last at least `minimum` seconds (the first, untimed
/// passes double as the warm-up).
private func callsPerRepetition(minimum: Double = 0.03, _ body: () -> Void) -> Int {
  var calls = 1
  while secondsPerCall(calls, body) * Double(calls) < minimum { calls *= 2 }
  return calls
}

private func secondsPerCall(_ calls: Int, _ body: () -> Void) -> Double {
  ContinuousClock().measure { for _ in 0..<calls { body() } }.seconds / Double(calls)
}

extension Duration {
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

/// C = A · B for square Float matrices of one size.
private final class SgemmBench {
  let dimensions: MatmulDimensions
  let a, b, c: UnsafeMutablePointer<Float>

  init(size n: Int) {
    dimensions = MatmulDimensions(m: n, n: n, k: n)
    a = benchmarkBuffer(n * n, seed: 1)
    b = benchmarkBuffer(n * n, seed: 2)
    c = benchmarkBuffer(n * n)
  }

  deinit { for p in [a, b, c] { p.deallocate() } }

  var flops: Double { dimensions.flops }
  func run() { Matmul.forward(dimensions, a: a, b: b, into: c) }
}

/// Streams over `count` floats: a plain copy (read x, write y) and `y += c·x` (read x and y, write y).
private final class StreamBench {
  let count: Int
  let x, y: UnsafeMutablePointer<Float>
  // Alternating signs keep y bounded across the many calls of a measurement.
  var sign: Float = 1

  init(count: Int) {
    self.count = count
    x = benchmarkBuffer(count, seed: 3)
    y = benchmarkBuffer(count, seed: 4)
  }

  deinit { for p in [x, y] { p.deallocate() } }

  var copyBytes: Double { 2 * Double(count * MemoryLayout<Float>.stride) }
  var addScaledBytes: Double { 3 * Double(count * MemoryLayout<Float>.stride) }

  func copy() { y.update(from: x, count: count) }

  func addScaled() {
    Elementwise.addScaled(x, by: sign * 0.5, into: y, count: count)
    sign = -sign
  }
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

  /// FLOPs of the forward pass; backward costs twice as many.
  var flops: Double { geometry.forwardFLOPs }

  func forwardBackward() {
    forward()
    backward()
  }

  /// dInput alone: the forward pass of the transposed convolution of this geometry.
  func inputGradient() {
    Convolution.backward(geometry, input: input, weight: weight, dOutput: dOutput, dInput: dInput,
                         dWeight: nil, dBias: nil, scratch: scratch)
  }

  /// The transposed convolution's forward (dInput here), then its backward: this geometry's
  /// forward (its input gradient) and weight gradient.
  func transposedForwardBackward() {
    inputGradient()
    Convolution.forward(geometry, input: input, weight: weight, bias: nil, output: output, scratch: scratch)
    Convolution.backward(geometry, input: input, weight: weight, dOutput: dOutput, dInput: nil,
                         dWeight: dWeight, dBias: nil, scratch: scratch)
  }
}

/// The current BLAS setting's sgemm rate at one size, GFLOP/s (median of a few timed repetitions):
/// the reference for a training step's achieved rate.
func sgemmRate(size: Int = 1024, repetitions: Int = 5) -> Double {
  let bench = SgemmBench(size: size)
  bench.run()
  let calls = callsPerRepetition(bench.run)
  return bench.flops / median((0..<repetitions).map { _ in secondsPerCall(calls, bench.run) }) / 1e9
}
