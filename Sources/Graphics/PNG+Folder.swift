import Foundation

extension PNG {
  /// Every `.png` file directly inside `directory` (any letter case), decoded, sorted by file name
  /// so the order is the same on every machine.
  ///
  /// Throws the first file's `PNGError` when one cannot be decoded, or a `PNGError` naming the
  /// directory when it cannot be listed.
  public static func readFolder(_ directory: URL) throws(PNGError) -> [(name: String, image: Image)] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw PNGError(source: directory.path, problem: "cannot list the directory (\(error.localizedDescription))")
    }
    var result: [(name: String, image: Image)] = []
    for name in names.sorted() where name.lowercased().hasSuffix(".png") {
      result.append((name, try read(contentsOf: directory.appendingPathComponent(name))))
    }
    return result
  }
}
