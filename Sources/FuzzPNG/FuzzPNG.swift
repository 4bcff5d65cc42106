import FuzzSupport
import Graphics

/// Fuzz target for the PNG reader (libpng through the cpng_ helpers): every input decodes to an
/// image or throws a `PNGError`. Built with libFuzzer under `-D FUZZING`, otherwise a replay tool
/// for `Tests/FuzzCorpus/png`.
func readPNG(_ bytes: UnsafeRawBufferPointer) {
  FuzzHarness.expectParsesOrThrows {
    let image = try PNG.decode(Array(bytes), source: "fuzz.png")
    // A decoded image must hold exactly its declared pixels; encoding it back reads every one.
    precondition(image.pixels.count == image.width * image.height * image.channels, "pixel count")
    _ = PNG.encode(image)
  }
}

/// The input callback: libFuzzer's (its archive links against this name) and the corpus replay's.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  readPNG(UnsafeRawBufferPointer(start: data, count: size)); return 0
}

@main
enum FuzzPNG { static func main() { FuzzHarness.main(fuzz) } }
