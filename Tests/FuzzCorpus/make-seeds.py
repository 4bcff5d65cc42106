#!/usr/bin/env python3
"""Writes the hand-made seeds of the fuzz corpus (launch/fuzz): a few valid and a few broken
.npy, safetensors, PNG and YAML inputs, each a few hundred bytes. The rest was copied from real
runs: ckpt-*.safetensors from 2-step runs of tiny moons-realnvp (EMA) and tabular-maf (Adamax)
models, one with a flipped data byte; laminar-chart.png, a training.png; three of configs/.
Run from the repository root."""
import io, json, os, struct, zlib
import numpy as np

root = "Tests/FuzzCorpus"

def put(kind, name, data):
    os.makedirs(f"{root}/{kind}", exist_ok=True)
    with open(f"{root}/{kind}/{name}", "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def npy(array):
    out = io.BytesIO()
    np.save(out, array)
    return out.getvalue()

def npy_header(dict_text, data=b"", version=(1, 0)):
    body = dict_text.encode()
    length = struct.pack("<H" if version[0] == 1 else "<I", len(body))
    return b"\x93NUMPY" + bytes(version) + length + body + data

def npy_seeds():
    rows = np.arange(12, dtype=np.float32).reshape(4, 3)
    put("npy", "f32-4x3.npy", npy(rows))
    put("npy", "f64-vector.npy", npy(np.linspace(0, 1, 5)))
    put("npy", "u8-images.npy", npy(np.arange(32, dtype=np.uint8).reshape(2, 1, 4, 4)))
    put("npy", "i64-labels.npy", npy(np.array([0, 1, 2], dtype=np.int64)))
    put("npy", "scalar.npy", npy(np.float32(3)))
    put("npy", "empty-rows.npy", npy(np.zeros((0, 3), dtype=np.float32)))
    put("npy", "truncated-data.npy", npy(rows)[:-5])
    put("npy", "bad-magic.npy", b"\x93NUMPX" + npy(rows)[6:])
    put("npy", "big-endian.npy", npy(rows.astype(">f4")))
    put("npy", "fortran.npy", npy(np.asfortranarray(rows)))
    put("npy", "v2-header.npy", npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n",
                                           b"\0\0\x80?", version=(2, 0)))
    put("npy", "huge-shape.npy", npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n"))
    put("npy", "zero-rows-huge-row.npy",
        npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296), }\n"))

def safetensors(tensors, metadata=None, pad=True):
    header, data, offset = {}, b"", 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data

def safetensors_seeds():
    w = np.arange(6, dtype=np.float32).tobytes()
    put("safetensors", "plain.safetensors", safetensors({"w": ("F32", [2, 3], w), "b": ("F64", [1], b"\0" * 8)}))
    put("safetensors", "metadata.safetensors", safetensors({"w": ("F32", [6], w)}, {"format": "pt"}))
    put("safetensors", "overlap.safetensors",
        struct.pack("<Q", 96) + json.dumps({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                                            "b": {"dtype": "F32", "shape": [1], "data_offsets": [2, 6]}}).encode().ljust(96) + b"\0" * 6)
    put("safetensors", "bad-json.safetensors", struct.pack("<Q", 8) + b"{\"w\": [1")
    put("safetensors", "huge-length.safetensors", struct.pack("<Q", 2**63) + b"{}")
    put("safetensors", "truncated.safetensors", safetensors({"w": ("F32", [2, 3], w)})[:-3])
    put("safetensors", "overflow-shape.safetensors",
        safetensors({"w": ("F32", [2**62, 2**62], b"")}))

def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

def png(width, height, depth, color, rows, extra=b"", interlace=0):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, interlace)
    raw = b"".join(b"\0" + r for r in rows)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + extra + png_chunk(b"IDAT", zlib.compress(raw))
            + png_chunk(b"IEND", b""))

def png_seeds():
    put("png", "gray8.png", png(3, 2, 8, 0, [b"\x00\x80\xff", b"\x10\x20\x30"]))
    put("png", "gray1.png", png(9, 1, 1, 0, [b"\xaa\x80"]))
    put("png", "rgba16.png", png(1, 1, 16, 6, [b"\x12\x34\x56\x78\x9a\xbc\xde\xf0"]))
    palette = png_chunk(b"PLTE", b"\xff\0\0\0\xff\0") + png_chunk(b"tRNS", b"\x80")
    put("png", "palette-trns.png", png(4, 1, 2, 3, [b"\x14"], extra=palette))
    put("png", "interlaced-rgb.png", png(2, 2, 8, 2, [b"\1\2\3\4\5\6", b"\7\x08\x09\x0a\x0b\x0c"], interlace=1))
    good = png(3, 2, 8, 0, [b"\x00\x80\xff", b"\x10\x20\x30"])
    put("png", "truncated.png", good[:-20])
    put("png", "bad-crc.png", good[:30] + bytes([good[30] ^ 1]) + good[31:])
    put("png", "huge-size.png", png(1 << 30, 1 << 30, 8, 0, []))

def config_seeds():
    put("config", "toy.yaml", "data: {source: toy, distribution: moons, train_count: 64}\n"
        "model: {family: realnvp, layers: 2, hidden: [8]}\ntrainer: {batch_size: 8, steps: 2}\n")
    put("config", "overrides.yaml", "data: {source: toy, distribution: circles}\nmodel: {family: maf}\n"
        "trainer: {batch_size: 8, steps: 2}\n---set\ntrainer.steps=9223372036854775807\nmodel.hidden=[4, 4]\n")
    put("config", "typo.yaml", "data: {source: toy, distribtion: moons}\nmodel: {family: glow}\ntrainer: {steps: -1}\n")
    put("config", "tabs.yaml", "data:\n\tsource: npy\n")
    put("config", "anchors.yaml", "a: &x {b: *x}\ndata: *x\n")
    put("config", "bad-override.yaml", "data: {source: digits}\n---set\nmodel\n=3\ntrainer.=\n")

npy_seeds()
safetensors_seeds()
png_seeds()
config_seeds()
