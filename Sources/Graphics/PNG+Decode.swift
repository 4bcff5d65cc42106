import CPNG
import Foundation

extension PNG {
  /// The largest image the decoder accepts (2^28 pixels, 1 GiB as RGBA), so a corrupt header cannot
  /// request an absurd allocation.
  private static let maxPixels = 1 << 28

  /// Decodes PNG file bytes into an 8-bit image of the stored levels.
  ///
  /// Every standard PNG decodes: gray (1–16 bit), gray + alpha, RGB and RGBA (8 or 16 bit) and
  /// palette images (1–8 bit), interlaced or not. Low-bit gray is scaled to 0…255 and 16-bit samples
  /// keep their high byte; palette images become RGB, or RGBA when a tRNS chunk gives the palette
  /// transparency. tRNS of gray and RGB images, gamma and other ancillary chunks are ignored.
  /// A corrupt, truncated or invalid file throws a `PNGError` with libpng's description.
  ///
  /// - Parameter source: the name used in error messages (a file path).
  public static func decode(_ bytes: [UInt8], source: String = "PNG data") throws(PNGError) -> Image {
    // The cpng_ helpers, not the simplified reader: it would gamma-correct the levels a data set stores.
    let decoder = UnsafeMutablePointer<cpng_decoder>.allocate(capacity: 1)
    decoder.initialize(to: cpng_decoder())
    defer {
      cpng_destroy(decoder)
      decoder.deallocate()
    }
    // libpng keeps a pointer to `bytes` between the two calls, so both run inside one borrow.
    return try bytes.withUnsafeBufferPointer { bytes throws(PNGError) in
      try decode(bytes, with: decoder, source: source)
    }
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

  /// Runs the two decoding steps of the cpng_ helpers, checking the size between them.
  private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, with decoder: UnsafeMutablePointer<cpng_decoder>,
                             source: String) throws(PNGError) -> Image {
    guard cpng_read_header(decoder, bytes.baseAddress, bytes.count) == 0 else {
      throw failure(decoder, source: source)
    }
    let (width, height) = (Int(decoder.pointee.width), Int(decoder.pointee.height))
    guard width * height <= maxPixels else {
      throw PNGError(source: source, problem: "\(width)×\(height) pixels exceed the decoder's limit of \(maxPixels)")
    }
    let channels = Int(decoder.pointee.channels)
    var pixels = [UInt8](repeating: 0, count: width * height * channels)
    guard pixels.withUnsafeMutableBufferPointer({ cpng_read_image(decoder, $0.baseAddress) }) == 0 else {
      throw failure(decoder, source: source)
    }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
  }

  /// The error for the message (and the last warning) a cpng_ helper left in `decoder`.
  private static func failure(_ decoder: UnsafeMutablePointer<cpng_decoder>, source: String) -> PNGError {
    let message = string(decoder.pointee.message)
    let warning = string(decoder.pointee.warning)
    let detail = warning.isEmpty ? "" : " after the warning '\(warning)'"
    return PNGError(source: source, problem: "libpng: \(message)\(detail); the file is damaged or not a standard "
                    + "PNG, so re-save or remove it")
  }
}
