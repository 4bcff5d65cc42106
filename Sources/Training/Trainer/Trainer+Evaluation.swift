import Datasets

extension Trainer {
  /// The mean NLL of `source` (collective; see `DatasetEvaluator`). Uses the EMA of the
  /// parameters when the run keeps one, restoring the training parameters afterwards.
  public func evaluate(_ source: any ExampleSource) throws -> Evaluation {
    try prepare()
    guard let ema else { return try evaluator.evaluate(source) }
    let training = Array(parameters.values)
    ema.copyShadow(into: parameters.values)
    defer { _ = parameters.values.update(fromContentsOf: training) }
    return try evaluator.evaluate(source)
  }
}
