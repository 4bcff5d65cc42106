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
  /// Writes the column matrix [patchSize, count · outputPixels] of `count` consecutive images, the
  /// first of which has channel 0 at `images`, in `g.inputLayout`. `mask` is scratch of
  /// `g.outputPixels` scalars, used when `g.tapsAreShifts`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func unfold<S: TensorScalar>(
    _ g: ConvolutionGeometry, images: UnsafePointer<S>, count: Int,
    into columns: UnsafeMutablePointer<S>, mask: UnsafeMutablePointer<S>
  ) {
    let rowLength = count * g.outputPixels, strides = g.inputStrides
    for i in 0..<g.kernelHeight {
      for j in 0..<g.kernelWidth {
        let shift = g.tapShift(kernelRow: i, kernelColumn: j)
        if g.tapsAreShifts { shift.writeMask(into: mask) }
        for c in 0..<g.inChannels {
          let plane = images + c * strides.channel
          let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * rowLength
          if g.tapsAreShifts {
            shift.copy(plane, srcStride: strides.image, into: row, dstStride: g.outputPixels,
                       count: count, mask: mask)
          } else {
            unfoldRow(g, plane: plane, imageStride: strides.image, count: count, kernelRow: i,
                      kernelColumn: j, into: row)
          }
        }
      }
    }
  }

  /// Adds the column matrix [patchSize, count · outputPixels] back into `count` consecutive images
  /// (laid out as in `unfold`); entries that came from the padding are dropped. `columns` is
  /// consumed scratch: its padding entries may be overwritten. `mask` is as in `unfold`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  public static func foldAdding<S: TensorScalar>(
    _ g: ConvolutionGeometry, columns: UnsafeMutablePointer<S>, count: Int,
    into images: UnsafeMutablePointer<S>, mask: UnsafeMutablePointer<S>
  ) {
    let rowLength = count * g.outputPixels, strides = g.inputStrides
    for i in 0..<g.kernelHeight {
      for j in 0..<g.kernelWidth {
        // Column (y, x) came from input (y + dy, x + dx): input (h, w) gathers the reversed shift.
        let back = g.tapShift(kernelRow: i, kernelColumn: j).reversed
        if g.tapsAreShifts { back.writeMask(into: mask) }
        for c in 0..<g.inChannels {
          let plane = images + c * strides.channel
          let row = columns + ((c * g.kernelHeight + i) * g.kernelWidth + j) * rowLength
          if g.tapsAreShifts {
            back.add(row, srcStride: g.outputPixels, into: plane, dstStride: strides.image,
                     count: count, mask: mask)
          } else {
            foldRow(g, columns: row, count: count, kernelRow: i, kernelColumn: j, into: plane,
                    imageStride: strides.image)
          }
        }
      }
    }
  }

  /// One row of the column matrix: kernel tap (i, j) of channel plane `images` in every image,
  /// for geometries whose taps are not plain shifts (strides, or outputs smaller than inputs).
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func unfoldRow<S: TensorScalar>(
    _ g: ConvolutionGeometry, plane images: UnsafePointer<S>, imageStride: Int, count: Int,
    kernelRow i: Int, kernelColumn j: Int, into row: UnsafeMutablePointer<S>
  ) {
    let rows = WindowSpan(height: g, kernelRow: i), columns = WindowSpan(width: g, kernelColumn: j)
    let ow = g.outWidth
    for b in 0..<count {
      let dst = row + b * g.outputPixels
      let plane = images + b * imageStride
      dst.update(repeating: 0, count: rows.lower * ow)
      if g.rowsAreContiguous && columns.length > 0 {
        // Output and input rows have the same length and step together, so all valid rows are
        // one contiguous copy; the entries it wraps into the padding columns are zeroed after.
        let first = rows.lower * ow + columns.lower, end = (rows.upper - 1) * ow + columns.upper
        if end > first {
          (dst + first).update(from: plane + rows.firstInput * g.width + columns.firstInput,
                               count: end - first)
        }
        for oh in rows.lower..<rows.upper { columns.zeroPadding(dst + oh * ow, width: ow) }
      } else {
        for oh in rows.lower..<rows.upper {
          let ih = rows.firstInput + (oh - rows.lower) * g.window.strideHeight
          columns.copy(from: plane + ih * g.width, stride: g.window.strideWidth, into: dst + oh * ow)
          columns.zeroPadding(dst + oh * ow, width: ow)
        }
      }
      (dst + rows.upper * ow).update(repeating: 0, count: (g.outHeight - rows.upper) * ow)
    }
  }

  /// The adjoint of `unfoldRow`: adds one row of the column matrix into channel plane `images`.
  /// Entries of the row that read padding are set to zero on the way.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func foldRow<S: TensorScalar>(
    _ g: ConvolutionGeometry, columns row: UnsafeMutablePointer<S>, count: Int, kernelRow i: Int,
    kernelColumn j: Int, into images: UnsafeMutablePointer<S>, imageStride: Int
  ) {
    let rows = WindowSpan(height: g, kernelRow: i), columns = WindowSpan(width: g, kernelColumn: j)
    let ow = g.outWidth
    for b in 0..<count {
      let src = row + b * g.outputPixels
      let plane = images + b * imageStride
      if g.rowsAreContiguous && columns.length > 0 {
        // As in `unfoldRow`, but the padding entries are zeroed first, so that adding the
        // contiguous run adds nothing to the positions it wraps onto.
        for oh in rows.lower..<rows.upper { columns.zeroPadding(src + oh * ow, width: ow) }
        let first = rows.lower * ow + columns.lower, end = (rows.upper - 1) * ow + columns.upper
        let dst = plane + rows.firstInput * g.width + columns.firstInput - first
        for q in first..<max(first, end) { dst[q] += src[q] }
      } else {
        for oh in rows.lower..<rows.upper {
          let ih = rows.firstInput + (oh - rows.lower) * g.window.strideHeight
          columns.add(src + oh * ow, stride: g.window.strideWidth, into: plane + ih * g.width)
        }
      }
    }
  }
}

/// Along one axis, the output positions `lower..<upper` whose input position
/// `o · stride − padding + k · dilation` lies inside the image for kernel tap k; the others read padding.
struct WindowSpan {
  let lower: Int
  let upper: Int
  /// The input position read by output position `lower`.
  let firstInput: Int

  init(outputs: Int, inputs: Int, stride: Int, offset: Int) {
    let last = inputs - 1 - offset
    let upper = last < 0 ? 0 : min(outputs, last / stride + 1)
    let lower = offset >= 0 ? 0 : (-offset + stride - 1) / stride
    self.upper = upper
    self.lower = min(lower, upper)
    firstInput = self.lower * stride + offset
  }

  init(height g: ConvolutionGeometry, kernelRow i: Int) {
    let w = g.window
    self.init(outputs: g.outHeight, inputs: g.height, stride: w.strideHeight,
              offset: i * w.dilationHeight - w.paddingHeight)
  }

  init(width g: ConvolutionGeometry, kernelColumn j: Int) {
    let w = g.window
    self.init(outputs: g.outWidth, inputs: g.width, stride: w.strideWidth,
              offset: j * w.dilationWidth - w.paddingWidth)
  }

  var length: Int { upper - lower }

  /// Zeroes the entries of an output row [width] outside `lower..<upper`.
  @inline(__always)
  func zeroPadding<S: TensorScalar>(_ row: UnsafeMutablePointer<S>, width: Int) {
    for o in 0..<lower { row[o] = 0 }
    for o in upper..<width { row[o] = 0 }
  }

  /// row[lower..<upper] = input[firstInput, firstInput + stride, …]
  @inline(__always)
  func copy<S: TensorScalar>(from input: UnsafePointer<S>, stride: Int, into row: UnsafeMutablePointer<S>) {
    let src = input + firstInput, dst = row + lower
    for t in 0..<length { dst[t] = src[t * stride] }
  }

  /// input[firstInput, firstInput + stride, …] += row[lower..<upper]
  @inline(__always)
  func add<S: TensorScalar>(_ row: UnsafePointer<S>, stride: Int, into input: UnsafeMutablePointer<S>) {
    let src = row + lower, dst = input + firstInput
    for t in 0..<length { dst[t * stride] += src[t] }
  }
}
