import Datasets
import TensorCore
import XCTest

final class ShiftAugmentationTests: XCTestCase {
  private let imageShape: Shape = [2, 4, 5]

  /// `count` images of distinct nonzero values, so any misplaced or lost pixel shows.
  private func images(count: Int) -> [Float] { (0 ..< count * imageShape.count).map { Float($0 + 1) } }

  private func shifted(_ values: [Float], examples: [Int], _ augmentation: ShiftAugmentation,
                       noise: RandomStream) -> [Float] {
    var out = values
    out.withUnsafeMutableBufferPointer { v in
      examples.withUnsafeBufferPointer { augmentation.apply(to: v, imageShape: imageShape, examples: $0, noise: noise) }
    }
    return out
  }

  /// The translation written out of place, one output pixel at a time.
  private func reference(_ image: ArraySlice<Float>, dy: Int, dx: Int) -> [Float] {
    let (c, h, w) = (imageShape[0], imageShape[1], imageShape[2]), start = image.startIndex
    return (0 ..< c * h * w).map { p in
      let (plane, y, x) = (p / (h * w), p / w % h, p % w)
      let (sy, sx) = (y - dy, x - dx)
      return (0 ..< h).contains(sy) && (0 ..< w).contains(sx) ? image[start + plane * h * w + sy * w + sx] : 0
    }
  }

  func testTheInPlaceShiftIsTheOutOfPlaceTranslationForEveryShift() {
    let augmentation = ShiftAugmentation(maxShift: 2), noise = ShiftAugmentation.noise(seed: 3, step: 7)
    let examples = Array(0 ..< 300), d = imageShape.count
    let x = images(count: examples.count)
    let out = shifted(x, examples: examples, augmentation, noise: noise)
    var seen = Set<[Int]>()
    for (k, example) in examples.enumerated() {
      let (dy, dx) = augmentation.shift(example: example, noise: noise)
      seen.insert([dy, dx])
      XCTAssertEqual(Array(out[k * d ..< (k + 1) * d]), reference(x[k * d ..< (k + 1) * d], dy: dy, dx: dx),
                     "example \(example) shifted by (\(dy), \(dx))")
    }
    XCTAssertEqual(seen.count, 25, "all of {−2 … 2}² occur in 300 draws")
  }

  func testShiftsAreUniform() {
    let augmentation = ShiftAugmentation(maxShift: 1), noise = ShiftAugmentation.noise(seed: 0, step: 0)
    var counts = [[Int]: Int]()
    for example in 0 ..< 9000 {
      let (dy, dx) = augmentation.shift(example: example, noise: noise)
      counts[[dy, dx], default: 0] += 1
    }
    XCTAssertEqual(counts.count, 9)
    // 1000 expected per cell, standard deviation about 30.
    for (shift, n) in counts { XCTAssertEqual(Double(n), 1000, accuracy: 150, "shift \(shift)") }
  }

  func testShiftsDependOnTheExampleAndStepNotOnTheRankOrPosition() {
    let augmentation = ShiftAugmentation(maxShift: 1), noise = ShiftAugmentation.noise(seed: 9, step: 12)
    let examples = [41, 7, 1000, 3, 19, 250, 8], d = imageShape.count
    let x = images(count: examples.count)
    let whole = shifted(x, examples: examples, augmentation, noise: noise)
    // Rank r of W takes positions r, r + W, … of the global batch (DESIGN §5).
    for size in [2, 3] {
      for rank in 0 ..< size {
        let positions = Array(stride(from: rank, to: examples.count, by: size))
        let shard = positions.flatMap { x[$0 * d ..< ($0 + 1) * d] }
        let out = shifted(shard, examples: positions.map { examples[$0] }, augmentation, noise: noise)
        XCTAssertEqual(out, positions.flatMap { whole[$0 * d ..< ($0 + 1) * d] }, "rank \(rank) of \(size)")
      }
    }
    let later = (0 ..< 100).map { augmentation.shift(example: $0, noise: ShiftAugmentation.noise(seed: 9, step: 13)) }
    let now = (0 ..< 100).map { augmentation.shift(example: $0, noise: noise) }
    XCTAssertGreaterThan(zip(later, now).filter { $0 != $1 }.count, 50, "each step draws new shifts")
  }
}
