import Foundation

/// A "warning: …" line on standard error, for single-process commands (sample, score) that
/// have no `Logger`: the output was written but something in it needs the user's attention.
func warn(_ message: String) {
  FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
}
