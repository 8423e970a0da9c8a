/* SPDX-License-Identifier: MIT */
/*
 * The only place the policy touches memory shared between CPUs. Built on the compiler's __atomic
 * builtins so the same file compiles in the kernel, at EL2 and in userspace; 64-bit operations are
 * single instructions (or LL/SC loops) on x86-64 and aarch64, never library calls: on aarch64 build
 * with -mno-outline-atomics where libgcc is absent (the freestanding check does).
 *
 * Plain fields of a CPU's own state that other CPUs only read (statistics, state bits) are written
 * with stat_add()/store_relaxed() so readers never see a torn value.
 */
#ifndef MEMBW_LIB_ATOMIC_H
#define MEMBW_LIB_ATOMIC_H

#include <membw/types.h>

/*
 * GCC (4.7 on) and clang provide the __atomic builtins and predefine __ATOMIC_RELAXED. A compiler
 * without them needs this file's helpers rewritten with the same memory orders (C11
 * <stdatomic.h>, or the kernel's READ_ONCE/smp_load_acquire/cmpxchg); nothing else in lib/ uses
 * atomics directly.
 */
#ifndef __ATOMIC_RELAXED
#error "lib/atomic.h needs the compiler's __atomic builtins (GCC >= 4.7, clang): rewrite its helpers for this compiler"
#endif

/*
 * For the small helpers on the tick and overflow paths: without it GCC -O2 keeps several of them
 * out of line and a tick pays a prologue and epilogue per step (measured: make bench).
 */
#define hot_inline static inline __attribute__((__always_inline__))

/* Thread sanitizer builds: every helper keeps its __atomic form, so the sanitizer sees them. */
#if defined(__SANITIZE_THREAD__)
#define MEMBW_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) /* clang's spelling */
#define MEMBW_TSAN 1
#endif
#endif

/*
 * Relaxed loads and stores on AArch64 are volatile accesses: GCC 12 forms the address of an
 * __atomic load or store with an ADD of its own instead of the LDR/STR's immediate offset, one
 * instruction per access of a struct field. An aligned 64-bit (or 32-bit) LDR or STR is
 * single-copy atomic on AArch64, and a volatile access is exactly one such instruction that the
 * compiler neither splits, merges nor drops: what the relaxed order promises (docs/policy.md,
 * "Relaxed accesses on AArch64"; Linux's READ_ONCE/WRITE_ONCE are the same).
 */
#if defined(__aarch64__) && !defined(MEMBW_TSAN)
#define MEMBW_VOLATILE_RELAXED 1
#endif

static inline uint64_t load_relaxed(const uint64_t *p)
{
#ifdef MEMBW_VOLATILE_RELAXED
	return *(const volatile uint64_t *)p;
#else
	return __atomic_load_n(p, __ATOMIC_RELAXED);
#endif
}

static inline uint64_t load_acquire(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store_relaxed(uint64_t *p, uint64_t v)
{
#ifdef MEMBW_VOLATILE_RELAXED
	*(volatile uint64_t *)p = v;
#else
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
#endif
}

static inline void store_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint32_t load32_relaxed(const uint32_t *p)
{
#ifdef MEMBW_VOLATILE_RELAXED
	return *(const volatile uint32_t *)p;
#else
	return __atomic_load_n(p, __ATOMIC_RELAXED);
#endif
}

static inline void store32_relaxed(uint32_t *p, uint32_t v)
{
#ifdef MEMBW_VOLATILE_RELAXED
	*(volatile uint32_t *)p = v;
#else
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
#endif
}

static inline void add32(uint32_t *p, int32_t delta)
{
	__atomic_fetch_add(p, (uint32_t)delta, __ATOMIC_RELAXED);
}

/* Publishes every store before it to whoever loads @p with acquire order. */
static inline void add_release(uint64_t *p, uint64_t v)
{
	__atomic_fetch_add(p, v, __ATOMIC_RELEASE);
}

/*
 * Compare-and-swap: on failure *expected is refreshed with the current value. Always inline: GCC
 * 12 kept a copy out of line for the tick's general step, whose call and stack slot for *expected
 * weighed on the register allocation of every step in membw_tick() (make bench-policy).
 */
hot_inline bool cas(uint64_t *p, uint64_t *expected, uint64_t desired)
{
	return __atomic_compare_exchange_n(p, expected, desired, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/*
 * Fences for a sequence lock (the pattern of Linux's write_seqcount_begin()/read_seqcount_retry()):
 * fence_release() after the store that makes the sequence odd keeps the data stores after it from
 * becoming visible first (smp_wmb; "dmb ish" on aarch64); fence_acquire() before the reader's second
 * look at the sequence keeps the data loads from being satisfied after it (smp_rmb). A release or
 * acquire on the sequence word alone orders the wrong side of these accesses.
 */
static inline void fence_release(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void fence_acquire(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/*
 * Single-writer counter readable from other CPUs: no locked read-modify-write needed, only a store
 * that readers never see half done. The generic form is a relaxed load, an add and a relaxed
 * store (three instructions on x86-64: GCC never folds atomics into a memory operand). On x86-64
 * one unlocked `add` to memory does the same: its store to an aligned quadword is a single memory
 * access (docs/policy.md, "Statistics on x86-64"), and only this CPU writes the word. Thread
 * sanitizer builds keep the generic form so that the sanitizer sees the accesses.
 */
#if defined(__x86_64__) && !defined(MEMBW_TSAN)
static inline void stat_add(uint64_t *p, uint64_t v)
{
	__asm__("addq %1, %0" : "+m"(*p) : "er"(v));
}
#else
static inline void stat_add(uint64_t *p, uint64_t v)
{
	store_relaxed(p, load_relaxed(p) + v);
}
#endif

#endif /* MEMBW_LIB_ATOMIC_H */
