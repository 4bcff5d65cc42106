import Foundation

extension Trainer {
  /// Rank 0 cuts the run directory's event files back to the current step (as `openMetrics`
  /// does `metrics.jsonl`), then opens this session's event file; other ranks hold none.
  func openTensorBoard() throws {
    guard let directory = run.directory else { return }
    let step = state.step
    var writer: TensorBoardWriter? = nil
    try communicator.onRankZero {
      try EventFiles.truncate(inDirectory: directory, afterStep: step)
      writer = try TensorBoardWriter(directory: directory)
    }
    tensorBoard = writer
  }

  /// Adds the pictures and audio a finished run wrote into its directory (`training.png`,
  /// `samples.png`, a vocoder's `generated-0.wav`, …) to TensorBoard as images and audio at the
  /// current step, tagged by name without the extension. Names the run did not write
  /// (`density.png` for an image model) are skipped. Not collective: a no-op off rank 0, so
  /// rank 0 may call it alone after writing the files.
  public func addFilesToTensorBoard(_ names: [String]) throws {
    guard let tensorBoard, let directory = run.directory else { return }
    let paths = names.map { directory + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
    try tensorBoard.appendFiles(paths, step: state.step)
  }
}
