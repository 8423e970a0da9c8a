/* SPDX-License-Identifier: MIT */
/* PL011 output (QEMU virt: 0x09000000; PrimeCell UART TRM DDI 0183: DR 0x00, FR 0x18, TXFF [5]).
 * QEMU's PL011 needs no set-up to transmit. */
#include "mmio.h"
#include "platform.h"

#define PL011_BASE 0x09000000ul
#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

void pf_putc(char c)
{
	if (c == '\n')
		pf_putc('\r');
	while (mmio_read32(PL011_BASE + PL011_FR) & PL011_FR_TXFF)
		;
	mmio_write32(PL011_BASE + PL011_DR, (uint32_t)(unsigned char)c);
}

void pf_puts(const char *s)
{
	while (*s)
		pf_putc(*s++);
}

void pf_vprintf(const char *fmt, va_list ap)
{
	char buf[256];

	pf_vsnprintf(buf, sizeof(buf), fmt, ap);
	pf_puts(buf);
}

void pf_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pf_vprintf(fmt, ap);
	va_end(ap);
}
