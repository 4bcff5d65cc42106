import Graphics
import XCTest
import _TestSupport

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
  /// in index.txt: every color type and bit depth, interlaced or not. Row y of each pass uses filter
  /// y mod 5, so every filter type occurs; gAMA and gray/RGB tRNS chunks must not change the samples.
  private static let writerScript = """
    import sys, os, zlib, struct, random
    d = sys.argv[1]
    rng = random.Random(17)
    ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    SAMPLES = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}

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

    def pack(pixels, depth):
        samples = [s for p in pixels for s in p]
        if depth == 16:
            return b"".join(struct.pack(">H", s) for s in samples)
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

    def scanlines(rows, depth, bpp):
        packed = [pack(r, depth) for r in rows]
        prev, body = bytes(len(packed[0])), b""
        for y, r in enumerate(packed):
            body += filter_row(y % 5, r, prev, bpp)
            prev = r
        return body

    def image_data(rows, depth, bpp, interlaced):
        if not interlaced:
            return scanlines(rows, depth, bpp)
        passes = [[r[x0::dx] for r in rows[y0::dy]] for x0, y0, dx, dy in ADAM7]
        return b"".join(scanlines(p, depth, bpp) for p in passes if p and p[0])

    index = open(os.path.join(d, "index.txt"), "w")

    def write(name, ctype, depth, rows, expected, channels, interlaced=False, extra=()):
        w, h = len(rows[0]), len(rows)
        bpp = max(1, SAMPLES[ctype] * depth // 8)
        z = zlib.compress(image_data(rows, depth, bpp, interlaced), 9)
        ihdr = struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, int(interlaced))
        png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", ihdr)
        png += chunk(b"tEXt", b"Comment\\x00written by the test")
        for kind, data in extra:
            png += chunk(kind, bytes(data))
        half = len(z) // 2
        png += chunk(b"IDAT", z[:half]) + chunk(b"IDAT", z[half:]) + chunk(b"IEND", b"")
        open(os.path.join(d, name + ".png"), "wb").write(png)
        open(os.path.join(d, name + ".raw"), "wb").write(bytes(expected))
        index.write(f"{name} {w} {h} {channels}\\n")

    def random_rows(w, h, spp, top):
        return [[tuple(rng.randrange(top + 1) for _ in range(spp)) for x in range(w)] for y in range(h)]

    def direct(name, w, h, ctype, depth, interlaced=False, extra=()):
        spp, top = SAMPLES[ctype], (1 << depth) - 1
        rows = random_rows(w, h, spp, top)
        # 16-bit samples keep their high byte; low-bit gray is stretched to 0…255.
        to8 = (lambda s: s >> 8) if depth == 16 else (lambda s: s * (255 // top))
        write(name, ctype, depth, rows, [to8(s) for r in rows for p in r for s in p], spp, interlaced, extra)

    def palette(name, w, h, depth, alpha, interlaced=False):
        entries = 1 << depth if depth < 8 else 200
        plte = [rng.randrange(256) for _ in range(3 * entries)]
        trns = [rng.randrange(256) for _ in range(entries // 2)]
        rows = [[(rng.randrange(entries),) for x in range(w)] for y in range(h)]
        expected = []
        for r in rows:
            for (i,) in r:
                expected += plte[3 * i:3 * i + 3] + ([trns[i] if i < len(trns) else 255] if alpha else [])
        extra = [(b"PLTE", plte)] + ([(b"tRNS", trns)] if alpha else [])
        write(name, 3, depth, rows, expected, 4 if alpha else 3, interlaced, extra)

    for ctype, kind in ((0, "gray"), (4, "gray_alpha"), (2, "rgb"), (6, "rgba")):
        for depth in (8, 16):
            direct(f"{kind}{depth}", 13, 7, ctype, depth)
            direct(f"{kind}{depth}_interlaced", 11, 10, ctype, depth, interlaced=True)
    for depth in (1, 2, 4):
        direct(f"gray{depth}", 13, 5, 0, depth)
        direct(f"gray{depth}_interlaced", 13, 9, 0, depth, interlaced=True)
    for depth, alpha in ((1, False), (2, False), (4, True), (8, True)):
        palette(f"palette{depth}", 11, 6, depth, alpha)
        palette(f"palette{depth}_interlaced", 9, 9, depth, alpha, interlaced=True)
    direct("one_pixel", 1, 1, 2, 8)
    direct("tiny_interlaced", 3, 2, 2, 8, interlaced=True)
    direct("rgb_smooth", 64, 64, 2, 8)
    gamma_one = (b"gAMA", struct.pack(">I", 100000))
    direct("gray_trns_gamma", 6, 5, 0, 8, extra=[gamma_one, (b"tRNS", struct.pack(">H", 7))])
    direct("rgb16_trns_gamma", 6, 5, 2, 16, extra=[gamma_one, (b"tRNS", struct.pack(">HHH", 1, 2, 3))])
    index.close()
    """

  func testDecodesEveryKindOfPNGFromAnIndependentWriter() throws {
    try Python.run(PNGInteropTests.writerScript, arguments: [directory.path])
    let index = try String(contentsOf: directory.appendingPathComponent("index.txt"), encoding: .utf8)
    let entries = index.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    XCTAssertEqual(entries.count, 35)
    for entry in entries {
      let name = entry[0]
      let image = try PNG.read(contentsOf: directory.appendingPathComponent(name + ".png"))
      XCTAssertEqual([image.width, image.height, image.channels], entry[1...].map { Int($0)! }, name)
      assertBytesEqual(image.pixels, try readBytes(directory.appendingPathComponent(name + ".raw")), name)
    }
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
    var generator = SeededGenerator(seed: 41)
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
