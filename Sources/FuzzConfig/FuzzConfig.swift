import Configuration
import FuzzSupport
import Runs

/// Fuzz target for the YAML config → run spec path that `laminar train` takes: parsing, `--set`
/// overrides, typed sections and the unknown-key check. Lines after a line `---set` are overrides,
/// so mutations reach `ConfigOverride` too. Built with libFuzzer under `-D FUZZING`, otherwise a
/// replay tool for `Tests/FuzzCorpus/config`.
func readConfig(_ bytes: UnsafeRawBufferPointer) {
  let text = String(decoding: bytes, as: UTF8.self)
  let parts = text.split(separator: "\n---set\n", maxSplits: 1, omittingEmptySubsequences: false)
  let overrides = parts.count > 1 ? parts[1].split(separator: "\n").map(String.init) : []
  FuzzHarness.expectParsesOrThrows {
    let config = try Config(yaml: String(parts.first ?? ""), source: "fuzz.yaml", overrides: overrides)
    _ = try RunSpec(config: config, name: "fuzz", source: "fuzz.yaml")
    _ = config.canonicalText
  }
}

/// The input callback: libFuzzer's (its archive links against this name) and the corpus replay's.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  readConfig(UnsafeRawBufferPointer(start: data, count: size)); return 0
}

@main
enum FuzzConfig { static func main() { FuzzHarness.main(fuzz) } }
