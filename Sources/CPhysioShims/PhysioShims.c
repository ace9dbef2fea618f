#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif
#include <stdio.h>
#include <unistd.h>
#include "PhysioShims.h"
#include <openssl/evp.h>

CURLcode physio_easy_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode physio_easy_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode physio_easy_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode physio_easy_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode physio_easy_set_data_callback(CURL *handle, CURLoption option, physio_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}
CURLcode physio_easy_set_progress_callback(CURL *handle, physio_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

CURLMcode physio_multi_set_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/* OpenSSL 3 looks the algorithm up in its provider registry (locks included) on every init with
   EVP_sha256(); fetching it once makes the per-file cost of many small files a plain context setup. */
static EVP_MD *fetched_sha256;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static void fetch_sha256(void) {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    fetched_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
#endif
}

void *physio_sha256_new(void) {
    pthread_once(&fetch_once, fetch_sha256);
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    if (context == NULL) return NULL;
    const EVP_MD *algorithm = fetched_sha256 != NULL ? fetched_sha256 : EVP_sha256();
    if (EVP_DigestInit_ex(context, algorithm, NULL) != 1) {
        EVP_MD_CTX_free(context);
        return NULL;
    }
    return context;
}
int physio_sha256_update(void *context, const void *bytes, size_t count) {
    return EVP_DigestUpdate((EVP_MD_CTX *)context, bytes, count);
}
int physio_sha256_finish(void *context, unsigned char *digest) {
    unsigned int length = 0;
    int ok = EVP_DigestFinal_ex((EVP_MD_CTX *)context, digest, &length);
    EVP_MD_CTX_free((EVP_MD_CTX *)context);
    return ok == 1 && length == 32;
}
void physio_sha256_free(void *context) {
    EVP_MD_CTX_free((EVP_MD_CTX *)context);
}

int physio_fix_mmap_threshold(int bytes) {
#ifdef __GLIBC__
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

int physio_syncfs(int descriptor) {
#ifdef __linux__
    return syncfs(descriptor);
#else
    return fsync(descriptor);
#endif
}

int physio_open_tmpfile(const char *directory, unsigned int mode) {
#ifdef O_TMPFILE
    return open(directory, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
#else
    (void)directory; (void)mode;
    return -1;
#endif
}

int physio_link_tmpfile(int descriptor, const char *path) {
    char procPath[64];
    snprintf(procPath, sizeof procPath, "/proc/self/fd/%d", descriptor);
    return linkat(AT_FDCWD, procPath, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

int physio_start_writeback(int descriptor, long long offset, long long length) {
#ifdef __linux__
    return sync_file_range(descriptor, offset, length, SYNC_FILE_RANGE_WRITE);
#else
    (void)descriptor; (void)offset; (void)length;
    return 0;
#endif
}

int physio_open_direct(const char *path, unsigned int mode) {
#ifdef O_DIRECT
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_DIRECT, mode);
#else
    (void)path; (void)mode;
    errno = EINVAL;
    return -1;
#endif
}

int physio_clear_direct(int descriptor) {
#ifdef O_DIRECT
    int flags = fcntl(descriptor, F_GETFL);
    if (flags < 0) return -1;
    return fcntl(descriptor, F_SETFL, flags & ~O_DIRECT);
#else
    (void)descriptor;
    return 0;
#endif
}

long long physio_filesystem_type(const char *path) {
#ifdef __linux__
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return (long long)info.f_type;
#else
    (void)path;
    return -1;
#endif
}

const char *physio_build_commit(void) {
#ifdef PHYSIO_BUILD_COMMIT
    return PHYSIO_BUILD_COMMIT;
#else
    return NULL;
#endif
}

const char *physio_build_date(void) {
#ifdef PHYSIO_BUILD_DATE
    return PHYSIO_BUILD_DATE;
#else
    return NULL;
#endif
}
