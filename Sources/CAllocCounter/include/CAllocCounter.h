#ifndef C_ALLOC_COUNTER_H
#define C_ALLOC_COUNTER_H

#include <stdint.h>

// Test-only allocation counting. On Linux with glibc this target defines malloc, calloc,
// realloc, free and the memalign family, forwarding each to glibc's __libc_* entry points and
// counting the calls that allocate, per thread. Linking it into a test binary therefore routes
// every allocation of that process (Swift runtime included) through these wrappers; nothing else
// changes. Elsewhere the functions below report an inactive counter.

// Allocating calls (malloc, calloc, realloc, memalign, posix_memalign, aligned_alloc, valloc,
// pvalloc) made by the calling thread so far.
uint64_t alloc_counter_thread_count(void);

// 1 when allocations are being counted, 0 where interposition is not supported.
int alloc_counter_is_active(void);

#endif
