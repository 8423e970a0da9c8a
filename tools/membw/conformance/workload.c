/* SPDX-License-Identifier: MIT */
/*
 * The workloads of `membw conformance` (workload.h): what each kind of event is made from, run in
 * a worker process pinned to the CPU under test and counted by the perf backend (the suite's own
 * code never adds an event to the worker's count).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"

/*
 * n iterations of a two-instruction loop whose counter is a dependency chain: at least 2n
 * instructions retire, and they take at least n cycles (each decrement waits for the previous
 * one: one cycle of latency at least). Written in assembly so that the compiler can neither drop
 * nor unroll it. Returns false where no such loop is written (the workload then promises nothing).
 */
WORKLOAD_UNINSTRUMENTED static bool spin(uint64_t n)
{
	if (n == 0)
		return true;
#if defined(__x86_64__)
	__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n) : : "cc");
	return true;
#elif defined(__aarch64__)
	__asm__ volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(n) : : "cc");
	return true;
#else
	volatile uint64_t i;

	for (i = 0; i < n; i++)
		;
	return false;
#endif
}

/* @n fresh anonymous pages, one write each: n page faults (mmap(2): anonymous memory is
 * zero-filled on first access; MADV_NOHUGEPAGE keeps one fault per base page). With @by_kernel
 * the write is the kernel's: clock_gettime(2) stores its result into the page, so the fault is
 * taken in kernel mode while it copies to user memory (a kernel-level page fault for perf,
 * docs/conformance.md); otherwise this process writes the page in user mode. */
WORKLOAD_UNINSTRUMENTED static bool touch_pages(uint64_t n, long page, bool by_kernel)
{
	while (n) {
		size_t chunk = n > 4096 ? 4096 : (size_t)n, i;
		long addr = syscall(SYS_mmap, NULL, chunk * (size_t)page, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		volatile char *p = (volatile char *)addr;

		if (addr == -1)
			return false;
		syscall(SYS_madvise, addr, chunk * (size_t)page, MADV_NOHUGEPAGE);
		for (i = 0; i < chunk; i++) {
			if (!by_kernel)
				p[i * (size_t)page] = 1;
			else if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, addr + (long)i * page))
				return false;
		}
		syscall(SYS_munmap, addr, chunk * (size_t)page);
		n -= chunk;
	}
	return true;
}

/* Read one byte of each of @n lines, going on around the buffer where the last call stopped. */
WORKLOAD_UNINSTRUMENTED static void stream(struct workload *w, uint64_t n)
{
	volatile const unsigned char *b = w->buf;
	unsigned long sum = 0;

	while (n--) {
		sum += b[w->pos * w->line];
		if (++w->pos == w->lines)
			w->pos = 0;
	}
	w->sink += sum;
}

/* A size from sysfs: "32K", "1024K", "32M". 0 if unreadable. */
static uint64_t read_size(const char *path)
{
	char s[32], unit = 0;
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (!fgets(s, sizeof(s), f) || sscanf(s, "%llu%c", &v, &unit) < 1)
		v = 0;
	fclose(f);
	if (unit == 'K')
		v <<= 10;
	else if (unit == 'M')
		v <<= 20;
	else if (unit == 'G')
		v <<= 30;
	return v;
}

void workload_cache_geometry(uint64_t *largest, uint32_t *line, char *note, size_t len)
{
	char path[128], type[32];
	unsigned int i;
	uint64_t size, l;
	FILE *f;

	*largest = 0;
	*line = 0;
	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%u/type", i);
		f = fopen(path, "r");
		if (!f)
			break;
		if (!fgets(type, sizeof(type), f))
			type[0] = '\0';
		fclose(f);
		if (strncmp(type, "Data", 4) && strncmp(type, "Unified", 7))
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%u/size", i);
		size = read_size(path);
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu0/cache/index%u/coherency_line_size", i);
		l = read_size(path);
		if (size > *largest)
			*largest = size;
		if (l && (!*line || l < *line))
			*line = (uint32_t)l;
	}
	note[0] = '\0';
	if (!*largest || !*line) {
		/* ASSUMPTION: no cache geometry in sysfs (some VMs): 32 MiB, 64-byte lines, which
		 * covers the last-level caches of most client and small server parts. */
		snprintf(note, len, "no data cache geometry in /sys/devices/system/cpu/cpu0/cache: "
			 "assumed a 32 MiB last-level cache with 64-byte lines");
		*largest = 32u << 20;
		*line = 64;
	}
}

int workload_init(struct workload *w, enum workload_kind kind)
{
	uint64_t llc, bytes;
	uint32_t line;
	size_t i;

	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->page = sysconf(_SC_PAGESIZE);
	if (kind != WORKLOAD_STREAM)
		return 0;
	workload_cache_geometry(&llc, &line, w->note, sizeof(w->note));
	/* Four times the largest cache: every line is evicted before the stream comes back. */
	bytes = llc * 4;
	if (bytes > (1ull << 30))
		bytes = 1ull << 30;
	w->line = line;
	w->lines = bytes / line;
	w->buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->buf == MAP_FAILED) {
		w->buf = NULL;
		return -1;
	}
	for (i = 0; i < bytes; i += (size_t)w->page)
		((volatile unsigned char *)w->buf)[i] = 1;
	return 0;
}

WORKLOAD_UNINSTRUMENTED uint64_t workload_run(struct workload *w, uint64_t n, bool *ok)
{
	*ok = true;
	switch (w->kind) {
	case WORKLOAD_PAGES:
		*ok = touch_pages(n, w->page, false);
		return n;
	case WORKLOAD_INSTRUCTIONS:
		return spin(n / 2 + 1) ? 2 * (n / 2 + 1) : 0;
	case WORKLOAD_CYCLES:
		return spin(n) ? n : 0;
	case WORKLOAD_TIME:
		spin(n);
		return 0;
	case WORKLOAD_STREAM:
		stream(w, n);
		return 0;
	default:
		*ok = false;
		return 0;
	}
}

WORKLOAD_UNINSTRUMENTED bool workload_pages_by_kernel(struct workload *w, uint64_t n)
{
	return w->kind == WORKLOAD_PAGES && touch_pages(n, w->page, true);
}

const char *workload_describe(enum workload_kind kind)
{
	switch (kind) {
	case WORKLOAD_PAGES:
		return "fresh anonymous pages, one write each (1 page fault per page, exact)";
	case WORKLOAD_INSTRUCTIONS:
		return "a two-instruction loop (at least n instructions, not exact: the worker's own "
		       "code between commands adds some)";
	case WORKLOAD_CYCLES:
		return "a dependent decrement loop (at least one cycle per iteration, not exact)";
	case WORKLOAD_TIME:
		return "a busy loop (makes time pass; promises no count)";
	case WORKLOAD_STREAM:
		return "a read stream over four times the largest cache, one byte per line "
		       "(refills expected, none promised: prefetchers and other levels vary)";
	default:
		return "none";
	}
}
