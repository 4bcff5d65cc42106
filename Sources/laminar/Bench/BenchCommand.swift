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

    func run() throws {
      try withWorld { world in
        let compute = kernelBenchmarkRows()
        let allReduce = try allReduceBenchmarkRows(world)
        if world.rank == 0 {
          print(BenchmarkTable(title: "laminar bench kernels (\(world.size) rank\(world.size == 1 ? "" : "s"), "
                               + "OpenBLAS \(BLASKernels.coreName) kernels)",
                               rows: compute + allReduce).text)
        }
      }
    }
  }
}
