/* SPDX-License-Identifier: MIT */
#ifndef QEMU_WORKLOAD_H
#define QEMU_WORKLOAD_H

#include <stdint.h>

/* Instructions retired per iteration of workload_spin() (SUBS + B.NE). */
#define WORKLOAD_INSNS_PER_ITERATION 2u

/* Spin @iterations (>= 1) times: 2 instructions each. Returns 0. */
uint64_t workload_spin(uint64_t iterations);

#endif /* QEMU_WORKLOAD_H */
