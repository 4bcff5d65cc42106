"""Cases that damage files: corrupted checkpoints, a full disk, NaN data and a diverging rate."""
import math, os, random, shutil, struct, subprocess
from common import checkpoints, moons, mpi, run, scratch, tensors, verifies

def corrupt_truncate(data, rng):
    return data[:rng.randrange(len(data))]

def corrupt_flip(data, rng):
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:]

def corrupt_zero(data, rng):
    return bytes(len(data))

def corrupt_header(data, rng):
    (length,) = struct.unpack("<Q", data[:8])
    i = 8 + rng.randrange(length)
    return data[:i] + b"\x00#" + data[i + 2:]


def corruption(suite, binary, rng, per_kind):
    """Damages the newest of two checkpoints; resume must name why it skips it and use the older."""
    base = os.path.join(scratch(), "base")
    code, log, _ = run(moons(binary, base, steps=50))
    assert code == 0, log[-1500:]
    older, newest = checkpoints(base)[-2:]
    kinds = [("truncated", corrupt_truncate, per_kind), ("bit-flipped", corrupt_flip, per_kind),
             ("zero-filled", corrupt_zero, 1), ("header-corrupted", corrupt_header, per_kind)]
    detected = tried = 0
    for kind, damage, count in kinds:
        for trial in range(count):
            tried += 1
            detected += damaged_checkpoint_is_skipped(suite, binary, base, older, newest, kind, trial,
                                                      lambda d: damage(d, rng))
    tried += 1
    detected += stray_temporary_is_ignored(suite, binary, base, older, newest)
    suite.figures.append(f"corrupted checkpoints: {detected} of {tried} detected and the previous one used")


def resume_one_step(binary, out, older_step):
    return run(moons(binary, out, steps=older_step + 1, extra=["--resume", "auto"]), timeout=120)


def damaged_checkpoint_is_skipped(suite, binary, base, older, newest, kind, trial, damage):
    out = os.path.join(scratch(), "run")
    shutil.copytree(base, out)
    path = os.path.join(out, newest)
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        f.write(damage(data))
    rejected, why = verifies(binary, path)
    older_step = int(older[5:11])
    code, log, _ = resume_one_step(binary, out, older_step)
    skipped = f"skipping checkpoint {path}: " in log
    used = f"resuming from {os.path.join(out, older)}" in log
    reason = next((l.split(": ", 2)[-1] for l in log.splitlines() if "skipping checkpoint" in l), "")
    return suite.check(f"{kind} checkpoint #{trial + 1} detected ({reason[:90]})",
                       not rejected and code == 0 and skipped and used and reason != "",
                       f"inspect accepted it: {not rejected}; resume exit {code}:\n{log[-800:]}")


def stray_temporary_is_ignored(suite, binary, base, older, newest):
    out = os.path.join(scratch(), "run")
    shutil.copytree(base, out)
    with open(os.path.join(out, newest), "rb") as f:
        half = f.read()
    torn = os.path.join(out, "ckpt-000075.safetensors.tmp")
    with open(torn, "wb") as f:
        f.write(half[:len(half) // 2])
    code, log, _ = run(moons(binary, out, steps=int(newest[5:11]) + 1, extra=["--resume", "auto"]), timeout=120)
    used = f"resuming from {os.path.join(out, newest)}" in log
    return suite.check("a torn write's stray .tmp is ignored; the newest complete checkpoint is used",
                       code == 0 and used, f"exit {code}:\n{log[-800:]}")


def disk_full(suite, binary):
    """A tmpfs run directory with room for the metrics but not the next checkpoint."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return skip_or_fail(suite, "disk full: needs root to mount a tmpfs")
    base = os.path.join(scratch(), "base")
    code, log, _ = run(moons(binary, base, steps=25, extra=["--set", "model.hidden=[64,64]"]))
    assert code == 0, log[-1500:]
    first = checkpoints(base)[-1]
    mount = os.path.join(scratch(), "tmpfs")
    os.makedirs(mount)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount]).returncode != 0:
        return skip_or_fail(suite, "disk full: mount -t tmpfs is not permitted here")
    try:
        shutil.copy(os.path.join(base, first), mount)
        kept = open(os.path.join(mount, first), "rb").read()
        fill(mount, leave=48 * 1024)
        code, log, _ = run(moons(binary, mount, steps=50, extra=["--set", "model.hidden=[64,64]",
                                                               "--resume", "auto"]), timeout=120)
        named = "ckpt-000050.safetensors" in log and ("No space left" in log or "ENOSPC" in log)
        intact = open(os.path.join(mount, first), "rb").read() == kept
        leftovers = [n for n in os.listdir(mount) if n.endswith(".tmp") or n == "ckpt-000050.safetensors"]
        suite.check("disk full during a save: clear error naming the file, previous checkpoint intact, no partial file",
                    code not in (0, None) and named and intact and not leftovers,
                    f"exit {code}, intact {intact}, left {leftovers}:\n{log[-1000:]}")
    finally:
        subprocess.run(["umount", mount])


def fill(directory, leave):
    stat = os.statvfs(directory)
    free = stat.f_bavail * stat.f_frsize
    with open(os.path.join(directory, "filler"), "wb") as f:
        f.write(bytes(max(0, free - leave)))


def skip_or_fail(suite, why):
    if os.environ.get("CI") == "true":
        return suite.check(why, False, "CI=true: this case may not be skipped")
    print("SKIP " + why, flush=True)


def write_npy(path, rows, columns, bad_every, rng):
    """float32 C-order .npy; every `bad_every`-th row (0 = none) holds a NaN or an inf."""
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, columns)
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    values = []
    for i in range(rows):
        row = [rng.gauss(0, 1) for _ in range(columns)]
        if bad_every and i % bad_every == 0:
            row[i % columns] = math.nan if i % 2 else math.inf
        values += row
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack(f"<{len(values)}f", *values))


def nan_storm(suite, binary, rng):
    work = scratch()
    clean, bad = os.path.join(work, "clean.npy"), os.path.join(work, "bad.npy")
    write_npy(clean, 1024, 4, 0, rng)
    write_npy(bad, 1024, 4, 3, rng)
    out = os.path.join(work, "run")
    maf = [binary, "train", "--config", "configs/tabular-maf.yaml", "--set", f"data.train={clean}",
           "--set", f"data.validation={clean}", "--set", "data.standardize=raw", "--set", "model.hidden=[16,16]", "--set", "model.layers=2",
           "--set", "trainer.batch_size=64", "--set", "trainer.eval_every=0", "--set", "trainer.log_every=10",
           "--set", "trainer.checkpoint_every=10", "--set", "trainer.max_nonfinite_in_a_row=3", "--out", out]
    code, log, _ = run(mpi(2, maf + ["--set", "trainer.steps=20"]))
    assert code == 0, log[-1500:]
    good = os.path.join(out, "ckpt-000020.safetensors")
    before = open(good, "rb").read()
    stormy = [a.replace(clean, bad) if a == f"data.train={clean}" else a for a in maf]
    code, log, _ = run(mpi(2, stormy + ["--set", "trainer.steps=60",
                                        "--resume", "auto"]))
    stopped = "3 steps in a row had a non-finite loss" in log and f"{good}, is intact" in log
    suite.check("NaN/inf rows: steps skipped collectively, stop after 3 in a row, last good checkpoint untouched",
                code not in (0, None) and stopped and open(good, "rb").read() == before
                and checkpoints(out)[-1] == "ckpt-000020.safetensors", f"exit {code}:\n{log[-1200:]}")
    diverging(suite, binary, maf, os.path.join(work, "diverge"))


def diverging(suite, binary, maf, out):
    argv = [a if not a.startswith("trainer.checkpoint_every") else "trainer.checkpoint_every=2" for a in maf]
    argv = argv[:-1] + [out, "--set", "trainer.lr=1e30", "--set", "trainer.steps=200"]
    code, log, _ = run(mpi(2, argv))
    saved = checkpoints(out)
    in_streak = [n for n in saved if tensors(os.path.join(out, n))[1].get("skipped_in_a_row") != "0"]
    suite.check("a diverging learning rate stops after 3 non-finite steps in a row; no checkpoint saved in the streak",
                code not in (0, None) and "steps in a row had a non-finite loss" in log and not in_streak,
                f"exit {code}, saved in a streak {in_streak}:\n{log[-1200:]}")
