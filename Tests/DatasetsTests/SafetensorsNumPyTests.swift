import Datasets
import TensorCore
import XCTest

/// An independent reader and writer in Python prove PyTorch/NumPy users can use our checkpoints
/// and we can read theirs. Uses the `safetensors` package when importable, and always a pure
/// NumPy implementation of the format (json header + np.frombuffer). Skipped without NumPy.
final class SafetensorsNumPyTests: XCTestCase {
  private var directory: TemporaryDirectory!

  override func setUpWithError() throws { directory = try TemporaryDirectory() }
  override func tearDown() { directory = nil }

  private static let numpyFormat = """
    import json, sys, numpy as np
    DTYPES = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8', 'I32': '<i4', 'I16': '<i2', 'U8': '|u1'}
    def read(path):
        buf = open(path, 'rb').read()
        n = int.from_bytes(buf[:8], 'little')
        header = json.loads(buf[8:8 + n])
        meta = header.pop('__metadata__', {})
        data = buf[8 + n:]
        tensors = {name: np.frombuffer(data[e['data_offsets'][0]:e['data_offsets'][1]],
                                       dtype=DTYPES[e['dtype']]).reshape(e['shape'])
                   for name, e in header.items()}
        return tensors, meta, header, data
    def write(path, tensors):
        header, offset, blobs = {}, 0, []
        for name, a in tensors.items():
            kind = {v: k for k, v in DTYPES.items()}[a.dtype.str]
            header[name] = {'dtype': kind, 'shape': list(a.shape), 'data_offsets': [offset, offset + a.nbytes]}
            offset += a.nbytes
            blobs.append(a.tobytes())
        text = json.dumps(header).encode()
        text += b' ' * (-len(text) % 8)
        open(path, 'wb').write(len(text).to_bytes(8, 'little') + text + b''.join(blobs))
    def fnv1a64(chunks):
        h = 0xcbf29ce484222325
        for chunk in chunks:
            for b in chunk:
                h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
        return '%016x' % h

    """

  func testNumPyReadsWhatWeWriteAndVerifiesTheChecksum() throws {
    let path = directory.file("ckpt.safetensors")
    var writer = SafetensorsWriter(metadata: ["step": "500", "config": "flow: glow\n"])
    writer.add("flow.weight", Tensor<Float>(shape: [2, 3], scalars: [1, -2, 3.5, 0, 0.15625, -0.25]))
    writer.add("pixels", shape: [5], values: [UInt8](arrayLiteral: 0, 1, 127, 128, 255))
    writer.add("adam.v.flow.weight", Tensor<Double>(shape: [2, 2], scalars: [0.1, -0.2, 3.0, 1e300]))
    writer.add("counters", shape: [3], values: [Int64.min, 0, Int64.max])
    try writer.write(to: path)
    let output = try Python.run(Self.numpyFormat + """
      t, meta, header, data = read(sys.argv[1])
      expect = {'flow.weight': np.array([[1, -2, 3.5], [0, 0.15625, -0.25]], '<f4'),
                'pixels': np.array([0, 1, 127, 128, 255], '|u1'),
                'adam.v.flow.weight': np.array([[0.1, -0.2], [3.0, 1e300]], '<f8'),
                'counters': np.array([-2**63, 0, 2**63 - 1], '<i8')}
      assert sorted(t) == sorted(expect), sorted(t)
      for k, v in expect.items():
          assert t[k].dtype == v.dtype and t[k].shape == v.shape and np.array_equal(t[k], v), (k, t[k])
      assert meta['step'] == '500' and meta['config'] == 'flow: glow\\n', meta
      order = sorted(header, key=lambda k: header[k]['data_offsets'][0])
      parts = [data]
      for k in order:
          parts += [k.encode(), b'\\0', header[k]['dtype'].encode(), b'\\0',
                    ','.join(map(str, header[k]['shape'])).encode(), b'\\0']
      for k in sorted(m for m in meta if m != 'checksum_fnv1a64'):
          parts += [k.encode(), b'\\0', meta[k].encode(), b'\\0']
      assert fnv1a64(parts) == meta['checksum_fnv1a64'], (fnv1a64(parts), meta)
      try:
          from safetensors.numpy import load_file
      except ImportError:
          print('numpy reader ok')
      else:
          lib = load_file(sys.argv[1])
          assert all(np.array_equal(lib[k], v) for k, v in expect.items())
          print('numpy reader ok; safetensors ok')
      """, [path])
    XCTAssertTrue(output.hasPrefix("numpy reader ok"), output)
  }

  func testWeReadWhatNumPyWrites() throws {
    let path = directory.file("torch-export.safetensors")
    _ = try Python.run(Self.numpyFormat + """
      tensors = {'w': np.arange(6, dtype='<f4').reshape(2, 3) / 4, 'ids': np.array([5, -9], '<i8'),
                 'b': np.array([0.5, -1.5], '<f8')}
      try:
          from safetensors.numpy import save_file
      except ImportError:
          write(sys.argv[1], tensors)
      else:
          save_file(tensors, sys.argv[1])
      """, [path])
    let file = try SafetensorsFile(contentsOf: path)
    XCTAssertEqual(try file.tensor("w", as: Float.self), Tensor(shape: [2, 3], scalars: [0, 0.25, 0.5, 0.75, 1, 1.25]))
    XCTAssertEqual(try file.values("ids", as: Int64.self), [5, -9])
    XCTAssertEqual(try file.tensor("b", as: Double.self).scalars, [0.5, -1.5])
    assertDataFileError(path, contains: "it was not written by laminar") { try file.verifyChecksum() }
  }
}
