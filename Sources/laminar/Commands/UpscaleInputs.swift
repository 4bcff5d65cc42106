import Datasets
import Foundation
import Graphics
import Runs

/// One image to upscale: its name and how to read it (and its HR image, when given).
struct UpscaleItem {
  let name: String
  let lr: () throws -> Image
  let hr: (() throws -> Image)?
}

/// What `laminar upscale --input` names: a PNG file, an (N, h, w, C) uint8 .npy or a folder of PNGs.
struct UpscaleInputs {
  let items: [UpscaleItem]
  /// The input was an .npy array: the results are written as arrays too.
  let isArray: Bool
  /// The input's file name without extension.
  let stem: String

  static func read(_ path: String, hr: String?, bins: Int) throws -> UpscaleInputs {
    let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw UpscaleError("--input \(path) does not exist; give a PNG photo, an (N, h, w, C) uint8 .npy or a folder of PNGs")
    }
    if isDirectory.boolValue {
      let names = try pngNames(in: path)
      guard !names.isEmpty else { throw UpscaleError("--input \(path) holds no .png files") }
      return UpscaleInputs(items: names.map { name in
        UpscaleItem(name: URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent,
                    lr: { try PNG.read(contentsOf: URL(fileURLWithPath: path + "/" + name)) },
                    hr: hr.map { dir in { try PNG.read(contentsOf: URL(fileURLWithPath: dir + "/" + name)) } })
      }, isArray: false, stem: stem)
    }
    if path.lowercased().hasSuffix(".npy") {
      let rows = try rowImages(path)
      let hrRows = try hr.map { try rowImages($0) }
      if let hrRows, hrRows.count != rows.count {
        throw UpscaleError("--hr \(hr!) holds \(hrRows.count) images but --input \(path) holds \(rows.count); "
                           + "give one HR image per LR image")
      }
      return UpscaleInputs(items: rows.indices.map { i in
        UpscaleItem(name: "\(stem)-\(i)", lr: { rows[i] }, hr: hrRows.map { r in { r[i] } })
      }, isArray: true, stem: stem)
    }
    guard path.lowercased().hasSuffix(".png") else {
      throw UpscaleError("--input \(path) is neither a .png, an .npy nor a folder")
    }
    return UpscaleInputs(items: [UpscaleItem(name: stem, lr: { try PNG.read(contentsOf: URL(fileURLWithPath: path)) },
                                             hr: hr.map { h in { try PNG.read(contentsOf: URL(fileURLWithPath: h)) } })],
                         isArray: false, stem: stem)
  }

  private static func pngNames(in directory: String) throws -> [String] {
    do {
      return try FileManager.default.contentsOfDirectory(atPath: directory)
        .filter { $0.lowercased().hasSuffix(".png") }.sorted()
    } catch {
      throw UpscaleError("cannot list --input \(directory): \(error.localizedDescription)")
    }
  }

  /// The rows of an (N, h, w, C) uint8 .npy as images.
  private static func rowImages(_ path: String) throws -> [Image] {
    let source = try NpyImageSource(path: path, bins: 256)
    let (c, h, w) = (source.channels, source.height, source.width)
    return (0..<source.count).map { n in
      let start = n * c * h * w
      let bytes = source.array.rawBytes
      return Image(width: w, height: h, channels: c, pixels: (start..<(start + c * h * w)).map { bytes[$0] })
    }
  }
}
