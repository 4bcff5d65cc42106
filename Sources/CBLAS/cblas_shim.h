// OpenBLAS's CBLAS interface plus its thread-control entry points (linked as `openblas`, not `blas`,
// because only libopenblas exports openblas_set_num_threads and friends).
#include <cblas.h>

// LAPACK's Fortran entry points, which libopenblas exports. OpenBLAS here is built without LAPACKE,
// so there is no lapack.h to include: these are the Fortran prototypes (every argument by pointer;
// blasint is int in this LP64 build).
void sgetrf_(const blasint *m, const blasint *n, float *a, const blasint *lda, blasint *ipiv, blasint *info);
void dgetrf_(const blasint *m, const blasint *n, double *a, const blasint *lda, blasint *ipiv, blasint *info);
void sgetri_(const blasint *n, float *a, const blasint *lda, const blasint *ipiv, float *work,
             const blasint *lwork, blasint *info);
void dgetri_(const blasint *n, double *a, const blasint *lda, const blasint *ipiv, double *work,
             const blasint *lwork, blasint *info);

/// LU with partial pivoting of a column-major n×n matrix in place; returns LAPACK's info.
static inline blasint lapack_sgetrf(blasint n, float *a, blasint lda, blasint *pivots) {
  blasint info = 0;
  sgetrf_(&n, &n, a, &lda, pivots, &info);
  return info;
}

static inline blasint lapack_dgetrf(blasint n, double *a, blasint lda, blasint *pivots) {
  blasint info = 0;
  dgetrf_(&n, &n, a, &lda, pivots, &info);
  return info;
}

/// The inverse from getrf's factors, in place; `work` holds `lwork` ≥ n scalars. Returns info.
static inline blasint lapack_sgetri(blasint n, float *a, blasint lda, const blasint *pivots, float *work,
                                    blasint lwork) {
  blasint info = 0;
  sgetri_(&n, a, &lda, pivots, work, &lwork, &info);
  return info;
}

static inline blasint lapack_dgetri(blasint n, double *a, blasint lda, const blasint *pivots, double *work,
                                    blasint lwork) {
  blasint info = 0;
  dgetri_(&n, a, &lda, pivots, work, &lwork, &info);
  return info;
}
