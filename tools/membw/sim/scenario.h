/* SPDX-License-Identifier: MIT */
/*
 * Scenario files: INI files (parsed by inih) describing a machine, its workloads, budgets and
 * faults. Every key, its unit and its default: scenarios/README.md.
 */
#ifndef MEMBW_TOOL_SCENARIO_H
#define MEMBW_TOOL_SCENARIO_H

#include "sim.h"

#define SCENARIO_NAME_MAX 32
#define SCENARIO_ERR_MAX 512

struct scenario_core {
	char name[SCENARIO_NAME_MAX];
	struct sim_phase *phases; /* owned by the core's section (shared by a range of cores) */
	size_t nphases;
	bool repeat;
	uint32_t section;         /* index of the [core] section that described it; 0: none */
	bool has_budget;          /* a budget of its own: a domain of one CPU */
	uint64_t budget[MEMBW_NCHANNELS];
	bool realtime;
	uint32_t domain;          /* index in scenario::domain, or MEMBW_NO_DOMAIN */
	int line;                 /* of its [core] section header; 0: none */
	int budget_line[MEMBW_NCHANNELS]; /* of each channel's budget key, else the header */
	char title[128];          /* its section's title, e.g. "core 1-3" */
};

struct scenario_domain {
	char name[SCENARIO_NAME_MAX];
	uint64_t budget[MEMBW_NCHANNELS];
	bool has_budget;
	int line;                 /* of its [domain] section header */
	int budget_line[MEMBW_NCHANNELS]; /* of each channel's budget key, else the header */
};

/* scenario::setting_line of a setting a command-line option gave (membw sim --period). */
#define SCENARIO_SET_BY_OPTION (-1)

struct scenario {
	char name[256];             /* the file, as given */
	struct sim_config sim;      /* machine, timing, seed; workloads and regulation unset */
	uint32_t rt_core;           /* the core whose progress is plotted */
	uint32_t ncores;
	struct scenario_core *core;
	uint32_t ndomains;
	struct scenario_domain *domain;
	struct sim_fault *fault;
	int *fault_line;            /* per fault: its section header's line */
	size_t nfaults;
	/* Where each machine setting was written ([sim], [dram], [pmu]); 0: the default;
	 * SCENARIO_SET_BY_OPTION: a command-line option replaced the file's value. */
	int setting_line[SIM_SETTING_COUNT];
	/* storage owned by the scenario */
	struct sim_phase **owned;
	size_t nowned;
};

/*
 * Load @path. Returns 0, or a negative MEMBW_E* code with "FILE:LINE: what is wrong; what is
 * expected" in @err; on error @sc is left empty (scenario_free() is then a no-op).
 */
int scenario_load_file(const char *path, struct scenario *sc, char *err, size_t errlen);

/* The same from text in memory, called @name in messages; trace paths are relative to @dir. */
int scenario_load_string(const char *name, const char *dir, const char *text, struct scenario *sc,
			 char *err, size_t errlen);

void scenario_free(struct scenario *sc);

/* Sum of the finite read budgets of every regulated domain (own-budget cores and domains). */
uint64_t scenario_budget_sum(const struct scenario *sc, unsigned int channel);

#endif /* MEMBW_TOOL_SCENARIO_H */
