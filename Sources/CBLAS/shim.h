// OpenBLAS, as Debian's libopenblas-dev installs it: the sentence encoder's
// matrix products. OpenBLAS picks its kernels for the CPU it runs on (SSE,
// AVX2, AVX-512, NEON), so one binary is fast everywhere, and it is fast in a
// debug build too, which keeps `swift test` quick.
#include <cblas.h>
