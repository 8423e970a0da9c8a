/* SPDX-License-Identifier: MIT */
/* Creating a policy in caller-supplied storage: validation of everything it is handed, layout. */
#include "internal.h"

_Static_assert(sizeof(struct membw) <= MEMBW_HEADER_BYTES, "raise MEMBW_HEADER_BYTES");
_Static_assert(sizeof(struct cpu) <= MEMBW_CPU_BYTES, "raise MEMBW_CPU_BYTES");
_Static_assert(sizeof(struct domain) <= MEMBW_DOMAIN_BYTES, "raise MEMBW_DOMAIN_BYTES");
_Static_assert(MEMBW_HEADER_BYTES % MEMBW_STORAGE_ALIGN == 0, "header keeps CPUs aligned");
_Static_assert(MEMBW_CPU_BYTES % MEMBW_STORAGE_ALIGN == 0, "CPU blocks stay aligned");
_Static_assert(MEMBW_DOMAIN_BYTES % MEMBW_STORAGE_ALIGN == 0, "domains stay aligned");

/* Where each version ends: a backend's or env's `size` must cover its version. */
#define BACKEND_V1_SIZE (offsetof(struct membw_backend, stop) + sizeof(void (*)(void)))
#define BACKEND_V2_SIZE (offsetof(struct membw_backend, rearm) + sizeof(void (*)(void)))
#define BACKEND_V3_SIZE (offsetof(struct membw_backend, direct_reader) + sizeof(void (*)(void)))
#define ENV_V1_SIZE (offsetof(struct membw_env, trace) + sizeof(void (*)(void)))

void membw_config_init(struct membw_config *cfg)
{
	unsigned int ch;

	if (!cfg)
		return;
	cfg->size = sizeof(*cfg);
	cfg->ncpus = 1;
	cfg->ndomains = 0;
	cfg->sharing = MEMBW_SHARE_NONE;
	cfg->period_ns = MEMBW_PERIOD_DEFAULT_NS;
	cfg->reclaim = 0;
	cfg->levels = MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL;
	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		cfg->event[ch] = 0;
	cfg->chunk_divisor = MEMBW_CHUNK_DIVISOR_DEFAULT;
	cfg->min_chunk_events = MEMBW_MIN_CHUNK_DEFAULT;
}

size_t membw_storage_size(uint32_t ncpus, uint32_t ndomains, uint32_t priv_size)
{
	if (!ncpus || ncpus > MEMBW_MAX_CPUS || ndomains > MEMBW_MAX_DOMAINS)
		return 0;
	return MEMBW_STORAGE_SIZE(ncpus, ndomains, priv_size);
}

/* A caller built against a newer header may pass a longer struct: fine if the tail is zero. */
static bool tail_is_zero(const void *p, size_t known, size_t size)
{
	const unsigned char *b = p;

	for (; known < size; known++)
		if (b[known])
			return false;
	return true;
}

static bool config_ok(const struct membw_config *cfg)
{
	return cfg->size >= sizeof(*cfg) && tail_is_zero(cfg, sizeof(*cfg), cfg->size) &&
	       cfg->ncpus >= 1 && cfg->ncpus <= MEMBW_MAX_CPUS &&
	       cfg->ndomains <= MEMBW_MAX_DOMAINS && cfg->sharing <= MEMBW_SHARE_PROPORTIONAL &&
	       cfg->period_ns >= MEMBW_PERIOD_MIN_NS && cfg->period_ns <= MEMBW_PERIOD_MAX_NS &&
	       cfg->reclaim <= 1 && cfg->levels && !(cfg->levels & ~MEMBW_COUNT_ALL) &&
	       cfg->chunk_divisor >= 1 && cfg->chunk_divisor <= 64 && cfg->min_chunk_events >= 1 &&
	       cfg->min_chunk_events <= (1u << 20);
}

static bool backend_ok(const struct membw_backend *be)
{
	size_t need = be->abi_version >= 3   ? BACKEND_V3_SIZE
		      : be->abi_version == 2 ? BACKEND_V2_SIZE
					     : BACKEND_V1_SIZE;

	return be->abi_version >= 1 && be->abi_version <= MEMBW_BACKEND_ABI_VERSION &&
	       be->size >= need && be->name && !be->reserved && be->probe && be->cpu_init &&
	       be->arm && be->read && be->stop;
}

/*
 * The hooks the hot paths call, resolved once: the optional ones of later versions (NULL where the
 * backend's version predates them), and read and arm copied so that a call loads one pointer.
 */
static void backend_hooks(struct membw *m, const struct membw_backend *be)
{
	m->cpu_exit = be->abi_version >= 2 ? be->cpu_exit : NULL;
	m->rearm = be->abi_version >= 2 && be->rearm ? be->rearm : be->arm;
	m->direct_reader = be->abi_version >= 3 ? be->direct_reader : NULL;
	m->read = be->read;
	m->arm = be->arm;
}

static bool env_ok(const struct membw_env *env, uint32_t sharing)
{
	return env->size >= ENV_V1_SIZE && !env->reserved && env->throttle && env->unthrottle &&
	       (sharing == MEMBW_SHARE_NONE || env->kick_all);
}

/* Facts a probe reported: refuse what no counter can be. */
static bool info_ok(const struct membw_backend_info *info)
{
	return (info->channels == 1 || info->channels == 2) && info->counter_bits >= 8 &&
	       info->counter_bits <= 64 && info->line_size >= 8 && info->line_size <= 4096 &&
	       !(info->line_size & (info->line_size - 1)) && !(info->levels & ~MEMBW_COUNT_ALL);
}

static void layout(struct membw *m, unsigned char *storage, const struct membw_config *cfg,
		   uint32_t priv_size)
{
	unsigned int i, ch;

	m->cpu_stride = MEMBW_CPU_BYTES + MEMBW_ALIGN_UP(priv_size);
	m->cpu_base = storage + MEMBW_HEADER_BYTES;
	m->domains = (struct domain *)(void *)(m->cpu_base + cfg->ncpus * m->cpu_stride);
	for (i = 0; i < cfg->ncpus; i++) {
		struct cpu *c = cpu_at(m, i);

		c->cpu = i;
		c->priv = (unsigned char *)c + MEMBW_CPU_BYTES;
		c->domain = MEMBW_NO_DOMAIN;
		c->member_of = MEMBW_NO_DOMAIN;
		c->assignment = assignment_word(MEMBW_NO_DOMAIN);
		c->changes_seen = CHANGES_NONE;
		c->steady_at = CHANGES_NONE;
		c->steady_reclaim_at = CHANGES_NONE;
		c->steady_reclaim2_at = CHANGES_NONE;
		for (ch = 0; ch < MEMBW_NCHANNELS; ch++) {
			c->ch[ch].budget = EVENTS_UNLIMITED;
			c->ch[ch].predict = PREDICTION_NONE;
			c->chunk_n[ch] = CHUNK_NONE;
			c->share_n[ch] = CHUNK_NONE;
		}
	}
	for (i = 0; i < cfg->ndomains; i++) {
		struct domain *d = &m->domains[i];

		d->budget = budget_word(EVENTS_UNLIMITED, EVENTS_UNLIMITED);
		for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
			d->bps[ch] = MEMBW_UNLIMITED;
	}
}

int membw_init(struct membw **out, void *storage, size_t storage_size,
	       const struct membw_config *cfg, const struct membw_backend *backend,
	       void *backend_ctx, const struct membw_env *env)
{
	struct membw_backend_info info;
	unsigned char *p = storage;
	struct membw *m = storage;
	size_t need, i;
	int err;

	if (!out || !storage || !cfg || !backend || !env ||
	    ((uintptr_t)storage & (MEMBW_STORAGE_ALIGN - 1)) || !config_ok(cfg) ||
	    !backend_ok(backend) || !env_ok(env, cfg->sharing))
		return -MEMBW_EINVAL;
	need = membw_storage_size(cfg->ncpus, cfg->ndomains, backend->priv_size);
	if (storage_size < need)
		return -MEMBW_ENOSPC;

	info.size = sizeof(info);
	info.channels = 0;
	info.counter_bits = 0;
	info.line_size = 0;
	info.levels = 0;
	info.caps = 0;
	err = backend->probe(backend_ctx, &info);
	if (err)
		return err < 0 ? err : -MEMBW_EIO;
	if (!info_ok(&info))
		return -MEMBW_EINVAL;
	if (cfg->levels & ~info.levels)
		return -MEMBW_EOPNOTSUPP;

	for (i = 0; i < need; i++)
		p[i] = 0;
	copy_bytes(&m->cfg, cfg, sizeof(m->cfg));
	m->cfg.size = sizeof(m->cfg);
	copy_bytes(&m->info, &info, sizeof(info));
	copy_bytes(&m->env, env, sizeof(m->env));
	m->env.size = sizeof(m->env);
	m->ncpus = cfg->ncpus;
	m->ndomains = cfg->ndomains;
	m->nch = info.channels;
	m->period_ns = cfg->period_ns;
	m->counter_mask = info.counter_bits == 64 ? U64_ALL : ((uint64_t)1 << info.counter_bits) - 1;
	m->counter_half = (uint64_t)1 << (info.counter_bits - 1);
	m->chunk_divisor = cfg->chunk_divisor;
	m->min_chunk = cfg->min_chunk_events;
	m->be = backend;
	m->be_ctx = backend_ctx;
	backend_hooks(m, backend);
	m->mode = cfg->sharing | (cfg->reclaim ? MODE_RECLAIM : 0);
	layout(m, p, cfg, backend->priv_size);
	m->magic = MEMBW_MAGIC;
	*out = m;
	return 0;
}

void *membw_cpu_get_priv(struct membw *m, uint32_t cpu)
{
	return cpu_bad(m, cpu) ? NULL : cpu_at(m, cpu)->priv;
}

int membw_get_config(const struct membw *m, struct membw_config *cfg)
{
	struct membw_config now;
	uint64_t mode;

	if (!m || m->magic != MEMBW_MAGIC || !cfg || cfg->size < sizeof(now))
		return -MEMBW_EINVAL;
	copy_bytes(&now, &m->cfg, sizeof(now));
	mode = load_relaxed(&m->mode);
	now.sharing = (uint32_t)(mode & MODE_SHARING_MASK);
	now.reclaim = (mode & MODE_RECLAIM) ? 1 : 0;
	copy_bytes(cfg, &now, sizeof(now));
	return 0;
}

int membw_get_backend_info(const struct membw *m, struct membw_backend_info *info)
{
	if (!m || m->magic != MEMBW_MAGIC || !info || info->size < sizeof(*info))
		return -MEMBW_EINVAL;
	copy_bytes(info, &m->info, sizeof(*info));
	return 0;
}
