// zlib, as Debian's zlib1g-dev installs it: the encoder's weights.npz is a
// zip archive of deflated .npy arrays.
#include <zlib.h>
