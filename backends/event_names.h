/* SPDX-License-Identifier: MIT */
/**
 * @file event_names.h
 * @brief The name rules the armv8 and x86 event tables share: ASCII case folding, the optional
 *        table prefix ("armv8::", "x86::") and the default names.
 *
 * One place for both architectures: backends/armv8/events.c and backends/x86/events.c resolve
 * names with these, and the perf backend and membw.ko reach them through those resolvers.
 * Freestanding (no libc, no state): static inline, so each table links alone.
 */
#ifndef MEMBW_EVENT_NAMES_H
#define MEMBW_EVENT_NAMES_H

/* Event names are ASCII mnemonics, so folding A-Z is the whole of "case-insensitive". */
static inline char event_name_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/** @brief 1 when @p a and @p b are the same name, any ASCII case; else 0. */
static inline int event_name_equal(const char *a, const char *b)
{
	while (*a && event_name_lower(*a) == event_name_lower(*b)) {
		a++;
		b++;
	}
	return event_name_lower(*a) == event_name_lower(*b);
}

/** @brief @p name after @p prefix (any ASCII case) when it starts with it; else @p name. */
static inline const char *event_name_after_prefix(const char *name, const char *prefix)
{
	const char *p = name;

	while (*prefix && event_name_lower(*p) == event_name_lower(*prefix)) {
		p++;
		prefix++;
	}
	return *prefix ? name : p;
}

/**
 * @brief Is @p name a default name (any ASCII case)? "default" leaves *@p channel (the channel
 *        whose setting holds the name); "default-read" sets it to 0 (reads) and "default-write"
 *        to 1 (write-backs), whatever the setting. 1 for a default name, else 0.
 */
static inline int event_name_default(const char *name, unsigned int *channel)
{
	if (event_name_equal(name, "default-read"))
		*channel = 0;
	else if (event_name_equal(name, "default-write"))
		*channel = 1;
	else if (!event_name_equal(name, "default"))
		return 0;
	return 1;
}

#endif /* MEMBW_EVENT_NAMES_H */
