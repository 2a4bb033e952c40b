// OpenBLAS, as Debian's libopenblas-dev installs it: the sentence encoder's
// matrix products. OpenBLAS picks its kernels for the CPU it runs on (SSE,
// AVX2, AVX-512, NEON), so one binary is fast everywhere, and it is fast in a
// debug build too, which keeps `swift test` quick.
//
// Only the header is used at build time: rapport does not link OpenBLAS, but
// opens it when the first sentence encoder is built (RapportEncoder's
// BLAS.swift). A start on words alone never loads it, nor starts its threads,
// and rapport runs where it is not installed. The function types below are
// the header's own, so the functions found by name are called as declared.
#include <cblas.h>

typedef __typeof__(&cblas_sgemv) rapport_cblas_sgemv;
typedef __typeof__(&cblas_sgemm) rapport_cblas_sgemm;
typedef __typeof__(&openblas_set_num_threads) rapport_openblas_set_num_threads;
