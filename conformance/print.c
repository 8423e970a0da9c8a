/* SPDX-License-Identifier: MIT */
/* membw_conformance_print(): the report as text for a person or as one JSON object. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

static const char *const result_name[] = { "PASS", "FAIL", "SKIP" };

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* @ps picoseconds as nanoseconds with one decimal. */
static void ns(FILE *f, uint64_t ps)
{
	fprintf(f, "%llu.%llu", (unsigned long long)(ps / 1000),
		(unsigned long long)(ps % 1000 / 100));
}

static void print_text(FILE *f, const struct membw_conformance_report *r)
{
	unsigned int i;

	fprintf(f, "%s: %s (%u facts passed, %u failed, %u skipped)\n", r->name,
		r->failed ? "DOES NOT CONFORM" : "conforms", r->passed, r->failed, r->skipped);
	for (i = 0; i < r->nfacts; i++) {
		const struct membw_conformance_fact *x = &r->fact[i];

		if (x->reason[0])
			fprintf(f, "  %s  %s: %s\n", result_name[x->result], x->name, x->reason);
		else
			fprintf(f, "  %s  %s (%u checks)\n", result_name[x->result], x->name,
				x->checks);
	}
	if (r->skid_measured)
		fprintf(f, "  overflow skid: %s%llu events past arm(%llu)\n",
			r->skid_exact ? "" : "at most ", (unsigned long long)r->skid_events,
			(unsigned long long)r->skid_armed);
	else
		fprintf(f, "  overflow skid: not measured\n");
	if (r->cost_measured) {
		fprintf(f, "  cost: read ");
		ns(f, r->read_ps);
		fprintf(f, " ns, arm ");
		ns(f, r->arm_ps);
		fprintf(f, " ns per call (mean of %u calls each)\n", r->cost_calls);
	}
}

static void print_json(FILE *f, const struct membw_conformance_report *r)
{
	unsigned int i;

	fprintf(f, "{\"name\":");
	json_str(f, r->name);
	fprintf(f, ",\"conforms\":%s,\"passed\":%u,\"failed\":%u,\"skipped\":%u,\"facts\":[",
		r->failed ? "false" : "true", r->passed, r->failed, r->skipped);
	for (i = 0; i < r->nfacts; i++) {
		fprintf(f, "%s{\"name\":", i ? "," : "");
		json_str(f, r->fact[i].name);
		fprintf(f, ",\"result\":\"%s\",\"checks\":%u,\"reason\":",
			result_name[r->fact[i].result], r->fact[i].checks);
		json_str(f, r->fact[i].reason);
		fputc('}', f);
	}
	fprintf(f, "],\"skid\":");
	if (r->skid_measured)
		fprintf(f, "{\"armed_events\":%llu,\"late_events\":%llu,\"exact\":%s}",
			(unsigned long long)r->skid_armed, (unsigned long long)r->skid_events,
			r->skid_exact ? "true" : "false");
	else
		fprintf(f, "null");
	fprintf(f, ",\"cost\":");
	if (r->cost_measured) {
		fprintf(f, "{\"read_ns\":");
		ns(f, r->read_ps);
		fprintf(f, ",\"arm_ns\":");
		ns(f, r->arm_ps);
		fprintf(f, ",\"calls\":%u}", r->cost_calls);
	} else {
		fprintf(f, "null");
	}
	fprintf(f, "}\n");
}

int membw_conformance_print(const struct membw_conformance_report *r, int fd, unsigned int flags)
{
	char *buf = NULL;
	size_t len = 0, off = 0;
	FILE *f;
	ssize_t n;
	unsigned int i;

	if (!r || r->nfacts > MEMBW_CONFORMANCE_MAX_FACTS)
		return -MEMBW_EINVAL;
	for (i = 0; i < r->nfacts; i++)
		if ((unsigned int)r->fact[i].result > MEMBW_CONFORMANCE_SKIP || !r->fact[i].name)
			return -MEMBW_EINVAL;
	f = open_memstream(&buf, &len);
	if (!f)
		return -MEMBW_EIO;
	if (flags & MEMBW_CONFORMANCE_JSON)
		print_json(f, r);
	else
		print_text(f, r);
	if (fclose(f)) {
		free(buf);
		return -MEMBW_EIO;
	}
	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(buf);
	return off == len ? 0 : -MEMBW_EIO;
}
