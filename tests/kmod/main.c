/* SPDX-License-Identifier: MIT */
/* membw.ko's control files on the host: the grammars (membw's, MemGuard's) and the apply. */
#include "cunit_run.h"

int suite_control_parse(void);
int suite_control_apply(void);
int suite_memguard_parse(void);

static int (*const suites[])(void) = { suite_control_parse, suite_control_apply,
							suite_memguard_parse };

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("kmod-parse");
}
