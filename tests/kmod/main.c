/* SPDX-License-Identifier: MIT */
/* membw.ko's control files on the host: the grammar and the all-or-nothing apply. */
#include "cunit_run.h"

int suite_control_parse(void);
int suite_control_apply(void);

static int (*const suites[])(void) = { suite_control_parse, suite_control_apply };

int main(void)
{
	int err = cunit_register(suites, sizeof(suites) / sizeof(suites[0]));

	return err ? err : cunit_run("kmod-parse");
}
