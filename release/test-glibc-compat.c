/* scripts/release runs this before it links release/glibc-compat.c into the binary: the shim's hypotf must
 * give glibc's results, bit for bit, and glibc's errno, for both of glibc's versions of hypotf (the
 * GLIBC_2.35 one the link would otherwise bind, and the GLIBC_2.2.5 one older glibc has), over random bit
 * patterns, ordinary values, values near overflow and the special ones. Prints one line; exit 1 on a
 * difference. Build: cc -O2 -fno-builtin test-glibc-compat.c glibc-compat.o -lm (glibc-compat.o built as
 * scripts/release builds it). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

float __wrap_hypotf(float, float);
/* The version hypotf had before 2.35: the architecture's first glibc version. */
float hypotf_glibc_2_2_5(float, float);
#if defined(__aarch64__)
__asm__(".symver hypotf_glibc_2_2_5, hypotf@GLIBC_2.17");
#else
__asm__(".symver hypotf_glibc_2_2_5, hypotf@GLIBC_2.2.5");
#endif

static uint32_t state = 2463534242u;
static uint32_t next(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }
static uint32_t bits(float f) { uint32_t u; memcpy(&u, &f, sizeof u); return u; }
static float from_bits(uint32_t u) { float f; memcpy(&f, &u, sizeof f); return f; }
static long compared, differences;

static void compare(float x, float y) {
  float (*volatile glibc[2])(float, float) = {hypotf, hypotf_glibc_2_2_5};
  errno = 0;
  float ours = __wrap_hypotf(x, y);
  int our_errno = errno;
  for (int k = 0; k < 2; k++) {
    errno = 0;
    float theirs = glibc[k](x, y);
    int their_errno = errno;
    if ((bits(ours) != bits(theirs) && !(isnan(ours) && isnan(theirs))) || our_errno != their_errno) {
      if (differences++ < 5)
        printf("hypotf(%a, %a): ours %a (errno %d), glibc's %s %a (errno %d)\n", x, y, ours, our_errno,
               k ? "GLIBC_2.2.5" : "default", theirs, their_errno);
    }
  }
  compared++;
}

int main(void) {
  for (long i = 0; i < 1000000; i++) compare(from_bits(next()), from_bits(next()));
  for (long i = 0; i < 1000000; i++) compare((float)(next() % 100000) / 7.0f, ldexpf((float)next(), -(int)(next() % 40)));
  for (long i = 0; i < 200000; i++) {
    float big = from_bits(0x7e000000u | (next() & 0x01ffffffu)), other = from_bits(next() & 0x7f7fffffu);
    compare(big, other);
    compare(other, -big);
  }
  const float special[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, __builtin_nansf(""), FLT_MAX, -FLT_MAX,
                           FLT_MIN, FLT_TRUE_MIN, 3e38f, 1.0f, -1.0f};
  const int count = sizeof special / sizeof special[0];
  for (int i = 0; i < count; i++)
    for (int j = 0; j < count; j++) compare(special[i], special[j]);
  printf("release/glibc-compat.c: hypotf of %ld pairs compared with glibc's two versions, %ld differences\n",
         compared, differences);
  return differences == 0 ? 0 : 1;
}
