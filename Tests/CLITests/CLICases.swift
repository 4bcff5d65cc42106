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
  ("eval", ["--checkpoint", "--data", "--averaged", "--baseline"]),
  ("sample", ["--checkpoint", "--count", "--temperature", "--seed", "--out"]),
  ("score", ["--checkpoint", "--data", "--labels", "--out", "--plot"]),
  ("vi", ["--config", "--set", "--out"]),
  ("inspect", ["<checkpoint>"]),
  ("bench", ["kernels", "train"]),
  ("bench kernels", ["laminar bench kernels"]),
  ("bench train", ["--config", "--steps", "--threads", "--peer-ms"]),
]

private let moons = "--config configs/moons-realnvp.yaml"
private let planar = "--config configs/vi-planar.yaml"

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
  // eval
  FailingCase("eval", mentions: "--checkpoint"),
  FailingCase("eval --checkpoint {ckpt} --bogus", mentions: "--bogus"),
  FailingCase("eval --checkpoint {dir}/missing.safetensors", mentions: "missing.safetensors", "No such file"),
  FailingCase("eval --checkpoint {dir}/junk.safetensors", mentions: "junk.safetensors", "not a safetensors file"),
  FailingCase("eval --checkpoint {dir}/truncated.safetensors", mentions: "truncated.safetensors", "truncated"),
  FailingCase("eval --checkpoint {ckpt} --data {dir}/missing.npy", mentions: "missing.npy", "No such file"),
  FailingCase("eval --checkpoint {ckpt} --data {dir}/junk.safetensors", mentions: "junk.safetensors", ".npy"),
  FailingCase("eval --checkpoint {ckpt} --data {dir}/rows3.npy", mentions: "rows3.npy", "[3]", "[2]"),
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
  FailingCase("bench train", mentions: "--config"),
  FailingCase("bench train --config {dir}/missing.yaml", mentions: "missing.yaml", "does not exist"),
  FailingCase("bench train \(moons) --steps -2", mentions: "--steps", "-2"),
  FailingCase("bench train \(moons) --steps x", mentions: "--steps", "x"),
  FailingCase("bench train \(moons) --threads 0", mentions: "--threads", "0"),
  FailingCase("bench train \(moons) --peer-ms -1", mentions: "--peer-ms", "-1"),
  FailingCase("bench train \(moons) --set x", mentions: "x", "key.path=value"),
  FailingCase("bench train \(moons) --set model.nokey=2", mentions: "model.nokey", "unknown key"),
]
