/* SPDX-License-Identifier: MIT */
/* The simulator's configuration: defaults, and the checks sim_run() makes before it starts. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define NS_PER_S 1000000000ull
/* The progress clock W counts SIM_SCALE units per ns in 64 bits: a day keeps far from its end. */
#define DURATION_MAX_NS (86400ull * NS_PER_S)

void sim_config_init(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ncpus = 1;
	cfg->period_ns = MEMBW_PERIOD_DEFAULT_NS;
	cfg->duration_ns = NS_PER_S;
	cfg->seed = 1;
	cfg->peak_bps = 6000000000ull;
	cfg->guaranteed_bps = 1200000000ull;
	cfg->line_size = 64;
	cfg->counter_bits = 32;
	cfg->channels = 2;
	cfg->ipi_latency_ns = 1000;
}

static int bad(char *buf, size_t len, const char **why, const char *text)
{
	snprintf(buf, len, "%s", text);
	if (why)
		*why = buf;
	return -MEMBW_EINVAL;
}

/* bad(), naming the culprit. */
static int bad_at(struct sim_culprit *culprit, enum sim_setting setting, size_t index, char *buf,
		  size_t len, const char **why, const char *text)
{
	if (culprit)
		*culprit = (struct sim_culprit){ .setting = setting, .index = index };
	return bad(buf, len, why, text);
}

/* One domain's budget for channel @ch, when it has one. The reason starts "domain N: "; *@subject
 * receives that prefix's length, so a caller that names the domain its own way can drop it. */
static int check_budget(const struct sim_config *cfg, uint32_t i, unsigned int ch, char *buf,
			size_t len, const char **why, size_t *subject)
{
	uint64_t bps = cfg->reg.budget[i][ch], events;
	int n = snprintf(buf, len, "domain %u: ", i);

	*subject = n > 0 && (size_t)n < len ? (size_t)n : 0;

	if (bps == MEMBW_UNLIMITED)
		return 0;
	if (ch == MEMBW_CH_WRITE && cfg->channels < 2) {
		snprintf(buf + *subject, len - *subject, "a write budget needs a PMU with 2 channels");
		*why = buf;
		return -MEMBW_EINVAL;
	}
	if (membw_bps_to_events(bps, cfg->period_ns, cfg->line_size, &events) && bps) {
		snprintf(buf + *subject, len - *subject,
			 "%s budget %llu B/s is below one %u-byte line per period, or above %u lines "
			 "per period",
			 ch == MEMBW_CH_READ ? "read" : "write", (unsigned long long)bps,
			 cfg->line_size, MEMBW_MAX_EVENTS_PER_PERIOD);
		*why = buf;
		return -MEMBW_ERANGE;
	}
	return 0;
}

static int check_regulation(const struct sim_config *cfg, char *buf, size_t len, const char **why,
			    struct sim_culprit *culprit)
{
	const struct sim_regulation *reg = &cfg->reg;
	uint32_t i;
	unsigned int ch;
	size_t subject;
	int err;

	if (reg->ndomains > MEMBW_MAX_DOMAINS)
		return bad(buf, len, why, "too many domains");
	if (!reg->ndomains)
		return 0;
	if (!reg->budget || !reg->domain_of)
		return bad(buf, len, why, "domains without budgets or CPU assignments");
	if (reg->reclaim > 1 || reg->sharing > MEMBW_SHARE_PROPORTIONAL)
		return bad(buf, len, why, "unknown reclaim or sharing mode");
	for (i = 0; i < cfg->ncpus; i++) {
		if (reg->domain_of[i] >= reg->ndomains && reg->domain_of[i] != MEMBW_NO_DOMAIN) {
			snprintf(buf, len, "CPU %u: no domain %u", i, reg->domain_of[i]);
			*why = buf;
			return -MEMBW_EINVAL;
		}
	}
	for (i = 0; i < reg->ndomains; i++) {
		for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
			err = check_budget(cfg, i, ch, buf, len, why, &subject);
			if (err) {
				if (culprit)
					*culprit = (struct sim_culprit){
						.setting = SIM_SETTING_DOMAIN, .index = i, .channel = ch,
						.detail = *why + subject
					};
				return err;
			}
		}
	}
	return 0;
}

int sim_validate(const struct sim_config *cfg, char *buf, size_t len, const char **why)
{
	return sim_validate_culprit(cfg, buf, len, why, NULL);
}

int sim_validate_culprit(const struct sim_config *cfg, char *buf, size_t len, const char **why,
			 struct sim_culprit *culprit)
{
	static const char latency[] =
		"interrupt latency, tick jitter and IPI latency must be below the period";
	uint32_t i;
	size_t f;
	int err;

	if (culprit)
		*culprit = (struct sim_culprit){ .setting = SIM_SETTING_NONE };
	if (!cfg->ncpus || cfg->ncpus > MEMBW_MAX_CPUS)
		return bad_at(culprit, SIM_SETTING_CPUS, 0, buf, len, why,
			      "the number of cores must be 1 .. 4096");
	if (cfg->period_ns < MEMBW_PERIOD_MIN_NS || cfg->period_ns > MEMBW_PERIOD_MAX_NS)
		return bad_at(culprit, SIM_SETTING_PERIOD, 0, buf, len, why,
			      "the period must be 100 us .. 1 s");
	if (cfg->duration_ns < cfg->period_ns || cfg->duration_ns > DURATION_MAX_NS)
		return bad_at(culprit, SIM_SETTING_DURATION, 0, buf, len, why,
			      "the duration must be one period .. 1 day");
	if (!cfg->peak_bps || cfg->peak_bps == MEMBW_UNLIMITED)
		return bad_at(culprit, SIM_SETTING_PEAK, 0, buf, len, why,
			      "the DRAM peak bandwidth must be a finite rate above 0");
	if (cfg->guaranteed_bps > cfg->peak_bps)
		return bad_at(culprit, SIM_SETTING_GUARANTEED, 0, buf, len, why,
			      "the guaranteed bandwidth is above the peak");
	if (cfg->line_size < 8 || cfg->line_size > 4096 || (cfg->line_size & (cfg->line_size - 1)))
		return bad_at(culprit, SIM_SETTING_LINE_SIZE, 0, buf, len, why,
			      "the line size must be a power of two, 8 .. 4096 bytes");
	if (cfg->counter_bits < 8 || cfg->counter_bits > 64)
		return bad_at(culprit, SIM_SETTING_COUNTER_BITS, 0, buf, len, why,
			      "counters must be 8 .. 64 bits wide");
	if (cfg->channels < 1 || cfg->channels > 2)
		return bad_at(culprit, SIM_SETTING_CHANNELS, 0, buf, len, why,
			      "the PMU has 1 or 2 channels");
	if (cfg->irq_latency_ns >= cfg->period_ns)
		return bad_at(culprit, SIM_SETTING_IRQ_LATENCY, 0, buf, len, why, latency);
	if (cfg->tick_jitter_ns >= cfg->period_ns)
		return bad_at(culprit, SIM_SETTING_TICK_JITTER, 0, buf, len, why, latency);
	if (cfg->ipi_latency_ns >= cfg->period_ns)
		return bad_at(culprit, SIM_SETTING_IPI_LATENCY, 0, buf, len, why, latency);
	if (cfg->arm_window_lines > 1000000)
		return bad_at(culprit, SIM_SETTING_ARM_WINDOW, 0, buf, len, why,
			      "the read-to-arm window must be at most 1,000,000 lines");
	if (!cfg->workloads)
		return bad(buf, len, why, "no workloads");
	for (i = 0; i < cfg->ncpus; i++) {
		char inner[160];
		const char *w;

		err = sim_workload_check(&cfg->workloads[i], cfg->line_size, inner, sizeof(inner),
					 &w);
		if (err) {
			if (culprit)
				*culprit = (struct sim_culprit){ .setting = SIM_SETTING_WORKLOAD,
								 .index = i };
			snprintf(buf, len, "core %u: %s", i, w);
			*why = buf;
			return err;
		}
	}
	for (f = 0; f < cfg->nfaults; f++) {
		const struct sim_fault *x = &cfg->faults[f];

		if (x->kind < SIM_FAULT_LOST_OVERFLOW || x->kind > SIM_FAULT_CLOBBER)
			return bad_at(culprit, SIM_SETTING_FAULT, f, buf, len, why,
				      "unknown fault kind");
		if (x->cpu >= cfg->ncpus)
			return bad_at(culprit, SIM_SETTING_FAULT, f, buf, len, why,
				      "a fault names a core that is not there");
		if (x->kind == SIM_FAULT_CLOBBER && x->channel >= cfg->channels)
			return bad_at(culprit, SIM_SETTING_FAULT, f, buf, len, why,
				      "a clobber fault names a counter that is not there");
		if (x->kind == SIM_FAULT_CLOBBER && cfg->counter_bits < 64 &&
		    x->value >> cfg->counter_bits)
			return bad_at(culprit, SIM_SETTING_FAULT, f, buf, len, why,
				      "a clobber value must fit the counter's width");
		if (x->kind == SIM_FAULT_LATE_TICK && x->value >= cfg->period_ns * 1000)
			return bad_at(culprit, SIM_SETTING_FAULT, f, buf, len, why,
				      "a late tick must be late by less than 1000 periods");
	}
	return check_regulation(cfg, buf, len, why, culprit);
}
