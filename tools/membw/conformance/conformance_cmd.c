/* SPDX-License-Identifier: MIT */
/*
 * `membw conformance`: the backend conformance suite (libmembw-conformance.a, include/membw/
 * conformance.h) run through the perf backend on this machine's PMU, for one event, on every
 * online CPU or the ones given. docs/conformance.md explains the facts and this driver.
 *
 * The driver, per CPU: a worker process pinned to that CPU makes the events (workload.c), the
 * perf backend counts the worker on that CPU only (perf_event_open with pid and cpu), and its
 * overflow signals come to this thread, whose handler asks the backend whether the arm point was
 * reached and, the first time it was since the arm, reads the counter: how far past the n-th
 * event the interrupt arrived (the skid, which includes the kernel's delivery of the signal, as
 * `membw run` sees it). Exact counts are made only where our workload is exact (page faults);
 * for instructions, cycles and cache refills the exact facts are skipped with the reason and the
 * workload facts say what a workload shows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <membw/conformance.h>

#include "cli.h"
#include "commands.h"
#include "conformance_args.h"
#include "perf_driver.h"

/* /sys/devices/system/cpu/online into @online (conformance_parse_online()). 0, or -1 with the
 * reason in @why. */
static int read_online(bool *online, char *why, size_t whylen)
{
	static const char path[] = "/sys/devices/system/cpu/online";
	static char buf[16384];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	if (n == sizeof(buf) - 1) {
		snprintf(why, whylen, "%s: longer than %zu bytes", path, sizeof(buf) - 2);
		return -1;
	}
	buf[n] = '\0';
	n = (size_t)snprintf(why, whylen, "%s: ", path);
	return conformance_parse_online(buf, online, why + n, whylen - n);
}

/* The event name as perf_event_resolve() takes it: "raw:0x1b7" is its "0x1b7". */
static int resolve(const char *name, struct perf_event_choice *ev)
{
	char why[PERF_WHY_MAX];
	const char *code;

	if (conformance_event_code(name, &code))
		return EXIT_BAD_INPUT;
	if (perf_event_resolve(code, ev, why, sizeof(why)))
		return cli_usage_error("conformance", "--event '%s': %s", name, why);
	return 0;
}

/* @s as a JSON string on stdout. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* Run the suite on @cpu; print its report. 0 conforms, 1 not, 2 could not run. */
static int check_cpu(unsigned int cpu, const struct conformance_options *o, const struct perf_event_choice *ev,
		     enum workload_kind kind, bool first)
{
	static struct membw_conformance_report report;
	struct membw_conformance_driver d;
	struct membw_backend_info info = { .size = sizeof(info) };
	struct perf_backend_ctx *pctx;
	char name[PERF_NAME_MAX + 32], why[PERF_WHY_MAX];
	int rc;

	snprintf(name, sizeof(name), "CPU %u, %s", cpu, ev->name);
	if (perf_conf_start(&d, name, ev, (int)cpu, kind, o->skid, why, sizeof(why))) {
		fprintf(stderr, "membw conformance: CPU %u: %s\n", cpu, why);
		return 2;
	}
	pctx = perf_conf_ctx();
	/* Counters the kernel cannot give (no PMU, not permitted) fail every fact the same way:
	 * say it once, with the kernel's reason. */
	if (membw_perf_backend.probe(pctx, &info)) {
		perf_conf_stop();
		if (o->json) {
			printf("%s{\"cpu\":%u,\"conforms\":false,\"report\":null,\"error\":",
			       first ? "" : ",", cpu);
			json_string(pctx->why);
			printf("}\n");
		} else {
			printf("%s: DOES NOT CONFORM: the counter cannot be opened: %s\n", name,
			       pctx->why);
		}
		return 1;
	}
	report.size = sizeof(report);
	rc = membw_conformance_run(&d, &report);
	perf_conf_stop();
	if (rc < 0)
		return 2;
	if (o->json) {
		printf("%s{\"cpu\":%u,\"conforms\":%s,\"report\":", first ? "" : ",", cpu,
		       rc ? "false" : "true");
		fflush(stdout);
		membw_conformance_print(&report, STDOUT_FILENO, MEMBW_CONFORMANCE_JSON);
		printf(",\"error\":null}");
	} else {
		fflush(stdout);
		membw_conformance_print(&report, STDOUT_FILENO, 0);
		if (report.failed && pctx->why[0])
			printf("  perf said: %s\n", pctx->why);
	}
	return rc;
}

int conformance_main(int argc, char **argv)
{
	static bool online[CONFORMANCE_MAX_CPUS], chosen[CONFORMANCE_MAX_CPUS];
	struct perf_event_choice ev;
	enum workload_kind kind;
	struct conformance_options o;
	unsigned int cpu, ncpus = 0, failed = 0, broken = 0;
	char why[256];
	int rc;

	rc = conformance_parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (read_online(online, why, sizeof(why))) {
		fprintf(stderr, "membw conformance: cannot read the online CPUs: %s\n", why);
		return EXIT_RUN_FAILED;
	}
	if (o.cpus) {
		if (conformance_parse_cpus(o.cpus, chosen, online))
			return EXIT_BAD_INPUT;
	} else {
		memcpy(chosen, online, sizeof(chosen));
	}
	if (resolve(o.event, &ev))
		return EXIT_BAD_INPUT;
	kind = perf_conf_kind(&ev);
	if (o.json) {
		printf("{\"event\":");
		json_string(ev.name);
		printf(",\"line_bytes\":%u,\"workload\":\"%s\",\"cpus\":[", ev.line_size,
		       perf_conf_kind_name(kind));
	} else {
		printf("membw conformance: event %s (1 event = %u bytes), perf backend\n", ev.name,
		       ev.line_size);
		printf("workload: %s\n", workload_describe(kind));
		if (ev.note[0])
			printf("note: %s\n", ev.note);
	}
	for (cpu = 0; cpu < CONFORMANCE_MAX_CPUS; cpu++) {
		if (!chosen[cpu])
			continue;
		rc = check_cpu(cpu, &o, &ev, kind, ncpus == 0);
		ncpus++;
		failed += rc == 1;
		broken += rc == 2;
	}
	if (o.json) {
		printf("],\"conforms\":%s}\n", failed || broken ? "false" : "true");
	} else {
		printf("membw conformance: %s on %u CPU%s (%u with a failed fact%s)\n",
		       failed || broken ? "DOES NOT CONFORM" : "conforms", ncpus, ncpus == 1 ? "" : "s",
		       failed, broken ? ", some could not run" : "");
	}
	return failed || broken ? EXIT_RUN_FAILED : 0;
}
