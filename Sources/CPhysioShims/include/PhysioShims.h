// Tiny, non-variadic wrappers: Swift cannot call C variadic functions such as
// curl_easy_setopt, and OpenSSL's EVP context is easier to own through four calls.
#ifndef PHYSIO_SHIMS_H
#define PHYSIO_SHIMS_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

typedef size_t (*physio_data_callback)(char *data, size_t size, size_t count, void *userdata);
typedef int (*physio_progress_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                        curl_off_t ultotal, curl_off_t ulnow);

CURLcode physio_easy_set_long(CURL *handle, CURLoption option, long value);
CURLcode physio_easy_set_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode physio_easy_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode physio_easy_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode physio_easy_set_data_callback(CURL *handle, CURLoption option, physio_data_callback callback);
CURLcode physio_easy_set_progress_callback(CURL *handle, physio_progress_callback callback);

CURLMcode physio_multi_set_long(CURLM *multi, CURLMoption option, long value);

/// Streaming SHA-256 over OpenSSL EVP. Returns NULL when OpenSSL cannot allocate.
void *physio_sha256_new(void);
int physio_sha256_update(void *context, const void *bytes, size_t count);
/// Writes 32 bytes into digest and frees the context.
int physio_sha256_finish(void *context, unsigned char *digest);
void physio_sha256_free(void *context);

/// mallopt(M_MMAP_THRESHOLD, bytes) where the C library is glibc (malloc.h is not in Swift's Glibc
/// module); 0 elsewhere.
int physio_fix_mmap_threshold(int bytes);

/// syncfs(2) needs _GNU_SOURCE, which Swift's Glibc module does not define.
int physio_syncfs(int descriptor);

/// An unnamed file in `directory` (Linux O_TMPFILE); -1 when the filesystem cannot. It gets a name only
/// through physio_link_tmpfile, so a file appears at its final path complete or not at all.
int physio_open_tmpfile(const char *directory, unsigned int mode);
int physio_link_tmpfile(int descriptor, const char *path);

/// Starts writeback of a written range without waiting (sync_file_range SYNC_FILE_RANGE_WRITE), so a large
/// download reaches the disk while it streams instead of in one long flush at the end.
int physio_start_writeback(int descriptor, long long offset, long long length);

/// Opens (creating, truncating) `path` for writing with O_DIRECT, bypassing the page cache; -1 with errno
/// set where the filesystem refuses it (tmpfs, for one).
int physio_open_direct(const char *path, unsigned int mode);
/// Turns O_DIRECT off on an open descriptor, for a tail that is not a whole number of blocks.
int physio_clear_direct(int descriptor);
/// The statfs magic number of the filesystem holding `path`; -1 when unknown.
long long physio_filesystem_type(const char *path);

/// The git commit and the build date that scripts/release passes as -DPHYSIO_BUILD_COMMIT and
/// -DPHYSIO_BUILD_DATE (C defines are the one build-time value SwiftPM passes through to a target); NULL in
/// a plain `swift build`.
const char *physio_build_commit(void);
const char *physio_build_date(void);

#endif
