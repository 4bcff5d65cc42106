import Foundation
import Training
import XCTest
import _TestSupport

/// Reads a trainer checkpoint with an independent reader (Python: json + np.frombuffer), as a
/// PyTorch or NumPy user would. Skipped without python3 and NumPy (a failure under CI=true).
final class CheckpointNumPyTests: XCTestCase {
  private static let reader = """
    import json, sys, numpy as np
    buf = open(sys.argv[1], 'rb').read()
    n = int.from_bytes(buf[:8], 'little')
    header = json.loads(buf[8:8 + n])
    meta = header.pop('__metadata__')
    data = buf[8 + n:]
    def tensor(name):
        e = header[name]
        assert e['dtype'] == 'F32', e
        b, end = e['data_offsets']
        return np.frombuffer(data[b:end], dtype='<f4').reshape(e['shape'])
    # The checksum as documented: data bytes, then name/dtype/shape per tensor in file order,
    # then the metadata except the checksum, keys in byte order.
    h = 0xcbf29ce484222325
    def feed(bs):
        global h
        for x in bs:
            h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
    feed(data)
    for name, e in sorted(header.items(), key=lambda kv: kv[1]['data_offsets'][0]):
        for field in (name, e['dtype'], ','.join(map(str, e['shape']))):
            feed(field.encode() + b'\\0')
    for key in sorted(k for k in meta if k != 'checksum_fnv1a64'):
        feed(key.encode() + b'\\0' + meta[key].encode() + b'\\0')
    print(json.dumps({
        'step': int(meta['step']), 'world_size': int(meta['world_size']),
        'checksum_ok': meta['checksum_fnv1a64'] == '%016x' % h,
        'weight_shape': list(tensor('coupling0.0.weight').shape),
        'weight': [float(v) for v in tensor('coupling0.0.weight').ravel()],
        'm': [float(v) for v in tensor('adam.m.actnorm.logs').ravel()],
        'ema': [float(v) for v in tensor('ema.actnorm.shift').ravel()],
        'config': meta['config']}))
    """

  func testNumPyReadsParametersMomentsAndMetadata() throws {
    try PythonProcess.require("numpy")
    let directory = try ScratchDirectory()
    let run = try LocalRun(options: toyOptions(steps: 3), directory: directory.path)
    _ = try run.trainer.train()
    let output = try Self.python(Self.reader, directory.file("ckpt-000003.safetensors"))
    let read = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], output)

    XCTAssertEqual(read["step"] as? Int, 3)
    XCTAssertEqual(read["world_size"] as? Int, 1)
    XCTAssertEqual(read["checksum_ok"] as? Bool, true)
    XCTAssertEqual(read["config"] as? String, "model:\n  hidden: 16\n")
    // The 2-D coupling's conditioner sees its 1 kept dimension: 1 → 16.
    XCTAssertEqual(read["weight_shape"] as? [Int], [1, 16])
    let weight = run.store.values(of: try XCTUnwrap(run.store.slice(named: "coupling0.0.weight")))
    XCTAssertEqual((read["weight"] as? [Double])?.map(Float.init), Array(weight))
    XCTAssertEqual((read["m"] as? [Double])?.count, 2)
    XCTAssertTrue((read["m"] as? [Double])?.contains { $0 != 0 } ?? false, "Adam moments after 3 steps")
    XCTAssertEqual((read["ema"] as? [Double])?.count, 2)
  }

  private static func python(_ script: String, _ arguments: String...) throws -> String {
    let result = try PythonProcess.run(script, arguments)
    guard result.status == 0 else { throw TrainerError("python3 failed:\n\(result.errors)") }
    return result.output
  }

}
