/// One command line that must fail, and what its error must name. `{dir}` is the fixture's
/// directory, `{ckpt}` its checkpoint.
struct FailingCase {
  let arguments: [String]
  let mentions: [String]

  init(_ arguments: String, mentions: String...) {
    self.arguments = arguments.split(separator: " ").map(String.init)
    self.mentions = mentions
  }
}

/// Every subcommand's `--help`, and the options it must list.
let helpCases: [(command: String, mentions: [String])] = [
  ("train", ["--config", "--set", "--resume", "--out"]),
  ("eval", ["--checkpoint", "--data", "--averaged", "--baseline", "--importance-samples"]),
  ("sample", ["--checkpoint", "--count", "--temperature", "--seed", "--out"]),
  ("score", ["--checkpoint", "--data", "--labels", "--out", "--plot"]),
  ("vi", ["--config", "--set", "--out"]),
  ("inspect", ["<checkpoint>"]),
  ("bench", ["kernels", "train"]),
  ("bench kernels", ["laminar bench kernels"]),
  ("bench train", ["--config", "--steps", "--threads", "--peer-ms"]),
  ("mel", ["<input>", "--out"]),
  ("eval-audio", ["--data", "--offsets", "--griffin-lim", "--iterations", "--out", "--examples"]),
  ("upscale", ["--checkpoint", "--input", "--out", "--temperature", "--samples", "--hr", "--tile", "--margin"]),
]

private let moons = "--config configs/moons-realnvp.yaml"
private let planar = "--config configs/vi-planar.yaml"
private let glow = "--config configs/glow-digits.yaml"
private let huge = "9223372036854775807"
private let flowpp = "--config configs/flowpp-digits.yaml"

let failingCases: [FailingCase] = [
  // train
  FailingCase("train", mentions: "--config"),
  FailingCase("train --config", mentions: "--config"),
  FailingCase("train \(moons) --bogus", mentions: "--bogus"),
  FailingCase("train --config {dir}/missing.yaml", mentions: "missing.yaml", "does not exist"),
  FailingCase("train --config {dir}/broken.yaml", mentions: "broken.yaml", "not valid YAML"),
  FailingCase("train --config {dir}/partial.yaml", mentions: "partial.yaml", "data.distribution"),
  FailingCase("train \(moons) --set trainer.steps", mentions: "trainer.steps", "key.path=value"),
  FailingCase("train \(moons) --set =3", mentions: "=3", "empty part"),
  FailingCase("train \(moons) --set trainer.nokey=3", mentions: "trainer.nokey", "unknown key"),
  FailingCase("train \(moons) --set trainer.steps=abc", mentions: "trainer.steps", "abc", "integer"),
  FailingCase("train \(moons) --set trainer.steps=-5", mentions: "trainer.steps", "-5"),
  FailingCase("train \(moons) --set trainer.batch_size=0", mentions: "trainer.batch_size", "0"),
  FailingCase("train \(moons) --out {dir}/r1 --resume {dir}/missing.safetensors",
              mentions: "missing.safetensors", "cannot resume"),
  FailingCase("train \(moons) --out {dir}/r2 --resume {dir}/junk.safetensors",
              mentions: "junk.safetensors", "not a safetensors file"),
  // sizes and counts (issue 11): each was a trap, a hang or "failed to allocate" before
  FailingCase("train \(moons) --set trainer.batch_size=4611686018427387904", mentions: "trainer.batch_size", "64-bit"),
  FailingCase("train \(moons) --set trainer.batch_size=1000000000", mentions: "trainer.batch_size", "512000 training examples"),
  FailingCase("train \(moons) --set data.train_count=64 --set trainer.batch_size=100",
              mentions: "trainer.batch_size", "at most the 64 training examples"),
  FailingCase("train \(moons) --set trainer.steps=\(huge) --set trainer.checkpoint_every=\(huge)",
              mentions: "trainer.steps", "64-bit", "fewer steps"),
  FailingCase("train \(moons) --set trainer.steps=4611686018427387904", mentions: "trainer.steps", "64-bit"),
  FailingCase("train \(moons) --set trainer.steps=10000000000", mentions: "trainer.steps", "physical memory"),
  FailingCase("train \(moons) --set model.hidden=[100000000,100000000]", mentions: "model.hidden", "physical memory"),
  FailingCase("train \(moons) --set model.hidden=[4000000000,4000000000]", mentions: "model.hidden", "64-bit"),
  FailingCase("train \(moons) --set model.layers=100000000000", mentions: "model.layers", "physical memory"),
  FailingCase("train \(moons) --set data.train_count=1000000000000", mentions: "data.train_count", "physical memory"),
  FailingCase("train \(moons) --set data.validation_count=\(huge)", mentions: "data.validation_count", "64-bit"),
  FailingCase("train \(moons) --set trainer.eval_batch=1000000000000", mentions: "trainer.eval_batch", "memory"),
  FailingCase("train \(moons) --set trainer.init_batch=4611686018427387904", mentions: "trainer.init_batch", "64-bit"),
  FailingCase("train \(glow) --set model.width=100000000", mentions: "model.width", "physical memory"),
  FailingCase("train \(glow) --set model.steps=1000000000000", mentions: "model.steps", "memory"),
  FailingCase("train \(glow) --set model.levels=\(huge)", mentions: "model.levels", "64-bit"),
  // Flow++ keys (issue 10)
  FailingCase("train \(flowpp) --set model.attention_heads=5", mentions: "model.attention_heads", "divide"),
  FailingCase("train \(glow) --set model.components=4", mentions: "model.components", "mixture_logistic"),
  FailingCase("train \(glow) --set model.dropout=0.1", mentions: "model.dropout", "gated_residual"),
  FailingCase("train \(flowpp) --set data.dequantize.method=learned", mentions: "data.dequantize.method", "variational"),
  FailingCase("train \(glow) --set data.dequantize.couplings=2", mentions: "data.dequantize.couplings", "variational"),
  FailingCase("vi \(planar) --set evaluation.samples=1000000000000", mentions: "evaluation.samples", "physical memory"),
  FailingCase("vi --config configs/vi-iaf.yaml --set model.hidden=[100000000,100000000]",
              mentions: "model.hidden", "physical memory"),
  FailingCase("vi \(planar) --set trainer.steps=\(huge)", mentions: "trainer.steps", "64-bit"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.npy --count 1000000000000", mentions: "--count", "physical memory"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.npy --count \(huge)", mentions: "--count", "64-bit"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.npy --count -1", mentions: "--count", "-1"),
  // unwritable outputs name the path and the reason, never a raw NSCocoaErrorDomain dump
  FailingCase("train \(moons) --set trainer.steps=1 --out /proc/laminar-run", mentions: "/proc/laminar-run",
              "No such file or directory"),
  FailingCase("vi \(planar) --set trainer.steps=1 --out /proc/laminar-vi", mentions: "/proc/laminar-vi",
              "No such file or directory"),
  FailingCase("sample --checkpoint {ckpt} --count 4 --out /proc/s.npy", mentions: "/proc/s.npy", "writable"),
  FailingCase("sample --checkpoint {ckpt} --count 4 --out /proc/s.png", mentions: "/proc/s.png", "writable"),
  FailingCase("score --checkpoint {ckpt} --data {dir}/rows.npy --out /proc/s.csv", mentions: "/proc/s.csv", "writable"),
  // non-finite numbers: a diverged checkpoint must not print "bits/dim -nan" and exit 0
  FailingCase("eval --checkpoint {diverged}", mentions: "non-finite log-likelihoods", "16 of 16 examples"),
  FailingCase("eval --checkpoint {diverged} --data {dir}/rows.npy", mentions: "non-finite log-likelihoods", "4 of 4"),
  FailingCase("score --checkpoint {diverged} --data {dir}/rows.npy --labels {dir}/labels4.npy --out {dir}/d.csv",
              mentions: "NaN score"),
  // eval
  FailingCase("eval", mentions: "--checkpoint"),
  FailingCase("eval --checkpoint {ckpt} --bogus", mentions: "--bogus"),
  FailingCase("eval --checkpoint {ckpt} --importance-samples 0", mentions: "--importance-samples", "1...100000"),
  FailingCase("eval --checkpoint {dir}/missing.safetensors", mentions: "missing.safetensors", "No such file"),
  FailingCase("eval --checkpoint {dir}/junk.safetensors", mentions: "junk.safetensors", "not a safetensors file"),
  FailingCase("eval --checkpoint {dir}/truncated.safetensors", mentions: "truncated.safetensors", "truncated"),
  FailingCase("eval --checkpoint {ckpt} --data {dir}/missing.npy", mentions: "missing.npy", "No such file"),
  FailingCase("eval --checkpoint {ckpt} --data {dir}/junk.safetensors", mentions: "junk.safetensors", ".npy"),
  FailingCase("eval --checkpoint {ckpt} --data {dir}/rows3.npy", mentions: "rows3.npy", "[3]", "[2]"),
  // upscale
  FailingCase("upscale --input {dir}/rows.npy --out {dir}/up", mentions: "--checkpoint"),
  FailingCase("upscale --checkpoint {ckpt} --out {dir}/up", mentions: "--input"),
  FailingCase("upscale --checkpoint {ckpt} --input {dir}/rows.npy", mentions: "--out"),
  FailingCase("upscale --checkpoint {ckpt} --input {dir}/rows.npy --out {dir}/up --samples -1", mentions: "--samples", "-1"),
  FailingCase("upscale --checkpoint {ckpt} --input {dir}/rows.npy --out {dir}/up --temperature -2", mentions: "--temperature"),
  FailingCase("upscale --checkpoint {ckpt} --input {dir}/rows.npy --out {dir}/up --tile 0", mentions: "--tile"),
  FailingCase("upscale --checkpoint {ckpt} --input {dir}/rows.npy --out {dir}/up --margin -1", mentions: "--margin"),
  FailingCase("upscale --checkpoint {ckpt} --input {dir}/rows.npy --out {dir}/up", mentions: "srflow", "configs/sr-x4.yaml"),
  FailingCase("upscale --checkpoint {dir}/missing.safetensors --input {dir}/rows.npy --out {dir}/up",
              mentions: "missing.safetensors"),
  // sample
  FailingCase("sample --out {dir}/s.npy", mentions: "--checkpoint"),
  FailingCase("sample --checkpoint {ckpt}", mentions: "--out"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.npy --count -3", mentions: "--count", "-3"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.npy --count 0", mentions: "--count", "0"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.npy --count abc", mentions: "--count", "abc"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.npy --temperature -1", mentions: "--temperature", "-1"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.npy --seed -1", mentions: "--seed", "-1"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/s.txt", mentions: "--out", "s.txt"),
  FailingCase("sample --checkpoint {dir}/missing.safetensors --out {dir}/s.npy", mentions: "missing.safetensors"),
  FailingCase("sample --checkpoint {ckpt} --out {dir}/no/such/s.npy", mentions: "no/such", "directory"),
  // score
  FailingCase("score --checkpoint {ckpt} --out {dir}/s.csv", mentions: "--data"),
  FailingCase("score --checkpoint {ckpt} --data {dir}/rows.npy", mentions: "--out"),
  FailingCase("score --checkpoint {ckpt} --data {dir}/rows.npy --out {dir}/s.txt", mentions: "--out", "s.txt"),
  FailingCase("score --checkpoint {ckpt} --data {dir}/rows.npy --out {dir}/s.csv --plot {dir}/p.png",
              mentions: "--plot", "--labels"),
  FailingCase("score --checkpoint {dir}/junk.safetensors --data {dir}/rows.npy --out {dir}/s.csv",
              mentions: "junk.safetensors"),
  FailingCase("score --checkpoint {ckpt} --data {dir}/missing.npy --out {dir}/s.csv", mentions: "missing.npy"),
  FailingCase("score --checkpoint {ckpt} --data {dir}/rows3.npy --out {dir}/s.csv", mentions: "rows3.npy", "[3]"),
  FailingCase("score --checkpoint {ckpt} --data {dir}/rows.npy --labels {dir}/labels3.npy --out {dir}/s.csv",
              mentions: "labels3.npy", "3 labels", "4 rows"),
  FailingCase("score --checkpoint {ckpt} --data {dir}/rows.npy --labels {dir}/no-labels.npy --out {dir}/s.csv",
              mentions: "no-labels.npy"),
  // vi
  FailingCase("vi", mentions: "--config"),
  FailingCase("vi \(planar) --bogus", mentions: "--bogus"),
  FailingCase("vi --config {dir}/missing.yaml", mentions: "missing.yaml", "does not exist"),
  FailingCase("vi --config configs/moons-realnvp.yaml", mentions: "target"),
  FailingCase("vi \(planar) --set trainer.steps", mentions: "trainer.steps", "key.path=value"),
  FailingCase("vi \(planar) --set nokey=1", mentions: "nokey", "unknown key"),
  FailingCase("vi \(planar) --set target=u9", mentions: "target", "u9"),
  FailingCase("vi \(planar) --set trainer.steps=-1", mentions: "trainer.steps", "-1"),
  // inspect
  FailingCase("inspect", mentions: "<checkpoint>"),
  FailingCase("inspect {ckpt} extra", mentions: "extra"),
  FailingCase("inspect --bogus {ckpt}", mentions: "--bogus"),
  FailingCase("inspect {dir}/missing.safetensors", mentions: "missing.safetensors", "No such file"),
  FailingCase("inspect {dir}/junk.safetensors", mentions: "junk.safetensors", "not a safetensors file"),
  FailingCase("inspect {dir}/truncated.safetensors", mentions: "truncated.safetensors", "truncated"),
  FailingCase("inspect {dir}", mentions: "not a regular file"),
  // bench
  FailingCase("bench nothing", mentions: "nothing"),
  FailingCase("bench kernels --bogus", mentions: "--bogus"),
  FailingCase("bench kernels --only gemm", mentions: "gemm"),
  FailingCase("bench train", mentions: "--config"),
  FailingCase("bench train --config {dir}/missing.yaml", mentions: "missing.yaml", "does not exist"),
  FailingCase("bench train \(moons) --steps -2", mentions: "--steps", "-2"),
  FailingCase("bench train \(moons) --steps x", mentions: "--steps", "x"),
  FailingCase("bench train \(moons) --threads 0", mentions: "--threads", "0"),
  FailingCase("bench train \(moons) --peer-ms -1", mentions: "--peer-ms", "-1"),
  FailingCase("bench train \(moons) --set x", mentions: "x", "key.path=value"),
  FailingCase("bench train \(moons) --set model.nokey=2", mentions: "model.nokey", "unknown key"),
  // mel
  FailingCase("mel", mentions: "<input>"),
  FailingCase("mel {dir}/tone.wav", mentions: "--out"),
  FailingCase("mel {dir}/tone.wav --out {dir}/m.txt", mentions: "--out", "m.txt"),
  FailingCase("mel {dir}/missing.wav --out {dir}/m.npy", mentions: "missing.wav", "No such file"),
  FailingCase("mel {dir}/rows.npy --out {dir}/m.npy", mentions: "rows.npy", "cannot be read as audio"),
  FailingCase("mel {dir}/fast.wav --out {dir}/m.npy", mentions: "fast.wav", "44100 Hz", "16000 Hz", "sox"),
  FailingCase("mel {dir}/short.wav --out {dir}/m.npy", mentions: "short.wav", "400 samples", "513"),
  FailingCase("mel {dir}/tone.wav --out /proc/m.npy", mentions: "/proc/m.npy"),
  // eval-audio
  FailingCase("eval-audio --data {dir}", mentions: "--griffin-lim"),
  FailingCase("eval-audio --griffin-lim", mentions: "--data"),
  FailingCase("eval-audio --griffin-lim --data {dir} --iterations -1", mentions: "--iterations", "-1"),
  FailingCase("eval-audio --griffin-lim --data {dir}", mentions: "fast.wav", "44100 Hz"),
  FailingCase("eval-audio --griffin-lim --data {dir} --offsets {dir}/labels4.npy", mentions: "--offsets", "folder"),
  FailingCase("eval-audio --griffin-lim --data {dir}/rows.npy", mentions: "--offsets"),
  FailingCase("eval-audio --griffin-lim --data {dir}/rows.npy --offsets {dir}/labels4.npy", mentions: "rows.npy", "1-D int16"),
  FailingCase("eval-audio --griffin-lim --data {dir}/labels4.npy --offsets {dir}/labels3.npy", mentions: "labels4.npy"),
  FailingCase("eval-audio --griffin-lim --data {dir}/missing.npy --offsets {dir}/labels4.npy", mentions: "missing.npy"),
]
