// OpenBLAS's CBLAS interface plus its thread-control entry points (linked as `openblas`, not `blas`,
// because only libopenblas exports openblas_set_num_threads and friends).
#include <cblas.h>
