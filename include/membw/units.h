/* SPDX-License-Identifier: MIT */
/**
 * @file units.h
 * @brief The one place that reads and writes human units: rates ("500MB/s", "1.5GiB/s", "800M")
 *        and durations ("1ms", "2s", "250us").
 *
 * Decimal prefixes are powers of ten and binary ones powers of two: k/K = 10^3, M = 10^6,
 * G = 10^9, T = 10^12, P = 10^15, E = 10^18; Ki = 2^10, Mi = 2^20, Gi = 2^30, Ti = 2^40,
 * Pi = 2^50, Ei = 2^60. "MB" is therefore 10^6 bytes
 * (MemGuard treats it as 2^20; libmembw does not). Freestanding: no libc, no floating point; usable
 * in the kernel module and at EL2.
 */
#ifndef MEMBW_UNITS_H
#define MEMBW_UNITS_H

#include <membw/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * @brief Parse a rate in bytes per second.
 *
 * Grammar: optional spaces, digits with at most one '.' and up to 18 fraction digits, optional
 * spaces, optional prefix (k K M G T P E, each optionally followed by 'i'), optional 'B', optional
 * "/s", optional spaces, end of string. Prefix letters other than k are upper case; "b" (bits) is
 * refused. A bare number is bytes per second. The result is rounded down to a whole byte, but a
 * non-zero rate below 1 B/s (e.g. "0.5") is refused with -MEMBW_ERANGE: zero is only ever a number
 * written as zero ("0", "0.0MB/s"), never the result of rounding. The word
 * "unlimited" gives ::MEMBW_UNLIMITED, so every string membw_format_rate() writes parses back.
 * Examples: "500MB/s" = 500000000, "1.5GiB/s" = 1610612736, "800M" = 800000000, "64" = 64.
 * @param text NUL-terminated input.
 * @param bps  Receives the rate on success; unchanged on error.
 * @param why  If not NULL, receives a static English reason on error (e.g. "negative rate"), NULL
 *             on success.
 * @retval 0 Parsed.
 * @retval -MEMBW_EINVAL NULL @p text or @p bps, empty input, a sign, garbage, an unknown unit.
 * @retval -MEMBW_ERANGE The value does not fit in 64 bits, or is not zero but below 1 B/s.
 */
MEMBW_API int membw_parse_rate(const char *text, uint64_t *bps, const char **why);

/**
 * @brief Parse a duration in nanoseconds.
 *
 * Grammar as for membw_parse_rate() with a required unit: "ns", "us", "ms", "s". Examples: "1ms" =
 * 1000000, "2s" = 2000000000, "0.5ms" = 500000, "250us" = 250000. Rounded down to a whole
 * nanosecond; a non-zero duration below 1 ns (e.g. "0.5ns") is refused with -MEMBW_ERANGE, so zero
 * is only ever a number written as zero ("0s").
 * @param text NUL-terminated input.
 * @param ns   Receives the duration on success; unchanged on error.
 * @param why  If not NULL, receives a static English reason on error, NULL on success.
 * @retval 0 Parsed.
 * @retval -MEMBW_EINVAL NULL pointer, empty input, a sign, garbage, a missing or unknown unit.
 * @retval -MEMBW_ERANGE The value does not fit in 64 bits, or is not zero but below 1 ns.
 */
MEMBW_API int membw_parse_duration(const char *text, uint64_t *ns, const char **why);

/** @brief Buffer size that holds any string membw_format_rate() or membw_format_duration() writes. */
#define MEMBW_FORMAT_MAX 24u

/**
 * @brief Write @p bps as a decimal rate with three significant digits and its unit, e.g.
 *        "500 MB/s", "1.61 GB/s", "64 B/s", "unlimited" for ::MEMBW_UNLIMITED.
 *
 * Uses decimal prefixes (B, kB, MB, GB, TB, PB, EB); digits beyond the third are truncated, never
 * rounded up.
 * @param buf Destination; NUL-terminated on return when @p len > 0.
 * @param len Size of @p buf; ::MEMBW_FORMAT_MAX is always enough.
 * @param bps The rate, bytes per second.
 * @return Characters written, not counting the NUL; -MEMBW_ERANGE if @p len was too small (@p buf
 *         then holds a truncated, NUL-terminated prefix); -MEMBW_EINVAL if @p buf is NULL.
 */
MEMBW_API int membw_format_rate(char *buf, size_t len, uint64_t bps);

/**
 * @brief Write @p ns as a duration with three significant digits: "1 ms", "250 us", "2.5 s",
 *        "17 ns"; whole seconds from 1000 s up ("3600 s").
 * @param buf Destination; NUL-terminated on return when @p len > 0.
 * @param len Size of @p buf; ::MEMBW_FORMAT_MAX is always enough.
 * @param ns  The duration, nanoseconds.
 * @return As for membw_format_rate().
 */
MEMBW_API int membw_format_duration(char *buf, size_t len, uint64_t ns);

#ifdef __cplusplus
}
#endif

#endif /* MEMBW_UNITS_H */
