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

  init(_ tensor: UnsafePointer<S>, layout: ImageLayout, batch: Int, channels: Int, pixels: Int,
       first: Int, count: Int) {
    self.init(UnsafeMutablePointer(mutating: tensor), layout: layout, batch: batch,
              channels: channels, pixels: pixels, first: first, count: count)
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

  /// Every plane of channel c += bias[c].
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func addBias<S: TensorScalar>(_ bias: UnsafePointer<S>, into images: ImageBlock<S>) {
    for c in 0..<images.channels {
      let v = bias[c]
      for b in 0..<images.count {
        let row = images.plane(b, c)
        for p in 0..<images.pixels { row[p] += v }
      }
    }
  }

  /// sums[c] += the sum of every plane of channel c.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func addChannelSums<S: TensorScalar>(_ images: ImageBlock<S>, into sums: UnsafeMutablePointer<S>) {
    for c in 0..<images.channels {
      var total: S = 0
      for b in 0..<images.count {
        let row = images.plane(b, c)
        for p in 0..<images.pixels { total += row[p] }
      }
      sums[c] += total
    }
  }
}
