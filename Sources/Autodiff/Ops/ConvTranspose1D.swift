import TensorCore

extension Tape {
  /// Transposed 1-D convolution of input [batch, inC, time] with weight [inC, outC, k], plus bias
  /// [outC]: [batch, outC, (time − 1) · stride + k] (PyTorch's `conv_transpose1d`, no padding).
  ///
  /// ```
  /// output[n, o, t·stride + j] += Σ_c weight[c, o, j] · input[n, c, t]
  /// ```
  /// It is the adjoint of the strided `conv1d` whose input has the output's shape, so it runs that
  /// convolution's kernels with the roles swapped: forward is its input gradient (GEMM + col2im),
  /// the input gradient is its forward (im2col + GEMM), the weight gradient its weight gradient.
  /// WaveGlow upsamples the mel with it (stride = hop).
  public func convTranspose1d(_ input: Variable<S>, _ weight: Variable<S>, bias: Variable<S>? = nil,
                              stride: Int) -> Variable<S> {
    precondition(input.shape.rank == 3 && weight.shape.rank == 3 && input.shape[1] == weight.shape[0],
                 "convTranspose1d takes input [batch, in, time] and weight [in, out, k], "
                   + "got \(input.shape) and \(weight.shape)")
    let g = ConvTransposeRule.adjointGeometry(input: input.shape, weight: weight.shape, stride: stride)
    if let bias {
      precondition(bias.shape == [g.inChannels], "bias \(bias.shape) does not match \(g.inChannels) output channels")
    }
    let scratch = arena.allocate(max(g.scratchCount, 1))
    var attributes = OpAttributes()
    attributes[0] = stride
    let shape: Shape = [g.batch, g.inChannels, g.width]
    let (y, out) = record(ConvTransposeRule.self, shape: shape, inputs: input, weight, bias,
                          attributes: attributes, saved: scratch)
    out.update(repeating: 0, count: shape.count)
    // The adjoint convolution's input gradient reads no input values.
    Convolution.backward(g, input: UnsafePointer(out), weight: value(of: weight.id), dOutput: value(of: input.id),
                         dInput: out, dWeight: nil, dBias: nil, scratch: scratch)
    if let bias { ConvTransposeRule.addBias(value(of: bias.id), to: out, shape: shape) }
    countForwardFLOPs(g.forwardFLOPs)
    return y
  }
}

extension Variable {
  /// `convTranspose1d(self, weight, bias:, stride:)`, see `Tape.convTranspose1d`.
  public func convTranspose1d(_ weight: Variable, bias: Variable? = nil, stride: Int) -> Variable {
    tape.convTranspose1d(self, weight, bias: bias, stride: stride)
  }
}

/// Backward of `convTranspose1d`: inputs are (input, weight) or (input, weight, bias).
enum ConvTransposeRule: BackwardRule {
  /// The strided convolution this op is the adjoint of: its input is [batch, outC, (time − 1) ·
  /// stride + k], its weight the op's weight read as [inC (its outputs), outC (its inputs), k],
  /// its output [batch, inC, time].
  static func adjointGeometry(input: Shape, weight: Shape, stride: Int) -> ConvolutionGeometry {
    precondition(stride >= 1, "stride must be at least 1, got \(stride)")
    let length = (input[2] - 1) * stride + weight[2]
    let g = ConvolutionGeometry(input: [input[0], weight[1], length], weight: weight,
                                window: .temporal(stride: stride))
    precondition(g.outWidth == input[2], "transposed convolution geometry \(input) with \(weight)")
    return g
  }

  /// y[n, o, t] += bias[o] over y [batch, channels, time].
  static func addBias<S: TensorScalar>(_ bias: UnsafePointer<S>, to y: UnsafeMutablePointer<S>, shape: Shape) {
    Broadcast.accumulateBroadcast(bias, shape: [shape[1], 1], into: y, shape: shape)
  }

  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0), w = node.input(1)
    let g = adjointGeometry(input: tape.shape(of: x), weight: tape.shape(of: w), stride: node.attributes[0])
    let dy = node.upstream, shape = node.shape
    if node.inputCount == 3, let dBias = tape.gradient(of: node.input(2)) {
      Broadcast.accumulateSum(dy, shape: shape, into: dBias, shape: [shape[1], 1])
    }
    if let dWeight = tape.gradient(of: w) {
      Convolution.backward(g, input: dy, weight: tape.value(of: w), dOutput: tape.value(of: x), dInput: nil,
                           dWeight: dWeight, dBias: nil, scratch: node.saved!)
    }
    guard let (dx, overwrite) = tape.gradientForWriting(of: x) else { return }
    if overwrite {
      Convolution.forward(g, input: dy, weight: tape.value(of: w), bias: nil, output: dx, scratch: node.saved!)
      return
    }
    let count = tape.shape(of: x).count, fresh = tape.arena.allocate(count)
    Convolution.forward(g, input: dy, weight: tape.value(of: w), bias: nil, output: fresh, scratch: node.saved!)
    Elementwise.add(fresh, into: dx, count: count)
  }
}
