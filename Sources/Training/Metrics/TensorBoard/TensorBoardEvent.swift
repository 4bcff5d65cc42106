/// One record of a TensorBoard event file: the file's version header, or a summary at a step.
///
/// ```
/// message Event { double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; Summary summary = 5; } }
/// message Summary { repeated Value value = 1; }
/// ```
/// Reference: tensorflow/core/util/event.proto, tensorflow/core/framework/summary.proto.
struct TensorBoardEvent: Equatable, Sendable {
  enum Content: Equatable, Sendable {
    /// The first event of every file; TensorBoard reads "brain.Event:2" as the current format.
    case fileVersion(String)
    case summary([SummaryValue])
  }

  /// Seconds since 1970, shown by TensorBoard's "relative" and "wall" axes.
  var wallTime: Double
  var step: Int
  var content: Content

  static let fileVersion = "brain.Event:2"

  /// The canonical encoding (fields in number order; `step` 0 omitted, as proto3 omits defaults).
  var encoded: [UInt8] {
    var event = ProtobufWriter()
    event.double(1, wallTime)
    if step != 0 { event.varint(2, step) }
    switch content {
    case .fileVersion(let version):
      event.string(3, version)
    case .summary(let values):
      var summary = ProtobufWriter()
      for value in values { summary.message(1, value.encoded) }
      event.message(5, summary)
    }
    return event.bytes
  }

  /// The step of an encoded event; nil when the bytes are not an event.
  static func step(ofEncoded bytes: ArraySlice<UInt8>) -> Int? {
    ProtobufReader.varint(2, in: bytes).map { Int(truncatingIfNeeded: $0) }
  }
}
