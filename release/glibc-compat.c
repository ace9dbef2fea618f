/* Linked into the release binary by scripts/release only (with -Xlinker --wrap=hypotf), to keep its glibc
 * floor at 2.34 (RHEL 9 and its kin) instead of 2.35.
 *
 * glibc 2.35 gave hypotf a new symbol version, GLIBC_2.35, so linking here (Debian 12, glibc 2.36) binds the
 * toolchain's libswiftGlibc.a reference to hypotf@GLIBC_2.35: the only symbol in the binary above 2.34.
 * Every glibc still exports the old version, hypotf@GLIBC_2.2.5. It computes the same function with the
 * same code; only its error reporting goes through the old SVID wrapper, which on overflow sets errno to
 * ERANGE as the new one does. --wrap=hypotf sends the binary's references to __wrap_hypotf, which calls
 * that old version. */
float physio_hypotf_glibc_2_2_5(float x, float y);
__asm__(".symver physio_hypotf_glibc_2_2_5, hypotf@GLIBC_2.2.5");

float __wrap_hypotf(float x, float y) {
  return physio_hypotf_glibc_2_2_5(x, y);
}
