import Support
/// The header of a `.npy` file: magic, version, and a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
///
/// Reference: NumPy Enhancement Proposal 1 and `numpy.lib.format` (versions 1.0, 2.0, 3.0).
struct NpyHeader: Equatable {
  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"
  /// NumPy aligns the data to 64 bytes so it can be mapped and used in place.
  static let alignment = 64

  var descr: String
  var fortranOrder: Bool
  var shape: [Int]

  /// Parses magic, version and dict from the start of `file`; returns the header and the byte
  /// offset where the data begins.
  static func read(_ file: UnsafeRawBufferPointer, path: String) throws -> (NpyHeader, dataOffset: Int) {
    guard file.count >= 10, Array(file[0..<6]) == magic else {
      throw DataFileError(path: path, "not a .npy file (the first bytes are not \\x93NUMPY); write it with np.save")
    }
    let (major, minor) = (file[6], file[7])
    guard (1...3).contains(major), minor == 0 else {
      throw DataFileError(path: path, "unsupported .npy format version \(major).\(minor); "
        + "this reader knows 1.0, 2.0 and 3.0; re-save with np.save")
    }
    let lengthBytes = major == 1 ? 2 : 4
    guard file.count >= 8 + lengthBytes else { throw truncated(path, file.count) }
    var length = 0
    for i in 0..<lengthBytes { length |= Int(file[8 + i]) << (8 * i) }
    let start = 8 + lengthBytes
    guard file.count >= start + length else { throw truncated(path, file.count) }
    var parser = LiteralParser(bytes: UnsafeRawBufferPointer(rebasing: file[start ..< start + length]))
    let header = try parser.header(path: path)
    return (header, start + length)
  }

  private static func truncated(_ path: String, _ size: Int) -> DataFileError {
    DataFileError(path: path, "truncated: the file ends inside its header (\(size) bytes); re-save it with np.save")
  }

  /// The full header bytes: magic, version (1.0 unless the dict needs 2.0's 4-byte length),
  /// length, dict, space padding and `\n`, so that the data starts at a multiple of 64.
  func encoded() -> [UInt8] {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    let dict = Array("{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }".utf8)
    func padded(_ preamble: Int) -> Int {
      (preamble + dict.count + 1 + NpyHeader.alignment - 1) / NpyHeader.alignment * NpyHeader.alignment - preamble
    }
    let major: UInt8 = padded(10) <= Int(UInt16.max) ? 1 : 2
    let length = major == 1 ? padded(10) : padded(12)
    var bytes = NpyHeader.magic + [major, 0]
    for i in 0..<(major == 1 ? 2 : 4) { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * i))) }
    bytes += dict
    bytes += [UInt8](repeating: 0x20, count: length - dict.count - 1)
    bytes.append(0x0A)
    return bytes
  }
}

/// A Python literal in a `.npy` header.
private enum Literal {
  case string(String), bool(Bool), integer(Int), none, tuple([Literal]), list([Literal])
}

/// Recursive-descent parser for the literal subset `np.save` writes: a dict of strings, booleans,
/// integers (with Python 2's optional `L`), None, tuples and lists.
private struct LiteralParser {
  let bytes: UnsafeRawBufferPointer
  var position = 0

  init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  mutating func header(path: String) throws -> NpyHeader {
    let fields: [String: Literal]
    do {
      fields = try dictionary()
    } catch let problem as ParseProblem {
      throw DataFileError(path: path, "malformed header (\(problem.reason) at byte \(position)); re-save it with np.save")
    }
    guard let descrField = fields["descr"], let orderField = fields["fortran_order"],
          let shapeField = fields["shape"] else {
      throw DataFileError(path: path, "header lacks one of 'descr', 'fortran_order', 'shape'; re-save it with np.save")
    }
    guard case .string(let descr) = descrField else {
      throw DataFileError(path: path, "structured dtypes are not supported; save a plain numeric array, e.g. x['field']")
    }
    guard case .bool(let fortranOrder) = orderField else {
      throw DataFileError(path: path, "header 'fortran_order' is not True or False; re-save it with np.save")
    }
    guard case .tuple(let dims) = shapeField else {
      throw DataFileError(path: path, "header 'shape' is not a tuple; re-save it with np.save")
    }
    var shape: [Int] = []
    for dim in dims {
      guard case .integer(let d) = dim, d >= 0 else {
        throw DataFileError(path: path, "header 'shape' has an entry that is not a non-negative integer")
      }
      shape.append(d)
    }
    return NpyHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
  }

  private struct ParseProblem: Error { let reason: String }

  private mutating func dictionary() throws -> [String: Literal] {
    try expect(UInt8(ascii: "{"))
    var fields: [String: Literal] = [:]
    while try peek() != UInt8(ascii: "}") {
      guard case .string(let key) = try value() else { throw ParseProblem(reason: "dict key is not a string") }
      try expect(UInt8(ascii: ":"))
      fields[key] = try value()
      if try peek() == UInt8(ascii: ",") { position += 1 } else { break }
    }
    try expect(UInt8(ascii: "}"))
    return fields
  }

  private mutating func value() throws -> Literal {
    let c = try peek()
    switch c {
    case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string(quote: c))
    case UInt8(ascii: "("): return .tuple(try sequence(closing: UInt8(ascii: ")")))
    case UInt8(ascii: "["): return .list(try sequence(closing: UInt8(ascii: "]")))
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .integer(try integer())
    default:
      for (word, literal) in [("True", Literal.bool(true)), ("False", .bool(false)), ("None", .none)]
      where matches(word) {
        position += word.utf8.count
        return literal
      }
      throw ParseProblem(reason: "unexpected character '\(Character(Unicode.Scalar(c)))'")
    }
  }

  private mutating func sequence(closing: UInt8) throws -> [Literal] {
    position += 1
    var items: [Literal] = []
    while try peek() != closing {
      items.append(try value())
      if try peek() == UInt8(ascii: ",") { position += 1 } else { break }
    }
    try expect(closing)
    return items
  }

  private mutating func string(quote: UInt8) throws -> String {
    position += 1
    let start = position
    while position < bytes.count && bytes[position] != quote { position += 1 }
    guard position < bytes.count else { throw ParseProblem(reason: "unterminated string") }
    defer { position += 1 }
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
  }

  private mutating func integer() throws -> Int {
    let negative = bytes[position] == UInt8(ascii: "-")
    if negative { position += 1 }
    var result = 0
    var digits = 0
    while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
      let (times10, o1) = result.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times10.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
      guard !o1 && !o2 else { throw ParseProblem(reason: "integer too large") }
      result = sum
      position += 1
      digits += 1
    }
    guard digits > 0 else { throw ParseProblem(reason: "'-' without digits") }
    if position < bytes.count && bytes[position] == UInt8(ascii: "L") { position += 1 }
    return negative ? -result : result
  }

  private func matches(_ word: String) -> Bool {
    let w = Array(word.utf8)
    return position + w.count <= bytes.count && Array(bytes[position ..< position + w.count]) == w
  }

  /// The next non-space byte, without consuming it.
  private mutating func peek() throws -> UInt8 {
    while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    guard position < bytes.count else { throw ParseProblem(reason: "header ends early") }
    return bytes[position]
  }

  private mutating func expect(_ c: UInt8) throws {
    guard try peek() == c else {
      throw ParseProblem(reason: "expected '\(Character(Unicode.Scalar(c)))'")
    }
    position += 1
  }
}
