// SPDX-License-Identifier: MIT
/*
 * A parsed control command applied to the policy (kmod/control_parse.h): pure, through the
 * caller's table of operations, so that the all-or-nothing rule is tested on the host with a
 * policy that fails on demand. membw.ko calls it with its control lock held.
 */
#include <membw/errors.h>

#include "control_parse.h"

static int failed(struct kctl_failure *fail, int err, bool at_group, unsigned int index)
{
	fail->err = err;
	fail->at_group = at_group;
	fail->index = index;
	fail->undo_err = 0;
	return err;
}

/* Where the policy should have @cpu: its domain, or none while it is real-time. */
static int assign(const struct kctl_state *st, const struct kctl_ops *ops, unsigned int cpu,
		  uint32_t domain)
{
	return ops->set_domain(ops->ctx, cpu, st->cpu_realtime[cpu] ? MEMBW_NO_DOMAIN : domain);
}

static int apply_limits(const struct kctl_cmd *cmd, struct kctl_state *st,
			const struct kctl_ops *ops, struct kctl_failure *fail)
{
	unsigned int cpu, i;
	int err;

	/* Read every budget first (the only step that can fail on a sound policy), then set. */
	for (cpu = 0; cpu < cmd->n; cpu++) {
		err = ops->get_budget(ops->ctx, cpu, &st->saved[cpu][0], &st->saved[cpu][1]);
		if (err)
			return failed(fail, err, false, cpu);
	}
	for (cpu = 0; cpu < cmd->n; cpu++) {
		uint64_t budget[MEMBW_NCHANNELS] = { st->saved[cpu][0], st->saved[cpu][1] };

		budget[cmd->channel] = cmd->rates[cpu];
		err = ops->set_budget(ops->ctx, cpu, budget[0], budget[1]);
		if (err) {
			failed(fail, err, false, cpu);
			for (i = 0; i < cpu; i++) { /* put back the CPUs already set */
				int undo = ops->set_budget(ops->ctx, i, st->saved[i][0],
							   st->saved[i][1]);

				if (undo && !fail->undo_err)
					fail->undo_err = undo;
			}
			return err;
		}
	}
	return 0;
}

/* Where a group command puts @cpu: into the group, out of it (back to its own domain), or stays. */
static uint32_t group_target(const struct kctl_cmd *cmd, const struct kctl_state *st,
			     unsigned int cpu)
{
	uint32_t domain = st->env->ncpus + cmd->group;

	if (cmd->op == KCTL_GROUP && cmd->cpus[cpu])
		return domain;
	return st->cpu_domain[cpu] == domain ? cpu : st->cpu_domain[cpu];
}

/*
 * The group's budget first, then every CPU that moves, then the record (cpu_domain[]) once the
 * policy took all of it. A failure puts the CPUs already moved back where cpu_domain[] still
 * says they are, and the group's budget back, and names the CPU (or the group) that failed.
 */
static int apply_group(const struct kctl_cmd *cmd, struct kctl_state *st,
		       const struct kctl_ops *ops, struct kctl_failure *fail)
{
	uint32_t domain = st->env->ncpus + cmd->group;
	uint64_t old[MEMBW_NCHANNELS];
	unsigned int cpu, i;
	int err, undo;

	if (cmd->op == KCTL_GROUP) {
		err = ops->get_budget(ops->ctx, domain, &old[0], &old[1]);
		if (!err)
			err = ops->set_budget(ops->ctx, domain, cmd->rate[0], cmd->rate[1]);
		if (err)
			return failed(fail, err, true, cmd->group);
	}
	for (cpu = 0; cpu < st->env->ncpus; cpu++) {
		if (group_target(cmd, st, cpu) == st->cpu_domain[cpu])
			continue;
		err = assign(st, ops, cpu, group_target(cmd, st, cpu));
		if (!err)
			continue;
		failed(fail, err, false, cpu);
		for (i = 0; i < cpu; i++) {
			if (group_target(cmd, st, i) == st->cpu_domain[i])
				continue;
			undo = assign(st, ops, i, st->cpu_domain[i]);
			if (undo && !fail->undo_err)
				fail->undo_err = undo;
		}
		if (cmd->op == KCTL_GROUP) {
			undo = ops->set_budget(ops->ctx, domain, old[0], old[1]);
			if (undo && !fail->undo_err)
				fail->undo_err = undo;
		}
		return err;
	}
	for (cpu = 0; cpu < st->env->ncpus; cpu++)
		st->cpu_domain[cpu] = group_target(cmd, st, cpu);
	return 0;
}

int kctl_apply(const struct kctl_cmd *cmd, struct kctl_state *st, const struct kctl_ops *ops,
	       struct kctl_failure *fail)
{
	bool was;
	int err;

	switch (cmd->op) {
	case KCTL_LIMITS:
		return apply_limits(cmd, st, ops, fail);
	case KCTL_RECLAIM:
		err = ops->set_reclaim(ops->ctx, cmd->on);
		return err ? failed(fail, err, false, 0) : 0;
	case KCTL_SHARING:
		err = ops->set_sharing(ops->ctx, cmd->sharing);
		return err ? failed(fail, err, false, 0) : 0;
	case KCTL_REALTIME:
		was = st->cpu_realtime[cmd->cpu];
		st->cpu_realtime[cmd->cpu] = cmd->on;
		err = assign(st, ops, cmd->cpu, st->cpu_domain[cmd->cpu]);
		if (err)
			st->cpu_realtime[cmd->cpu] = was;
		return err ? failed(fail, err, false, cmd->cpu) : 0;
	case KCTL_GROUP:
	case KCTL_UNGROUP:
		return apply_group(cmd, st, ops, fail);
	case KCTL_MAXBW: /* the module's own setting: what MemGuard's percentages divide */
		st->env->maxbw_bps = cmd->rate[MEMBW_CH_READ];
		return 0;
	}
	return failed(fail, -MEMBW_EINVAL, false, 0);
}
