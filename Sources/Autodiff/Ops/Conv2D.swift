import TensorCore

extension Tape {
  /// 2-D cross-correlation of input [batch, inC, height, width] with weight [outC, inC, kH, kW],
  /// plus bias [outC]: [batch, outC, outH, outW] (PyTorch's `conv2d`).
  public func conv2d(_ input: Variable<S>, _ weight: Variable<S>, bias: Variable<S>? = nil,
                     stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> Variable<S> {
    conv2d(input, weight, bias: bias,
           window: ConvolutionWindow(stride: stride, padding: padding, dilation: dilation))
  }

  /// `conv2d` with stride, padding and dilation given per axis, and the memory order of input and
  /// output: a `.cnhw` input is [inC, batch, height, width], a `.cnhw` output [outC, batch, outH, outW]
  /// (see `ImageLayout`; layers between two convolutions keep CNHW to skip regrouping).
  public func conv2d(_ input: Variable<S>, _ weight: Variable<S>, bias: Variable<S>? = nil,
                     window: ConvolutionWindow, inputLayout: ImageLayout = .nchw,
                     outputLayout: ImageLayout = .nchw) -> Variable<S> {
    precondition(input.shape.rank == 4 && weight.shape.rank == 4,
                 "conv2d takes input [batch, channels, height, width] (or CNHW) and weight "
                   + "[out, in, kH, kW], got \(input.shape) and \(weight.shape)")
    return recordConvolution(input, weight, bias: bias, window: window, inputLayout: inputLayout,
                             outputLayout: outputLayout)
  }

  /// Records a convolution of rank-3 (height 1) or rank-4 operands and runs its forward kernel.
  ///
  /// The im2col scratch is taken from the arena once and kept in `node.saved` so backward reuses
  /// the memory (not the contents): backward unfolds each block of images again, which costs less
  /// than keeping the whole batch's column matrix (kH·kW times the input) alive until backward.
  func recordConvolution(_ input: Variable<S>, _ weight: Variable<S>, bias: Variable<S>?,
                         window: ConvolutionWindow, inputLayout: ImageLayout = .nchw,
                         outputLayout: ImageLayout = .nchw) -> Variable<S> {
    let g = ConvolutionRule.geometry(input: input.shape, weight: weight.shape, window: window,
                                     inputLayout: inputLayout, outputLayout: outputLayout)
    if let bias {
      precondition(bias.shape == [g.outChannels],
                   "bias \(bias.shape) does not match \(g.outChannels) output channels")
    }
    let scratch = arena.allocate(max(g.scratchCount, 1))
    let shape = outputLayout.arranged(g.outputShape(rank: input.shape.rank))
    let attributes = ConvolutionRule.attributes(window, inputLayout: inputLayout, outputLayout: outputLayout)
    let (y, out) = record(ConvolutionRule.self, shape: shape, inputs: input, weight, bias,
                          attributes: attributes, saved: scratch)
    Convolution.forward(g, input: value(of: input.id), weight: value(of: weight.id),
                        bias: bias.map { value(of: $0.id) }, output: out, scratch: scratch)
    countForwardFLOPs(g.forwardFLOPs)
    return y
  }
}

extension Variable {
  /// `conv2d(self, weight, bias:)`, see `Tape.conv2d`.
  public func conv2d(_ weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0,
                     dilation: Int = 1) -> Variable {
    tape.conv2d(self, weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
  }

  /// `conv2d(self, weight, bias:)` with a per-axis window and layouts, see `Tape.conv2d`.
  public func conv2d(_ weight: Variable, bias: Variable? = nil, window: ConvolutionWindow,
                     inputLayout: ImageLayout = .nchw, outputLayout: ImageLayout = .nchw) -> Variable {
    tape.conv2d(self, weight, bias: bias, window: window, inputLayout: inputLayout, outputLayout: outputLayout)
  }
}

/// Backward of `conv2d` and `conv1d`: inputs are (input, weight) or (input, weight, bias).
enum ConvolutionRule: BackwardRule {
  static func attributes(_ w: ConvolutionWindow, inputLayout: ImageLayout, outputLayout: ImageLayout)
    -> OpAttributes
  {
    var a = OpAttributes()
    a[0] = w.strideHeight
    a[1] = w.strideWidth
    a[2] = w.paddingHeight
    a[3] = w.paddingWidth
    a[4] = w.dilationHeight
    a[5] = w.dilationWidth
    a[6] = inputLayout.rawValue
    a[7] = outputLayout.rawValue
    return a
  }

  /// The geometry of an input and weight of these shapes, the input's in `inputLayout`.
  static func geometry(input: Shape, weight: Shape, window: ConvolutionWindow,
                       inputLayout: ImageLayout, outputLayout: ImageLayout) -> ConvolutionGeometry {
    precondition(input.rank == 4 || (inputLayout == .nchw && outputLayout == .nchw),
                 "a 1-D convolution takes and gives [batch, channels, time]")
    var g = ConvolutionGeometry(input: inputLayout.arranged(input), weight: weight, window: window)
    g.inputLayout = inputLayout
    g.outputLayout = outputLayout
    return g
  }

  static func backward<S: TensorScalar>(_ node: Node<S>, on tape: Tape<S>) {
    let x = node.input(0), w = node.input(1), a = node.attributes
    let window = ConvolutionWindow(strideHeight: a[0], strideWidth: a[1], paddingHeight: a[2],
                                   paddingWidth: a[3], dilationHeight: a[4], dilationWidth: a[5])
    let g = geometry(input: tape.shape(of: x), weight: tape.shape(of: w), window: window,
                     inputLayout: ImageLayout(rawValue: a[6])!, outputLayout: ImageLayout(rawValue: a[7])!)
    Convolution.backward(g, input: tape.value(of: x), weight: tape.value(of: w),
                         dOutput: node.upstream, dInput: tape.gradient(of: x),
                         dWeight: tape.gradient(of: w),
                         dBias: node.inputCount == 3 ? tape.gradient(of: node.input(2)) : nil,
                         scratch: node.saved!)
  }
}
