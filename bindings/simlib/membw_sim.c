/* SPDX-License-Identifier: MIT */
/* libmembw-sim: the flat API of membw_sim.h over the scenario loader and experiment of
 * tools/membw/sim/ (the code behind `membw sim`). */
#include <stdlib.h>
#include <string.h>

#include "experiment.h"
#include "membw_sim.h"
#include "scenario.h"

struct membw_sim {
	struct scenario sc;
	struct experiment x;
	bool done; /* x holds the results of a run of sc as it is now */
};

static void say(char *err, size_t errlen, const char *what)
{
	if (err && errlen) {
		strncpy(err, what, errlen - 1);
		err[errlen - 1] = 0;
	}
}

/* A zeroed struct membw_sim, or NULL (said in @err). */
static struct membw_sim *alloc_sim(char *err, size_t errlen)
{
	struct membw_sim *s = calloc(1, sizeof(*s));

	if (!s)
		say(err, errlen, "out of memory");
	return s;
}

/* Hand @s out if its scenario loaded (@ret 0); otherwise pass the loader's @why on and free it. */
static int loaded(struct membw_sim **out, struct membw_sim *s, int ret, const char *why, char *err,
		  size_t errlen)
{
	if (ret) {
		say(err, errlen, why);
		free(s);
		return ret;
	}
	*out = s;
	return 0;
}

int membw_sim_load_file(struct membw_sim **out, const char *path, char *err, size_t errlen)
{
	char buf[SCENARIO_ERR_MAX];
	struct membw_sim *s;

	if (!out || !path) {
		say(err, errlen, "membw_sim_load_file: NULL pointer");
		return -MEMBW_EINVAL;
	}
	s = alloc_sim(err, errlen);
	if (!s)
		return -MEMBW_ENOSPC;
	return loaded(out, s, scenario_load_file(path, &s->sc, buf, sizeof(buf)), buf, err, errlen);
}

int membw_sim_load_string(struct membw_sim **out, const char *name, const char *dir,
			  const char *text, char *err, size_t errlen)
{
	char buf[SCENARIO_ERR_MAX];
	struct membw_sim *s;

	if (!out || !name || !dir || !text) {
		say(err, errlen, "membw_sim_load_string: NULL pointer");
		return -MEMBW_EINVAL;
	}
	s = alloc_sim(err, errlen);
	if (!s)
		return -MEMBW_ENOSPC;
	return loaded(out, s, scenario_load_string(name, dir, text, &s->sc, buf, sizeof(buf)), buf,
		      err, errlen);
}

uint32_t membw_sim_ncores(const struct membw_sim *s)
{
	return s ? s->sc.ncores : 0;
}

static void drop_results(struct membw_sim *s)
{
	if (s->done)
		experiment_free(&s->x);
	s->done = false;
}

int membw_sim_set_core_budget(struct membw_sim *s, uint32_t core, uint64_t read_bps,
			      uint64_t write_bps)
{
	struct scenario_core *c;

	if (!s || core >= s->sc.ncores)
		return -MEMBW_EINVAL;
	c = &s->sc.core[core];
	if (c->domain != MEMBW_NO_DOMAIN || c->realtime)
		return -MEMBW_EINVAL;
	drop_results(s);
	c->has_budget = read_bps != MEMBW_UNLIMITED || write_bps != MEMBW_UNLIMITED;
	c->budget[MEMBW_CH_READ] = read_bps;
	c->budget[MEMBW_CH_WRITE] = write_bps;
	return 0;
}

int membw_sim_run(struct membw_sim *s, char *err, size_t errlen)
{
	char buf[SCENARIO_ERR_MAX];
	int ret;

	if (!s) {
		say(err, errlen, "membw_sim_run: NULL pointer");
		return -MEMBW_EINVAL;
	}
	drop_results(s);
	ret = experiment_validate(&s->sc, buf, sizeof(buf));
	if (!ret)
		ret = experiment_run(&s->x, &s->sc, false, buf, sizeof(buf));
	if (ret) {
		experiment_free(&s->x);
		say(err, errlen, buf);
		return ret;
	}
	s->done = true;
	return 0;
}

int membw_sim_core_result(const struct membw_sim *s, uint32_t variant, uint32_t core,
			  struct membw_sim_core_result *out)
{
	const struct sim_cpu_result *r;
	uint32_t line, ch;

	if (!s || !out || variant >= MEMBW_SIM_NVARIANTS || core >= s->sc.ncores ||
	    out->size < sizeof(*out))
		return -MEMBW_EINVAL;
	if (!s->done)
		return -MEMBW_ENOENT;
	r = &s->x.run[variant].cpu[core];
	line = s->sc.sim.line_size;
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->regulated = experiment_budget(&s->sc, core, out->budget_bps);
	memcpy(out->name, s->sc.core[core].name, sizeof(out->name) - 1); /* both 32 bytes */
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		out->bytes[ch] = r->lines[ch] * line;
	out->duration_ns = s->x.run[variant].end_ns;
	out->work_ns = r->work_ns;
	out->solo_work_ns = s->x.solo_work[core];
	out->throttled_ns = r->throttled_ns;
	out->max_overshoot_bytes = r->max_overshoot * line;
	out->periods = r->stats.totals.periods;
	out->throttle_count = r->stats.totals.throttle_count;
	return 0;
}

void membw_sim_free(struct membw_sim *s)
{
	if (!s)
		return;
	drop_results(s);
	scenario_free(&s->sc);
	free(s);
}
