/// Unfolding of image patches into a column matrix (im2col) and its adjoint, folding columns back
/// into images with summation (col2im), for a block of consecutive images.
///
/// The column matrix of `count` images is [patchSize, count · outputPixels]: row
/// `(c · kernelHeight + i) · kernelWidth + j`, column `b · outputPixels + oh · outWidth + ow` holds
/// ```
/// input[b, c, oh · strideH − padH + i · dilationH, ow · strideW − padW + j · dilationW]
/// ```
/// or zero where that position falls in the padding. A convolution is then one GEMM
/// `weight [outChannels, patchSize] × columns`.
public enum Im2Col {
  /// Writes the column matrix [patchSize, count · outputPixels] of images [count, inChannels, height, width].
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func unfold<S: TensorScalar>(
    _ g: ConvolutionGeometry, images: UnsafePointer<S>, count: Int,
    into columns: UnsafeMutablePointer<S>
  ) {
    let rowLength = count * g.outputPixels
    for c in 0..<g.inChannels {
      for i in 0..<g.kernelHeight {
        for j in 0..<g.kernelWidth {
          let row = (c * g.kernelHeight + i) * g.kernelWidth + j
          unfoldRow(g, images: images + c * g.height * g.width, count: count, kernelRow: i,
                    kernelColumn: j, into: columns + row * rowLength)
        }
      }
    }
  }

  /// Adds the column matrix [patchSize, count · outputPixels] back into images
  /// [count, inChannels, height, width]; entries that came from the padding are dropped.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func foldAdding<S: TensorScalar>(
    _ g: ConvolutionGeometry, columns: UnsafePointer<S>, count: Int,
    into images: UnsafeMutablePointer<S>
  ) {
    let rowLength = count * g.outputPixels
    for c in 0..<g.inChannels {
      for i in 0..<g.kernelHeight {
        for j in 0..<g.kernelWidth {
          let row = (c * g.kernelHeight + i) * g.kernelWidth + j
          foldRow(g, columns: columns + row * rowLength, count: count, kernelRow: i,
                  kernelColumn: j, into: images + c * g.height * g.width)
        }
      }
    }
  }

  /// One row of the column matrix: kernel tap (i, j) of channel plane `images` in every image.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func unfoldRow<S: TensorScalar>(
    _ g: ConvolutionGeometry, images: UnsafePointer<S>, count: Int, kernelRow i: Int,
    kernelColumn j: Int, into row: UnsafeMutablePointer<S>
  ) {
    let span = ColumnSpan(g, kernelColumn: j)
    let imageStride = g.inputImageCount
    let stride = g.window.strideWidth
    var dst = row
    for b in 0..<count {
      for oh in 0..<g.outHeight {
        let ih = span.inputRow(g, outputRow: oh, kernelRow: i)
        if ih < 0 || ih >= g.height {
          dst.update(repeating: 0, count: g.outWidth)
        } else {
          let src = images + b * imageStride + ih * g.width + span.firstInput
          for ow in 0..<span.lower { dst[ow] = 0 }
          let d = dst + span.lower
          if stride == 1 {
            for t in 0..<span.length { d[t] = src[t] }
          } else {
            for t in 0..<span.length { d[t] = src[t * stride] }
          }
          for ow in span.upper..<g.outWidth { dst[ow] = 0 }
        }
        dst += g.outWidth
      }
    }
  }

  /// The adjoint of `unfoldRow`: adds one row of the column matrix into channel plane `images`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func foldRow<S: TensorScalar>(
    _ g: ConvolutionGeometry, columns row: UnsafePointer<S>, count: Int, kernelRow i: Int,
    kernelColumn j: Int, into images: UnsafeMutablePointer<S>
  ) {
    let span = ColumnSpan(g, kernelColumn: j)
    let imageStride = g.inputImageCount
    let stride = g.window.strideWidth
    var src = row
    for b in 0..<count {
      for oh in 0..<g.outHeight {
        let ih = span.inputRow(g, outputRow: oh, kernelRow: i)
        if ih >= 0 && ih < g.height {
          let dst = images + b * imageStride + ih * g.width + span.firstInput
          let s = src + span.lower
          if stride == 1 {
            for t in 0..<span.length { dst[t] += s[t] }
          } else {
            for t in 0..<span.length { dst[t * stride] += s[t] }
          }
        }
        src += g.outWidth
      }
    }
  }
}

/// The output columns `lower..<upper` whose input column `ow · strideW − padW + j · dilationW`
/// lies inside the image for kernel column j; the rest read padding.
struct ColumnSpan {
  let lower: Int
  let upper: Int
  /// The input column read by output column `lower`.
  let firstInput: Int

  init(_ g: ConvolutionGeometry, kernelColumn j: Int) {
    let w = g.window
    let offset = j * w.dilationWidth - w.paddingWidth
    let last = g.width - 1 - offset
    let upper = last < 0 ? 0 : min(g.outWidth, last / w.strideWidth + 1)
    let lower = offset >= 0 ? 0 : (-offset + w.strideWidth - 1) / w.strideWidth
    self.upper = upper
    self.lower = min(lower, upper)
    firstInput = self.lower * w.strideWidth + offset
  }

  var length: Int { upper - lower }

  @inline(__always)
  func inputRow(_ g: ConvolutionGeometry, outputRow oh: Int, kernelRow i: Int) -> Int {
    oh * g.window.strideHeight - g.window.paddingHeight + i * g.window.dilationHeight
  }
}
