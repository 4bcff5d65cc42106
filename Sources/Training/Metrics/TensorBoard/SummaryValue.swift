/// One `Summary.Value` of a TensorBoard event: a tagged scalar, image or audio clip.
///
/// ```
/// message Value { string tag = 1; oneof value { float simple_value = 2; Image image = 4; Audio audio = 6; } }
/// ```
/// Reference: tensorflow/core/framework/summary.proto.
struct SummaryValue: Equatable, Sendable {
  enum Content: Equatable, Sendable {
    /// Stored as a Float, as TensorBoard's `simple_value` is; NaN and ±Inf are kept, and
    /// TensorBoard draws them as such.
    case scalar(Float)
    case image(SummaryImage)
    case audio(SummaryAudio)
  }

  /// The chart's name in TensorBoard; `/` groups charts (`log_abs_det_per_dim/0.ActNorm`).
  var tag: String
  var content: Content

  static func scalar(_ tag: String, _ value: Double) -> SummaryValue {
    SummaryValue(tag: tag, content: .scalar(Float(value)))
  }

  /// The encoded message; a oneof member is written even when it is 0, as protobuf does.
  var encoded: ProtobufWriter {
    var message = ProtobufWriter()
    message.string(1, tag)
    switch content {
    case .scalar(let value): message.float(2, value)
    case .image(let image): message.message(4, image.encoded)
    case .audio(let audio): message.message(6, audio.encoded)
    }
    return message
  }
}
