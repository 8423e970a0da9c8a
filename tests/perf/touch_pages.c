/* SPDX-License-Identifier: MIT */
/*
 * Workload for the perf tests: touch PAGES fresh anonymous pages, one write each, as fast as it
 * can, then print how many it touched. Each first write to a page of a private anonymous mapping
 * is one page fault (mmap(2), "MAP_ANONYMOUS ... initialized to zero" on first access);
 * transparent huge pages are refused with MADV_NOHUGEPAGE so one fault maps one base page.
 * Usage: touch_pages PAGES [CHUNK_PAGES]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE), total, chunk, done = 0, i;
	char *end;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: touch_pages PAGES [CHUNK_PAGES]\n");
		return 2;
	}
	total = strtol(argv[1], &end, 10);
	if (*end || total <= 0) {
		fprintf(stderr, "touch_pages: PAGES must be a positive number\n");
		return 2;
	}
	chunk = argc > 2 ? strtol(argv[2], &end, 10) : 256;
	if (chunk <= 0) {
		fprintf(stderr, "touch_pages: CHUNK_PAGES must be a positive number\n");
		return 2;
	}
	while (done < total) {
		long n = total - done < chunk ? total - done : chunk;
		volatile char *p = mmap(NULL, (size_t)(n * page), PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("touch_pages: mmap");
			return 1;
		}
		madvise((void *)p, (size_t)(n * page), MADV_NOHUGEPAGE);
		for (i = 0; i < n; i++)
			p[i * page] = 1;
		munmap((void *)p, (size_t)(n * page));
		done += n;
	}
	printf("touched %ld pages\n", done);
	return 0;
}
