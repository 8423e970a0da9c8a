/* SPDX-License-Identifier: MIT */
/*
 * Cost of one memtalk dispatch, in instructions: run under valgrind's callgrind with collection
 * toggled on inside membw_memtalk_host_dispatch() (run-bench does that), divide by the calls made.
 * Usage: bench-memtalk KIND CALLS, KIND one of version, set, get, stats, refused.
 * The policy runs on the test backend with 64 CPUs in 64 one-CPU domains, one VM per domain.
 */
#include <membw/membw.h>
#include <membw/memtalk_guest.h>
#include <membw/memtalk_host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_backend.h"

#define NCPUS 64u

static void nothing(void *ctx, unsigned int cpu)
{
	(void)ctx;
	(void)cpu;
}

int main(int argc, char **argv)
{
	static struct membw_memtalk_vm_limits lim[NCPUS];
	struct membw_memtalk_host_config hc = {.size = sizeof(hc), .nvms = NCPUS, .burst = 1};
	struct membw_env env = {.size = sizeof(env), .throttle = nothing, .unthrottle = nothing};
	struct membw_memtalk_host *h;
	struct membw_config cfg;
	struct membw *m;
	struct tb tb;
	void *pmem, *hmem;
	long calls, i;
	const char *kind;

	if (argc != 3 || (calls = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: %s version|set|get|stats|refused CALLS\n", argv[0]);
		return 2;
	}
	kind = argv[1];
	tb_defaults(&tb);
	membw_config_init(&cfg);
	cfg.ncpus = NCPUS;
	cfg.ndomains = NCPUS;
	pmem = aligned_alloc(MEMBW_STORAGE_ALIGN,
			     MEMBW_ALIGN_UP(membw_storage_size(NCPUS, NCPUS, tb_backend.priv_size)));
	hmem = aligned_alloc(MEMBW_MEMTALK_ALIGN, membw_memtalk_host_size(NCPUS));
	if (!pmem || !hmem ||
	    membw_init(&m, pmem, membw_storage_size(NCPUS, NCPUS, tb_backend.priv_size), &cfg,
		       &tb_backend, &tb, &env))
		return 1;
	for (unsigned int c = 0; c < NCPUS; c++) {
		membw_cpu_set_domain(m, c, c);
		membw_domain_set_budget(m, c, 640000000, 320000000);
		membw_cpu_online(m, c, 1000000000, NULL);
		lim[c] = (struct membw_memtalk_vm_limits){
			.domain = c, .cap_bps = {640000000, 320000000}, .floor_bps = {6400000, 0}};
	}
	if (membw_memtalk_host_init(&h, hmem, membw_memtalk_host_size(NCPUS), m, &hc, lim))
		return 1;
	for (i = 0; i < calls; i++) {
		struct membw_memtalk_regs r = {{0}};

		if (!strcmp(kind, "version")) {
			membw_memtalk_encode_version(&r, 0);
		} else if (!strcmp(kind, "set")) {
			membw_memtalk_encode_set_budget(&r, 0, 500000000 + (uint64_t)(i & 1) * 64000,
							64000000);
		} else if (!strcmp(kind, "get")) {
			membw_memtalk_encode_get_budget(&r, 0, 0);
		} else if (!strcmp(kind, "stats")) {
			membw_memtalk_encode_get_stats(&r, 0, 0);
		} else if (!strcmp(kind, "refused")) {
			membw_memtalk_encode_set_budget(&r, 0, 640000001, 0); /* above the cap */
		} else {
			fprintf(stderr, "%s: unknown kind '%s'\n", argv[0], kind);
			return 2;
		}
		if (membw_memtalk_host_dispatch(h, (unsigned int)(i % NCPUS), &r, 1000000000) != 0 ||
		    (strcmp(kind, "refused") ? r.r[0] != 0 : r.r[0] == 0)) {
			fprintf(stderr, "%s: %s call %ld answered %lld\n", argv[0], kind, i,
				(long long)r.r[0]);
			return 1;
		}
	}
	free(pmem);
	free(hmem);
	return 0;
}
