/* SPDX-License-Identifier: MIT */
/*
 * Reading scenario files with inih. inih splits lines into [section] and key = value; this file
 * knows what each section and key means, checks every value with the unit parsers of
 * include/membw/units.h, and names file, line and what was expected in every error. Nothing is
 * kept from a file with an error.
 */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scenario.h"
#include "text.h"
#include "trace_csv.h"

#define LINE_MAX_BYTES 400
#define MAX_SECTIONS 4096
#define PATH_BYTES 512

enum section_kind { SEC_SIM, SEC_DRAM, SEC_PMU, SEC_CORE, SEC_DOMAIN, SEC_FAULT };

struct section {
	enum section_kind kind;
	char title[128];
	int line;
	/* SEC_CORE */
	uint32_t lo, hi;
	char name[SCENARIO_NAME_MAX];
	struct sim_phase *phases;
	size_t nphases, cap;
	bool repeat;
	char trace[PATH_BYTES];
	bool has_budget, realtime;
	uint64_t budget[MEMBW_NCHANNELS];
	int budget_line[MEMBW_NCHANNELS]; /* where each channel's budget was set; 0: not */
	/* SEC_DOMAIN: the cpus list as written (checked by get_cpus()), or NULL */
	char *cpus;
	/* SEC_FAULT */
	struct sim_fault fault;
	bool has_kind, has_core, has_at, has_delay, has_channel, has_value;
	/* keys seen, for duplicates */
	char keys[16][24];
	int key_line[16];
	size_t nkeys;
};

struct parser {
	const char *file;
	const char *dir;
	char *err;
	size_t errlen;
	bool failed;
	int line;
	int header_line; /* line of the last [section] header */
	char header[LINE_MAX_BYTES]; /* its name as written, between '[' and ']' */
	/* input */
	FILE *in;
	const char *text;
	/* settings of [sim], [dram], [pmu] */
	struct sim_config sim;
	bool cores_set;
	uint32_t cores;
	uint32_t rt_core;
	int rt_line;
	int setting_line[SIM_SETTING_COUNT];
	struct section *sec;
	size_t nsec;
	char current[128];
	bool in_section;
};

static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return false;
	p->failed = true;
	n = snprintf(p->err, p->errlen, "%s:%d: ", p->file, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return false;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	text_make_printable(p->err);
	return false;
}

/*
 * inih as Debian builds it ends a value at an inline comment that starts with ';' (after a space)
 * but reads '#' as a comment only at the start of a line. Cut " # ..." here, so both comment
 * characters work in both places, as scenarios/README.md says.
 */
static void cut_inline_hash_comment(char *str)
{
	char *c;

	for (c = str; *c; c++) {
		if (*c == '#' && c > str && (c[-1] == ' ' || c[-1] == '\t')) {
			c[0] = '\n';
			c[1] = '\0';
			return;
		}
	}
}

static bool open_section(struct parser *p, const char *title);

/*
 * inih calls the handler for keys only, so a section without keys would pass unseen: an unknown
 * [name], a second [sim], a [core N] past the last core. It is opened here when the next header
 * or the end of the file comes, as if it had keys.
 */
static bool open_keyless_section(struct parser *p)
{
	if (!p->header_line || p->in_section)
		return true;
	return open_section(p, p->header);
}

/*
 * A section header, if @str is one: it starts a new section even when its name repeats the last
 * one, so a repeated [section] is caught as a duplicate. inih takes the name up to the first ']'
 * and ignores the rest of the line, where "[sim] cores = 4" would lose a setting: only a comment
 * may follow. Without a ']' inih refuses the line itself.
 */
static bool read_header(struct parser *p, const char *str)
{
	const char *t = str, *end;

	if (p->line == 1 && !strncmp(t, "\xEF\xBB\xBF", 3)) /* inih skips a UTF-8 BOM */
		t += 3;
	t += strspn(t, " \t\v\f\r");
	if (*t != '[')
		return true;
	if (!open_keyless_section(p))
		return false;
	p->in_section = false;
	p->header_line = p->line;
	p->header[0] = '\0';
	end = strchr(t, ']');
	if (!end)
		return true;
	snprintf(p->header, sizeof(p->header), "%.*s", (int)(end - t - 1), t + 1);
	end += 1 + strspn(end + 1, " \t\v\f\r");
	if (*end && *end != '\n' && *end != ';' && *end != '#')
		return fail(p, "[%s]: '%.*s' after the section header; expected a header alone on "
			    "its line (a comment may follow it)", p->header,
			    (int)strcspn(end, "\r\n"), end);
	return true;
}

/* inih reads through this, so that every handler call knows its line number. */
static char *reader(char *str, int num, void *stream)
{
	struct parser *p = stream;
	size_t len;

	if (p->failed)
		return NULL;
	if (p->in) {
		if (!fgets(str, num, p->in))
			return NULL;
	} else {
		const char *nl;

		if (!*p->text)
			return NULL;
		nl = strchr(p->text, '\n');
		len = nl ? (size_t)(nl - p->text) + 1 : strlen(p->text);
		if (len > (size_t)num - 1)
			len = (size_t)num - 1;
		memcpy(str, p->text, len);
		str[len] = '\0';
		p->text += len;
	}
	p->line++;
	len = strlen(str);
	if (len == (size_t)num - 1 && str[len - 1] != '\n' &&
	    (p->in ? !feof(p->in) : *p->text != '\0')) {
		fail(p, "line longer than %d bytes", num - 2);
		return NULL;
	}
	if (!read_header(p, str))
		return NULL;
	cut_inline_hash_comment(str);
	return str;
}

/* ---- values ---------------------------------------------------------------------------- */

static bool get_uint(struct parser *p, const char *key, const char *v, uint64_t min, uint64_t max,
		     uint64_t *out)
{
	uint64_t x = 0;

	if (!text_parse_whole_number(v, &x) || x < min || x > max)
		return fail(p, "%s = '%s': expected a whole number %llu .. %llu (decimal, or hex "
			    "with 0x)", key, v, (unsigned long long)min, (unsigned long long)max);
	*out = x;
	return true;
}

static bool get_duration(struct parser *p, const char *key, const char *v, uint64_t *ns)
{
	const char *why = NULL;

	if (membw_parse_duration(v, ns, &why))
		return fail(p, "%s = '%s': %s; expected a duration such as 1ms, 250us or 2s", key,
			    v, why ? why : "invalid");
	return true;
}

static bool get_rate(struct parser *p, const char *key, const char *v, bool unlimited_ok,
		     uint64_t *bps)
{
	const char *why = NULL;

	if (unlimited_ok && !strcmp(v, "unlimited")) {
		*bps = MEMBW_UNLIMITED;
		return true;
	}
	if (membw_parse_rate(v, bps, &why))
		return fail(p, "%s = '%s': %s; expected a rate such as 500MB/s or 1.2GB/s%s", key,
			    v, why ? why : "invalid", unlimited_ok ? ", or unlimited" : "");
	/* The largest number is the library's "no limit" value: a limit must be written so. */
	if (*bps == MEMBW_UNLIMITED)
		return fail(p, "%s = '%s': too large; expected a rate below 18446744073709551615 "
			    "B/s%s", key, v, unlimited_ok ? ", or unlimited for no limit" : "");
	return true;
}

static bool get_bool(struct parser *p, const char *key, const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0"))
		*out = false;
	else
		return fail(p, "%s = '%s': expected yes or no", key, v);
	return true;
}

static bool get_name(struct parser *p, const char *key, const char *v, char *out)
{
	size_t i, n = strlen(v);

	if (!n || n >= SCENARIO_NAME_MAX)
		return fail(p, "%s = '%s': expected a name of 1 .. %d characters", key, v,
			    SCENARIO_NAME_MAX - 1);
	for (i = 0; i < n; i++)
		if (v[i] == '"' || v[i] == '\\' || v[i] == ',' || (unsigned char)v[i] < 0x20)
			return fail(p, "%s = '%s': expected a name without quotes, backslashes, "
				    "commas or control characters", key, v);
	memcpy(out, v, n + 1);
	return true;
}

/* "0-1,4", spaces allowed after a comma; checked here, applied by build_domains(). */
static bool get_cpus(struct parser *p, struct section *s, const char *key, const char *v)
{
	struct text_cpus_error e;
	char why[SCENARIO_ERR_MAX];

	if (text_parse_cpu_list(v, MEMBW_MAX_CPUS, TEXT_CPUS_SPACES, NULL, NULL, &e)) {
		text_cpus_explain(v, MEMBW_MAX_CPUS, &e, why, sizeof(why));
		return fail(p, "%s = '%s': %s; expected CPU numbers and ranges such as 0-1,4 "
			    "(below %u)", key, v, why, MEMBW_MAX_CPUS);
	}
	s->cpus = strdup(v);
	if (!s->cpus)
		return fail(p, "out of memory");
	return true;
}

/* "read 4GB/s 1s", "mixed 2GB/s 1GB/s 1ms", "compute 300us" */
static bool get_phase(struct parser *p, struct section *s, const char *v)
{
	static const char *const kinds[] = { "compute", "read", "write", "mixed" };
	static const int rates[] = { 0, 1, 1, 2 };
	char buf[LINE_MAX_BYTES], *tok[5], *t, *save = NULL;
	struct sim_phase ph = { 0 };
	const char *why = NULL;
	int n = 0, k, i;

	/* Up to 5 tokens: a fifth is one too many for every kind, and must not go unnoticed. */
	snprintf(buf, sizeof(buf), "%s", v);
	for (t = strtok_r(buf, " \t", &save); t && n < 5; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	for (k = 0; k < 4 && n && strcmp(tok[0], kinds[k]); k++)
		;
	if (!n || k == 4 || n != rates[k] + 2)
		return fail(p, "phase = '%s': expected KIND [RATE [RATE]] LENGTH: 'compute 300us', "
			    "'read 4GB/s 1s', 'write 2GB/s 1ms' or 'mixed 2GB/s 1GB/s 1ms' (read "
			    "rate, then write rate)", v);
	ph.kind = (enum sim_phase_kind)k;
	for (i = 0; i < rates[k]; i++) {
		unsigned int ch = k == SIM_PHASE_WRITE ? MEMBW_CH_WRITE : (unsigned int)i;

		if (membw_parse_rate(tok[1 + i], &ph.demand[ch], &why) || !ph.demand[ch])
			return fail(p, "phase = '%s': rate '%s': %s; expected a rate above 0 such "
				    "as 4GB/s", v, tok[1 + i], why ? why : "zero");
	}
	if (membw_parse_duration(tok[n - 1], &ph.length_ns, &why) || !ph.length_ns)
		return fail(p, "phase = '%s': length '%s': %s; expected a duration above 0 such "
			    "as 300us", v, tok[n - 1], why ? why : "zero");
	if (s->nphases == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4;
		struct sim_phase *bigger = realloc(s->phases, cap * sizeof(*bigger));

		if (!bigger)
			return fail(p, "out of memory");
		s->phases = bigger;
		s->cap = cap;
	}
	s->phases[s->nphases++] = ph;
	return true;
}

static bool get_fault_kind(struct parser *p, struct section *s, const char *v)
{
	static const char *const names[] = { NULL, "lost_overflow", "late_tick", "missed_tick",
					     "clobber" };
	unsigned int k;

	for (k = 1; k < sizeof(names) / sizeof(names[0]); k++) {
		if (!strcmp(v, names[k])) {
			s->fault.kind = (enum sim_fault_kind)k;
			s->has_kind = true;
			return true;
		}
	}
	return fail(p, "kind = '%s': expected lost_overflow, late_tick, missed_tick or clobber", v);
}

/* ---- sections ---------------------------------------------------------------------------- */

static const char *const section_help =
	"expected [sim], [dram], [pmu], [core N], [core N-M], [domain NAME] or [fault NAME]";

static bool open_section(struct parser *p, const char *title)
{
	struct section *s, *bigger;
	const char *arg = strchr(title, ' ');
	size_t word = arg ? (size_t)(arg - title) : strlen(title);
	size_t i;
	int line = p->line;

	/* Everything wrong here is the header's: its line, not that of the key that opened it. */
	p->line = p->header_line;

	for (i = 0; i < p->nsec; i++)
		if (!strcmp(p->sec[i].title, title))
			return fail(p, "section [%s] appears twice (first at line %d); expected "
				    "each section once", title, p->sec[i].line);
	if (p->nsec == MAX_SECTIONS)
		return fail(p, "more than %d sections", MAX_SECTIONS);
	bigger = realloc(p->sec, (p->nsec + 1) * sizeof(*bigger));
	if (!bigger)
		return fail(p, "out of memory");
	p->sec = bigger;
	s = &p->sec[p->nsec];
	memset(s, 0, sizeof(*s));
	snprintf(s->title, sizeof(s->title), "%s", title);
	s->line = p->header_line;
	s->repeat = true;
	while (arg && *arg == ' ')
		arg++;
	if (!strncmp(title, "sim", word) && word == 3 && !arg) {
		s->kind = SEC_SIM;
	} else if (!strncmp(title, "dram", word) && word == 4 && !arg) {
		s->kind = SEC_DRAM;
	} else if (!strncmp(title, "pmu", word) && word == 3 && !arg) {
		s->kind = SEC_PMU;
	} else if (!strncmp(title, "core", word) && word == 4 && arg) {
		s->kind = SEC_CORE;
		if (text_parse_cpu_range(arg, MEMBW_MAX_CPUS, &s->lo, &s->hi))
			return fail(p, "[%s]: expected [core N] or [core N-M] with N <= M < %u",
				    title, MEMBW_MAX_CPUS);
		if (s->lo == s->hi)
			snprintf(s->name, sizeof(s->name), "core%u", s->lo);
		else
			snprintf(s->name, sizeof(s->name), "cores%u-%u", s->lo, s->hi);
	} else if (!strncmp(title, "domain", word) && word == 6 && arg && *arg) {
		s->kind = SEC_DOMAIN;
		if (!get_name(p, "domain name", arg, s->name))
			return false;
		s->budget[0] = s->budget[1] = MEMBW_UNLIMITED;
	} else if (!strncmp(title, "fault", word) && word == 5 && arg && *arg) {
		s->kind = SEC_FAULT;
	} else {
		return fail(p, "unknown section [%s]; %s", title, section_help);
	}
	if (s->kind == SEC_CORE)
		s->budget[0] = s->budget[1] = MEMBW_UNLIMITED;
	p->nsec++;
	p->line = line;
	return true;
}

/* Keys that may appear once per section; `phase` may repeat. */
static bool first_time(struct parser *p, struct section *s, const char *key)
{
	size_t i;

	if (!strcmp(key, "phase"))
		return true;
	for (i = 0; i < s->nkeys; i++)
		if (!strcmp(s->keys[i], key))
			return fail(p, "[%s]: '%s' set twice (first at line %d); expected it once",
				    s->title, key, s->key_line[i]);
	if (s->nkeys < sizeof(s->keys) / sizeof(s->keys[0])) {
		snprintf(s->keys[s->nkeys], sizeof(s->keys[0]), "%s", key);
		s->key_line[s->nkeys++] = p->line;
	}
	return true;
}

static bool unknown_key(struct parser *p, const struct section *s, const char *key,
			const char *expected)
{
	return fail(p, "[%s]: unknown key '%s'; expected %s", s->title, key, expected);
}

static bool sim_key(struct parser *p, struct section *s, const char *k, const char *v)
{
	uint64_t x = 0;

	if (!strcmp(k, "cores")) {
		if (!get_uint(p, k, v, 1, MEMBW_MAX_CPUS, &x))
			return false;
		p->cores = (uint32_t)x;
		p->cores_set = true;
		return true;
	}
	if (!strcmp(k, "period"))
		return get_duration(p, k, v, &p->sim.period_ns);
	if (!strcmp(k, "duration"))
		return get_duration(p, k, v, &p->sim.duration_ns);
	if (!strcmp(k, "seed"))
		return get_uint(p, k, v, 0, UINT64_MAX, &p->sim.seed);
	if (!strcmp(k, "interrupt_latency"))
		return get_duration(p, k, v, &p->sim.irq_latency_ns);
	if (!strcmp(k, "tick_jitter"))
		return get_duration(p, k, v, &p->sim.tick_jitter_ns);
	if (!strcmp(k, "ipi_latency"))
		return get_duration(p, k, v, &p->sim.ipi_latency_ns);
	if (!strcmp(k, "rt_core")) {
		if (!get_uint(p, k, v, 0, MEMBW_MAX_CPUS - 1, &x))
			return false;
		p->rt_core = (uint32_t)x;
		p->rt_line = p->line;
		return true;
	}
	return unknown_key(p, s, k, "cores, period, duration, seed, interrupt_latency, "
			   "tick_jitter, ipi_latency or rt_core");
}

static bool dram_key(struct parser *p, struct section *s, const char *k, const char *v)
{
	if (!strcmp(k, "peak"))
		return get_rate(p, k, v, false, &p->sim.peak_bps);
	if (!strcmp(k, "guaranteed"))
		return get_rate(p, k, v, false, &p->sim.guaranteed_bps);
	return unknown_key(p, s, k, "peak or guaranteed");
}

static bool pmu_key(struct parser *p, struct section *s, const char *k, const char *v)
{
	uint64_t x = 0;

	if (!strcmp(k, "line_size")) {
		if (!get_uint(p, k, v, 8, 4096, &x))
			return false;
		if (x & (x - 1))
			return fail(p, "line_size = '%s': expected a power of two (bytes)", v);
		p->sim.line_size = (uint32_t)x;
		return true;
	}
	if (!strcmp(k, "counter_bits")) {
		if (!get_uint(p, k, v, 8, 64, &x))
			return false;
		p->sim.counter_bits = (uint32_t)x;
		return true;
	}
	if (!strcmp(k, "channels")) {
		if (!get_uint(p, k, v, 1, 2, &x))
			return false;
		p->sim.channels = (uint32_t)x;
		return true;
	}
	return unknown_key(p, s, k, "line_size, counter_bits or channels");
}

static bool budget_key(struct parser *p, struct section *s, const char *k, const char *v)
{
	unsigned int ch = strcmp(k, "write_budget") ? MEMBW_CH_READ : MEMBW_CH_WRITE;

	/* `budget` and `read_budget` are two names for one setting: set it once. */
	if (s->budget_line[ch])
		return fail(p, "[%s]: '%s' sets the %s budget, already set at line %d; expected "
			    "one of budget and read_budget", s->title, k,
			    ch == MEMBW_CH_READ ? "read" : "write", s->budget_line[ch]);
	s->has_budget = true;
	s->budget_line[ch] = p->line;
	return get_rate(p, k, v, true, &s->budget[ch]);
}

static bool core_key(struct parser *p, struct section *s, const char *k, const char *v)
{
	if (!strcmp(k, "name"))
		return get_name(p, k, v, s->name);
	if (!strcmp(k, "phase"))
		return get_phase(p, s, v);
	if (!strcmp(k, "trace")) {
		if (!*v || strlen(v) >= PATH_BYTES)
			return fail(p, "trace = '%s': expected the path of a CSV file", v);
		snprintf(s->trace, sizeof(s->trace), "%s", v);
		return true;
	}
	if (!strcmp(k, "repeat"))
		return get_bool(p, k, v, &s->repeat);
	if (!strcmp(k, "budget") || !strcmp(k, "read_budget") || !strcmp(k, "write_budget"))
		return budget_key(p, s, k, v);
	if (!strcmp(k, "realtime"))
		return get_bool(p, k, v, &s->realtime);
	return unknown_key(p, s, k, "name, phase, trace, repeat, budget, read_budget, "
			   "write_budget or realtime");
}

static bool domain_key(struct parser *p, struct section *s, const char *k, const char *v)
{
	if (!strcmp(k, "cpus"))
		return get_cpus(p, s, k, v);
	if (!strcmp(k, "budget") || !strcmp(k, "read_budget") || !strcmp(k, "write_budget"))
		return budget_key(p, s, k, v);
	return unknown_key(p, s, k, "cpus, budget, read_budget or write_budget");
}

static bool fault_key(struct parser *p, struct section *s, const char *k, const char *v)
{
	uint64_t x = 0;

	if (!strcmp(k, "kind"))
		return get_fault_kind(p, s, v);
	if (!strcmp(k, "core")) {
		if (!get_uint(p, k, v, 0, MEMBW_MAX_CPUS - 1, &x))
			return false;
		s->fault.cpu = (uint32_t)x;
		s->has_core = true;
		return true;
	}
	if (!strcmp(k, "at")) {
		s->has_at = true;
		return get_duration(p, k, v, &s->fault.at_ns);
	}
	if (!strcmp(k, "delay")) {
		s->has_delay = true;
		return get_duration(p, k, v, &s->fault.value);
	}
	if (!strcmp(k, "channel")) {
		s->has_channel = true;
		if (!strcmp(v, "read"))
			s->fault.channel = MEMBW_CH_READ;
		else if (!strcmp(v, "write"))
			s->fault.channel = MEMBW_CH_WRITE;
		else
			return fail(p, "channel = '%s': expected read or write", v);
		return true;
	}
	if (!strcmp(k, "value")) {
		s->has_value = true;
		return get_uint(p, k, v, 0, UINT64_MAX, &s->fault.value);
	}
	return unknown_key(p, s, k, "kind, core, at, delay, channel or value");
}

/* Remember where a machine setting was written, for errors found when the whole file is read. */
static void note_setting_line(struct parser *p, const struct section *s, const char *key)
{
	static const struct {
		enum section_kind kind;
		const char *key;
		enum sim_setting setting;
	} settings[] = {
		{ SEC_SIM, "cores", SIM_SETTING_CPUS },
		{ SEC_SIM, "period", SIM_SETTING_PERIOD },
		{ SEC_SIM, "duration", SIM_SETTING_DURATION },
		{ SEC_SIM, "interrupt_latency", SIM_SETTING_IRQ_LATENCY },
		{ SEC_SIM, "tick_jitter", SIM_SETTING_TICK_JITTER },
		{ SEC_SIM, "ipi_latency", SIM_SETTING_IPI_LATENCY },
		{ SEC_DRAM, "peak", SIM_SETTING_PEAK },
		{ SEC_DRAM, "guaranteed", SIM_SETTING_GUARANTEED },
		{ SEC_PMU, "line_size", SIM_SETTING_LINE_SIZE },
		{ SEC_PMU, "counter_bits", SIM_SETTING_COUNTER_BITS },
		{ SEC_PMU, "channels", SIM_SETTING_CHANNELS },
	};
	size_t i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (settings[i].kind == s->kind && !strcmp(settings[i].key, key))
			p->setting_line[settings[i].setting] = p->line;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	struct section *s;

	if (p->failed)
		return 0;
	if (!*section) {
		fail(p, "'%s' before any section; %s", name, section_help);
		return 0;
	}
	if (!p->in_section || strcmp(section, p->current)) {
		/* inih cuts a long name short (at 49 characters) without a word: two names alike
		 * that far would be one section, and a name would lose its end. */
		bool cut = strcmp(section, p->header) && !strncmp(section, p->header,
								  strlen(section));

		if (cut || strlen(section) >= sizeof(p->current)) {
			p->line = p->header_line;
			fail(p, "[%s]: section name longer than %zu characters", p->header,
			     cut ? strlen(section) : sizeof(p->current) - 1);
			return 0;
		}
		if (!open_section(p, section))
			return 0;
		snprintf(p->current, sizeof(p->current), "%s", section);
		p->in_section = true;
	}
	s = &p->sec[p->nsec - 1];
	if (!first_time(p, s, name))
		return 0;
	note_setting_line(p, s, name);
	switch (s->kind) {
	case SEC_SIM:
		return sim_key(p, s, name, value);
	case SEC_DRAM:
		return dram_key(p, s, name, value);
	case SEC_PMU:
		return pmu_key(p, s, name, value);
	case SEC_CORE:
		return core_key(p, s, name, value);
	case SEC_DOMAIN:
		return domain_key(p, s, name, value);
	case SEC_FAULT:
		return fault_key(p, s, name, value);
	}
	return 0;
}

/* ---- putting it together ------------------------------------------------------------------ */

static bool fail_at(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail_at(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return false;
	p->failed = true;
	n = line > 0 ? snprintf(p->err, p->errlen, "%s:%d: ", p->file, line)
		     : snprintf(p->err, p->errlen, "%s: ", p->file);
	if (n < 0 || (size_t)n >= p->errlen)
		return false;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	text_make_printable(p->err);
	return false;
}

static bool keep(struct scenario *sc, struct sim_phase *phases)
{
	struct sim_phase **bigger = realloc(sc->owned, (sc->nowned + 1) * sizeof(*bigger));

	if (!bigger)
		return false;
	sc->owned = bigger;
	sc->owned[sc->nowned++] = phases;
	return true;
}

/* The lines an error about a section's budgets names: each channel's key, else the header. */
static void budget_lines(const struct section *s, int line[MEMBW_NCHANNELS])
{
	unsigned int ch;

	for (ch = 0; ch < MEMBW_NCHANNELS; ch++)
		line[ch] = s->budget_line[ch] ? s->budget_line[ch] : s->line;
}

static bool build_cores(struct parser *p, struct scenario *sc)
{
	struct sim_phase *phases;
	uint32_t i, c;
	size_t k;

	for (i = 0; i < sc->ncores; i++) {
		struct scenario_core *core = &sc->core[i];

		snprintf(core->name, sizeof(core->name), "idle");
		core->repeat = true;
		core->domain = MEMBW_NO_DOMAIN;
		core->budget[0] = core->budget[1] = MEMBW_UNLIMITED;
	}
	for (k = 0; k < p->nsec; k++) {
		struct section *s = &p->sec[k];

		if (s->kind != SEC_CORE)
			continue;
		if (s->hi >= sc->ncores)
			return fail_at(p, s->line,
				       "[%s]: core %u does not exist; expected cores "
				       "0 .. %u ([sim] cores = %u)",
				       s->title, s->hi, sc->ncores - 1, sc->ncores);
		if (s->nphases && s->trace[0])
			return fail_at(p, s->line, "[%s]: both phases and a trace; expected one of "
				       "them", s->title);
		if (!s->nphases && !s->trace[0])
			return fail_at(p, s->line,
				       "[%s]: no workload; expected 'phase = ...' lines "
				       "or 'trace = FILE.csv'",
				       s->title);
		if (s->trace[0]) {
			char path[2 * PATH_BYTES], terr[SCENARIO_ERR_MAX];

			if (s->trace[0] == '/' || !p->dir || !*p->dir)
				snprintf(path, sizeof(path), "%s", s->trace);
			else
				snprintf(path, sizeof(path), "%s/%s", p->dir, s->trace);
			if (sim_trace_load(path, &s->phases, &s->nphases, terr, sizeof(terr)))
				return fail_at(p, s->line, "[%s]: trace: %s", s->title, terr);
		}
		if (!keep(sc, s->phases))
			return fail_at(p, s->line, "out of memory");
		phases = s->phases;
		s->phases = NULL; /* now owned by sc */
		for (c = s->lo; c <= s->hi; c++) {
			struct scenario_core *core = &sc->core[c];

			if (core->section)
				return fail_at(p, s->line,
					       "[%s]: core %u is already described in [%s] "
					       "(line %d); expected each core in one section",
					       s->title, c, p->sec[core->section - 1].title,
					       p->sec[core->section - 1].line);
			core->section = (uint32_t)k + 1;
			snprintf(core->name, sizeof(core->name), "%s", s->name);
			core->phases = phases;
			core->nphases = s->nphases;
			core->repeat = s->repeat;
			core->realtime = s->realtime;
			core->has_budget = s->has_budget;
			memcpy(core->budget, s->budget, sizeof(core->budget));
			core->line = s->line;
			budget_lines(s, core->budget_line);
			snprintf(core->title, sizeof(core->title), "%s", s->title);
		}
	}
	return true;
}

/* What add_domain_cpus() needs: the domain sc->ndomains is being built from section @s. */
struct domain_cpus {
	struct parser *p;
	struct scenario *sc;
	const struct section *s;
};

/* The CPUs @lo .. @hi of a domain's cpus list join it. 0, or 1 after the error. */
static int add_domain_cpus(void *ctx, unsigned int lo, unsigned int hi)
{
	struct domain_cpus *d = ctx;
	struct scenario *sc = d->sc;
	const struct section *s = d->s;
	struct scenario_core *core;
	uint32_t c;

	for (c = lo; c <= hi; c++) {
		if (c >= sc->ncores)
			return !fail_at(d->p, s->line, "[%s]: CPU %u does not exist; expected 0 .. %u",
					s->title, c, sc->ncores - 1);
		core = &sc->core[c];
		if (core->domain == sc->ndomains)
			return !fail_at(d->p, s->line, "[%s]: CPU %u is named twice in its cpus; "
					"expected each CPU once", s->title, c);
		if (core->domain != MEMBW_NO_DOMAIN)
			return !fail_at(d->p, s->line, "[%s]: CPU %u is already in [domain %s]; "
					"expected each CPU in one domain", s->title, c,
					sc->domain[core->domain].name);
		if (core->has_budget)
			return !fail_at(d->p, s->line, "[%s]: CPU %u has a budget of its own in its "
					"[core] section; expected either that or a domain",
					s->title, c);
		core->domain = sc->ndomains;
	}
	return 0;
}

static bool build_domains(struct parser *p, struct scenario *sc)
{
	struct text_cpus_error e;
	size_t k;
	uint32_t n = 0;

	for (k = 0; k < p->nsec; k++)
		n += p->sec[k].kind == SEC_DOMAIN;
	sc->domain = calloc(n + 1, sizeof(*sc->domain));
	if (!sc->domain)
		return fail_at(p, 0, "out of memory");
	for (k = 0; k < p->nsec; k++) {
		struct section *s = &p->sec[k];
		struct domain_cpus dc = { p, sc, s };
		struct scenario_domain *d;

		if (s->kind != SEC_DOMAIN)
			continue;
		if (!s->cpus)
			return fail_at(p, s->line, "[%s]: no 'cpus'; expected e.g. cpus = 0-1",
				       s->title);
		if (!s->has_budget)
			return fail_at(p, s->line,
				       "[%s]: no budget; expected e.g. budget = 600MB/s", s->title);
		d = &sc->domain[sc->ndomains];
		snprintf(d->name, sizeof(d->name), "%s", s->name);
		memcpy(d->budget, s->budget, sizeof(d->budget));
		d->has_budget = true;
		d->line = s->line;
		budget_lines(s, d->budget_line);
		/* get_cpus() read the same list with the same rules: only add_domain_cpus() can
		 * refuse it here, and has said why. */
		if (text_parse_cpu_list(s->cpus, MEMBW_MAX_CPUS, TEXT_CPUS_SPACES, add_domain_cpus,
					&dc, &e))
			return false;
		sc->ndomains++;
	}
	return true;
}

static bool build_faults(struct parser *p, struct scenario *sc)
{
	size_t k, n = 0;

	for (k = 0; k < p->nsec; k++)
		n += p->sec[k].kind == SEC_FAULT;
	sc->fault = calloc(n + 1, sizeof(*sc->fault));
	sc->fault_line = calloc(n + 1, sizeof(*sc->fault_line));
	if (!sc->fault || !sc->fault_line)
		return fail_at(p, 0, "out of memory");
	for (k = 0; k < p->nsec; k++) {
		struct section *s = &p->sec[k];

		if (s->kind != SEC_FAULT)
			continue;
		if (!s->has_kind || !s->has_core || !s->has_at)
			return fail_at(p, s->line, "[%s]: expected 'kind', 'core' and 'at'",
				       s->title);
		if (s->fault.cpu >= sc->ncores)
			return fail_at(p, s->line, "[%s]: core %u does not exist; expected 0 .. %u",
				       s->title, s->fault.cpu, sc->ncores - 1);
		if (s->fault.kind == SIM_FAULT_LATE_TICK && !s->has_delay)
			return fail_at(p, s->line, "[%s]: a late_tick needs 'delay', e.g. delay = "
				       "200us", s->title);
		if (s->fault.kind != SIM_FAULT_LATE_TICK && s->has_delay)
			return fail_at(p, s->line, "[%s]: 'delay' is for late_tick only", s->title);
		/* The other kinds read neither: a value set for them was lost without a word. */
		if (s->fault.kind != SIM_FAULT_CLOBBER && (s->has_channel || s->has_value))
			return fail_at(p, s->line, "[%s]: '%s' is for clobber only", s->title,
				       s->has_channel ? "channel" : "value");
		if (s->fault.kind == SIM_FAULT_CLOBBER && s->fault.channel >= sc->sim.channels)
			return fail_at(p, s->line, "[%s]: the PMU has no write channel ([pmu] "
				       "channels = 1)", s->title);
		sc->fault_line[sc->nfaults] = s->line;
		sc->fault[sc->nfaults++] = s->fault;
	}
	return true;
}

static bool finish(struct parser *p, struct scenario *sc)
{
	uint32_t max = 0;
	size_t k;

	sc->sim = p->sim;
	memcpy(sc->setting_line, p->setting_line, sizeof(sc->setting_line));
	for (k = 0; k < p->nsec; k++)
		if (p->sec[k].kind == SEC_CORE && p->sec[k].hi + 1 > max)
			max = p->sec[k].hi + 1;
	sc->ncores = p->cores_set ? p->cores : max;
	if (!sc->ncores)
		return fail_at(p, 0, "no cores; expected [sim] cores = N or a [core N] section");
	sc->sim.ncpus = sc->ncores;
	if (p->sim.guaranteed_bps > p->sim.peak_bps)
		return fail_at(p, p->setting_line[SIM_SETTING_GUARANTEED],
			       "[dram]: guaranteed bandwidth above the peak; "
			       "expected guaranteed <= peak");
	if (p->rt_core >= sc->ncores)
		return fail_at(p, p->rt_line,
			       "[sim]: rt_core = %u does not exist; expected 0 .. %u", p->rt_core,
			       sc->ncores - 1);
	sc->rt_core = p->rt_core;
	sc->core = calloc(sc->ncores, sizeof(*sc->core));
	if (!sc->core)
		return fail_at(p, 0, "out of memory");
	return build_cores(p, sc) && build_domains(p, sc) && build_faults(p, sc);
}

static void parser_free(struct parser *p)
{
	size_t k;

	for (k = 0; k < p->nsec; k++) {
		free(p->sec[k].phases);
		free(p->sec[k].cpus);
	}
	free(p->sec);
}

static int load(struct parser *p, struct scenario *sc)
{
	struct scenario tmp;
	int line;

	memset(&tmp, 0, sizeof(tmp));
	snprintf(tmp.name, sizeof(tmp.name), "%s", p->file);
	sim_config_init(&p->sim);
	p->sim.duration_ns = 2000000000ull;
	/* inih's switches: report the first error, one value per line. */
	ini_stop_on_first_error = true;
	ini_allow_multiline = false;
	ini_max_line = LINE_MAX_BYTES;
	line = ini_parse_stream(reader, p, handler, p);
	if (!p->failed && !line)
		open_keyless_section(p);
	if (!p->failed && line > 0)
		fail_at(p, line, "expected '[section]', 'key = value' or a comment");
	else if (!p->failed && line < 0)
		fail_at(p, 0, "out of memory");
	if (!p->failed)
		finish(p, &tmp);
	parser_free(p);
	if (p->failed) {
		scenario_free(&tmp);
		return -MEMBW_EINVAL;
	}
	*sc = tmp;
	return 0;
}

int scenario_load_string(const char *name, const char *dir, const char *text, struct scenario *sc,
			 char *err, size_t errlen)
{
	struct parser p = { .file = name, .dir = dir, .err = err, .errlen = errlen, .text = text };

	return load(&p, sc);
}

int scenario_load_file(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	struct parser p = { .file = path, .err = err, .errlen = errlen };
	char dir[PATH_BYTES];
	const char *slash = strrchr(path, '/');
	struct stat st;
	int ret;

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	else
		snprintf(dir, sizeof(dir), ".");
	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	p.dir = dir;
	p.in = fopen(path, "r");
	if (!p.in) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		text_make_printable(err);
		return -MEMBW_ENOENT;
	}
	/* fopen() opens a directory for reading; its first read fails, which would look empty. */
	if (!fstat(fileno(p.in), &st) && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory; expected a scenario file (INI)", path);
		text_make_printable(err);
		fclose(p.in);
		return -MEMBW_EINVAL;
	}
	ret = load(&p, sc);
	fclose(p.in);
	return ret;
}

void scenario_free(struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->nowned; i++)
		free(sc->owned[i]);
	free(sc->owned);
	free(sc->core);
	free(sc->domain);
	free(sc->fault);
	free(sc->fault_line);
	memset(sc, 0, sizeof(*sc));
}

uint64_t scenario_budget_sum(const struct scenario *sc, unsigned int channel)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < sc->ncores; i++)
		if (sc->core[i].has_budget && !sc->core[i].realtime &&
		    sc->core[i].budget[channel] != MEMBW_UNLIMITED)
			sum += sc->core[i].budget[channel];
	for (i = 0; i < sc->ndomains; i++)
		if (sc->domain[i].budget[channel] != MEMBW_UNLIMITED)
			sum += sc->domain[i].budget[channel];
	return sum;
}
