@testable import Graphics
import XCTest

/// PNG files written by an independent encoder (a hand-written Python writer using zlib level 9)
/// decode to the pixels Python intended, and Python reads ours back.
final class PNGInteropTests: XCTestCase {
  private var directory: URL!

  override func setUpWithError() throws {
    directory = try makeScratchDirectory("png-interop")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: directory)
  }

  /// Writes NAME.png plus NAME.raw (the expected 8-bit pixels) and lists "NAME width height channels"
  /// in index.txt. Row y uses filter y mod 5, so every filter type occurs.
  private static let writerScript = """
    import sys, os, zlib, struct, random
    d = sys.argv[1]
    rng = random.Random(17)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    def paeth(a, b, c):
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        return a if pa <= pb and pa <= pc else (b if pb <= pc else c)

    def filter_row(kind, row, prev, bpp):
        out = bytearray()
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
            out.append((x - pred) & 255)
        return bytes([kind]) + bytes(out)

    def pack(samples, depth):
        if depth == 8:
            return bytes(samples)
        out, acc, n = bytearray(), 0, 0
        for s in samples:
            acc = (acc << depth) | s
            n += depth
            if n == 8:
                out.append(acc); acc, n = 0, 0
        if n:
            out.append(acc << (8 - n))
        return bytes(out)

    index = open(os.path.join(d, "index.txt"), "w")

    def write(name, w, h, depth, ctype, rows, expected, channels, plte=None, trns=None):
        spp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
        bpp = max(1, spp * depth // 8)
        packed = [pack(r, depth) for r in rows]
        prev = bytes(len(packed[0]))
        body = b""
        for y, r in enumerate(packed):
            body += filter_row(y % 5, r, prev, bpp)
            prev = r
        z = zlib.compress(body, 9)
        png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, 0))
        png += chunk(b"tEXt", b"Comment\\x00written by the test")
        if plte is not None:
            png += chunk(b"PLTE", bytes(plte))
        if trns is not None:
            png += chunk(b"tRNS", bytes(trns))
        half = len(z) // 2
        png += chunk(b"IDAT", z[:half]) + chunk(b"IDAT", z[half:]) + chunk(b"IEND", b"")
        open(os.path.join(d, name + ".png"), "wb").write(png)
        open(os.path.join(d, name + ".raw"), "wb").write(bytes(expected))
        index.write(f"{name} {w} {h} {channels}\\n")

    def direct(name, w, h, ctype, spp, gen):
        rows = [[gen(x, y, c) for x in range(w) for c in range(spp)] for y in range(h)]
        write(name, w, h, 8, ctype, rows, [s for r in rows for s in r], spp)

    smooth = lambda x, y, c: (x * 3 + y * 2 + c * 40) % 256
    noisy = lambda x, y, c: rng.randrange(256)
    direct("gray8", 13, 7, 0, 1, noisy)
    direct("gray_alpha8", 5, 9, 4, 2, noisy)
    direct("rgb8", 17, 11, 2, 3, noisy)
    direct("rgba8", 9, 4, 6, 4, noisy)
    direct("rgb_smooth", 64, 64, 2, 3, smooth)
    direct("rgb_texture", 40, 25, 2, 3, lambda x, y, c: (x * 3 + y + c * 50 + rng.randrange(8)) % 256)
    direct("one_pixel", 1, 1, 2, 3, noisy)

    for depth in (1, 2, 4):
        w, h = 13, 5
        top = (1 << depth) - 1
        rows = [[rng.randrange(top + 1) for x in range(w)] for y in range(h)]
        write(f"gray{depth}", w, h, depth, 0, rows, [s * (255 // top) for r in rows for s in r], 1)

    for depth, alpha in ((1, False), (2, False), (4, True), (8, True)):
        w, h = 11, 6
        entries = 1 << depth if depth < 8 else 200
        plte = [rng.randrange(256) for _ in range(3 * entries)]
        trns = [rng.randrange(256) for _ in range(entries // 2)] if alpha else None
        rows = [[rng.randrange(entries) for x in range(w)] for y in range(h)]
        expected = []
        for r in rows:
            for i in r:
                expected += plte[3 * i:3 * i + 3]
                if alpha:
                    expected.append(trns[i] if i < len(trns) else 255)
        write(f"palette{depth}", w, h, depth, 3, rows, expected, 4 if alpha else 3, plte, trns)
    index.close()
    """

  func testDecodesPNGsFromAnIndependentWriter() throws {
    try Python.run(PNGInteropTests.writerScript, arguments: [directory.path])
    let index = try String(contentsOf: directory.appendingPathComponent("index.txt"), encoding: .utf8)
    let entries = index.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    XCTAssertEqual(entries.count, 14)
    for entry in entries {
      let name = entry[0]
      let image = try PNG.read(contentsOf: directory.appendingPathComponent(name + ".png"))
      XCTAssertEqual([image.width, image.height, image.channels], entry[1...].map { Int($0)! }, name)
      assertBytesEqual(image.pixels, try readBytes(directory.appendingPathComponent(name + ".raw")), name)
    }
    // The zlib stream starts 4 bytes after the IDAT type; its first block's type is bits 1–2 of byte 2.
    let texture = try readBytes(directory.appendingPathComponent("rgb_texture.png"))
    let firstIDAT = texture.indices.first { texture[$0..<($0 + 4)] == ArraySlice("IDAT".utf8) }!
    XCTAssertEqual((texture[firstIDAT + 6] >> 1) & 3, 2, "zlib level 9 should have used a dynamic block")
  }

  /// Python parses our files, checks every CRC, inflates with its zlib and undoes the filters.
  private static let readerScript = """
    import sys, os, zlib, struct
    d, names = sys.argv[1], sys.argv[2:]

    def paeth(a, b, c):
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        return a if pa <= pb and pa <= pc else (b if pb <= pc else c)

    for name in names:
        data = open(os.path.join(d, name + ".png"), "rb").read()
        assert data[:8] == b"\\x89PNG\\r\\n\\x1a\\n", name
        pos, idat = 8, b""
        while True:
            n, kind = struct.unpack(">I4s", data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + n]
            assert struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0] == zlib.crc32(kind + body), (name, kind)
            if kind == b"IHDR":
                w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            elif kind == b"IDAT":
                idat += body
            pos += 12 + n
            if kind == b"IEND":
                break
        bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        raw, stride, prev, pixels = zlib.decompress(idat), w * bpp, bytearray(w * bpp), bytearray()
        for y in range(h):
            kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for i in range(stride):
                a = row[i - bpp] if i >= bpp else 0
                c = prev[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + [0, a, prev[i], (a + prev[i]) // 2, paeth(a, prev[i], c)][kind]) & 255
            pixels += row
            prev = row
        assert bytes(pixels) == open(os.path.join(d, name + ".raw"), "rb").read(), name
    print("ok", len(names))
    """

  func testPythonReadsOurPNGs() throws {
    var generator = TestGenerator(seed: 41)
    var names: [String] = []
    for channels in 1...4 {
      for (width, height) in [(1, 1), (23, 9)] {
        var image = Image(width: width, height: height, channels: channels, pixels: generator.bytes(width * height * channels))
        if height > 1 {
          // Half smooth, half noise, so the encoder mixes filters and block types.
          for i in 0..<(image.pixels.count / 2) { image.pixels[i] = UInt8(truncatingIfNeeded: i / 3) }
        }
        let name = "ours_\(channels)_\(width)x\(height)"
        try PNG.write(image, to: directory.appendingPathComponent(name + ".png"))
        try writeBytes(image.pixels, to: directory.appendingPathComponent(name + ".raw"))
        names.append(name)
      }
    }
    let output = try Python.run(PNGInteropTests.readerScript, arguments: [directory.path] + names)
    XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "ok \(names.count)")
  }
}
