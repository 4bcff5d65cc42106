import Evaluation
import Foundation
import Graphics
import XCTest
import _TestSupport

/// PSNR-Y, PSNR-RGB, SSIM-Y and SSIM-RGB against scikit-image's `structural_similarity` and a
/// NumPy PSNR on generated image pairs (skipped without python3 + scikit-image; launch/setup
/// installs it, and under CI=true a missing one fails).
final class SuperResolutionMetricsScikitImageTests: XCTestCase {
  /// For each line "NAME w h c" of cases.txt: NAME.a and NAME.b raw uint8 HWC; prints
  /// "NAME mseY mseRGB ssimY ssimRGB" with Y = MATLAB's rgb2ycbcr luma (gray: the level itself).
  private static let script = """
    import sys, numpy as np
    from skimage.metrics import structural_similarity as ssim
    d = sys.argv[1]
    kw = dict(data_range=255, gaussian_weights=True, sigma=1.5, use_sample_covariance=False)
    def luma(x):
        x = x.astype(np.float64)
        if x.shape[-1] == 1: return x[..., 0]
        return 16 + (65.481 * x[..., 0] + 128.553 * x[..., 1] + 24.966 * x[..., 2]) / 255
    for line in open(d + '/cases.txt'):
        name, w, h, c = line.split()
        shape = (int(h), int(w), int(c))
        a, b = (np.fromfile(f'{d}/{name}.{s}', np.uint8).reshape(shape) for s in 'ab')
        ya, yb = luma(a), luma(b)
        mse_y = np.mean((ya - yb) ** 2)
        mse_rgb = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
        s_rgb = ssim(a, b, channel_axis=-1, **kw)
        print(name, *(repr(float(v)) for v in (mse_y, mse_rgb, ssim(ya, yb, **kw), s_rgb)))
    """

  func testMetricsMatchScikitImage() throws {
    try PythonProcess.require("numpy", "skimage")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sr-metrics-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var generator = SeededGenerator(seed: 8)
    var cases: [String: (Image, Image)] = [:]
    // Sizes: the SR patches, the smallest SSIM accepts, odd and non-square ones (reflect padding
    // at every border), and a pair of identical images.
    for (k, (w, h, c)) in [(32, 32, 3), (11, 11, 3), (23, 17, 1), (40, 13, 3), (12, 30, 1)].enumerated() {
      let reference = smoothImage(width: w, height: h, channels: c, using: &generator)
      let prediction = Image(width: w, height: h, channels: c, pixels: reference.pixels.map {
        UInt8(clamping: Int($0) + Int.random(in: -20...20, using: &generator))
      })
      cases["p\(k)"] = (prediction, reference)
    }
    let same = smoothImage(width: 16, height: 16, channels: 3, using: &generator)
    cases["same"] = (same, same)
    var list = ""
    for (name, (a, b)) in cases {
      try Data(a.pixels).write(to: directory.appendingPathComponent(name + ".a"))
      try Data(b.pixels).write(to: directory.appendingPathComponent(name + ".b"))
      list += "\(name) \(a.width) \(a.height) \(a.channels)\n"
    }
    try list.write(to: directory.appendingPathComponent("cases.txt"), atomically: true, encoding: .utf8)
    let result = try PythonProcess.run(Self.script, [directory.path])
    XCTAssertEqual(result.status, 0, result.errors)
    let lines = result.output.split(separator: "\n")
    XCTAssertEqual(lines.count, cases.count)
    for line in lines {
      let fields = line.split(separator: " ")
      let name = String(fields[0]), want = try fields.dropFirst().map { try XCTUnwrap(Double($0), "\(line)") }
      let (a, b) = try XCTUnwrap(cases[name], "\(line)")
      let got = try SuperResolutionFidelity(prediction: a, reference: b)
      XCTAssertEqual(got.lumaError, want[0], accuracy: 1e-9 * max(1, want[0]), "\(name) MSE-Y")
      XCTAssertEqual(got.channelError, want[1], accuracy: 1e-9 * max(1, want[1]), "\(name) MSE-RGB")
      XCTAssertEqual(got.lumaSSIM, want[2], accuracy: 1e-10, "\(name) SSIM-Y")
      XCTAssertEqual(got.channelSSIM, want[3], accuracy: 1e-10, "\(name) SSIM-RGB")
    }
    XCTAssertEqual(try SuperResolutionFidelity(prediction: same, reference: same).lumaSSIM, 1, accuracy: 1e-12)
  }

  /// A random image blurred by a 3×3 box, so SSIM sees structure rather than pure noise.
  private func smoothImage(width: Int, height: Int, channels: Int, using generator: inout SeededGenerator) -> Image {
    let noise = (0..<(width * height * channels)).map { _ in Int.random(in: 0...255, using: &generator) }
    var pixels = [UInt8](repeating: 0, count: noise.count)
    for y in 0..<height {
      for x in 0..<width {
        for c in 0..<channels {
          var sum = 0, n = 0
          for dy in -1...1 { for dx in -1...1 where (0..<height).contains(y + dy) && (0..<width).contains(x + dx) {
            sum += noise[((y + dy) * width + x + dx) * channels + c]
            n += 1
          } }
          pixels[(y * width + x) * channels + c] = UInt8(sum / n)
        }
      }
    }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
  }
}
