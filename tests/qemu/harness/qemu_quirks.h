/* SPDX-License-Identifier: MIT */
/*
 * Checks that a known QEMU quirk (docs/qemu.md#qemu-late-overflow) is still there, worded to FAIL
 * once QEMU is fixed and to say what to retire then. Shared by the raw PMU image (pmu_raw) and the
 * backend's (armv8_facts), which provoke the quirk each their own way.
 */
#ifndef QEMU_QEMU_QUIRKS_H
#define QEMU_QEMU_QUIRKS_H

#include <stdint.h>

/*
 * The late event-counter overflow interrupt: a counter armed to wrap after @budget events
 * (instructions at EL0), then run well past that, raised @irqs interrupts, and the handler saw
 * @past events past the wrap (~0: it never ran). Checks that the interrupt came once, and late:
 * more than @budget past the wrap (an exact interrupt sees 0), i.e. only at the next PMU access
 * or EL change. Notes @past either way.
 */
void qemu_quirk_check_late_overflow(uint64_t irqs, uint64_t past, uint64_t budget);

#endif /* QEMU_QEMU_QUIRKS_H */
