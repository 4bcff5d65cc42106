/// One line of a benchmark table: a measured figure and its ratio to a reference.
struct BenchmarkRow {
  /// What was measured, e.g. "sgemm 1024 (1 thread)".
  let name: String
  let value: Double
  /// "GFLOP/s", "GB/s", "ms", ...
  let unit: String
  /// The ratio to the reference as text, e.g. "0.72 of sgemm 1024"; empty when none applies.
  let ratio: String
}
