/* SPDX-License-Identifier: MIT */
/*
 * membw.ko's control files (read_limit, write_limit, control, domains), split in two pure halves
 * that include no kernel header, hold no global and allocate nothing, so that the same source
 * files are compiled unchanged into the module and into host tests and a fuzz target:
 *
 *   kctl_parse()   the bytes of one write() -> a fully validated command, or a refusal with its
 *                  reason; nothing is written to the command (or its arrays) on a refusal;
 *   kctl_render()  a command -> the text that parses back to it (tests and the fuzz target);
 *   kctl_apply()   a command -> the policy, through a table of operations, all of it or nothing
 *                  (a change that fails midway is undone), and which CPU or group failed.
 *
 * kmod/control.c keeps the kernel half: copying from user space, the lock, the operations on the
 * policy instance, the log, and the read side of the files. The grammar is kmod/README.md's.
 */
#ifndef KMEMBW_CONTROL_PARSE_H
#define KMEMBW_CONTROL_PARSE_H

#include <membw/types.h>

/* A write is 1 .. KCTL_MAX_WRITE - 1 bytes. */
#define KCTL_MAX_WRITE 4096u
/* Room for any reason kctl_parse() writes (a long word it quotes is cut short). */
#define KCTL_WHY_MAX 192u

/*
 * The file written to: membw's own four, then MemGuard's (memguard_compat=1, kmod/README.md
 * "MemGuard compatibility"), whose grammar is MemGuard's README's.
 */
enum kctl_file {
	KCTL_READ_LIMIT, KCTL_WRITE_LIMIT, KCTL_CONTROL, KCTL_DOMAINS,
	KCTL_MG_LIMIT,       /* "mb <MiB/s> ..." or "<percent of maxbw> ..." (read budgets) */
	KCTL_MG_READ_LIMIT,  /* "mb <MiB/s> ..." or "<events per period> ..." */
	KCTL_MG_WRITE_LIMIT, /* likewise, write-back budgets */
	KCTL_MG_CONTROL,     /* "maxbw <MiB/s>", "reclaim 0|1", "exclusive 0|2|5", "rt <cpu> 0|1" */
	KCTL_MG_SHARE,       /* "<weight> ...": read budgets, maxbw divided by weight */
};
#define KCTL_NFILES 9u

/* What a command does. */
enum kctl_op {
	KCTL_LIMITS,   /* rates[0 .. n-1] become channel's budgets of CPUs 0 .. n-1 */
	KCTL_RECLAIM,  /* reclaim on (on) or off */
	KCTL_SHARING,  /* sharing mode 0 none, 1 spare, 2 proportional (enum membw_sharing) */
	KCTL_REALTIME, /* cpu counted, never throttled (on), or regulated again */
	KCTL_GROUP,    /* group's budget is rate[], its CPUs exactly those with cpus[c] set */
	KCTL_UNGROUP,  /* group's CPUs get their own budgets back */
	KCTL_MAXBW,    /* MemGuard's maxbw becomes rate[MEMBW_CH_READ] bytes/s (whole MiB/s) */
};

/* The module's facts a command is validated against. */
struct kctl_env {
	unsigned int ncpus;     /* CPUs 0 .. ncpus - 1 exist; groups 0 .. ncpus - 1 */
	unsigned int nchannels; /* 1: no write-back event, only 'unlimited' write budgets */
	unsigned int mask_bits; /* bits of the kernel's CPU mask (>= ncpus): what "N", "all" mean */
	uint64_t period_ns;     /* the policy's period, for "at least one line per period" */
	uint32_t line_size;     /* bytes per counted event */
	uint64_t maxbw_bps;     /* MemGuard's maxbw: what percentages and weights divide, bytes/s */
};

/*
 * One parsed command. The caller points rates and cpus at arrays of ncpus entries before
 * kctl_parse(); only the fields of the parsed op are meaningful after it.
 */
struct kctl_cmd {
	enum kctl_op op;
	unsigned int channel;                /* LIMITS: MEMBW_CH_READ or MEMBW_CH_WRITE */
	unsigned int n;                      /* LIMITS: values given, 1 .. ncpus */
	unsigned int cpu;                    /* REALTIME */
	unsigned int group;                  /* GROUP, UNGROUP: 0 .. ncpus - 1 */
	unsigned int sharing;                /* SHARING */
	bool on;                             /* RECLAIM, REALTIME */
	uint64_t rate[MEMBW_NCHANNELS];      /* GROUP: bytes/s, MEMBW_UNLIMITED, or 0 (blocks) */
	uint64_t *rates;                     /* LIMITS: bytes/s per CPU (caller's array) */
	bool *cpus;                          /* GROUP: member CPUs (caller's array) */
};

/*
 * Is a write of @len bytes at file position @pos one whole command? 0, or -MEMBW_EINVAL with the
 * reason in @why. A write at a position other than 0 continues an earlier write() on the same
 * open file (a command split in two, "mb 1" then "00"), which parsed alone would mean something
 * else. Callers check this before copying the bytes; kctl_parse() checks it again.
 */
int kctl_check_write(size_t len, long long pos, char *why, size_t why_len);

/*
 * Parse one write to @file: @len bytes at @text, followed by a NUL (text[len] == 0), at file
 * position @pos. @text is modified (split into words). Returns 0 with *@cmd filled (and the
 * arrays it points to), or -MEMBW_EINVAL with the reason, quoting the offending word, in @why
 * (@why_len bytes, KCTL_WHY_MAX is enough) and *@cmd and its arrays untouched.
 */
int kctl_parse(enum kctl_file file, char *text, size_t len, long long pos,
	       const struct kctl_env *env, struct kctl_cmd *cmd, char *why, size_t why_len);

/*
 * Write @cmd as the text kctl_parse() reads back to the same command, for the file
 * kctl_cmd_file() names: rates in bytes/s ("123", "unlimited"), CPU lists as "0,2,5".
 * Returns the length written (NUL not counted), or -MEMBW_ERANGE if @len is too small.
 */
int kctl_render(const struct kctl_cmd *cmd, const struct kctl_env *env, char *buf, size_t len);

/* The file @cmd is written to. */
enum kctl_file kctl_cmd_file(const struct kctl_cmd *cmd);

/* MemGuard's MB, the unit of its "mb" values and of maxbw: 2^20 bytes. */
#define KCTL_MIB 1048576ull

/* Sharing mode @sharing (enum membw_sharing) as control reads and writes it; "?" if none. */
const char *kctl_sharing_name(unsigned int sharing);

/* Sharing mode @sharing as MemGuard's exclusive mode number (0, 2, 5), as memguard/control has it. */
unsigned int kctl_mg_exclusive(unsigned int sharing);

/* The policy as kctl_apply() changes it: membw_domain_get_budget() and the rest, on one instance. */
struct kctl_ops {
	void *ctx;
	int (*get_budget)(void *ctx, uint32_t domain, uint64_t *read_bps, uint64_t *write_bps);
	int (*set_budget)(void *ctx, uint32_t domain, uint64_t read_bps, uint64_t write_bps);
	int (*set_domain)(void *ctx, uint32_t cpu, uint32_t domain);
	int (*set_reclaim)(void *ctx, bool on);
	int (*set_sharing)(void *ctx, unsigned int sharing);
};

/*
 * What the module keeps beside the policy: the facts its commands are parsed against (KCTL_MAXBW
 * sets env->maxbw_bps, so the next command is parsed against the new maxbw), and per CPU its
 * domain as assigned (its own c, or ncpus + g in group g), whether it is real-time (then the
 * policy has it in MEMBW_NO_DOMAIN), and room to save ncpus budgets for an undo.
 */
struct kctl_state {
	struct kctl_env *env;
	uint32_t *cpu_domain;
	bool *cpu_realtime;
	uint64_t (*saved)[MEMBW_NCHANNELS];
};

/* Where kctl_apply() failed: the policy's error, and the CPU or group it was about. */
struct kctl_failure {
	int err;           /* the operation's error (a negative MEMBW_E*) */
	bool at_group;     /* index is a group (its budget), not a CPU */
	unsigned int index;
	int undo_err;      /* 0, or the first error while undoing: then the state is partial */
};

/*
 * Apply a command kctl_parse() accepted, all of it or nothing: an operation that fails undoes
 * the ones before it. 0, or the failing operation's error with *@fail filled. Call with the
 * lock that serialises control writes held.
 */
int kctl_apply(const struct kctl_cmd *cmd, struct kctl_state *st, const struct kctl_ops *ops,
	       struct kctl_failure *fail);

#endif /* KMEMBW_CONTROL_PARSE_H */
