import CFFTW
import Foundation

/// FFTW's planner keeps global state and is not thread-safe (only `fftwf_execute*` is), so every
/// plan is made and destroyed under this one lock; data loaders on several threads share it.
private let plannerLock = NSLock()

/// A length-n real-to-complex FFT and its inverse (single precision), planned once and executed
/// on caller buffers through FFTW's new-array functions, so one instance serves every frame of
/// every signal and any number of threads.
///
/// ```
/// forward: X[k] = Σ_n x[n]·e^(−2πi·kn/N),  k = 0 … N/2
/// inverse: x[n] = Σ_k X[k]·e^(+2πi·kn/N)   (unnormalized: N times numpy.fft.irfft)
/// ```
public final class RealFFT: @unchecked Sendable {
  /// Transform length N.
  public let count: Int
  /// N/2 + 1 complex bins.
  public var bins: Int { count / 2 + 1 }
  private let forwardPlan: fftwf_plan
  private let inversePlan: fftwf_plan

  public init(count: Int) {
    precondition(count >= 2 && count % 2 == 0, "FFT length must be even and at least 2, got \(count)")
    self.count = count
    let real = fftwf_alloc_real(count)!
    let complex = fftwf_alloc_complex(count / 2 + 1)!
    defer { fftwf_free(real); fftwf_free(complex) }
    let flags = cfftw_flags_estimate_unaligned()
    (forwardPlan, inversePlan) = plannerLock.withLock {
      (fftwf_plan_dft_r2c_1d(Int32(count), real, complex, flags)!,
       fftwf_plan_dft_c2r_1d(Int32(count), complex, real, flags | cfftw_flags_preserve_input())!)
    }
  }

  deinit {
    plannerLock.withLock {
      fftwf_destroy_plan(forwardPlan)
      fftwf_destroy_plan(inversePlan)
    }
  }

  /// input: [N] real; output: [N/2 + 1] complex as interleaved (re, im) pairs.
  public func forward(_ input: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>) {
    output.withMemoryRebound(to: fftwf_complex.self, capacity: bins) { fftwf_execute_dft_r2c(forwardPlan, input, $0) }
  }

  /// input: [N/2 + 1] interleaved complex (left intact); output: [N] real, N × the inverse DFT.
  public func inverse(_ input: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>) {
    input.withMemoryRebound(to: fftwf_complex.self, capacity: bins) { fftwf_execute_dft_c2r(inversePlan, $0, output) }
  }
}
