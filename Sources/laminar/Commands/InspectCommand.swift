import ArgumentParser
import Datasets
import Training

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show what is inside a checkpoint: step, world size, config, tensors; verifies its checksum.")

  @Argument(help: "A checkpoint (.safetensors) written by laminar train.")
  var checkpoint: String

  func run() throws {
    let file = try Checkpoint(contentsOf: checkpoint)
    print("checkpoint   \(file.path) (checksum verified)")
    print("step         \(file.step)   epoch \(file.epoch)   saved by \(file.worldSize) rank\(file.worldSize == 1 ? "" : "s")")
    print("example      \(file.exampleShape)")
    print("EMA          \(file.hasAverage ? "yes" : "no")")
    print("metadata")
    for (key, value) in file.metadata.sorted(by: { $0.key < $1.key }) where key != "config" {
      print("  \(key) = \(value)")
    }
    let entries = file.tensors
    let total = entries.reduce(0) { $0 + $1.shape.reduce(1, *) }
    print("tensors      \(entries.count), \(total) values")
    for entry in entries {
      print("  \(entry.name)  \(entry.elementType)  \(entry.shape)")
    }
    print("config\n" + file.configText.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
  }
}
