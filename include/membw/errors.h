/* SPDX-License-Identifier: MIT */
/**
 * @file errors.h
 * @brief Error codes returned by every libmembw function.
 *
 * Functions return `int`: 0 on success or the negation of one of these codes. The values are the
 * ones Linux uses for the same errno names, so the kernel adapter passes them through unchanged and
 * a userspace caller may compare them with `-EINVAL` and friends from `<errno.h>`.
 */
#ifndef MEMBW_ERRORS_H
#define MEMBW_ERRORS_H

#include <membw/types.h>

#define MEMBW_EPERM 1      /**< Operation not permitted (e.g. a guest asking above its cap). */
#define MEMBW_ENOENT 2     /**< No such object (unknown domain, unknown event name). */
#define MEMBW_EIO 5        /**< The counter backend reported a hardware or I/O failure. */
#define MEMBW_EAGAIN 11    /**< Try again later (rate limit, transient contention). */
#define MEMBW_EBUSY 16     /**< The object is in use and cannot be changed now. */
#define MEMBW_ENODEV 19    /**< The hardware or the CPU is not there (absent PMU, offline CPU). */
#define MEMBW_EINVAL 22    /**< An argument is malformed or out of its documented range. */
#define MEMBW_ENOSPC 28    /**< The caller-supplied storage is too small. */
#define MEMBW_ERANGE 34    /**< A number is outside what can be represented or enforced. */
#define MEMBW_EOPNOTSUPP 95 /**< The backend or runtime lacks a feature this request needs. */

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Short English description of an error code.
 * @param err An error code, either sign (`-MEMBW_EINVAL` and `MEMBW_EINVAL` give the same text).
 * @return A static, NUL-terminated string; "unknown error" for codes not listed above, "success"
 *         for 0. Never NULL. Safe to call from any context.
 */
MEMBW_API const char *membw_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_ERRORS_H */
