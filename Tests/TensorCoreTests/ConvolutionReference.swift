import TensorCore

/// Direct-loop convolutions written from the definition, in Float64: the oracles of the im2col kernels.
///
/// Deliberately independent of `ConvolutionGeometry` and `Im2Col`: every index is recomputed here.
enum ConvolutionReference {
  struct Sizes {
    let n, c, h, w, o, kh, kw: Int
    let window: ConvolutionWindow
    var oh: Int {
      (h + 2 * window.paddingHeight - window.dilationHeight * (kh - 1) - 1) / window.strideHeight + 1
    }
    var ow: Int {
      (w + 2 * window.paddingWidth - window.dilationWidth * (kw - 1) - 1) / window.strideWidth + 1
    }
    var inputShape: Shape { [n, c, h, w] }
    var weightShape: Shape { [o, c, kh, kw] }
    var outputCount: Int { n * o * oh * ow }

    /// Calls `body(outputIndex, inputIndex, weightIndex)` for every product term of the convolution.
    func forEachTerm(_ body: (Int, Int, Int) -> Void) {
      let s = window
      for b in 0..<n { for oc in 0..<o { for y in 0..<oh { for x in 0..<ow {
        let out = ((b * o + oc) * oh + y) * ow + x
        for ic in 0..<c { for i in 0..<kh { for j in 0..<kw {
          let iy = y * s.strideHeight - s.paddingHeight + i * s.dilationHeight
          let ix = x * s.strideWidth - s.paddingWidth + j * s.dilationWidth
          guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
          body(out, ((b * c + ic) * h + iy) * w + ix, ((oc * c + ic) * kh + i) * kw + j)
        } } }
      } } } }
    }
  }

  /// [n, o, oh, ow]
  static func forward(_ z: Sizes, input: [Double], weight: [Double], bias: [Double]?) -> [Double] {
    var out = [Double](repeating: 0, count: z.outputCount)
    z.forEachTerm { o, i, w in out[o] += weight[w] * input[i] }
    if let bias {
      let pixels = z.oh * z.ow
      for k in out.indices { out[k] += bias[(k / pixels) % z.o] }
    }
    return out
  }

  /// (dInput [n, c, h, w], dWeight [o, c, kh, kw], dBias [o]) of `<dOutput, forward>`.
  static func backward(_ z: Sizes, input: [Double], weight: [Double], dOutput: [Double])
    -> (dInput: [Double], dWeight: [Double], dBias: [Double])
  {
    var dInput = [Double](repeating: 0, count: input.count)
    var dWeight = [Double](repeating: 0, count: weight.count)
    var dBias = [Double](repeating: 0, count: z.o)
    z.forEachTerm { o, i, w in
      dInput[i] += dOutput[o] * weight[w]
      dWeight[w] += dOutput[o] * input[i]
    }
    let pixels = z.oh * z.ow
    for k in dOutput.indices { dBias[(k / pixels) % z.o] += dOutput[k] }
    return (dInput, dWeight, dBias)
  }

  /// 1-D convolution over [n, c, t] with weight [o, c, k]: output [n, o, outT], written as its own
  /// loop nest (not through the 2-D one) so the height-1 reuse in the kernel is checked independently.
  static func forward1D(input: [Double], n: Int, c: Int, t: Int, weight: [Double], o: Int, k: Int,
                        bias: [Double]?, stride: Int, padding: Int, dilation: Int) -> [Double] {
    let outT = (t + 2 * padding - dilation * (k - 1) - 1) / stride + 1
    var out = [Double](repeating: 0, count: n * o * outT)
    for b in 0..<n { for oc in 0..<o { for x in 0..<outT {
      var acc = bias?[oc] ?? 0
      for ic in 0..<c { for j in 0..<k {
        let ix = x * stride - padding + j * dilation
        if ix >= 0 && ix < t { acc += weight[(oc * c + ic) * k + j] * input[(b * c + ic) * t + ix] }
      } }
      out[(b * o + oc) * outT + x] = acc
    } } }
    return out
  }
}
