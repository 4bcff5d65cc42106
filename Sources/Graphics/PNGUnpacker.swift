/// A palette (PLTE) with optional per-entry alpha (tRNS).
struct PNGPalette {
  /// [entries, 3] or [entries, 4] when the palette has transparency
  let samples: [UInt8]
  let channels: Int

  init(colors: ArraySlice<UInt8>?, alpha: ArraySlice<UInt8>?, fail: (String) -> PNGError) throws(PNGError) {
    guard let colors else { throw fail("a palette image has no PLTE chunk") }
    guard colors.count % 3 == 0, (1...256).contains(colors.count / 3) else {
      throw fail("PLTE has \(colors.count) bytes; it needs 3 per entry and 1–256 entries")
    }
    let count = colors.count / 3
    let rgb = Array(colors)
    guard let alpha else {
      samples = rgb
      channels = 3
      return
    }
    guard alpha.count <= count else { throw fail("tRNS has \(alpha.count) entries but the palette only \(count)") }
    let alphas = Array(alpha)
    var rgba: [UInt8] = []
    rgba.reserveCapacity(count * 4)
    for entry in 0..<count {
      // Entries beyond the tRNS list are opaque.
      rgba += rgb[(entry * 3)..<(entry * 3 + 3)] + [entry < alphas.count ? alphas[entry] : 255]
    }
    samples = rgba
    channels = 4
  }

  var count: Int { samples.count / channels }
}

/// Turns unfiltered rows of any supported bit depth and color type into 8-bit interleaved samples.
struct PNGUnpacker {
  let header: PNGHeader
  let palette: PNGPalette?

  /// [height, rowBytes] raw rows → image with 1–4 channels; throws on a palette index past the
  /// palette's end.
  func image(from raw: [UInt8], fail: (String) -> PNGError) throws(PNGError) -> Image {
    let samplesPerPixel = header.colorType.samplesPerPixel
    let channels = palette?.channels ?? samplesPerPixel
    var pixels = [UInt8](repeating: 0, count: header.width * header.height * channels)
    let depth = header.bitDepth
    // Low-bit gray is stretched to 0…255 (e.g. 2-bit 3 → 255); palette indices are looked up.
    let grayScale = header.colorType == .gray ? 255 / ((1 << depth) - 1) : 1
    for y in 0..<header.height {
      let row = y * header.rowBytes
      for x in 0..<header.width {
        let target = (y * header.width + x) * channels
        if let palette {
          let index = sample(raw, row: row, index: x, depth: depth)
          guard index < palette.count else {
            throw fail("pixel (\(x), \(y)) uses palette entry \(index) but the palette has \(palette.count)")
          }
          for c in 0..<channels { pixels[target + c] = palette.samples[index * channels + c] }
        } else {
          for c in 0..<channels {
            pixels[target + c] = UInt8(sample(raw, row: row, index: x * samplesPerPixel + c, depth: depth) * grayScale)
          }
        }
      }
    }
    return Image(width: header.width, height: header.height, channels: channels, pixels: pixels)
  }

  /// Sample number `index` of the row starting at `row`; sub-byte samples are packed from the
  /// most significant bit.
  @inline(__always)
  private func sample(_ raw: [UInt8], row: Int, index: Int, depth: Int) -> Int {
    if depth == 8 { return Int(raw[row + index]) }
    let bit = index * depth
    let byte = raw[row + bit / 8]
    let shift = 8 - depth - bit % 8
    return Int(byte >> shift) & ((1 << depth) - 1)
  }
}
