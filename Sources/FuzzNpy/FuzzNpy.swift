import Datasets
import FuzzSupport

/// Fuzz target for the `.npy` reader: header, dtype and shape checks, and every way of reading
/// the data (whole array, rows, integer rows). Built with libFuzzer under `-D FUZZING`
/// (`launch/fuzz --long`), otherwise a replay tool for the corpus in `Tests/FuzzCorpus/npy`.
func readNpy(_ bytes: UnsafeRawBufferPointer) {
  FuzzHarness.withTemporaryFile(bytes, suffix: ".npy") { path in
    FuzzHarness.expectParsesOrThrows {
      let array = try NpyArray(contentsOf: path)
      // The first and last rows: a row offset past the mapping is the bug this looks for.
      let rows = array.rowCount > 0 ? [0, array.rowCount - 1] : []
      FuzzHarness.expectParsesOrThrows { _ = try array.tensor(as: Double.self) }
      FuzzHarness.expectParsesOrThrows { _ = try array.rows(rows, as: Float.self) }
      FuzzHarness.expectParsesOrThrows { _ = try array.integerRows(rows) }
    }
  }
}

/// The input callback: libFuzzer's (its archive links against this name) and the corpus replay's.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  readNpy(UnsafeRawBufferPointer(start: data, count: size)); return 0
}

@main
enum FuzzNpy { static func main() { FuzzHarness.main(fuzz) } }
