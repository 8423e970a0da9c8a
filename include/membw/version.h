/* SPDX-License-Identifier: MIT */
/**
 * @file version.h
 * @brief The libmembw version: the one place it is defined.
 *
 * The build reads it from here (the Makefile, the pkg-config file, the SONAME), so the header a
 * program compiles against and the library it loads can be compared at run time:
 * membw_version_number() against ::MEMBW_VERSION_NUMBER.
 */
#ifndef MEMBW_VERSION_H
#define MEMBW_VERSION_H

#include <membw/types.h>

/** @brief Major version: bumped on incompatible changes; the SONAME is `libmembw.so.MAJOR`. */
#define MEMBW_VERSION_MAJOR 0
/** @brief Minor version: bumped when something is added. */
#define MEMBW_VERSION_MINOR 1
/** @brief Patch version: bumped for fixes that change no interface. */
#define MEMBW_VERSION_PATCH 0
/** @brief The version as a string, "MAJOR.MINOR.PATCH". */
#define MEMBW_VERSION "0.1.0"
/** @brief The version as one number, `MAJOR * 1000000 + MINOR * 1000 + PATCH`, for comparisons. */
#define MEMBW_VERSION_NUMBER                                                                      \
	(MEMBW_VERSION_MAJOR * 1000000 + MEMBW_VERSION_MINOR * 1000 + MEMBW_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief The version of the library actually loaded, as "MAJOR.MINOR.PATCH".
 * @return A static string; ::MEMBW_VERSION of the headers the library was built with.
 */
MEMBW_API const char *membw_version(void);

/**
 * @brief The version of the library actually loaded, as one number.
 * @return ::MEMBW_VERSION_NUMBER of the headers the library was built with. A program built
 *         against headers of version H may check `membw_version_number() / 1000000 == H / 1000000`
 *         (same major) and `membw_version_number() >= H` (nothing it uses is missing).
 */
MEMBW_API uint32_t membw_version_number(void);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_VERSION_H */
