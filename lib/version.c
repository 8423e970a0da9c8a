/* SPDX-License-Identifier: MIT */
/* The version of the library as built, for comparison with the headers a program used. */
#include <membw/version.h>

const char *membw_version(void)
{
	return MEMBW_VERSION;
}

uint32_t membw_version_number(void)
{
	return MEMBW_VERSION_NUMBER;
}
