/// `count` consecutive images of a batch [*, channels, pixels] in either `ImageLayout`:
/// plane (b, c) of the block starts at `base + b · imageStride + c · channelStride`.
struct ImageBlock<S: TensorScalar> {
  let base: UnsafeMutablePointer<S>
  let imageStride: Int
  let channelStride: Int
  let count: Int
  let channels: Int
  let pixels: Int

  /// Images first..<first + count of `tensor` [batch, channels, pixels] laid out as `layout`.
  init(_ tensor: UnsafeMutablePointer<S>, layout: ImageLayout, batch: Int, channels: Int,
       pixels: Int, first: Int, count: Int) {
    let strides = layout.planeStrides(batch: batch, channels: channels, pixels: pixels)
    base = tensor + first * strides.image
    imageStride = strides.image
    channelStride = strides.channel
    self.count = count
    self.channels = channels
    self.pixels = pixels
  }

  /// The block as a [channels, count · pixels] matrix in place, with its leading dimension, when
  /// the images' planes of each channel are adjacent (CNHW, one image, or one channel); else nil.
  var matrix: (pointer: UnsafeMutablePointer<S>, ld: Int)? {
    // With one channel the stride between channels is moot; BLAS still wants ld ≥ the row length.
    imageStride == pixels || count == 1 ? (base, max(channelStride, count * pixels)) : nil
  }

  /// The start of plane (b, c).
  @inline(__always)
  func plane(_ b: Int, _ c: Int) -> UnsafeMutablePointer<S> { base + b * imageStride + c * channelStride }
}

/// Moves a block of images between its layout and the GEMM layout [channels, count · pixels], and
/// the per-channel bias loops of the convolution.
enum ConvolutionBlocks {
  /// matrix [channels, count · pixels] = the block, regrouped.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func gather<S: TensorScalar>(_ images: ImageBlock<S>, into matrix: UnsafeMutablePointer<S>) {
    let width = images.count * images.pixels
    for c in 0..<images.channels {
      for b in 0..<images.count {
        (matrix + c * width + b * images.pixels).update(from: images.plane(b, c), count: images.pixels)
      }
    }
  }

  /// The block = matrix [channels, count · pixels], regrouped.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func scatter<S: TensorScalar>(_ matrix: UnsafePointer<S>, into images: ImageBlock<S>) {
    let width = images.count * images.pixels
    for c in 0..<images.channels {
      for b in 0..<images.count {
        images.plane(b, c).update(from: matrix + c * width + b * images.pixels, count: images.pixels)
      }
    }
  }

  /// The block += matrix [channels, count · pixels], regrouped.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func scatterAdding<S: TensorScalar>(_ matrix: UnsafePointer<S>, into images: ImageBlock<S>) {
    let width = images.count * images.pixels
    for c in 0..<images.channels {
      for b in 0..<images.count {
        let src = matrix + c * width + b * images.pixels, dst = images.plane(b, c)
        for p in 0..<images.pixels { dst[p] += src[p] }
      }
    }
  }

  /// Every plane of channel c = value[c], or 0 without `value`.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func fill<S: TensorScalar>(_ images: ImageBlock<S>, with value: UnsafePointer<S>?) {
    for c in 0..<images.channels {
      let v = value?[c] ?? 0
      for b in 0..<images.count { images.plane(b, c).update(repeating: v, count: images.pixels) }
    }
  }

  /// sums[c] += the sum of every plane of channel c.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func addChannelSums<S: TensorScalar>(_ images: ImageBlock<S>, into sums: UnsafeMutablePointer<S>) {
    // Adjacent planes (CNHW) are summed as one run.
    let (runs, length) = images.imageStride == images.pixels
      ? (1, images.count * images.pixels) : (images.count, images.pixels)
    for c in 0..<images.channels {
      var total: S = 0
      for b in 0..<runs { total += sum(images.plane(b, c), count: length) }
      sums[c] += total
    }
  }

  /// Σ values[0..<count] in 8 interleaved partial sums: one running sum is a chain of dependent
  /// adds (the compiler may not reorder them) and ran at a quarter of the adder's throughput.
  @inline(__always)
  static func sum<S: TensorScalar>(_ values: UnsafePointer<S>, count: Int) -> S {
    var a0: S = 0, a1: S = 0, a2: S = 0, a3: S = 0, a4: S = 0, a5: S = 0, a6: S = 0, a7: S = 0
    var i = 0
    while i + 8 <= count {
      a0 += values[i]; a1 += values[i + 1]; a2 += values[i + 2]; a3 += values[i + 3]
      a4 += values[i + 4]; a5 += values[i + 5]; a6 += values[i + 6]; a7 += values[i + 7]
      i += 8
    }
    var total = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
    while i < count {
      total += values[i]
      i += 1
    }
    return total
  }
}
