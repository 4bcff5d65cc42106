import CBLAS

// The triangular solve and LU entry points of `TensorScalar`: BLAS's trsm through CBLAS, and
// LAPACK's getrf/getri through the Fortran symbols libopenblas exports (see cblas_shim.h).

@inline(__always) private func blasTriangle(lower: Bool) -> CBLAS_UPLO { lower ? CblasLower : CblasUpper }

@inline(__always) private func blasDiagonal(unit: Bool) -> CBLAS_DIAG { unit ? CblasUnit : CblasNonUnit }

extension Float {
  public static func trsm(
    transposeA: Bool, lower: Bool, unitDiagonal: Bool, m: Int, n: Int,
    a: UnsafePointer<Float>, lda: Int, b: UnsafeMutablePointer<Float>, ldb: Int
  ) {
    BLASThreads.callingThreadOnly()
    cblas_strsm(CblasRowMajor, CblasRight, blasTriangle(lower: lower), blasTranspose(transposeA),
                blasDiagonal(unit: unitDiagonal), Int32(m), Int32(n), 1, a, Int32(lda), b, Int32(ldb))
  }

  public static func getrf(n: Int, a: UnsafeMutablePointer<Float>, pivots: UnsafeMutablePointer<Int32>) -> Int {
    BLASThreads.callingThreadOnly()
    return Int(lapack_sgetrf(Int32(n), a, Int32(max(n, 1)), pivots))
  }

  public static func getri(n: Int, a: UnsafeMutablePointer<Float>, pivots: UnsafePointer<Int32>,
                           work: UnsafeMutablePointer<Float>, workCount: Int) -> Int {
    BLASThreads.callingThreadOnly()
    return Int(lapack_sgetri(Int32(n), a, Int32(max(n, 1)), pivots, work, Int32(workCount)))
  }
}

extension Double {
  public static func trsm(
    transposeA: Bool, lower: Bool, unitDiagonal: Bool, m: Int, n: Int,
    a: UnsafePointer<Double>, lda: Int, b: UnsafeMutablePointer<Double>, ldb: Int
  ) {
    BLASThreads.callingThreadOnly()
    cblas_dtrsm(CblasRowMajor, CblasRight, blasTriangle(lower: lower), blasTranspose(transposeA),
                blasDiagonal(unit: unitDiagonal), Int32(m), Int32(n), 1, a, Int32(lda), b, Int32(ldb))
  }

  public static func getrf(n: Int, a: UnsafeMutablePointer<Double>, pivots: UnsafeMutablePointer<Int32>) -> Int {
    BLASThreads.callingThreadOnly()
    return Int(lapack_dgetrf(Int32(n), a, Int32(max(n, 1)), pivots))
  }

  public static func getri(n: Int, a: UnsafeMutablePointer<Double>, pivots: UnsafePointer<Int32>,
                           work: UnsafeMutablePointer<Double>, workCount: Int) -> Int {
    BLASThreads.callingThreadOnly()
    return Int(lapack_dgetri(Int32(n), a, Int32(max(n, 1)), pivots, work, Int32(workCount)))
  }
}
