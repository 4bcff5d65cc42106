"""Shared pieces of launch/faults: the small runs, process handling, checkpoint bytes."""
import json, os, random, signal, struct, subprocess, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "launch", "run")
STEPS = 150  # long enough that a kill lands mid-run, short enough for debug builds on 2 cores
# A small RealNVP on few moons points: ~50 steps/s per job in a debug build.
MOONS = ["--config", "configs/moons-realnvp.yaml", "--set", "data.train_count=4096",
         "--set", "data.validation_count=256", "--set", "trainer.batch_size=48",
         "--set", "trainer.eval_every=0", "--set", "trainer.log_every=50",
         "--set", "trainer.checkpoint_every=25", "--set", "trainer.keep_checkpoints=3",
         "--set", "model.hidden=[16,16]", "--set", "model.layers=4"]


class Suite:
    """Counts cases; each prints PASS or FAIL with its reason."""
    def __init__(self):
        self.passed, self.failed, self.figures = 0, 0, []

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(("PASS " if ok else "FAIL ") + name + ("" if ok or not detail else ": " + detail), flush=True)
        return ok


def scratch():
    return tempfile.mkdtemp(prefix="laminar-faults-")


def moons(binary, out, steps=STEPS, extra=()):
    return [binary, "train", *MOONS, "--set", f"trainer.steps={steps}", *extra, "--out", out]


def mpi(ranks, argv):
    return [RUN, "-np", str(ranks), *argv]


def run(argv, timeout=300, env=None):
    """(returncode, combined output, seconds) of a finished command."""
    start = time.monotonic()
    try:
        done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout, env=env)
        return done.returncode, done.stdout, time.monotonic() - start
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or ""), timeout


class Job:
    """An mpirun job in the background, in its own session so a stray one can be killed whole."""
    def __init__(self, argv):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(argv, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.started = time.monotonic()

    def ranks(self):
        """PIDs of the laminar processes mpirun started (its children), by rank order of start."""
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], stdout=subprocess.PIPE, text=True)
        return sorted(int(p) for p in found.stdout.split())

    def wait(self, timeout):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            return None
        return self.process.returncode

    def output(self):
        self.log.seek(0)
        return self.log.read()


def wait_for(predicate, timeout, poll=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(poll)
    return False


def checkpoints(directory):
    """ckpt-*.safetensors in `directory`, oldest first."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    return sorted(n for n in names if n.startswith("ckpt-") and n.endswith(".safetensors"))


def tensors(path):
    """name → raw bytes of every tensor in a safetensors file, and its string metadata."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    body = data[8 + length:]
    return {name: body[e["data_offsets"][0]:e["data_offsets"][1]] for name, e in header.items()}, metadata


def same_tensors(a, b):
    """Whether two checkpoints hold byte-identical tensors (parameters, moments, EMA)."""
    return tensors(a)[0] == tensors(b)[0]


def verifies(binary, path):
    code, out, _ = run([binary, "inspect", path], timeout=60)
    return code == 0, out


def median(values):
    s = sorted(values)
    return s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2


def rng():
    seed = int(os.environ.get("LAMINAR_FAULTS_SEED", random.randrange(1 << 30)))
    print(f"launch/faults: seed {seed} (LAMINAR_FAULTS_SEED={seed} repeats this run)", flush=True)
    return random.Random(seed)
