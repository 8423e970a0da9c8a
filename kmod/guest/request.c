// SPDX-License-Identifier: MIT
/* What a guest agent writes to the budget file: "500MB/s" or "read=500MB/s write=200MB/s". */
#include <linux/kernel.h>
#include <linux/string.h>

#include <membw/memtalk_dev.h>
#include <membw/units.h>

#include "memtalk_kmod.h"

static int refuse(char *why, size_t why_len, const char *reason, const char *word)
{
	if (word)
		scnprintf(why, why_len, "%s: '%s'", reason, word);
	else
		scnprintf(why, why_len, "%s", reason);
	return -EINVAL;
}

/* One rate into *@bps; the reason names the channel so a two-rate line says which one is wrong. */
static int parse_one(const char *channel, const char *text, u64 *bps, char *why, size_t why_len)
{
	const char *reason = NULL;

	if (membw_parse_rate(text, bps, &reason)) {
		scnprintf(why, why_len, "%s rate '%s': %s (write e.g. 500MB/s)", channel, text,
			  reason ? reason : "not a rate");
		return -EINVAL;
	}
	return 0;
}

int mtk_request_parse(char *text, struct mtk_request *req, char *why, size_t why_len)
{
	struct mtk_request r = { 0 };
	bool bare = false;
	size_t len = strlen(text);
	char *rest = text, *word;
	int err;

	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	while ((word = strsep(&rest, " \t")) != NULL) {
		char *value = strchr(word, '=');

		if (!*word)
			continue;
		if (bare)
			return refuse(why, why_len, "a bare RATE stands alone; to set both write "
				      "read=RATE write=RATE", word);
		if (!value) {
			if (r.has_read || r.has_write)
				return refuse(why, why_len, "after read= or write=, name the channel",
					      word);
			err = parse_one("read", word, &r.read_bps, why, why_len);
			if (err)
				return err;
			r.has_read = bare = true;
			continue;
		}
		*value++ = '\0';
		if (!strcmp(word, "read")) {
			if (r.has_read)
				return refuse(why, why_len, "read= given twice", NULL);
			err = parse_one("read", value, &r.read_bps, why, why_len);
			r.has_read = true;
		} else if (!strcmp(word, "write")) {
			if (r.has_write)
				return refuse(why, why_len, "write= given twice", NULL);
			err = parse_one("write", value, &r.write_bps, why, why_len);
			r.has_write = true;
		} else {
			return refuse(why, why_len, "unknown channel (use read= or write=)", word);
		}
		if (err)
			return err;
	}
	if (!r.has_read && !r.has_write)
		return refuse(why, why_len,
			      "empty input: write RATE, read=RATE, write=RATE or both, e.g. 500MB/s",
			      NULL);
	*req = r;
	return 0;
}

int mtk_request_from_flags(u32 flags, u32 reserved, u64 read_bps, u64 write_bps,
			   struct mtk_request *req, char *why, size_t why_len)
{
	const u32 known = MEMBW_MEMTALK_DEV_SET_READ | MEMBW_MEMTALK_DEV_SET_WRITE;

	if (flags & ~known) {
		scnprintf(why, why_len, "unknown flags 0x%x in a budget request (known: 0x%x)",
			  flags & ~known, known);
		return -EINVAL;
	}
	if (!flags)
		return refuse(why, why_len, "a budget request names no channel: set "
			      "MEMBW_MEMTALK_DEV_SET_READ, _WRITE or both", NULL);
	if (reserved)
		return refuse(why, why_len, "a budget request's reserved field is not 0", NULL);
	req->has_read = flags & MEMBW_MEMTALK_DEV_SET_READ;
	req->has_write = flags & MEMBW_MEMTALK_DEV_SET_WRITE;
	req->read_bps = req->has_read ? read_bps : 0;
	req->write_bps = req->has_write ? write_bps : 0;
	return 0;
}
