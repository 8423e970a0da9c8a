/* SPDX-License-Identifier: MIT */
/*
 * Our event numbers against libpfm4's encoder (Debian's libpfm4 4.13, amd64). libpfm4 encodes
 * only for the PMU it detects; LIBPFM_FORCE_PMU=<pmu> in the environment makes it take that one,
 * so the make rule runs this program once per PMU (skx, clx, icx, spr) with the PMU as argument.
 * pfm_get_os_event_encoding() returns the raw IA32_PERFEVTSELx value; libpfm4 sets USR, OS, INT
 * and EN itself, so only bits 15:0 (event select and unit mask) are compared with our code.
 * Our "EVENT.UMASK" names are libpfm4's "pmu::EVENT:UMASK".
 */
#include "x86_refs.h"

#include <CUnit/CUnit.h>
#include "cunit_run.h"
#include "events.h"

#include <perfmon/pfmlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *pmu;

static void test_rows_agree(void)
{
	unsigned int n, t, r, i, agreed = 0, rows = 0;
	const struct x86_core *const *all = x86_core_tables(&n);
	int err = pfm_initialize();

	CHECK(err == PFM_SUCCESS, "pfm_initialize with LIBPFM_FORCE_PMU=%s: %s", pmu, pfm_strerror(err));
	if (err != PFM_SUCCESS)
		return;
	for (t = 0; t < n; t++)
		for (r = 0; r < X86_NREFS; r++) {
			if (strcmp(all[t]->name, x86_refs[r].core) != 0 || !x86_refs[r].pfm ||
			    strcmp(x86_refs[r].pfm, pmu) != 0)
				continue;
			for (i = 0; i < all[t]->nevents; i++) {
				const struct x86_event *e = &all[t]->events[i];
				char name[128], *dot;
				uint64_t codes[4] = { 0 };
				pfm_pmu_encode_arg_t arg;

				snprintf(name, sizeof(name), "%s::%s", pmu, e->name);
				dot = strrchr(name, '.');
				if (dot)
					*dot = ':';
				memset(&arg, 0, sizeof(arg));
				arg.size = sizeof(arg);
				arg.codes = codes;
				arg.count = 4;
				err = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_NONE, &arg);
				rows++;
				CHECK(err == PFM_SUCCESS, "libpfm4 encodes %s (%s): %s", name, all[t]->name,
				      pfm_strerror(err));
				if (err != PFM_SUCCESS)
					continue;
				CHECK((codes[0] & 0xFFFF) == e->code, "%s %s: ours 0x%04X, libpfm4 0x%04llX",
				      all[t]->name, e->name, e->code,
				      (unsigned long long)(codes[0] & 0xFFFF));
				CHECK((codes[0] & 0x530000) == 0x530000,
				      "libpfm4's value has USR|OS|INT|EN (0x530000): it is an IA32_PERFEVTSELx value");
				agreed += (codes[0] & 0xFFFF) == e->code;
			}
			printf("\n  %s (libpfm4 %s): %u of %u rows agree", all[t]->name, pmu, agreed, rows);
			agreed = rows = 0;
		}
	printf("\n");
	pfm_terminate();
}

int main(int argc, char **argv)
{
	CU_pSuite s;
	char title[64];

	if (argc != 2 || !getenv("LIBPFM_FORCE_PMU") || strcmp(getenv("LIBPFM_FORCE_PMU"), argv[1])) {
		fprintf(stderr, "usage: LIBPFM_FORCE_PMU=PMU %s PMU\n", argv[0]);
		return 2;
	}
	pmu = argv[1];
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("x86 event codes vs libpfm4", NULL, NULL);
	if (!s || !CU_add_test(s, "rows agree", test_rows_agree))
		return 2;
	snprintf(title, sizeof(title), "x86-events (libpfm4 %s)", pmu);
	return cunit_run(title);
}
