import Autodiff
import Datasets
import FuzzSupport
import Runs
import TensorCore
import Training

/// Fuzz target for the safetensors reader and the checkpoint verifier: header and tiling checks,
/// tensor reads, then — with the checksum re-signed, so that mutations get past it — the
/// checkpoint metadata, its stored config, and loading parameters into a store. Built with
/// libFuzzer under `-D FUZZING`, otherwise a replay tool for `Tests/FuzzCorpus/safetensors`.
func readSafetensors(_ bytes: UnsafeRawBufferPointer) {
  var signed: [UInt8]?
  FuzzHarness.withTemporaryFile(bytes, suffix: ".safetensors") { path in
    FuzzHarness.expectParsesOrThrows {
      let file = try SafetensorsFile(contentsOf: path)
      for entry in file.entries {
        FuzzHarness.expectParsesOrThrows { _ = try file.tensor(entry.name, as: Double.self) }
      }
      signed = resigned(bytes, file)
      try openCheckpoint(path)
    }
  }
  guard let signed else { return }
  signed.withUnsafeBytes { signed in
    FuzzHarness.withTemporaryFile(signed, suffix: ".safetensors") { path in
      FuzzHarness.expectParsesOrThrows { try openCheckpoint(path) }
    }
  }
}

/// Verifies the file as `laminar sample` does, then loads its parameters into a store laid out
/// like the file (the checkpoint's own layout, so the copy is reached, not only the name check).
private func openCheckpoint(_ path: String) throws {
  let checkpoint = try Checkpoint(contentsOf: path)
  FuzzHarness.expectParsesOrThrows { _ = try RunSpec(checkpoint: checkpoint) }
  let store = ParameterStore<Float>()
  let prefixes = ["adam.m.", "adam.v.", "ema."]
  for e in checkpoint.tensors where !prefixes.contains(where: e.name.hasPrefix) && e.shape.count <= Shape.maxRank
    && e.elementType == .float32 {
    store.add(e.name, shape: Shape(e.shape))
  }
  FuzzHarness.expectParsesOrThrows { try checkpoint.loadParameters(into: store) }
  FuzzHarness.expectParsesOrThrows { try checkpoint.loadParameters(into: store, averaged: true) }
}

/// `bytes` with the stored checksum replaced by the one its contents hash to, or nil when the
/// checksum already matches or cannot be found. The checksum does not cover itself, so rewriting
/// its 16 hex digits in place keeps the new value valid.
private func resigned(_ bytes: UnsafeRawBufferPointer, _ file: SafetensorsFile) -> [UInt8]? {
  guard let stored = file.metadata[SafetensorsChecksum.metadataKey], stored.utf8.count == 16 else { return nil }
  let hex = String(file.computedChecksum(), radix: 16)
  let actual = Array((String(repeating: "0", count: 16 - hex.count) + hex).utf8)
  let old = Array(stored.utf8)
  guard old != actual else { return nil }
  var result = Array(bytes)
  guard let at = (0...(result.count - 16)).first(where: { result[$0 ..< $0 + 16].elementsEqual(old) }) else { return nil }
  result.replaceSubrange(at ..< at + 16, with: actual)
  return result
}

/// The input callback: libFuzzer's (its archive links against this name) and the corpus replay's.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  readSafetensors(UnsafeRawBufferPointer(start: data, count: size)); return 0
}

@main
enum FuzzSafetensors { static func main() { FuzzHarness.main(fuzz) } }
