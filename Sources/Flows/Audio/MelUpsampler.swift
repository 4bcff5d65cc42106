import Autodiff
import TensorCore

/// WaveGlow's condition encoder: the mel spectrogram upsampled to one frame per audio sample by a
/// learned transposed convolution, trimmed to the audio, and folded like the audio.
///
/// ```
/// u = convTranspose1d(mel, W, b, stride: hop)      [batch, bands, (F − 1)·hop + kernel]
/// u = u[:, :, :L]                                  the audio's L samples
/// c[n, k·g + j, t] = u[n, k, t·g + j]              [batch, bands · g, L/g]
/// ```
/// Reference: Prenger et al. 2019 (WaveGlow), NVIDIA's `upsample` (ConvTranspose1d(80, 80, 1024, 256)).
public struct MelUpsampler: ConditionEncoder {
  public let bands: Int
  public let hop: Int
  public let groups: Int
  /// Audio samples L the features are trimmed to.
  public let samples: Int
  /// [bands, bands, kernel]
  public let weight: ParameterSlice
  /// [bands]
  public let bias: ParameterSlice

  public init<S: TensorScalar>(
    _ name: String, bands: Int, kernel: Int, hop: Int, groups: Int, samples: Int, parameters: ParameterStore<S>
  ) {
    precondition(bands >= 1 && kernel >= hop && hop >= 1, "upsampler of \(bands) bands, kernel \(kernel), hop \(hop)")
    let bound = 1 / Double(bands * kernel).squareRoot()
    weight = parameters.add("\(name).weight", shape: [bands, bands, kernel], initializer: .uniform(bound: bound))
    bias = parameters.add("\(name).bias", shape: [bands], initializer: .uniform(bound: bound))
    self.bands = bands
    self.hop = hop
    self.groups = groups
    self.samples = samples
  }

  private init(_ other: MelUpsampler, samples: Int) {
    (bands, hop, groups, weight, bias) = (other.bands, other.hop, other.groups, other.weight, other.bias)
    self.samples = samples
  }

  /// The same upsampler (same parameters) for audio of `samples` samples: generation and
  /// evaluation run whole utterances through a model trained on segments.
  public func resized(samples: Int) -> MelUpsampler { MelUpsampler(self, samples: samples) }

  /// Mel frames needed to cover `samples` samples.
  public func frames(samples: Int) -> Int { 1 + samples / hop }

  public func encode<S: TensorScalar>(_ condition: Variable<S>) -> Variable<S> {
    precondition(condition.shape.rank == 3 && condition.shape[1] == bands,
                 "the mel upsampler takes [batch, \(bands), frames], got \(condition.shape)")
    let tape = condition.tape
    let up = condition.convTranspose1d(tape.parameter(weight), bias: tape.parameter(bias), stride: hop)
    precondition(up.shape[2] >= samples, "\(condition.shape[2]) mel frames cover \(up.shape[2]) samples, not \(samples)")
    let n = condition.shape[0], frames = samples / groups
    let trimmed = up.shape[2] == samples ? up : up.sliced(alongAxis: 2, 0..<samples)
    return trimmed.reshaped(to: [n, bands, frames, groups]).transposed([0, 1, 3, 2])
      .reshaped(to: [n, bands * groups, frames])
  }
}
