// FFTW 3, single precision (fftwf_*). The planner flags are macros built with shifts, which
// Swift does not import, so they come as inline getters.
#include <fftw3.h>

// FFTW_ESTIMATE: a plan from heuristics, made in microseconds without timing trial transforms
// (so it is deterministic and needs no wisdom). FFTW_UNALIGNED: the plan may be executed on any
// arrays through the new-array execute functions, so callers pass their own buffers.
static inline unsigned cfftw_flags_estimate_unaligned(void) { return FFTW_ESTIMATE | FFTW_UNALIGNED; }
// FFTW_DESTROY_INPUT is the default for complex-to-real transforms; FFTW_PRESERVE_INPUT keeps the
// spectrum intact so callers may reuse it.
static inline unsigned cfftw_flags_preserve_input(void) { return FFTW_PRESERVE_INPUT; }
