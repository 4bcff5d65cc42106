import Foundation
import Configuration
import Flows
import Support
import Datasets
import Spectral
import SpeechData
import TensorCore
import Training

/// Where the training and validation examples come from: the `data` section of a config.
///
/// ```yaml
/// data:
///   source: toy              # toy | npy
///   distribution: moons      # toy: moons | circles | checkerboard | 8gaussians | pinwheel | 2spirals
///   train_count: 100000      # toy
///   validation_count: 10000  # toy
///   seed: 1                  # toy: the data seed (validation draws from seed + 1)
///   condition: none          # toy: none | component (each point's component, one-hot, as its condition)
///   train: rows.npy          # npy: N×D rows (float32, float64, int32, int16 or uint8)
///   validation: held.npy     # npy, optional
///   standardize: fitted      # npy: fitted (train mean/std, also applied to validation) | raw
/// ```
/// Speech (`source: speech`, a vocoder's (audio, log-mel) pairs, see `SpeechSegments`):
/// ```yaml
///   train: audio.npy         # int16 utterances concatenated, or a folder of 16 kHz WAV/FLAC files
///   train_offsets: off.npy   # with a .npy train: int64 (N+1,) utterance offsets
///   validation: val.npy      # optional, with validation_offsets for a .npy
///   segment_length: 16000    # samples per training segment
/// ```
/// Noise (`source: noise`, timing a vocoder like the PyTorch peer: audio U[−1, 1), mel N(0, I),
/// see `NoiseSegments`): `segment_length`, `bands` (default 80) and `train_count` (default 1024).
/// Images (`source: images` or the embedded `source: digits`) take the keys of
/// `DataSpec+Images.swift` and are always dequantized.
public struct DataSpec: Sendable, Equatable {
  public enum Source: String, Sendable, CaseIterable { case toy, npy, images, digits, speech, noise }
  public enum Scaling: String, Sendable, CaseIterable { case fitted, raw }
  /// What a toy example carries as its condition.
  public enum ToyCondition: String, Sendable, CaseIterable { case unlabelled = "none", component }

  public var source: Source
  public var distribution: ToyDistribution?
  public var trainCount: Int
  public var validationCount: Int
  public var seed: Int
  public var condition: ToyCondition = .unlabelled
  public var trainPath: String?
  public var validationPath: String?
  /// Images: a condition image per training / validation image (super-resolution's LR images).
  public var trainConditionPath: String?
  public var validationConditionPath: String?
  public var scaling: Scaling
  /// Levels of image data (x ∈ 0 ..< bins); nil for continuous sources.
  public var bins: Int?
  /// Levels the image files were stored with, when merged into fewer `bins` (256 → 32).
  public var storedBins: Int?
  /// The preprocessing of discrete (image) data; nil for continuous sources.
  public var dequantization: Dequantization?
  /// Super-resolution pairs cut from photos (`DataSpec+SuperResolution.swift`); nil otherwise.
  public var photoCrops: PhotoCropSpec?
  /// Random shifts of the training images; nil for none (and for continuous sources).
  public var augmentation: ShiftAugmentation?
  /// q(u | x) trained with the model (`dequantize.method: variational`); nil for uniform noise.
  public var variationalDequantization: VariationalDequantizerOptions?
  /// Speech: the offsets files of `.npy` training and validation audio.
  public var trainOffsetsPath: String?
  public var validationOffsetsPath: String?
  /// Speech and noise: samples per segment.
  public var segmentLength = 0
  /// Noise: mel bands of the random conditions.
  public var bands = MelFrontEnd.bands

  public init(config section: ConfigSection) throws(ConfigError) {
    source = try section.choice("source", of: Source.self)
    (bins, storedBins, dequantization) = (nil, nil, nil)
    switch source {
    case .toy:
      distribution = try section.choice("distribution", of: ToyDistribution.self)
      trainCount = try section.int("train_count", default: 100_000)
      validationCount = try section.int("validation_count", default: 10_000)
      seed = try section.int("seed", default: 1)
      condition = try section.choice("condition", of: ToyCondition.self, default: .unlabelled)
      trainPath = nil
      validationPath = nil
      scaling = .raw
      try section.check(trainCount > 0, "train_count", "must be > 0")
      try section.check(validationCount >= 0, "validation_count", "must be >= 0")
      try section.check(seed >= 0, "seed", "must be >= 0")
      // The points are generated in memory: two Float32 coordinates each.
      for (key, count) in [("train_count", trainCount), ("validation_count", validationCount)] {
        try section.checkMemory(MemoryBudget.product([count, 8]), key, for: "the generated points",
                                fix: "generate fewer points, e.g. 100000")
      }
    case .npy:
      distribution = nil
      trainCount = 0
      validationCount = 0
      seed = 0
      trainPath = try section.string("train")
      validationPath = try section.value("validation", as: String.self)
      scaling = try section.choice("standardize", of: Scaling.self, default: .fitted)
    case .images, .digits:
      (distribution, trainCount, validationCount, seed, scaling) = (nil, 0, 0, 0, .raw)
      try readImages(section)
    case .speech:
      (distribution, trainCount, validationCount, seed, scaling) = (nil, 0, 0, 0, .raw)
      trainPath = try section.string("train")
      trainOffsetsPath = try section.value("train_offsets", as: String.self)
      validationPath = try section.value("validation", as: String.self)
      validationOffsetsPath = try section.value("validation_offsets", as: String.self)
      segmentLength = try section.int("segment_length", default: 16000)
      try section.check(segmentLength > MelFrontEnd.fftSize / 2 && segmentLength <= 1 << 22, "segment_length",
                        "must be in \(MelFrontEnd.fftSize / 2 + 1)…\(1 << 22) samples")
    case .noise:
      (distribution, validationCount, seed, scaling) = (nil, 0, 0, .raw)
      segmentLength = try section.int("segment_length", default: 16000)
      bands = try section.int("bands", default: MelFrontEnd.bands)
      trainCount = try section.int("train_count", default: 1024)
      try section.check(segmentLength >= 1 && segmentLength <= 1 << 22, "segment_length", "must be in 1…\(1 << 22) samples")
      try section.check(bands >= 1 && bands <= 1024, "bands", "must be in 1…1024")
      try section.check(trainCount >= 1, "train_count", "must be ≥ 1")
    }
  }

  /// Shape of one example's condition, nil for unconditional data.
  public var conditionShape: Shape? {
    if source == .speech { return [MelFrontEnd.bands, MelFrontEnd().frameCount(samples: segmentLength)] }
    if source == .noise { return [bands, 1 + segmentLength / MelFrontEnd.hop] }
    guard condition == .component, let distribution else { return nil }
    return [distribution.components]
  }

  /// The training source and the validation source, if any.
  public func makeSources() throws -> (training: any ExampleSource, validation: (any ExampleSource)?) {
    switch source {
    case .toy:
      let d = distribution!, labelled = condition == .component
      let validation = validationCount > 0
        ? ToyDataset(d, count: validationCount, seed: UInt64(seed) + 1, labelled: labelled) : nil
      return (ToyDataset(d, count: trainCount, seed: UInt64(seed), labelled: labelled), validation)
    case .npy:
      let training = try NpyExampleSource(path: trainPath!, standardize: scaling == .fitted ? .fitted : .raw)
      let validation = try validationPath.map { path in
        try NpyExampleSource(path: path, standardize: training.standardization.map { .given($0) } ?? .raw)
      }
      return (training, validation)
    case .images, .digits:
      return try makeImageSources()
    case .speech:
      let training = try Self.speechCorpus(trainPath!, offsets: trainOffsetsPath, offsetsName: "data.train_offsets")
      let validation = try validationPath.map { try Self.speechCorpus($0, offsets: validationOffsetsPath, offsetsName: "data.validation_offsets") }
      return (SpeechSegments(corpus: training, segmentLength: segmentLength),
              validation.map { SpeechSegments(corpus: $0, segmentLength: segmentLength) })
    case .noise:
      return (NoiseSegments(count: trainCount, segmentLength: segmentLength, bands: bands, hop: MelFrontEnd.hop), nil)
    }
  }

  /// A folder of audio files, or a `.npy` of concatenated utterances with its offsets file.
  public static func speechCorpus(_ path: String, offsets: String?, offsetsName: String) throws -> SpeechCorpus {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      return try SpeechCorpus(folder: path)
    }
    guard let offsets else {
      throw DataFileError(path: path, "is not a folder of audio files; a .npy of utterances needs \(offsetsName) "
                          + "(int64 (N+1,) offsets, utterance i = audio[offsets[i]:offsets[i+1]])")
    }
    return try SpeechCorpus(audio: path, offsets: offsets)
  }
}
