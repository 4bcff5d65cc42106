import Autodiff
import Collectives
import Datasets
import Flows
import SpeechData
import Training

/// The data-parallel contract for the vocoder (issue 9): a tiny WaveGlow (mel upsampler, folded
/// audio, 1×1 convolutions, WN couplings, an early output, N(0, σ²)) on random audio whose draws
/// are keyed by step and example, never by rank.
func checkVocoder(_ h: MPITestHarness) {
  h.run("vocoder: \(h.size) ranks × global batch 12 equals 1 rank × 12") { e in
    let distributed = try TrainerRun(h.comm, steps: 6, building: tinyWaveGlow)
    _ = try distributed.trainer.train()
    let single = try TrainerRun(LocalCommunicator(), steps: 6, building: tinyWaveGlow)
    _ = try single.trainer.train()
    let difference = TrainerRun.maxDifference(distributed.parameters, single.parameters)
    e.expect(difference < 1e-5, "parameters differ from the single-rank run by up to \(difference)")
    let initial = try TrainerRun(LocalCommunicator(), steps: 0, building: tinyWaveGlow)
    try initial.trainer.prepare()
    e.expect(TrainerRun.maxDifference(distributed.parameters, initial.parameters) > 1e-3, "nothing trained")
  }
  h.run("vocoder: resume on \(h.size) ranks is bit-exact (8 steps = 4 + resume + 4)") { e in
    let (straight, split) = (try SharedDirectory(h.comm), try SharedDirectory(h.comm))
    let full = try TrainerRun(h.comm, steps: 8, directory: straight.path, building: tinyWaveGlow)
    _ = try full.trainer.train()
    _ = try TrainerRun(h.comm, steps: 4, directory: split.path, building: tinyWaveGlow).trainer.train()
    let resumed = try TrainerRun(h.comm, steps: 8, directory: split.path, resume: .auto, building: tinyWaveGlow)
    _ = try resumed.trainer.train()
    e.expect(resumed.parameters.map(\.bitPattern) == full.parameters.map(\.bitPattern),
             "differs by up to \(TrainerRun.maxDifference(resumed.parameters, full.parameters))")
  }
}

/// 16-sample segments with 2-band "mels" of 5 frames (hop 4), folded by 4; two flows, 2 channels out early.
private func tinyWaveGlow(_ p: ParameterStore<Float>) -> (FlowModel, any ExampleSource) {
  let encoder = MelUpsampler("up", bands: 2, kernel: 8, hop: 4, groups: 4, samples: 16, parameters: p)
  let inner = InvertibleFlowSequence([
    InvertibleConv1x1("f1.w", channels: 2, parameters: p),
    AudioCoupling("f1.c", channels: 2, conditionChannels: 8, layers: 2, width: 4, parameters: p),
  ])
  let flow = InvertibleFlowSequence([
    AudioFold(groups: 4),
    InvertibleConv1x1("f0.w", channels: 4, parameters: p),
    AudioCoupling("f0.c", channels: 4, conditionChannels: 8, layers: 2, width: 4, parameters: p),
    FactorOut(channels: 4, keptChannels: 2, prior: .standardNormal, inner: inner),
    Inverted(AudioFold(groups: 4)),
  ])
  let model = FlowModel(flow: flow, base: ScaledNormal(sigma: 0.8), eventShape: [1, 16], conditionShape: [2, 5],
                        conditionEncoder: encoder)
  return (model, NoiseSegments(count: 48, segmentLength: 16, bands: 2, hop: 4))
}
