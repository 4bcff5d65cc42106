// Integration checks of MPICommunicator; run under `launch/run -np 2` and `-np 3`.
// Every rank runs every check; rank 0 prints "N passed, M failed" and the exit code is
// non-zero on every rank when any check failed on any rank.
import Glibc

exit(runChecks())
