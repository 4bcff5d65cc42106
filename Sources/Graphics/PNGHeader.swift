/// The fields of an IHDR chunk that the decoder supports, validated.
struct PNGHeader {
  let width: Int
  let height: Int
  let bitDepth: Int
  let colorType: PNGColorType

  /// The largest image the decoder accepts (2^28 pixels, 1 GiB as RGBA), so a corrupt header cannot
  /// request an absurd allocation.
  static let maxPixels = 1 << 28

  /// Parses the 13-byte IHDR payload; `fail` builds an error naming the file.
  init(_ data: ArraySlice<UInt8>, fail: (String) -> PNGError) throws(PNGError) {
    guard data.count == 13 else { throw fail("IHDR has \(data.count) bytes, the format requires 13") }
    let bytes = Array(data)
    let width = Int(bytes[0..<4].bigEndianUInt32)
    let height = Int(bytes[4..<8].bigEndianUInt32)
    guard width > 0, height > 0, width <= Int(Int32.max), height <= Int(Int32.max) else {
      throw fail("invalid size \(width)×\(height) in IHDR")
    }
    guard width.multipliedReportingOverflow(by: height).partialValue <= PNGHeader.maxPixels,
          !width.multipliedReportingOverflow(by: height).overflow else {
      throw fail("\(width)×\(height) pixels exceed the decoder's limit of \(PNGHeader.maxPixels)")
    }
    let bitDepth = Int(bytes[8])
    guard let colorType = PNGColorType(rawValue: bytes[9]) else {
      throw fail("unknown color type \(bytes[9]) in IHDR (valid: 0, 2, 3, 4, 6)")
    }
    let allowed: [Int] = switch colorType {
    case .gray: [1, 2, 4, 8, 16]
    case .palette: [1, 2, 4, 8]
    case .rgb, .grayAlpha, .rgba: [8, 16]
    }
    guard allowed.contains(bitDepth) else {
      throw fail("bit depth \(bitDepth) is invalid for color type \(colorType.rawValue) (valid: \(allowed))")
    }
    guard bitDepth != 16 else {
      throw fail("16-bit samples are not supported; re-save the image with 8 bits per sample")
    }
    guard bytes[10] == 0, bytes[11] == 0 else {
      throw fail("unknown compression method \(bytes[10]) or filter method \(bytes[11]) (only 0 exists)")
    }
    switch bytes[12] {
    case 0: break
    case 1: throw fail("Adam7-interlaced PNGs are not supported; re-save the image without interlacing")
    default: throw fail("unknown interlace method \(bytes[12])")
    }
    self.width = width
    self.height = height
    self.bitDepth = bitDepth
    self.colorType = colorType
  }

  /// Bytes per complete pixel for filtering (1 when pixels are smaller than a byte).
  var filterBytesPerPixel: Int { max(1, colorType.samplesPerPixel * bitDepth / 8) }

  /// Bytes of one unfiltered row (rows are padded to whole bytes).
  var rowBytes: Int { (width * colorType.samplesPerPixel * bitDepth + 7) / 8 }
}

extension Collection where Element == UInt8 {
  /// The first four bytes read as a big-endian number.
  var bigEndianUInt32: UInt32 {
    prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
  }
}
