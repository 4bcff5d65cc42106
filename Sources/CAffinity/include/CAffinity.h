// sched_getaffinity needs _GNU_SOURCE, which Swift's Glibc module is built without, so the call
// lives in a C file compiled on its own.

/// Writes 1 into flags[cpu] for each CPU this process may run on and 0 elsewhere, for the first
/// `capacity` CPU indices. Returns the CPU indices written, or -1 when the mask cannot be read.
int laminar_cpu_affinity(unsigned char *flags, int capacity);
