import CPNG
import Foundation
import Support

/// Reading and writing PNG files through libpng.
///
/// Writing: 8-bit gray, gray + alpha, RGB or RGBA from an `Image`, with libpng's default filtering
/// and compression. Reading: see `decode(_:source:)`.
/// Reference: PNG specification (W3C, 2003); libpng manual, "Simplified API".
public enum PNG {
  /// The PNG file bytes of `image`.
  public static func encode(_ image: Image) -> [UInt8] {
    // The simplified API, because it catches libpng's longjmp itself and returns 0 with a message.
    var description = png_image()
    description.version = png_uint_32(PNG_IMAGE_VERSION)
    description.width = png_uint_32(image.width)
    description.height = png_uint_32(image.height)
    description.format = format(channels: image.channels)
    var size = cpng_size_max(&description)
    var file = [UInt8](repeating: 0, count: Int(size))
    let written = file.withUnsafeMutableBytes { file in
      image.pixels.withUnsafeBytes { pixels in
        // Row stride 0: rows are packed, width · channels bytes apart.
        png_image_write_to_memory(&description, file.baseAddress, &size, 0, pixels.baseAddress, 0, nil)
      }
    }
    // Only an out-of-memory condition fails here: `Image` guarantees a valid size and layout.
    precondition(written != 0, "libpng cannot encode a \(image.width)×\(image.height) image: "
                 + string(description.message))
    file.removeLast(file.count - Int(size))
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

  /// The simplified API's format for 8-bit samples with `channels` channels.
  private static func format(channels: Int) -> png_uint_32 {
    switch channels {
    case 1: png_uint_32(PNG_FORMAT_GRAY)
    case 2: png_uint_32(PNG_FORMAT_GA)
    case 3: png_uint_32(PNG_FORMAT_RGB)
    // PNG_FORMAT_RGBA is a macro of macros, which Swift does not import.
    default: png_uint_32(PNG_FORMAT_RGB | PNG_FORMAT_FLAG_ALPHA)
    }
  }

  /// The text of a NUL-terminated C character array, which Swift imports as a tuple.
  static func string<Characters>(_ characters: Characters) -> String {
    withUnsafeBytes(of: characters) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
  }
}
