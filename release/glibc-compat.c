/* Linked into the release binary by scripts/release only (with -Xlinker --wrap=hypotf), so that it needs
 * glibc 2.34 (RHEL 9 and its kin) instead of 2.35.
 *
 * glibc 2.35 gave hypotf a new symbol version, GLIBC_2.35 (it dropped the old SVID error wrapper), so linking
 * on Debian 12 (glibc 2.36) binds the toolchain's reference, from libswiftGlibc.a's overlay, to
 * hypotf@GLIBC_2.35: the only symbol in the binary above 2.34. physio never calls it.
 *
 * Binding the reference to the old version, hypotf@GLIBC_2.2.5, with .symver does not survive Swift's
 * linker: gold applies --wrap=hypotf to the versioned reference too, and __wrap_hypotf would call itself.
 * So __wrap_hypotf computes what glibc 2.35's hypotf computes, written here from its documented behaviour: the
 * sum of squares in double precision, where it is exact before its one rounding, then the square root narrowed to float;
 * infinity if either argument is infinite (unless the other is a signalling NaN), NaN for a NaN, and errno
 * ERANGE on overflow. scripts/release compiles it with -ffp-contract=off, as glibc is built, so no fused
 * multiply-add changes a rounding. release/test-glibc-compat.c, which scripts/release runs before the link,
 * checks it bit for bit and errno for errno against both of glibc's versions. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static int is_signalling(float v) {
  uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0 && (bits & 0x00400000u) == 0;
}

__attribute__((visibility("hidden"))) float __wrap_hypotf(float x, float y) {
  if (!isfinite(x) || !isfinite(y)) {
    if ((isinf(x) || isinf(y)) && !is_signalling(x) && !is_signalling(y)) return INFINITY;
    return x + y;
  }
  float r = (float)sqrt((double)x * (double)x + (double)y * (double)y);
  if (isinf(r)) errno = ERANGE;
  return r;
}
