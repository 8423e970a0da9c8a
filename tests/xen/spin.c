/* SPDX-License-Identifier: MIT */
/*
 * spin: a fixed CPU-bound workload for the Linux domU of tests/xen/linux-run. Runs N iterations
 * of a two-instruction loop (SUBS, B.NE: 2 N instructions retired) and prints the guest time
 * they took, read from CLOCK_MONOTONIC_RAW (the generic timer's virtual count through the vDSO).
 * Under QEMU's -icount shift=0 one instruction is 1 ns of guest time, so the difference between
 * 2 N and the time printed is what else ran on the vCPU's pCPU meanwhile: the guest kernel's
 * interrupts and the hypervisor's own work (the regulation's overhead, docs/xen.md).
 * Usage: spin [ITERATIONS]   (1 .. 10^10, default 50000000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SPIN_DEFAULT 50000000ull
#define SPIN_MAX 10000000000ull

static unsigned long long ns_of(const struct timespec *t)
{
	return (unsigned long long)t->tv_sec * 1000000000ull + (unsigned long long)t->tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long long n = SPIN_DEFAULT, i;
	struct timespec a, b;
	char *end;

	if (argc > 2 || (argc == 2 && !strcmp(argv[1], "--help"))) {
		fprintf(stderr, "usage: spin [ITERATIONS]   (1 .. %llu, default %llu)\n", SPIN_MAX,
			SPIN_DEFAULT);
		return 2;
	}
	if (argc == 2) {
		n = strtoull(argv[1], &end, 10);
		if (argv[1][0] < '0' || argv[1][0] > '9' || *end || n == 0 || n > SPIN_MAX) {
			fprintf(stderr, "spin: bad ITERATIONS '%s': give a whole number of 1 .. %llu\n",
				argv[1], SPIN_MAX);
			return 2;
		}
	}
	if (clock_gettime(CLOCK_MONOTONIC_RAW, &a)) {
		perror("spin: clock_gettime");
		return 1;
	}
	i = n;
	__asm__ volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(i) : : "cc");
	if (clock_gettime(CLOCK_MONOTONIC_RAW, &b)) {
		perror("spin: clock_gettime");
		return 1;
	}
	printf("spin: %llu instructions in %llu ns of guest time\n", 2 * n, ns_of(&b) - ns_of(&a));
	return 0;
}
