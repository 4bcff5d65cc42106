import Support

/// A `Summary.Image`: a PNG file's bytes and the size and channels read from its header.
///
/// ```
/// message Image { int32 height = 1; int32 width = 2; int32 colorspace = 3; bytes encoded_image_string = 4; }
/// ```
/// colorspace: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. Reference: tensorflow/core/framework/summary.proto.
struct SummaryImage: Equatable, Sendable {
  var height: Int
  var width: Int
  var colorspace: Int
  /// The PNG file, unchanged.
  var png: [UInt8]

  private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// Reads width, height and color type from the IHDR chunk, which PNG requires to come first;
  /// `path` names the file in the error.
  init(png: [UInt8], path: String) throws(DataFileError) {
    guard png.count >= 33, Array(png[0..<8]) == Self.signature, Array(png[12..<16]) == Array("IHDR".utf8) else {
      throw DataFileError(path: path, "not a PNG file (no PNG signature and IHDR chunk); it cannot go into TensorBoard")
    }
    func bigEndian(_ at: Int) -> Int { png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    width = bigEndian(16)
    height = bigEndian(20)
    // PNG color types: 0 gray, 2 RGB, 3 palette (shown as RGB), 4 gray + alpha, 6 RGBA.
    switch png[25] {
    case 0: colorspace = 1
    case 4: colorspace = 2
    case 6: colorspace = 4
    default: colorspace = 3
    }
    self.png = png
  }

  var encoded: ProtobufWriter {
    var message = ProtobufWriter()
    message.varint(1, height)
    message.varint(2, width)
    message.varint(3, colorspace)
    message.bytes(4, png)
    return message
  }
}
