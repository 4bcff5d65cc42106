import Autodiff
import Datasets

/// Writes and reads the tensors of a checkpoint (DESIGN §6):
/// every parameter under its own name, the optimizer moments as `adam.m.<name>` and
/// `adam.v.<name>` (for Adamax `v` is the infinity norm `u`), and `ema.<name>` when an EMA is kept.
/// All Float32, shaped like the parameter.
enum CheckpointFile {
  static let firstMomentPrefix = "adam.m."
  static let secondMomentPrefix = "adam.v."
  static let emaPrefix = "ema."

  /// Writes atomically (`path.tmp`, fsync, rename, fsync the directory) with a checksum.
  /// - Parameters:
  ///   - optimizer: moments of the parameter layout.
  ///   - ema: [parameterCount] averaged parameters, if kept.
  static func write(
    to path: String, parameters: ParameterStore<Float>, optimizer: OptimizerState,
    ema: [Float]?, metadata: CheckpointMetadata
  ) throws {
    precondition(optimizer.m.count == parameters.count && optimizer.v.count == parameters.count,
                 "optimizer state does not match the parameter layout")
    var writer = SafetensorsWriter(metadata: metadata.strings)
    for slice in parameters.slices {
      writer.add(slice.name, shape: slice.shape.dimensions, values: UnsafeBufferPointer(parameters.values(of: slice)))
    }
    for (prefix, buffer) in [(firstMomentPrefix, optimizer.m), (secondMomentPrefix, optimizer.v)] + (ema.map { [(emaPrefix, $0)] } ?? []) {
      buffer.withUnsafeBufferPointer { all in
        for slice in parameters.slices {
          writer.add(prefix + slice.name, shape: slice.shape.dimensions,
                     values: UnsafeBufferPointer(rebasing: all[slice.offset ..< slice.offset + slice.count]))
        }
      }
    }
    try writer.write(to: path)
  }

  /// Throws unless the file's parameter tensors are exactly the store's, by name and shape.
  static func checkLayout(_ file: SafetensorsFile, matches parameters: ParameterStore<Float>) throws(TrainerError) {
    let prefixes = [firstMomentPrefix, secondMomentPrefix, emaPrefix]
    let saved = file.entries.filter { e in !prefixes.contains { e.name.hasPrefix($0) } }
    let savedNames = Set(saved.map(\.name))
    let modelNames = Set(parameters.slices.map(\.name))
    let missing = parameters.slices.map(\.name).filter { !savedNames.contains($0) }
    let extra = saved.map(\.name).filter { !modelNames.contains($0) }
    guard missing.isEmpty && extra.isEmpty else {
      throw TrainerError("\(file.path): the checkpoint's parameters do not match the model ("
                         + describe(missing, "missing from the checkpoint") + describe(extra, "not in the model")
                         + "); resume with the config the checkpoint was trained with")
    }
    for slice in parameters.slices {
      let entry = saved.first { $0.name == slice.name }!
      guard entry.shape == slice.shape.dimensions, entry.elementType == .float32 else {
        throw TrainerError("\(file.path): parameter '\(slice.name)' is \(entry.elementType.safetensorsName) "
                           + "\(entry.shape) in the checkpoint but F32 \(slice.shape.dimensions) in the model; "
                           + "resume with the config the checkpoint was trained with")
      }
    }
  }

  private static func describe(_ names: [String], _ what: String) -> String {
    guard !names.isEmpty else { return "" }
    let shown = names.prefix(4).joined(separator: ", ") + (names.count > 4 ? ", …" : "")
    return "\(names.count) \(what): \(shown); "
  }

  /// Copies `prefix + name` for every slice into one flat buffer of the parameter layout.
  /// - Returns: [parameterCount]
  static func flat(_ prefix: String, from file: SafetensorsFile, layout parameters: ParameterStore<Float>) throws -> [Float] {
    var out = [Float](repeating: 0, count: parameters.count)
    try out.withUnsafeMutableBufferPointer { all in
      for slice in parameters.slices {
        try file.copy(prefix + slice.name, into: UnsafeMutableBufferPointer(rebasing: all[slice.offset ..< slice.offset + slice.count]))
      }
    }
    return out
  }

  /// Copies every parameter tensor into the store's values, bit for bit.
  static func restoreParameters(from file: SafetensorsFile, into parameters: ParameterStore<Float>) throws {
    for slice in parameters.slices {
      try file.copy(slice.name, into: parameters.values(of: slice))
    }
  }
}
