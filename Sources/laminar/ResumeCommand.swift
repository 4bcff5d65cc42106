import Foundation

/// The command line that continues an interrupted run: this process's arguments with
/// `--resume auto` in place of any `--resume`, under `launch/run -np W` for several ranks.
enum ResumeCommand {
  static func line(worldSize: Int) -> String {
    var arguments: [String] = []
    var rest = CommandLine.arguments[...]
    while let argument = rest.popFirst() {
      if argument == "--resume" {
        _ = rest.popFirst()
      } else if !argument.hasPrefix("--resume=") {
        arguments.append(argument)
      }
    }
    arguments += ["--resume", "auto"]
    let launcher = worldSize > 1 ? "launch/run -np \(worldSize) " : ""
    return launcher + arguments.map(quoted).joined(separator: " ")
  }

  /// Single quotes unless every character is one the shell takes literally.
  private static func quoted(_ word: String) -> String {
    let plain = !word.isEmpty && word.unicodeScalars.allSatisfy {
      $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_./=:,@%+-".unicodeScalars.contains($0))
    }
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
