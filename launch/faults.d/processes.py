"""Cases that end processes: kill -9, SIGTERM to mpirun or a rank, SIGSTOP, mismatched ranks."""
import os, re, shlex, signal, time
from common import (Job, STEPS, checkpoints, median, moons, mpi, run, same_tensors, scratch, verifies,
                    wait_for)

_references = {}


def reference(binary, ranks, steps=STEPS):
    """The final checkpoint of an uninterrupted run on `ranks` ranks (bit-exactness is per W)."""
    if (ranks, steps) not in _references:
        out = os.path.join(scratch(), "straight")
        code, log, _ = run(mpi(ranks, moons(binary, out, steps=steps)))
        assert code == 0, f"the uninterrupted {ranks}-rank run failed:\n{log[-2000:]}"
        _references[ranks, steps] = os.path.join(out, checkpoints(out)[-1])
    return _references[ranks, steps]


def start_and_wait_for_a_checkpoint(argv, out, rng):
    """A job that has saved its first checkpoint and then trained a random while longer."""
    job = Job(argv)
    wait_for(lambda: checkpoints(out), 60)
    # Short: a debug build runs ~150 steps/s, and the run must still be going when the fault lands.
    time.sleep(rng.uniform(0, 0.3))
    return job


def resumed_matches(binary, ranks, out):
    code, log, _ = run(mpi(ranks, moons(binary, out, extra=["--resume", "auto"])))
    final = os.path.join(out, checkpoints(out)[-1]) if checkpoints(out) else None
    if code != 0 or final is None:
        return False, f"resume failed ({code}): {log[-600:]}"
    return same_tensors(final, reference(binary, ranks)), "resumed parameters differ from the uninterrupted run"


def kill_nine(suite, binary, trials, rng):
    seconds, exact = [], 0
    for trial in range(trials):
        ranks = 2 + trial % 2
        reference(binary, ranks)
        out = os.path.join(scratch(), "run")
        job = start_and_wait_for_a_checkpoint(mpi(ranks, moons(binary, out)), out, rng)
        pids = job.ranks()
        victim = rng.randrange(len(pids))
        killed = time.monotonic()
        os.kill(pids[victim], signal.SIGKILL)
        code = job.wait(60)
        took = time.monotonic() - killed
        seconds.append(took)
        newest = os.path.join(out, checkpoints(out)[-1])
        ok, why = verifies(binary, newest)
        matches, detail = resumed_matches(binary, ranks, out) if ok else (False, why)
        exact += matches
        suite.check(f"kill -9 rank {victim} of {ranks} (trial {trial + 1}): ended in {took:.1f} s, "
                    f"{os.path.basename(newest)} verifies, resume bit-exact",
                    code not in (0, None) and took < 30 and ok and matches,
                    f"exit {code} after {took:.1f} s; {detail}")
    suite.figures.append(f"kill -9: {trials} trials, job ended after median {median(seconds):.1f} s, "
                         f"max {max(seconds):.1f} s; resumes bit-exact {exact}/{trials}")


def stop_signal(suite, binary, rng, to_mpirun):
    # Much longer than the kill runs: mpirun may take a second or more to pass its signal on, and
    # a run that finishes first is no test of preemption (it made short mode flaky at 4 × STEPS).
    ranks, steps = 2, 20 * STEPS
    out = os.path.join(scratch(), "run")
    job = start_and_wait_for_a_checkpoint(mpi(ranks, moons(binary, out, steps=steps)), out, rng)
    target = job.process.pid if to_mpirun else job.ranks()[-1]
    os.kill(target, signal.SIGTERM)
    code = job.wait(60)
    log = job.output()
    saved = re.search(r"stopped at step (\d+) of \d+ on request .*saved (\S+)", log)
    command = re.search(r"resume with:\n  (.+)", log)
    name = f"SIGTERM to {'mpirun' if to_mpirun else 'rank 1'}: stop at a step boundary, checkpoint, resume bit-exact"
    if not (saved and command and code not in (0, None)):
        return suite.check(name, False, f"exit {code}; output ends:\n{log[-1500:]}")
    # mpirun itself exits 1 when it was the one signalled; the ranks' own code is 75.
    expected = {1, 75} if to_mpirun else {75}
    ok, why = verifies(binary, saved.group(2))
    code2, log2, _ = run(shlex.split(command.group(1)))
    final = os.path.join(out, checkpoints(out)[-1])
    exact = code2 == 0 and same_tensors(final, reference(binary, ranks, steps))
    suite.check(name + f" (step {saved.group(1)}, exit {code})", code in expected and ok and exact,
                f"exit {code}, verifies {ok} {why[-300:]}, resume exit {code2}, bit-exact {exact}")


def stop_one_rank(suite, binary, rng, timeout=3):
    out = os.path.join(scratch(), "run")
    job = start_and_wait_for_a_checkpoint(
        mpi(2, moons(binary, out, steps=100000, extra=["--set", f"trainer.step_timeout_s={timeout}"])), out, rng)
    victim = job.ranks()[-1]
    os.kill(victim, signal.SIGSTOP)
    stopped = time.monotonic()
    code = job.wait(timeout + 30)
    took = time.monotonic() - stopped
    log = job.output()
    named = re.search(r"laminar rank 0 of 2: aborting .*step \d+ made no progress .*rank 1 on \S+: silent", log)
    suite.check(f"SIGSTOP of rank 1, step_timeout_s={timeout}: aborted after {took:.1f} s, rank 0 naming the "
                "step and the silent rank 1",
                code not in (0, None) and took < timeout + 15 and named is not None,
                f"exit {code} after {took:.1f} s; output ends:\n{log[-1200:]}")
    suite.figures.append(f"SIGSTOP: aborted {took:.1f} s after the stop (timeout {timeout} s)")


def mismatched_ranks(suite, binary):
    out = os.path.join(scratch(), "run")
    same = moons(binary, out, steps=5)
    code, log, took = run([*mpi(1, same), ":", "-np", "1", *same, "--set", "trainer.lr=0.002"], timeout=90)
    suite.check("ranks with different configs are refused naming the key",
                code not in (0, None) and "trainer.lr: rank 0 has 0.001, rank 1 has 0.002" in log,
                f"exit {code}; output:\n{log[-1200:]}")
    checkpoint = reference(binary, 2)
    code, log, took = run([*mpi(1, same), ":", "-np", "1", binary, "eval", "--checkpoint", checkpoint],
                          timeout=90)
    suite.check(f"ranks with different subcommands are refused ({took:.1f} s)",
                code not in (0, None) and "ranks were started with different commands" in log,
                f"exit {code}; output:\n{log[-1200:]}")
