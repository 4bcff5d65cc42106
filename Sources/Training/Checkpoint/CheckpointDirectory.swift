import Foundation

/// The checkpoints of a run directory: `ckpt-000500.safetensors` holds the state after step 500.
struct CheckpointDirectory {
  let path: String

  static func fileName(step: Int) -> String {
    let digits = String(step)
    return "ckpt-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".safetensors"
  }

  /// The step a checkpoint file name encodes, nil for any other name (including `.tmp` files).
  static func step(ofFileName name: String) -> Int? {
    guard name.hasPrefix("ckpt-"), name.hasSuffix(".safetensors") else { return nil }
    let digits = name.dropFirst(5).dropLast(12)
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
    return Int(digits)
  }

  func file(step: Int) -> String { path + "/" + Self.fileName(step: step) }

  /// The checkpoint with the lowest validation NLL so far; not a `ckpt-` file, so `--resume auto`
  /// and pruning never touch it.
  var bestFile: String { path + "/best.safetensors" }

  /// Checkpoints present, newest (highest step) first.
  func list() throws -> [(step: Int, path: String)] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw TrainerError("cannot list run directory '\(path)': \(error.localizedDescription)")
    }
    return names.compactMap { name in Self.step(ofFileName: name).map { ($0, path + "/" + name) } }
      .sorted { $0.step > $1.step }
  }

  /// Deletes all but the newest `keep` checkpoints at or below `step`. Newer files (left by a
  /// run that went further before being resumed from an older checkpoint) are not counted, so
  /// they cannot crowd out the checkpoints just written; each is replaced when training reaches it.
  func prune(keep: Int, atOrBelow step: Int) throws {
    for old in try list().filter({ $0.step <= step }).dropFirst(keep) {
      do {
        try FileManager.default.removeItem(atPath: old.path)
      } catch {
        throw TrainerError("cannot delete old checkpoint '\(old.path)': \(error.localizedDescription); "
                           + "check the run directory's permissions")
      }
    }
  }
}
