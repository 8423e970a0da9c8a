/* SPDX-License-Identifier: MIT */
/*
 * uint64_t workload_spin(uint64_t iterations): a loop of exactly two instructions per iteration
 * (SUBS, B.NE), so the difference between two runs of k and 2k iterations retires exactly 2k
 * instructions whatever the call overhead. iterations >= 1. Returns 0. Runs at any EL.
 */
	.text
	.global	workload_spin
workload_spin:
1:	subs	x0, x0, #1
	b.ne	1b
	ret
