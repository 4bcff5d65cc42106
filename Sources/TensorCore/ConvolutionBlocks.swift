/// Moves between a block of images in NCHW, [count, channels, pixels], and the GEMM layout of the
/// same block, [channels, count · pixels]; plus the bias loops of the convolution.
enum ConvolutionBlocks {
  /// images [count, channels, pixels] = block [channels, count · pixels], regrouped.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func scatter<S: TensorScalar>(
    _ block: UnsafePointer<S>, channels: Int, pixels: Int, count: Int,
    into images: UnsafeMutablePointer<S>
  ) {
    for b in 0..<count {
      for c in 0..<channels {
        (images + (b * channels + c) * pixels)
          .update(from: block + (c * count + b) * pixels, count: pixels)
      }
    }
  }

  /// block [channels, count · pixels] = images [count, channels, pixels], regrouped.
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func gather<S: TensorScalar>(
    _ images: UnsafePointer<S>, channels: Int, pixels: Int, count: Int,
    into block: UnsafeMutablePointer<S>
  ) {
    for b in 0..<count {
      for c in 0..<channels {
        (block + (c * count + b) * pixels)
          .update(from: images + (b * channels + c) * pixels, count: pixels)
      }
    }
  }

  /// images[b, c, p] += bias[c] for images [count, channels, pixels].
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func addBias<S: TensorScalar>(
    _ bias: UnsafePointer<S>, channels: Int, pixels: Int, count: Int,
    into images: UnsafeMutablePointer<S>
  ) {
    for b in 0..<count {
      for c in 0..<channels {
        let row = images + (b * channels + c) * pixels
        let value = bias[c]
        for p in 0..<pixels { row[p] += value }
      }
    }
  }

  /// sums[r] += Σ_j matrix[r, j] for matrix [rows, columns].
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func addRowSums<S: TensorScalar>(
    _ matrix: UnsafePointer<S>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<S>
  ) {
    for r in 0..<rows {
      let row = matrix + r * columns
      var total: S = 0
      for j in 0..<columns { total += row[j] }
      sums[r] += total
    }
  }
}
