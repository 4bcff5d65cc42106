import Autodiff
import Flows
import TensorCore

extension WaveGlowSpec {
  /// Why audio of `eventShape` with conditions of `conditionShape` cannot be modelled, or nil.
  public func problem(with eventShape: Shape, conditionShape: Shape?) -> String? {
    guard eventShape.rank == 2, eventShape[0] == 1, eventShape[1] % groups == 0 else {
      return "model.family waveglow takes mono audio segments [1, L] with L a multiple of groups = \(groups), "
        + "but the data has \(eventShape) examples; set data.segment_length to a multiple of \(groups)"
    }
    guard let conditionShape, conditionShape.rank == 2,
          conditionShape[1] == 1 + eventShape[1] / Self.hop else {
      return "model.family waveglow reads each segment's mel [bands, 1 + L/\(Self.hop)] as its condition, but the "
        + "data has \(conditionShape.map { "\($0)" } ?? "no") conditions; use data.source speech"
    }
    return nil
  }

  /// Builds the vocoder for segments of `eventShape` [1, L] with mels of `conditionShape`
  /// [bands, frames], registering the upsampler's parameters first, then each flow's.
  ///
  /// ```
  /// fold (g channels) → flows 0 ..< k on g channels → early out → flows k ..< 2k on g − e … → unfold
  /// ```
  /// 1×1 rotations are drawn by the store's initializer (seeded), so every rank builds the same model.
  public func build<S: TensorScalar>(
    eventShape: Shape, conditionShape: Shape, parameters: ParameterStore<S>
  ) -> FlowModel {
    if let problem = problem(with: eventShape, conditionShape: conditionShape) { preconditionFailure(problem) }
    let bands = conditionShape[0], samples = eventShape[1]
    let encoder = MelUpsampler("upsample", bands: bands, kernel: upsampleKernel, hop: Self.hop, groups: groups,
                               samples: samples, parameters: parameters)
    let flow = InvertibleFlowSequence([AudioFold(groups: groups), steps(from: 0, channels: groups, bands: bands,
                                                                        parameters: parameters),
                                       Inverted(AudioFold(groups: groups))])
    return FlowModel(flow: flow, base: ScaledNormal(sigma: sigma), eventShape: eventShape,
                     conditionShape: conditionShape, conditionEncoder: encoder)
  }

  /// Flows `first` ..< flows on `channels` channels; an early output nests the rest in a factor-out.
  private func steps<S: TensorScalar>(from first: Int, channels: Int, bands: Int,
                                      parameters: ParameterStore<S>) -> InvertibleFlowSequence {
    var layers: [any InvertibleFlowLayer] = []
    var k = first
    while k < flows {
      if k > first, earlyEvery > 0, k % earlyEvery == 0 {
        let inner = steps(from: k, channels: channels - earlyChannels, bands: bands, parameters: parameters)
        layers.append(FactorOut(channels: channels, keptChannels: channels - earlyChannels, prior: .standardNormal,
                                inner: inner))
        break
      }
      layers.append(InvertibleConv1x1("flow.\(k).conv", channels: channels, parameters: parameters))
      layers.append(AudioCoupling("flow.\(k).wn", channels: channels, conditionChannels: bands * groups,
                                  layers: self.layers, width: width, parameters: parameters))
      k += 1
    }
    return InvertibleFlowSequence(layers)
  }
}
