/* SPDX-License-Identifier: MIT */
/* Small text helpers shared by the command line and the scenario reader. */
#ifndef MEMBW_TOOL_TEXT_H
#define MEMBW_TOOL_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A whole number written in decimal ("010" is ten) or in hex with a 0x prefix; no sign, no
 * spaces, nothing after it. False if @s is not one or does not fit in 64 bits.
 */
bool text_parse_whole_number(const char *s, uint64_t *out);

/*
 * Replace every byte of @s that is not printable ASCII with '?', so that an error message quoting
 * a binary file or argument cannot drive the terminal.
 */
void text_make_printable(char *s);

#endif /* MEMBW_TOOL_TEXT_H */
