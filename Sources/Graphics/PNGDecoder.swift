import Foundation

extension PNG {
  /// Decodes PNG file bytes into an 8-bit image.
  ///
  /// Supported: non-interlaced gray (1, 2, 4, 8 bit), gray + alpha, RGB and RGBA (8 bit), and palette
  /// images (1, 2, 4, 8 bit). Low-bit gray is scaled to 0…255; palette images become RGB, or RGBA when
  /// a tRNS chunk gives the palette transparency. tRNS of gray and RGB images and ancillary chunks
  /// (gamma, text, …) are ignored. 16-bit and interlaced images throw a `PNGError`.
  ///
  /// - Parameter source: the name used in error messages (a file path).
  public static func decode(_ bytes: [UInt8], source: String = "PNG data") throws(PNGError) -> Image {
    let fail = { (problem: String) in PNGError(source: source, problem: problem) }
    let chunks = try PNGChunks.parse(bytes, fail: fail)
    let header = try PNGHeader(chunks.header, fail: fail)
    let palette = try header.colorType == .palette
      ? PNGPalette(colors: chunks.palette, alpha: chunks.transparency, fail: fail) : nil

    let expected = header.height * (header.rowBytes + 1)
    let scanlines: [UInt8]
    do {
      scanlines = try Zlib.decompress(chunks.imageData, expectedSize: expected, limit: expected)
    } catch .outputTooLarge {
      throw fail("the image data holds more than the \(expected) bytes a \(header.width)×\(header.height) image needs")
    } catch {
      throw fail("corrupt image data: \(error)")
    }
    guard scanlines.count == expected else {
      throw fail("the image data holds \(scanlines.count) bytes, "
                 + "a \(header.width)×\(header.height) image needs \(expected)")
    }
    let raw = try unfilter(scanlines, header: header, fail: fail)
    return try PNGUnpacker(header: header, palette: palette).image(from: raw, fail: fail)
  }

  /// Reads and decodes the PNG file at `url`.
  public static func read(contentsOf url: URL) throws(PNGError) -> Image {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw PNGError(source: url.path, problem: "cannot read the file (\(error.localizedDescription))")
    }
    return try decode([UInt8](data), source: url.path)
  }

  /// Reverses the row filters: [height, 1 + rowBytes] filtered → [height, rowBytes] raw.
  private static func unfilter(_ scanlines: [UInt8], header: PNGHeader,
                               fail: (String) -> PNGError) throws(PNGError) -> [UInt8] {
    let rowBytes = header.rowBytes
    var raw = [UInt8](repeating: 0, count: header.height * rowBytes)
    let zeros = [UInt8](repeating: 0, count: rowBytes)
    for y in 0..<header.height {
      let typeByte = scanlines[y * (rowBytes + 1)]
      guard let filter = PNGFilter(rawValue: typeByte) else {
        throw fail("row \(y) has filter type \(typeByte); only 0–4 exist")
      }
      let source = y * (rowBytes + 1) + 1
      raw.replaceSubrange((y * rowBytes)..<((y + 1) * rowBytes), with: scanlines[source..<(source + rowBytes)])
      raw.withUnsafeMutableBufferPointer { raw in
        zeros.withUnsafeBufferPointer { zeros in
          let row = UnsafeMutableBufferPointer(rebasing: raw[(y * rowBytes)..<((y + 1) * rowBytes)])
          let previous = y == 0 ? zeros : UnsafeBufferPointer(rebasing: raw[((y - 1) * rowBytes)..<(y * rowBytes)])
          filter.undo(row, previous: previous, bytesPerPixel: header.filterBytesPerPixel)
        }
      }
    }
    return raw
  }
}

/// The chunks the decoder uses, gathered in one pass with CRCs checked.
struct PNGChunks {
  var header: ArraySlice<UInt8> = []
  var palette: ArraySlice<UInt8>? = nil
  var transparency: ArraySlice<UInt8>? = nil
  /// All IDAT payloads concatenated: one zlib stream.
  var imageData: [UInt8] = []

  static func parse(_ bytes: [UInt8], fail: (String) -> PNGError) throws(PNGError) -> PNGChunks {
    guard bytes.starts(with: PNG.signature) else { throw fail("not a PNG file (the 8-byte signature is missing)") }
    var chunks = PNGChunks()
    var offset = PNG.signature.count
    var index = 0
    while true {
      guard offset + 12 <= bytes.count else { throw fail("the file ends before an IEND chunk; it is truncated") }
      let length = Int(bytes[offset..<(offset + 4)].bigEndianUInt32)
      let typeBytes = bytes[(offset + 4)..<(offset + 8)]
      let type = String(decoding: typeBytes, as: UTF8.self)
      guard length <= bytes.count - offset - 12 else {
        throw fail("chunk \(type) claims \(length) bytes but the file is truncated")
      }
      let data = bytes[(offset + 8)..<(offset + 8 + length)]
      var crc = CRC32()
      crc.update(typeBytes)
      crc.update(data)
      guard crc.value == bytes[(offset + 8 + length)...].bigEndianUInt32 else {
        throw fail("chunk \(type) has a wrong CRC; the file is corrupt")
      }
      guard index > 0 || type == "IHDR" else { throw fail("the first chunk is \(type), not IHDR") }
      switch type {
      case "IHDR": chunks.header = data
      case "PLTE": chunks.palette = data
      case "tRNS": chunks.transparency = data
      case "IDAT": chunks.imageData += data
      case "IEND": return chunks
      default:
        // Bit 5 of the first letter clear (uppercase) marks a chunk a decoder must understand.
        guard typeBytes.first! & 0x20 != 0 else { throw fail("unknown critical chunk \(type)") }
      }
      offset += 12 + length
      index += 1
    }
  }
}
