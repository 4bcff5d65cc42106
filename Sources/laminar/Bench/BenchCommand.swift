import ArgumentParser
import Collectives
import TensorCore

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure kernels and training throughput; prints figures and ratios.",
    subcommands: [Kernels.self, TrainBenchmark.self])

  struct Kernels: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "GEMM, convolution and element-wise rates on one BLAS thread, and all-reduce bandwidth under mpirun.",
      discussion: "Under launch/run every rank times the kernels at once (as during training); rank 0 prints.")

    /// The halves of the table; a multi-host check wants only the all-reduce, which takes seconds
    /// where the compute rows take minutes in a debug build.
    enum Group: String, CaseIterable, ExpressibleByArgument {
      case compute
      case allReduce = "all-reduce"
    }

    @Option(help: "Only these rows: \(Group.allCases.map(\.rawValue).joined(separator: " or ")) (default: both).")
    var only: Group?

    func run() throws {
      try withWorld { world in
        let compute = only == .allReduce ? [] : kernelBenchmarkRows()
        let allReduce = only == .compute ? [] : try allReduceBenchmarkRows(world)
        if world.rank == 0 {
          print(BenchmarkTable(title: "laminar bench kernels (\(world.size) rank\(world.size == 1 ? "" : "s"), "
                               + "OpenBLAS \(BLASKernels.coreName) kernels)",
                               rows: compute + allReduce).text)
        }
      }
    }
  }
}
