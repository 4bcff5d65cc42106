import Foundation
import Support

/// Reading and writing PNG files.
///
/// Writing: 8-bit gray, gray + alpha, RGB or RGBA from an `Image`, each row filtered with the
/// filter the spec's minimum-sum-of-absolute-differences heuristic picks, compressed with `Zlib`.
/// Reading: see `decode(_:source:)`.
/// Reference: PNG specification (W3C, 2003); RFC 2083.
public enum PNG {
  /// The eight bytes every PNG file starts with.
  static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
  /// IDAT payloads are split at this size (any split is valid; it keeps chunks modest).
  private static let idatChunkSize = 1 << 20

  /// The PNG file bytes of `image`.
  public static func encode(_ image: Image) -> [UInt8] {
    var file = signature
    var header: [UInt8] = []
    header.appendBigEndian(UInt32(image.width))
    header.appendBigEndian(UInt32(image.height))
    // Bit depth 8; color type; compression, filter and interlace methods 0.
    header += [8, PNGColorType(channels: image.channels).rawValue, 0, 0, 0]
    appendChunk("IHDR", header, to: &file)
    let compressed = Zlib.compress(filteredScanlines(image))
    var start = 0
    repeat {
      let end = min(start + idatChunkSize, compressed.count)
      appendChunk("IDAT", compressed[start..<end], to: &file)
      start = end
    } while start < compressed.count
    appendChunk("IEND", [], to: &file)
    return file
  }

  /// Writes `image` as a PNG file at `url`, atomically (temporary file, then rename).
  public static func write(_ image: Image, to url: URL) throws(PNGError) {
    do {
      try AtomicFile.write(encode(image), to: url.path)
    } catch {
      throw PNGError(source: url.path, problem: (error as? DataFileError)?.reason ?? "\(error)")
    }
  }

  /// Each row prefixed by its filter type byte: [height, 1 + width·channels].
  static func filteredScanlines(_ image: Image) -> [UInt8] {
    let rowBytes = image.width * image.channels
    var output = [UInt8](repeating: 0, count: image.height * (rowBytes + 1))
    let zeroRow = [UInt8](repeating: 0, count: rowBytes)
    var scratch = [UInt8](repeating: 0, count: rowBytes)
    image.pixels.withUnsafeBufferPointer { pixels in
      zeroRow.withUnsafeBufferPointer { zeros in
        scratch.withUnsafeMutableBufferPointer { scratch in
          output.withUnsafeMutableBufferPointer { output in
            for y in 0..<image.height {
              let row = UnsafeBufferPointer(rebasing: pixels[(y * rowBytes)..<((y + 1) * rowBytes)])
              let previous = y == 0
                ? zeros : UnsafeBufferPointer(rebasing: pixels[((y - 1) * rowBytes)..<(y * rowBytes)])
              let start = y * (rowBytes + 1)
              let target = UnsafeMutableBufferPointer(rebasing: output[(start + 1)..<(start + 1 + rowBytes)])
              let filter = PNGFilter.bestFilter(for: row, previous: previous, bytesPerPixel: image.channels,
                                                scratch: scratch, into: target)
              output[start] = filter.rawValue
            }
          }
        }
      }
    }
    return output
  }

  /// Appends length, type, data and the CRC-32 of type + data.
  private static func appendChunk(_ type: String, _ data: some Collection<UInt8>, to file: inout [UInt8]) {
    let typeBytes = Array(type.utf8)
    precondition(typeBytes.count == 4, "chunk types are four letters, got \(type)")
    file.appendBigEndian(UInt32(data.count))
    var crc = CRC32()
    crc.update(typeBytes)
    crc.update(data)
    file += typeBytes
    file += data
    file.appendBigEndian(crc.value)
  }
}

/// PNG color types (IHDR byte 9).
enum PNGColorType: UInt8 {
  case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

  /// The color type an 8-bit image with `channels` channels is written as.
  init(channels: Int) {
    switch channels {
    case 1: self = .gray
    case 2: self = .grayAlpha
    case 3: self = .rgb
    case 4: self = .rgba
    default: preconditionFailure("images have 1–4 channels, got \(channels)")
    }
  }

  /// Samples per pixel as stored in the file (a palette index is one sample).
  var samplesPerPixel: Int {
    switch self {
    case .gray, .palette: 1
    case .grayAlpha: 2
    case .rgb: 3
    case .rgba: 4
    }
  }
}

extension Array where Element == UInt8 {
  mutating func appendBigEndian(_ value: UInt32) {
    append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) })
  }
}
