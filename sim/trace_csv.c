/* SPDX-License-Identifier: MIT */
/* Loading a demand-over-time trace (format in trace_csv.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_csv.h"

#define HEADER "duration,read,write"
/* A trace longer than this many rows is almost surely not what was meant. */
#define ROWS_MAX 1000000u

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* Split @line at commas into exactly three fields. */
static int split3(char *line, char *field[3])
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *comma = strchr(p, ',');

		if (n == 3)
			return -1;
		field[n++] = p;
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	return n == 3 ? 0 : -1;
}

static int parse_row(char *line, struct sim_phase *p, const char *name, unsigned long lineno,
		     char *err, size_t errlen)
{
	static const char *const column[3] = { "duration", "read", "write" };
	char *field[3];
	const char *why = NULL;
	uint64_t rate[2];
	int i;

	if (split3(line, field)) {
		snprintf(err, errlen,
			 "%s:%lu: expected 3 comma-separated fields: duration,read,write", name,
			 lineno);
		return -MEMBW_EINVAL;
	}
	for (i = 0; i < 3; i++)
		field[i] = trim(field[i]);
	if (membw_parse_duration(field[0], &p->length_ns, &why) || p->length_ns == 0) {
		snprintf(err, errlen, "%s:%lu: duration '%s': %s; expected a duration above 0 such "
			 "as 250us", name, lineno, field[0], why ? why : "zero");
		return -MEMBW_EINVAL;
	}
	for (i = 0; i < 2; i++) {
		if (membw_parse_rate(field[i + 1], &rate[i], &why)) {
			snprintf(err, errlen, "%s:%lu: %s '%s': %s; expected a rate such as 1GB/s, "
				 "or 0", name, lineno, column[i + 1], field[i + 1], why);
			return -MEMBW_EINVAL;
		}
	}
	p->demand[MEMBW_CH_READ] = rate[0];
	p->demand[MEMBW_CH_WRITE] = rate[1];
	p->kind = rate[0] && rate[1] ? SIM_PHASE_MIXED
		  : rate[0]          ? SIM_PHASE_READ
		  : rate[1]          ? SIM_PHASE_WRITE
				     : SIM_PHASE_COMPUTE;
	return 0;
}

int sim_trace_read(FILE *in, const char *name, struct sim_phase **phases, size_t *nphases,
		   char *err, size_t errlen)
{
	char buf[SIM_TRACE_LINE_MAX + 2];
	struct sim_phase *v = NULL;
	size_t n = 0, cap = 0;
	unsigned long lineno = 0;
	bool header = false;
	int ret = 0;

	while (fgets(buf, sizeof(buf), in)) {
		char *line;

		lineno++;
		if (!strchr(buf, '\n') && !feof(in)) {
			snprintf(err, errlen, "%s:%lu: line longer than %d bytes", name, lineno,
				 SIM_TRACE_LINE_MAX);
			ret = -MEMBW_EINVAL;
			goto out;
		}
		line = trim(buf);
		if (!*line || *line == '#')
			continue;
		if (!header) {
			if (strcmp(line, HEADER)) {
				snprintf(err, errlen, "%s:%lu: expected the header line '" HEADER
					 "'", name, lineno);
				ret = -MEMBW_EINVAL;
				goto out;
			}
			header = true;
			continue;
		}
		if (n == ROWS_MAX) {
			snprintf(err, errlen, "%s:%lu: more than %u rows", name, lineno, ROWS_MAX);
			ret = -MEMBW_ERANGE;
			goto out;
		}
		if (n == cap) {
			struct sim_phase *bigger;

			cap = cap ? cap * 2 : 16;
			bigger = realloc(v, cap * sizeof(*v));
			if (!bigger) {
				snprintf(err, errlen, "%s: out of memory", name);
				ret = -MEMBW_ENOSPC;
				goto out;
			}
			v = bigger;
		}
		ret = parse_row(line, &v[n], name, lineno, err, errlen);
		if (ret)
			goto out;
		n++;
	}
	if (ferror(in)) {
		snprintf(err, errlen, "%s: read error: %s", name, strerror(errno));
		ret = -MEMBW_EIO;
	} else if (!n) {
		snprintf(err, errlen, "%s:%lu: no rows; expected the header '" HEADER
			 "' and at least one row such as 250us,1GB/s,0", name, lineno);
		ret = -MEMBW_EINVAL;
	}
out:
	if (ret) {
		free(v);
		return ret;
	}
	*phases = v;
	*nphases = n;
	return 0;
}

int sim_trace_load(const char *path, struct sim_phase **phases, size_t *nphases, char *err,
		   size_t errlen)
{
	FILE *in = fopen(path, "r");
	int ret;

	if (!in) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -MEMBW_ENOENT;
	}
	ret = sim_trace_read(in, path, phases, nphases, err, errlen);
	fclose(in);
	return ret;
}
