// tanh and the logistic sigmoid of float buffers in branch-free loops that the C compiler turns
// into AVX2 code. libm's expf and tanhf are scalar calls, and Swift's SIMD types lower selects
// and clamps lane by lane; in WaveNet's gated activations those took about a tenth of a training
// step. These are Cephes' single-precision forms (range reduction by ln 2 in two parts, degree-5
// polynomials), within a few ulp of libm; NaN stays NaN, so non-finite checks still see it.
#include "CVectorMath.h"

#include <stdint.h>
#include <string.h>

// e^x for x clamped to [-87.3, 88.7] (about 1.2e-38 and 3.3e38); NaN passes through.
static inline float exp_clamped(float x) {
  float c = x < -87.3f ? -87.3f : x > 88.7f ? 88.7f : x;
  // n = round(c / ln 2) by the 1.5 * 2^23 trick: the sum's low mantissa bits hold n.
  const float magic = 12582912.0f;
  float shifted = c * 1.44269504f + magic;
  float n = shifted - magic;
  float r = c - n * 0.693359375f + n * 2.12194440e-4f;  // ln 2 split so n * C1 is exact
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  int32_t si, mi;
  memcpy(&si, &shifted, 4);
  memcpy(&mi, &magic, 4);
  int32_t k = si - mi;  // n in [-126, 128]; 2^128 is made as 2^127 * 2
  int32_t top = k > 127;
  int32_t bits = (k - top + 127) << 23;
  float scale;
  memcpy(&scale, &bits, 4);
  float e = p * scale * (top ? 2.0f : 1.0f);
  return x != x ? x : e;
}

static inline float tanh1(float x) {
  float a = x < 0 ? -x : x;
  // Small |x|: an odd polynomial (1 - 2 / (e^2x + 1) would cancel); else from e^(2|x|).
  float z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  float small = p * z * x + x;
  float large = 1.0f - 2.0f / (exp_clamped(2.0f * a) + 1.0f);
  large = x < 0 ? -large : large;
  return a < 0.625f ? small : large;
}

static inline float sigmoid1(float x) {
  float e = exp_clamped(x < 0 ? x : -x);  // e^(-|x|): nothing overflows
  float positive = 1.0f / (1.0f + e);
  return x < 0 ? e * positive : positive;
}

void laminar_tanhf(const float *x, float *y, ptrdiff_t count) {
  for (ptrdiff_t i = 0; i < count; i++) y[i] = tanh1(x[i]);
}

void laminar_sigmoidf(const float *x, float *y, ptrdiff_t count) {
  for (ptrdiff_t i = 0; i < count; i++) y[i] = sigmoid1(x[i]);
}
