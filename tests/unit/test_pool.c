/* SPDX-License-Identifier: MIT */
/*
 * The epoch-tagged pools (lib/pool.h) against a plain model of what they do: each operation on
 * every word near a period (this period's, earlier and later ones, the edges of the later window,
 * the tag's wrap at 2^31, invalid words) must give the model's result and leave the model's word.
 * The pool code is written for instructions per tick (make bench-policy); the model is written
 * for reading, from the pool.h comments, and classifies words with pool_ahead() alone.
 */
#include <stdint.h>

#include <CUnit/CUnit.h>

#include "check.h"
#include "../../lib/pool.h"

/* The model: pool_ahead() of the word, then the period's amount, a refill or nothing. */
static uint64_t model_left(uint64_t word, uint64_t epoch, uint64_t refill, bool *later)
{
	uint32_t ahead = pool_ahead(word, epoch);

	*later = ahead != 0 && ahead <= POOL_LATER_WINDOW;
	return ahead == 0 ? pool_amount(word) : refill;
}

static uint64_t model_take(uint64_t *pool, uint64_t epoch, uint64_t want, uint64_t refill)
{
	bool later;
	uint64_t left = model_left(*pool, epoch, refill, &later);
	uint64_t take = want < left ? want : left;

	if (later || take == 0)
		return 0;
	*pool = pool_word(epoch, left - take);
	return take;
}

/* pool_take_all() is pool_take() of the whole refill, except that the fast path's CAS also
 * stores this period's empty word for a refill of 0: the word, not the result, may differ then. */
static uint64_t model_take_all(uint64_t *pool, uint64_t epoch, uint64_t refill)
{
	return model_take(pool, epoch, refill, refill);
}

static uint64_t model_add(uint64_t *pool, uint64_t epoch, uint64_t amount, uint64_t *total)
{
	bool later;
	uint64_t left = model_left(*pool, epoch, 0, &later);
	uint64_t add = POOL_AMOUNT_MAX - left < amount ? POOL_AMOUNT_MAX - left : amount;

	if (later)
		return 0;
	*pool = pool_word(epoch, left + add);
	*total = left + add;
	return add;
}

static const uint64_t epochs[] = {
	0, 1, 2, 1000, POOL_LATER_WINDOW, POOL_TAG_MASK - 1, POOL_TAG_MASK, 1ull << 31,
	(1ull << 31) + 1, (1ull << 32) - 1, 1ull << 32, (1ull << 32) + 1, 3ull << 31,
	(5ull << 31) + 12345, 0xFFFFFFFFull << 20,
};

/* Periods relative to the caller's: the previous ones, this one, later ones, the window's edges,
 * far behind and far ahead. */
static const int64_t offsets[] = {
	-2, -1, 0, 1, 2, POOL_LATER_WINDOW - 1, POOL_LATER_WINDOW, POOL_LATER_WINDOW + 1,
	-(int64_t)POOL_LATER_WINDOW, 1ll << 30, -(1ll << 30), POOL_TAG_MASK, 1ll << 31,
};

static const uint64_t amounts[] = { 0, 1, 7, 1000, POOL_AMOUNT_MAX - 1, POOL_AMOUNT_MAX };

static const uint64_t wants[] = { 0, 1, 7, 999, 1000, 1001, POOL_AMOUNT_MAX, 1ull << 40 };

/* Every word a pool may hold near @epoch (and a few it never holds: invalid ones with a tag). */
static unsigned int words_near(uint64_t epoch, uint64_t *w)
{
	unsigned int n = 0, i, j;

	w[n++] = 0;
	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++)
		for (j = 0; j < sizeof(amounts) / sizeof(amounts[0]); j++) {
			uint64_t word = pool_word(epoch + (uint64_t)offsets[i], amounts[j]);

			w[n++] = word;
			w[n++] = word & ~POOL_VALID;
		}
	return n;
}

#define MAX_WORDS (1 + 2 * 13 * 6)

/* One case: the result and the word left (and the total, for pool_add) against the model's. */
static bool agree(const char *op, uint64_t word, uint64_t epoch, uint64_t arg, uint64_t arg2,
		  uint64_t got, uint64_t want, uint64_t left, uint64_t model_left)
{
	if (got == want && left == model_left)
		return true;
	CHECK_EQ(got, want, "%s(word %#llx, period %#llx, %llu, %llu) returns the model's", op,
		 (unsigned long long)word, (unsigned long long)epoch, (unsigned long long)arg,
		 (unsigned long long)arg2);
	CHECK_EQ(left, model_left, "%s(word %#llx, period %#llx, %llu, %llu) leaves the model's "
		 "word", op, (unsigned long long)word, (unsigned long long)epoch,
		 (unsigned long long)arg, (unsigned long long)arg2);
	return false;
}

static bool take_case(uint64_t word, uint64_t epoch, uint64_t want, uint64_t refill)
{
	uint64_t pool = word, model = word;
	uint64_t got = pool_take(&pool, epoch, want, refill);
	uint64_t expected = model_take(&model, epoch, want, refill);

	return agree("pool_take", word, epoch, want, refill, got, expected, pool, model);
}

static bool take_all_case(uint64_t word, uint64_t epoch, uint64_t refill, uint64_t unused)
{
	uint64_t pool = word, model = word;
	uint64_t got = pool_take_all(&pool, epoch, refill);
	uint64_t expected = model_take_all(&model, epoch, refill);

	(void)unused;
	/* A refill of 0 from an earlier period's word (the previous period's empty one, which the
	 * fast path's CAS expects): pool_take() takes nothing and leaves it, the CAS stores this
	 * period's empty word. Both give 0, and so does every later pool_take() of the period. */
	if (refill == 0 && pool == pool_tag_word(epoch) && model == word &&
	    pool_ahead(word, epoch) > POOL_LATER_WINDOW)
		pool = word;
	return agree("pool_take_all", word, epoch, refill, 0, got, expected, pool, model);
}

static bool add_case(uint64_t word, uint64_t epoch, uint64_t amount, uint64_t unused)
{
	uint64_t pool = word, model = word, total = 0, model_total = 0;
	uint64_t got = pool_add(&pool, epoch, amount, &total);
	uint64_t expected = model_add(&model, epoch, amount, &model_total);

	(void)unused;
	return agree("pool_add", word, epoch, amount, 0, got, expected, pool, model) &&
	       CHECK_EQ(total, model_total, "pool_add(word %#llx, period %#llx, %llu)'s total",
			(unsigned long long)word, (unsigned long long)epoch,
			(unsigned long long)amount);
}

/* @one on every word near every period, with every @a and @b (stops at the first that fails). */
static void all_cases(const char *what, bool (*one)(uint64_t, uint64_t, uint64_t, uint64_t),
		      const uint64_t *a, unsigned int na, const uint64_t *b, unsigned int nb)
{
	uint64_t w[MAX_WORDS];
	unsigned int e, i, j, k, cases = 0;

	for (e = 0; e < sizeof(epochs) / sizeof(epochs[0]); e++) {
		unsigned int n = words_near(epochs[e], w);

		for (i = 0; i < n; i++)
			for (j = 0; j < na; j++)
				for (k = 0; k < nb; k++) {
					if (!one(w[i], epochs[e], a[j], b[k]))
						return;
					cases++;
				}
	}
	CHECK_EQ(cases, sizeof(epochs) / sizeof(epochs[0]) * MAX_WORDS * na * nb,
		 "%s cases that agree with the model", what);
}

#define N(array) (sizeof(array) / sizeof((array)[0]))

/*
 * The model is only as right as pool_ahead(), so first some words worked out by hand from the
 * layout pool.h describes (bit 63 valid, bits 62-32 the period modulo 2^31, bits 31-0 the
 * amount; later means 1 to 2^20 periods ahead), each against the pools and the model alike.
 */
struct hand_case {
	uint64_t word, epoch, want, refill; /* pool_take(want, refill) */
	uint64_t taken, left;               /* what it takes, the word it leaves */
};

static const struct hand_case hand_cases[] = {
	/* period 5's word with 100 left: take 30 of them */
	{ 0x8000000500000064ull, 5, 30, 1000, 30, 0x8000000500000046ull },
	/* period 4's word (7 left): stale, refilled with 1000, 30 taken, 970 left */
	{ 0x8000000400000007ull, 5, 30, 1000, 30, 0x80000005000003CAull },
	/* period 6's word: the caller is late, nothing taken, the word stays */
	{ 0x8000000600000032ull, 5, 30, 1000, 0, 0x8000000600000032ull },
	/* 2^20 periods ahead (tag 0x100005): still later */
	{ 0x8010000500000032ull, 5, 30, 1000, 0, 0x8010000500000032ull },
	/* 2^20 + 1 ahead (tag 0x100006): stale */
	{ 0x8010000600000032ull, 5, 30, 1000, 30, 0x80000005000003CAull },
	/* period 5's tag without the valid bit, and the zeroed word: stale */
	{ 0x0000000500000064ull, 5, 30, 1000, 30, 0x80000005000003CAull },
	{ 0, 5, 30, 1000, 30, 0x80000005000003CAull },
	/* more wanted than left: what is left */
	{ 0x8000000500000064ull, 5, 500, 1000, 100, 0x8000000500000000ull },
	/* period 2^31 has tag 0; period 2^31 - 1's word (tag 0x7FFFFFFF) is stale */
	{ 0xFFFFFFFF00000010ull, 1ull << 31, 30, 1000, 30, 0x80000000000003CAull },
	/* and seen from period 2^31 - 1, period 2^31's word is one ahead: later */
	{ 0x8000000000000010ull, (1ull << 31) - 1, 30, 1000, 0, 0x8000000000000010ull },
};

static void test_hand_worked(void)
{
	unsigned int i;

	for (i = 0; i < N(hand_cases); i++) {
		const struct hand_case *h = &hand_cases[i];
		uint64_t pool = h->word, model = h->word;

		CHECK_EQ(pool_take(&pool, h->epoch, h->want, h->refill), h->taken,
			 "pool_take(word %#llx, period %#llx) takes what the layout says",
			 (unsigned long long)h->word, (unsigned long long)h->epoch);
		CHECK_EQ(pool, h->left, "pool_take(word %#llx, period %#llx) leaves the word",
			 (unsigned long long)h->word, (unsigned long long)h->epoch);
		CHECK_EQ(model_take(&model, h->epoch, h->want, h->refill), h->taken,
			 "the model takes the same from word %#llx", (unsigned long long)h->word);
		CHECK_EQ(model, h->left, "the model leaves the same word after %#llx",
			 (unsigned long long)h->word);
	}
	{
		/* 0xFFFFFFF0 left in period 5, 100 added: saturates at 2^32 - 1, 15 added */
		uint64_t pool = 0x80000005FFFFFFF0ull, total = 0;

		CHECK_EQ(pool_add(&pool, 5, 100, &total), 15, "pool_add saturates");
		CHECK_EQ(pool, 0x80000005FFFFFFFFull, "pool_add leaves a full word");
		CHECK_EQ(total, 0xFFFFFFFFull, "pool_add's total");
	}
	{
		/* period 4's emptied word, as a CPU alone in its domain leaves it: period 5 takes all
		 * 1000 and leaves period 5's empty word */
		uint64_t pool = 0x8000000400000000ull;

		CHECK_EQ(pool_take_all(&pool, 5, 1000), 1000, "pool_take_all takes the refill");
		CHECK_EQ(pool, 0x8000000500000000ull, "pool_take_all leaves this period's empty word");
	}
}

static const uint64_t none[] = { 0 };

static void test_take(void)
{
	all_cases("pool_take", take_case, wants, N(wants), amounts, N(amounts));
}

static void test_take_all(void)
{
	all_cases("pool_take_all", take_all_case, amounts, N(amounts), none, N(none));
}

static void test_add(void)
{
	/* Amounts up to POOL_AMOUNT_MAX, pool_add()'s callers' (shares of 32-bit budgets,
	 * throttle weights); a larger one still saturates. */
	static const uint64_t adds[] = { 0, 1, 7, 1000, POOL_AMOUNT_MAX, 1ull << 33 };

	all_cases("pool_add", add_case, adds, N(adds), none, N(none));
}

int suite_pool(void)
{
	CU_pSuite s = CU_add_suite("pools", NULL, NULL);

	if (!s || !CU_add_test(s, "hand-worked words", test_hand_worked) ||
	    !CU_add_test(s, "pool_take against the model", test_take) ||
	    !CU_add_test(s, "pool_take_all against the model", test_take_all) ||
	    !CU_add_test(s, "pool_add against the model", test_add))
		return -1;
	return 0;
}
