/* SPDX-License-Identifier: MIT */
/*
 * Link this object into an image to make the start code stay at EL2 (QEMU -M
 * virt,virtualization=on) instead of dropping to EL1: the base of a hypervisor test. The image
 * then runs with VBAR_EL2 on the platform's EL2 vectors, the EL2 timer (CNTHP, PPI 26) as the
 * platform timer, and HCR_EL2 = RW | AMO | IMO | FMO (physical interrupts come to EL2; no traps, no stage 2): set up guests from there.
 */
const unsigned int platform_boot_el = 2;
