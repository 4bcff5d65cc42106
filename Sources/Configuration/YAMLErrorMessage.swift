import Yams

/// A Yams parse error as one message that starts with `file:line:column`, like every other
/// configuration error, followed by the offending line and a caret.
/// - Parameter place: the file name, or `run.yaml (--set a=b)` for an override's value.
func yamlErrorMessage(_ error: any Error, place: String, lineOffset: Bool = true) -> String {
  guard let yamlError = error as? YamlError else { return "\(place): not valid YAML: \(error)" }
  switch yamlError {
  case .scanner(let context, let problem, let mark, let yaml),
       .parser(let context, let problem, let mark, let yaml),
       .composer(let context, let problem, let mark, let yaml):
    var message = lineOffset ? "\(place):\(mark.line):\(mark.column): " : "\(place): "
    message += "not valid YAML: \(problem)"
    if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
    return message + "\n" + mark.snippet(from: yaml)
  default:
    return "\(place): not valid YAML: \(yamlError)"
  }
}
