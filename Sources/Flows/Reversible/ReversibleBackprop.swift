import Autodiff
import Collectives
import TensorCore

/// Back-propagation through an invertible flow that keeps no layer's activations: memory stays
/// that of one layer whatever the depth.
///
/// `forward` runs the layers one at a time on a scratch tape, keeping only the current batch,
/// and records the whole flow on the caller's tape as one segment (`TapeSegment`). Its backward
/// walks the layers in reverse, holding the layer's output y and its gradient dy:
/// ```
/// x  = f⁻¹(y)                      (the layer's own inverse, on the scratch tape)
/// y, logAbsDet = f(x)              (recorded again on the scratch tape)
/// dx, dθ += backward of (y, logAbsDet) with cotangents (dy, d logAbsDet)
/// ```
/// A channel-mask coupling does the first two in one (`forward(reconstructingFrom:)`): its
/// conditioner runs once. Parameter gradients accumulate straight into the parameter store, as
/// on one tape. Nested sequences and multi-scale splits (`FactorOut`) are walked into, so a
/// level's layers are recomputed one by one too; any other layer is one unit. Every layer reads the condition's
/// features through its own leaf; their gradients add up over the layers and reach the caller's
/// features node once, so a condition encoder back-propagates once per step. Dropout sites keep
/// the numbers they have on one tape, so the masks (and the inverse's masks) are the stored
/// step's. Reconstruction in floating point is not exact, so gradients match the stored ones to
/// the round-trip error, which the trainer reports.
///
/// One instance serves one segment at a time: the next `forward` replaces it.
/// Reference: Gomez et al. 2017 (The Reversible Residual Network: backprop without storing
/// activations); Behrmann et al. 2021 (understanding and mitigating exploding inverses).
public final class ReversibleBackprop<S: TensorScalar>: TapeSegment {
  public typealias Scalar = S
  /// Records one layer at a time; reset before each.
  let scratch: Tape<S>
  /// The flow of the pending segment.
  private var flow = InvertibleFlowSequence([])
  /// The value of the pending segment's primary node, which identifies it.
  private var pending: UnsafeMutablePointer<S>?
  /// The features node on the segment's tape and its shape, nil without a condition.
  private var features: (id: Int32, shape: Shape)?
  /// [features.shape.count] Σ over the layers of the gradient of the features.
  private var featureGradient = FlowActivation<S>()
  /// [batch] the gradient of the summed log-determinant: every layer's, as the sum passes it on.
  private var logDetGradient = FlowActivation<S>()
  /// The dropout site count before each unit (layer, or a split's prior), in forward order.
  private var siteStarts: [Int] = []
  /// The dropout site count while `forward` walks the flow.
  private var sites = 0
  /// The training noise of the step being recorded (nil when evaluating).
  private var stepNoise: StepNoise?
  /// The parameter regions the layers read, which the segment's backward writes.
  private var writes: [(offset: Int, count: Int)] = []

  /// - Parameter parameters: the store of the layers' parameters, the one of the tapes passed
  ///   to `forward`.
  public init(parameters: ParameterStore<S>) {
    scratch = Tape(parameters: parameters)
  }

  /// The flow's output and log-determinants for `x` on `x.tape`, as `forwardLayers` records them,
  /// with the flow one segment of that tape (the per-layer log-determinants are constants).
  // Specialized, like the tape's backward: unspecialized, the walk's bookkeeping looks up
  // generic metadata at every step and costs more than small layers.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func forward(_ flow: InvertibleFlowSequence, _ x: Variable<S>, features: Variable<S>?) -> SequenceResult<S> {
    let tape = x.tape
    precondition(tape.parameters === scratch.parameters, "reversible backprop on a tape of another parameter store")
    self.flow = flow
    self.features = features.map { ($0.id, $0.shape) }
    stepNoise = tape.stepNoise
    sites = tape.dropoutSites
    siteStarts.removeAll(keepingCapacity: true)
    writes.removeAll(keepingCapacity: true)
    let batch: Shape = [x.shape[0]]
    var h = FlowActivation(x)
    var layerLogDets: [FlowActivation<S>] = []
    layerLogDets.reserveCapacity(flow.layers.count)
    for layer in flow.layers {
      var logDet = FlowActivation<S>(zeros: batch)
      forward(layer, &h, logDet: &logDet, on: tape, prepare: { _, _, _ in })
      layerLogDets.append(logDet)
    }
    tape.dropoutSites = sites
    let outputs = tape.record(segment: self, shapes: [h.shape, batch], inputs: x, features, writes: writes)
    let (z, logAbsDet) = (outputs[0].0, outputs[1].0)
    h.copy(to: outputs[0].1)
    Elementwise.fill(outputs[1].1, with: 0, count: batch.count)
    for logDet in layerLogDets {
      logDet.add(into: outputs[1].1)
    }
    pending = outputs[0].1
    logDetGradient.setZeros(batch)
    featureGradient.setZeros(features?.shape ?? [])
    return SequenceResult(output: z, logAbsDet: logAbsDet,
                          layerLogAbsDets: layerLogDets.map { $0.input(on: tape) })
  }

  /// `InvertibleFlowSequence.initializeDataDependent` one layer at a time: each data-dependent
  /// layer is initialized from its own input, which the layers before it computed, holding one
  /// layer's activations at a time (the init batch's pass would otherwise set the peak memory of
  /// a deep flow). Collective, like the layers' inits.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func initializeDataDependent(
    _ flow: InvertibleFlowSequence, from x: Variable<S>, features: Variable<S>?, communicator: any Communicator
  ) throws {
    let tape = x.tape, parameters = scratch.parameters!
    self.features = features.map { ($0.id, $0.shape) }
    stepNoise = nil
    sites = 0
    var h = FlowActivation(x)
    var logDet = FlowActivation<S>(zeros: [x.shape[0]])
    try forward(flow, &h, logDet: &logDet, on: tape) { layer, x, f in
      try layer.initializeDataDependent(from: x, condition: f, parameters: parameters, communicator: communicator)
    }
    pending = nil
    scratch.reset()
  }

  /// f⁻¹(f(x)) [x.shape.count] walked one layer at a time each way (the round-trip health check
  /// of a deep flow, without recording both passes).
  @_specialize(where S == Float) @_specialize(where S == Double)
  public func roundTrip(_ flow: InvertibleFlowSequence, _ x: Variable<S>, features: Variable<S>?) -> [S] {
    let tape = x.tape
    self.features = features.map { ($0.id, $0.shape) }
    stepNoise = nil
    sites = 0
    var h = FlowActivation(x)
    var logDet = FlowActivation<S>(zeros: [x.shape[0]])
    forward(flow, &h, logDet: &logDet, on: tape, prepare: { _, _, _ in })
    invert(flow, &h, on: tape)
    pending = nil
    scratch.reset()
    return h.scalars
  }

  @_specialize(where S == Float) @_specialize(where S == Double)
  public func backward(_ node: Node<S>, output: Int, on tape: Tape<S>) {
    if output == 1 {
      // The log-determinant's gradient comes first; make sure the primary node runs after it
      // even when nothing else reads the flow's output.
      logDetGradient.set(UnsafeBufferPointer(start: node.upstream, count: node.shape.count), shape: node.shape)
      _ = tape.gradient(of: node.input(0))
      return
    }
    precondition(pending == node.value, "reversible backprop: a segment's backward after the next forward")
    var h = FlowActivation(copying: UnsafeBufferPointer(start: node.value, count: node.shape.count), shape: node.shape)
    var g = FlowActivation(copying: UnsafeBufferPointer(start: node.upstream, count: node.shape.count), shape: node.shape)
    let first = backward(flow, &h, &g, end: siteStarts.count, on: tape)
    precondition(first == 0, "reversible backprop walked \(siteStarts.count - first) of \(siteStarts.count) units")
    if let dx = tape.gradient(of: node.input(0)) {
      g.add(into: dx)
    }
    if node.inputCount > 1, let dFeatures = tape.gradient(of: node.input(1)) {
      featureGradient.add(into: dFeatures)
    }
    self.pending = nil
  }

  // MARK: Forward, one unit at a time

  /// Applies `layer` to `h` in place and adds its log-determinant into `logDet` [batch];
  /// `prepare` sees each unit and its input just before the unit runs.
  private func forward(_ layer: any InvertibleFlowLayer, _ h: inout FlowActivation<S>,
                       logDet: inout FlowActivation<S>, on tape: Tape<S>, prepare: Preparation) rethrows {
    switch layer {
    case let sequence as InvertibleFlowSequence:
      // A fresh sum per sequence adds the terms in the order `forwardLayers` does.
      var sum = FlowActivation<S>(zeros: logDet.shape)
      for inner in sequence.layers { try forward(inner, &h, logDet: &sum, on: tape, prepare: prepare) }
      logDet.add(sum)
    case let split as FactorOut:
      try forward(split, &h, logDet: &logDet, on: tape, prepare: prepare)
    default:
      beginUnit(at: sites, recording: true)
      let x = h.input(on: scratch), f = scratchFeatures(from: tape)
      try prepare(layer, x, f)
      let r = layer.forward(x, condition: f)
      endUnit()
      logDet.add(r.logAbsDet)
      h.set(r.output)
    }
  }

  /// `FactorOut.forward` with the inner sequence walked layer by layer.
  private func forward(_ split: FactorOut, _ h: inout FlowActivation<S>, logDet: inout FlowActivation<S>,
                       on tape: Tape<S>, prepare: Preparation) rethrows {
    let (za, zb) = h.split(atChannel: split.keptChannels)
    h = za
    var sum = FlowActivation<S>(zeros: logDet.shape)
    try forward(split.inner, &h, logDet: &sum, on: tape, prepare: prepare)
    beginUnit(at: sites, recording: true)
    let (eps, priorLogDet) = split.prior.standardize(zb.input(on: scratch), given: za.input(on: scratch),
                                                     features: scratchFeatures(from: tape))
    endUnit()
    if let priorLogDet { sum.add(priorLogDet) }
    logDet.add(sum)
    let inner = h
    h.setConcatenation(inner, FlowActivation(eps))
  }

  /// What the walk does to a unit and its input (on the scratch tape) before running it.
  private typealias Preparation = (any InvertibleFlowLayer, Variable<S>, Variable<S>?) throws -> Void

  // MARK: Backward, one unit at a time in reverse

  /// Turns `h`, the output of `layer` whose last unit is `end − 1`, into the layer's input and
  /// `g` into the gradient there; returns the index of the layer's first unit.
  private func backward(_ layer: any InvertibleFlowLayer, _ h: inout FlowActivation<S>, _ g: inout FlowActivation<S>,
                        end: Int, on tape: Tape<S>) -> Int {
    switch layer {
    case let sequence as InvertibleFlowSequence:
      var unit = end
      for inner in sequence.layers.reversed() { unit = backward(inner, &h, &g, end: unit, on: tape) }
      return unit
    case let split as FactorOut:
      return backward(split, &h, &g, end: end, on: tape)
    case let coupling as ImageCoupling where coupling.mask == .channel:
      beginUnit(at: siteStarts[end - 1])
      let f = scratchFeatures(from: tape, requiresGradient: true)
      let (parts, r) = coupling.forward(reconstructingFrom: h.input(on: scratch), condition: f)!
      backpropagate(r.output, g, logDet: r.logAbsDet)
      h.setConcatenation(of: parts, gradients: false)
      g.setConcatenation(of: parts, gradients: true)
      featureGradient.addGradient(of: f)
      return end - 1
    default:
      let site = siteStarts[end - 1]
      beginUnit(at: site)
      h.set(layer.inverse(h.input(on: scratch), condition: scratchFeatures(from: tape)).output)
      beginUnit(at: site)
      let x = h.input(on: scratch, requiresGradient: true)
      let f = scratchFeatures(from: tape, requiresGradient: true)
      let r = layer.forward(x, condition: f)
      backpropagate(r.output, g, logDet: r.logAbsDet)
      g.setGradient(of: x)
      featureGradient.addGradient(of: f)
      return end - 1
    }
  }

  /// `FactorOut`'s backward: the inner sequence's first (it gives back z_a), then the prior's,
  /// which needs z_a.
  private func backward(_ split: FactorOut, _ h: inout FlowActivation<S>, _ g: inout FlowActivation<S>,
                        end: Int, on tape: Tape<S>) -> Int {
    let (innerOutput, eps) = h.split(atChannel: split.keptChannels)
    let (dInnerOutput, dEps) = g.split(atChannel: split.keptChannels)
    h = innerOutput
    g = dInnerOutput
    let first = backward(split.inner, &h, &g, end: end - 1, on: tape)
    let site = siteStarts[end - 1]
    beginUnit(at: site)
    let zb = FlowActivation(split.prior.unstandardize(eps.input(on: scratch), given: h.input(on: scratch),
                                                      features: scratchFeatures(from: tape)).0)
    beginUnit(at: site)
    let za = h.input(on: scratch, requiresGradient: true), zbLeaf = zb.input(on: scratch, requiresGradient: true)
    let f = scratchFeatures(from: tape, requiresGradient: true)
    let (standardized, priorLogDet) = split.prior.standardize(zbLeaf, given: za, features: f)
    backpropagate(standardized, dEps, logDet: priorLogDet)
    g.addGradient(of: za)
    var dzb = FlowActivation<S>()
    dzb.setGradient(of: zbLeaf)
    featureGradient.addGradient(of: f)
    let (zaValues, dza) = (h, g)
    h.setConcatenation(zaValues, zb)
    g.setConcatenation(dza, dzb)
    return first
  }

  /// Turns `h`, the output of `layer`, into its input with the layers' inverses, one unit at a time.
  private func invert(_ layer: any InvertibleFlowLayer, _ h: inout FlowActivation<S>, on tape: Tape<S>) {
    switch layer {
    case let sequence as InvertibleFlowSequence:
      for inner in sequence.layers.reversed() { invert(inner, &h, on: tape) }
    case let split as FactorOut:
      let (innerOutput, eps) = h.split(atChannel: split.keptChannels)
      h = innerOutput
      invert(split.inner, &h, on: tape)
      beginUnit(at: 0)
      let zb = FlowActivation(split.prior.unstandardize(eps.input(on: scratch), given: h.input(on: scratch),
                                                        features: scratchFeatures(from: tape)).0)
      let za = h
      h.setConcatenation(za, zb)
    default:
      beginUnit(at: 0)
      h.set(layer.inverse(h.input(on: scratch), condition: scratchFeatures(from: tape)).output)
    }
  }

  // MARK: The scratch tape

  /// Resets the scratch tape for the unit whose dropout sites start at `site`; `recording` (the
  /// forward walk) also notes where the unit starts.
  private func beginUnit(at site: Int, recording: Bool = false) {
    if recording { siteStarts.append(site) }
    scratch.reset()
    scratch.stepNoise = stepNoise
    scratch.dropoutSites = site
  }

  /// After a unit's forward: its dropout sites are taken, its parameters will be written.
  private func endUnit() {
    sites = scratch.dropoutSites
    for use in scratch.parameterUses { writes.append((use.offset, use.count)) }
  }

  /// The features of the segment's tape as a scratch leaf, nil without a condition.
  private func scratchFeatures(from tape: Tape<S>, requiresGradient: Bool = false) -> Variable<S>? {
    features.map {
      scratch.input(UnsafeBufferPointer(start: tape.value(of: $0.id), count: $0.shape.count), shape: $0.shape,
                    requiresGradient: requiresGradient)
    }
  }

  /// Back-propagates `dOutput` from `output` and the log-determinant's gradient from `logDet` on
  /// the scratch tape.
  private func backpropagate(_ output: Variable<S>, _ dOutput: FlowActivation<S>, logDet: Variable<S>?) {
    precondition(output.shape == dOutput.shape, "gradient \(dOutput.shape) for an output \(output.shape)")
    dOutput.values.withUnsafeBufferPointer { dy in
      logDetGradient.values.withUnsafeBufferPointer { dl in
        var seeds = [(output, dy.baseAddress!)]
        if let logDet { seeds.append((logDet, dl.baseAddress!)) }
        scratch.backward(from: seeds)
      }
    }
  }
}
