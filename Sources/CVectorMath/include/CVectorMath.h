#ifndef LAMINAR_CVECTORMATH_H
#define LAMINAR_CVECTORMATH_H

#include <stddef.h>

/// y[i] = tanh(x[i]) and y[i] = 1 / (1 + exp(-x[i])) for Float buffers, vectorized by the C
/// compiler (see VectorMath.c); x and y may be the same buffer.
void laminar_tanhf(const float *x, float *y, ptrdiff_t count);
void laminar_sigmoidf(const float *x, float *y, ptrdiff_t count);

#endif
