/* SPDX-License-Identifier: MIT */
/*
 * Growing an array by doubling: what every recorder in the tests does to keep what it saw. Header
 * only, because the ThreadSanitizer stress test (tests/stress/stress.c, whose build line in the
 * top-level Makefile links no support source but test_backend.c) uses it too.
 */
#ifndef MEMBW_TEST_GROW_H
#define MEMBW_TEST_GROW_H

#include <stdio.h>
#include <stdlib.h>

/*
 * Make room for element @n of the array @p of @size-byte elements and capacity *@cap (doubled,
 * from 256, when full). Returns the array, which may have moved. Running out of memory is a setup
 * error of the test, not a verdict on the library: it says so and exits 2.
 */
static inline void *grow_array(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 256;
	p = realloc(p, *cap * size);
	if (!p) {
		fprintf(stderr, "out of memory growing a test's array to %zu elements\n", *cap);
		exit(2);
	}
	return p;
}

#endif /* MEMBW_TEST_GROW_H */
