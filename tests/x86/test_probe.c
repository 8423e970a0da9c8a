/* SPDX-License-Identifier: MIT */
/*
 * Probe and cpu_init on the model: what they read, what they report, what they program, and
 * every refusal. Facts from the Intel SDM (docs/x86-perfmon.md): CPUID.0AH:EAX = version [7:0],
 * GP counters [15:8], width [23:16], EBX length [31:24]; EBX bit i set = architectural event i
 * not available (bit 4: LLC Misses 0x2E/0x41). CPUID.01H:EAX: stepping [3:0], model [7:4],
 * family [11:8], extended model [19:16]; display model = extended model << 4 | model for family 6.
 * IA32_PERFEVTSELx: event [7:0], umask [15:8], USR 16, OS 17, INT 20, EN 22.
 */
#include <CUnit/CUnit.h>
#include <string.h>

#include "helpers.h"

static bool says(const char *reason, const char *word)
{
	return reason && strstr(reason, word);
}

static void test_no_perfmon(void)
{
	t_reset(0, 2);
	fx_set_perfmon(0, 0, 0, 0);
	fx.cpuid1[2] &= ~(1u << 31);
	CHECK(t_probe() == -MEMBW_ENODEV, "version 0: probe refuses with -ENODEV");
	CHECK(fx.reads == 0 && fx.writes == 0, "version 0: probe touches no MSR");
	CHECK(says(ctx.reason, "version 0"), "the reason says leaf 0x0A reports version 0");
	CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_ENODEV, "cpu_init after a failed probe refuses");

	t_reset(0, 2);
	fx_set_perfmon(0, 0, 0, 0);
	fx.cpuid1[2] |= 1u << 31; /* CPUID.1:ECX[31]: hypervisor present */
	CHECK(t_probe() == -MEMBW_ENODEV, "hypervisor bit and version 0: -ENODEV");
	CHECK(says(ctx.reason, "hypervisor hides"), "the reason says a hypervisor hides the counters");
	CHECK(fx.gp == 0 && fx.reads == 0, "and no MSR was touched");

	t_reset(0, 2);
	fx_set_perfmon(1, 2, 40, 0);
	CHECK(t_probe() == -MEMBW_ENODEV, "version 1 (no GLOBAL_STATUS): -ENODEV");
	CHECK(fx.reads == 0 && fx.writes == 0, "version 1: no MSR touched");
	CHECK(ctx.version == 1, "ctx.version shows the version read");

	t_reset(0, 2);
	fx.cpuid0[0] = 0x7; /* highest basic leaf below 0x0A */
	CHECK(t_probe() == -MEMBW_ENODEV, "no leaf 0x0A: -ENODEV");

	t_reset(0, 2);
	fx.cpuid0[1] = 0x68747541u; /* "Auth" */
	fx.cpuid0[3] = 0x69746E65u; /* "enti" */
	fx.cpuid0[2] = 0x444D4163u; /* "cAMD" */
	CHECK(t_probe() == -MEMBW_ENODEV, "AuthenticAMD: -ENODEV");
	CHECK(says(ctx.reason, "AMD"), "the reason names AMD");
}

static void test_spr_facts(void)
{
	t_reset(0, 2);
	CHECK_FATAL(t_probe() == 0, "probe succeeds on the Sapphire Rapids-like model");
	CHECK(info.channels == 2, "two counters and a write-back default: two channels");
	CHECK(info.counter_bits == 48, "FW_WRITE: the full 48-bit width");
	CHECK(info.line_size == 64, "CPUID.01H:EBX[15:8] = 8: 64-byte lines");
	CHECK(info.caps & MEMBW_CAP_LINE_SIZE_PROBED, "line size reported as probed");
	CHECK(info.caps & MEMBW_CAP_LATE_OVERFLOW, "the PMI is reported as late (asynchronous)");
	CHECK(!(info.caps & MEMBW_CAP_GENERIC_EVENTS), "a known generation: not generic");
	CHECK(info.levels == (MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL), "USER and KERNEL; HYP only with X86_FLAG_VMX");
	CHECK(ctx.version == 5 && ctx.counters_total == 8 && ctx.counter_width == 48, "ctx shows v5, 8 x 48");
	CHECK(ctx.family == 6 && ctx.model == 0x8F && ctx.stepping == 8, "display family 6, model 0x8F, stepping 8");
	CHECK(ctx.core_name && strcmp(ctx.core_name, "Sapphire Rapids") == 0, "model 0x8F: Sapphire Rapids table");
	CHECK(ctx.default_event[0] == 0x412E, "read default LONGEST_LAT_CACHE.MISS 0x2E/0x41");
	CHECK(ctx.default_event[1] == 0x0226, "write default L2_LINES_OUT.NON_SILENT 0x26/0x02");
	CHECK(ctx.full_width_writes == 1 && ctx.fell_back == 0, "full-width writes, no fallback");
	CHECK(ctx.reason == NULL, "no reason after success");
	CHECK(fx.gp == 0 && fx.writes == 0, "probe writes nothing and faults nowhere");
	CHECK(membw_x86_backend.priv_size <= 512, "private state fits the tests' 512 bytes");
	CHECK(membw_x86_backend.abi_version == MEMBW_BACKEND_ABI_VERSION &&
	      membw_x86_backend.size == sizeof(struct membw_backend) && membw_x86_backend.rearm &&
	      membw_x86_backend.cpu_exit, "the header's ABI version and size, with rearm and cpu_exit");
}

static void test_legacy_widths(void)
{
	t_reset(0, 2);
	fx.perf_capabilities = 0; /* no FW_WRITE */
	CHECK_FATAL(t_probe() == 0, "probe succeeds without FW_WRITE");
	CHECK(info.counter_bits == 31, "48-bit counters, legacy writes: 31 bits reported");
	CHECK(ctx.full_width_writes == 0, "ctx says no full-width writes");

	t_reset(0, 2);
	fx.cpuid1[2] &= ~(1u << 15); /* no PDCM: IA32_PERF_CAPABILITIES does not exist */
	CHECK_FATAL(t_probe() == 0, "probe succeeds without PDCM");
	CHECK(fx.gp == 0, "without PDCM, IA32_PERF_CAPABILITIES is not read (it would #GP)");
	CHECK(fx_count(M_PERF_CAP, false) == 0, "no read of 0x345");
	CHECK(info.counter_bits == 31, "and 31 bits");

	t_reset(0, 2);
	fx.perf_capabilities = 0;
	fx_set_perfmon(3, 4, 32, 0);
	CHECK_FATAL(t_probe() == 0, "probe succeeds with 32-bit counters");
	CHECK(info.counter_bits == 32, "32-bit counters: a legacy write sets all 32 bits, 32 reported");
}

static void test_generations(void)
{
	static const struct {
		uint32_t model, stepping;
		const char *name;
	} gens[] = {
		{ 0x55, 4, "Skylake-SP" },	 { 0x55, 7, "Cascade Lake" },
		{ 0x6A, 6, "Ice Lake-SP" },	 { 0x6C, 1, "Ice Lake-D" },
		{ 0x8F, 8, "Sapphire Rapids" }, { 0xCF, 2, "Emerald Rapids" },
		{ 0xAD, 1, "Granite Rapids" },	 { 0xAE, 1, "Granite Rapids-D" },
		{ 0xAF, 3, "Sierra Forest" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		t_reset(0, 2);
		fx_set_model(gens[i].model, gens[i].stepping);
		CHECK_FATAL(t_probe() == 0, "probe succeeds");
		CHECK(ctx.core_name && strcmp(ctx.core_name, gens[i].name) == 0,
		       "the display model selects its generation's table");
		CHECK(ctx.default_event[0] == 0x412E, "every generation reads with LONGEST_LAT_CACHE.MISS");
		CHECK(ctx.model == gens[i].model, "display model = extended model << 4 | model");
	}
}

static void test_generic(void)
{
	t_reset(0, 2);
	fx_set_model(0x3F, 2); /* Haswell-EP: no table */
	CHECK_FATAL(t_probe() == 0, "probe succeeds on an unknown Intel model");
	CHECK(strcmp(ctx.core_name, "generic (architectural events)") == 0, "generic table");
	CHECK(ctx.fell_back == 1 && (info.caps & MEMBW_CAP_GENERIC_EVENTS), "fell back, caps say generic");
	CHECK(ctx.default_event[0] == 0x412E, "architectural LLC Misses for reads");
	CHECK(ctx.default_event[1] == X86_NO_EVENT, "no architectural write-back event");
	CHECK(info.channels == 1, "so one channel");

	t_reset(0, 2);
	fx_set_model(0x3F, 2);
	fx_set_perfmon(4, 4, 48, BIT(4)); /* EBX bit 4: LLC Misses not available */
	ctx.want_channels = 1;
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(ctx.default_event[0] == X86_NO_EVENT, "LLC Misses unavailable: no read default");
	CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_EOPNOTSUPP, "cpu_init with the default: -EOPNOTSUPP");
	CHECK(says(x86_cpu_reason(priv), "EBX bit 4"), "the per-CPU reason names CPUID.0AH:EBX bit 4");
	CHECK(t_init(MEMBW_COUNT_USER, X86_EVENT(0xC0, 0), 0) == 0, "INST_RETIRED (EBX bit 1 clear) accepted");
	CHECK(x86_cpu_reason(priv) == NULL, "a successful cpu_init clears the CPU's reason");
	CHECK(ctx.reason == NULL, "probe's reason is untouched by cpu_init");

	t_reset(0, 2);
	fx_set_model(0x3F, 2);
	fx.cpuida[0] = (fx.cpuida[0] & 0x00FFFFFFu) | (4u << 24); /* EBX length 4: bit 4 not enumerated */
	CHECK_FATAL(t_probe() == 0, "probe succeeds");
	CHECK(ctx.default_event[0] == X86_NO_EVENT, "an EBX bit beyond EAX[31:24] means not available");
}

static void test_counter_range_and_ctx(void)
{
	t_reset(7, 2);
	CHECK(t_probe() == -MEMBW_ENODEV, "counters 7..8 of 8: -ENODEV");
	t_reset(8, 1);
	CHECK(t_probe() == -MEMBW_ENODEV, "first_counter = n: -ENODEV");
	t_reset(0, 0);
	CHECK(t_probe() == -MEMBW_ENODEV && ctx.reason, "no counter handed over: -ENODEV with a reason");
	t_reset(0, 1);
	ctx.want_channels = 2;
	CHECK(t_probe() == -MEMBW_ENODEV, "two channels, one counter: -ENODEV");
	t_reset(0, 1);
	CHECK(t_probe() == 0 && info.channels == 1, "one counter: one channel");

	t_reset(0, 2);
	CHECK(membw_x86_backend.probe(NULL, &info) == -MEMBW_EINVAL, "no ctx: -EINVAL");
	ctx.size = 8;
	CHECK(t_probe() == -MEMBW_EINVAL, "ctx.size too small: -EINVAL");
	t_reset(0, 2);
	ctx.flags = 1u << 9;
	CHECK(t_probe() == -MEMBW_EINVAL, "unknown flag: -EINVAL");
	t_reset(0, 2);
	ctx.apic = 7;
	CHECK(t_probe() == -MEMBW_EINVAL, "unknown apic mode: -EINVAL");
	t_reset(0, 2);
	ctx.xapic_base = 0;
	CHECK(t_probe() == -MEMBW_EINVAL, "xAPIC without its base: -EINVAL");
	t_reset(0, 2);
	ctx.lvt_vector = 5;
	CHECK(t_probe() == -MEMBW_EINVAL, "fixed delivery to vector 5 (< 16): -EINVAL");
	CHECK(fx.nlog == 0, "a malformed ctx is refused before CPUID or any MSR");
	t_reset(0, 2);
	info.size = 4;
	CHECK(t_probe() == -MEMBW_EINVAL, "membw_backend_info.size too small: -EINVAL");

	t_reset(0, 2);
	ctx.apic = X86_APIC_X2APIC;
	CHECK(t_probe() == -MEMBW_ENODEV && says(ctx.reason, "xAPIC mode"),
	       "x2APIC asked for, APIC in xAPIC mode: -ENODEV, reason says so");
	t_reset(0, 2);
	fx.apic_base |= 1u << 10; /* EXTD: x2APIC mode */
	CHECK(t_probe() == -MEMBW_ENODEV && says(ctx.reason, "x2APIC mode"),
	       "xAPIC asked for, APIC in x2APIC mode: -ENODEV");
	t_reset(0, 2);
	fx.apic_base &= ~(uint64_t)(1u << 11);
	CHECK(t_probe() == -MEMBW_ENODEV, "APIC globally disabled: -ENODEV");
	t_reset(0, 2);
	ctx.apic = X86_APIC_NONE;
	fx.apic_base &= ~(uint64_t)(1u << 11);
	CHECK(t_probe() == 0, "X86_APIC_NONE: the APIC is the runtime's business");
}

static void test_cpu_init_programs(void)
{
	t_reset(2, 2);
	/* Someone else's counters 0, 1 and 4: programmed, enabled, overflowed. */
	fx.evtsel[0] = 0x4300C0;
	fx.evtsel[4] = 0x43003C;
	fx.pmc[0] = 1234;
	fx.global_ctrl = BIT(0) | BIT(4) | BIT(32);
	fx.global_status = BIT(0) | BIT(2) | BIT(3) | BIT(33);
	CHECK_FATAL(t_ready(MEMBW_COUNT_USER | MEMBW_COUNT_KERNEL, 0, 0), "probe and cpu_init");
	/* Golden values from the SDM layout: 0x2E | 0x41 << 8 | USR 1<<16 | OS 1<<17 | INT 1<<20. */
	CHECK(fx.evtsel[2] == 0x13412Eu, "IA32_PERFEVTSEL2 = 0x13412E: LLC miss, USR, OS, INT, EN clear");
	/* 0x26 | 0x02 << 8 | USR | OS | INT */
	CHECK(fx.evtsel[3] == 0x130226u, "IA32_PERFEVTSEL3 = 0x130226: L2_LINES_OUT.NON_SILENT, EN clear");
	CHECK(fx.global_ctrl == (BIT(0) | BIT(2) | BIT(3) | BIT(4) | BIT(32)),
	       "GLOBAL_CTRL: bits 2 and 3 added, others' bits 0, 4 and 32 kept");
	CHECK(fx.global_status == (BIT(0) | BIT(33)), "stale overflows of 2 and 3 cleared, others' kept");
	CHECK(fx.evtsel[0] == 0x4300C0 && fx.evtsel[4] == 0x43003C && fx.pmc[0] == 1234,
	       "counters 0 and 4 are left as found");
	CHECK(fx.lvt == 0xEE, "LVT entry: vector 0xEE, fixed delivery, unmasked");
	CHECK(fx.gp == 0, "no #GP");
	CHECK(x86_channel_counters(priv, MEMBW_CH_READ) == BIT(2) &&
		       x86_channel_counters(priv, MEMBW_CH_WRITE) == BIT(3),
	       "read channel on counter 2, write channel on counter 3");

	t_reset(0, 1);
	ctx.lvt_delivery = X86_LVT_NMI;
	CHECK_FATAL(t_ready(MEMBW_COUNT_USER, 0, 0), "NMI delivery");
	CHECK(fx.lvt == 0x400, "LVT entry: delivery mode 100b (NMI) in bits 10:8 = 0x400");
	/* 0x2E | 0x41 << 8 | USR | INT */
	CHECK(fx.evtsel[0] == 0x11412Eu, "USER only: 0x11412E");
	CHECK_FATAL(t_init(MEMBW_COUNT_KERNEL, 0, 0) == 0, "re-init KERNEL only");
	/* 0x2E | 0x41 << 8 | OS | INT */
	CHECK(fx.evtsel[0] == 0x12412Eu, "KERNEL only: 0x12412E");

	t_reset(0, 1);
	ctx.apic = X86_APIC_X2APIC;
	fx.apic_base |= 1u << 10;
	CHECK_FATAL(t_ready(MEMBW_COUNT_USER, 0, 0), "x2APIC mode");
	CHECK(fx_count(0x834, true) == 1 && fx.lvt == 0xEE, "the LVT entry is written through MSR 0x834");
	CHECK(fx.gp == 0, "no #GP");

	t_reset(0, 1);
	ctx.apic = X86_APIC_NONE;
	CHECK_FATAL(t_ready(MEMBW_COUNT_USER, 0, 0), "X86_APIC_NONE");
	CHECK(fx.lvt == (1u << 16) && fx_count(FX_MMIO_LVT, true) == 0, "the LVT entry is not touched");
}

static void test_event_checks(void)
{
	t_reset(0, 2);
	CHECK_FATAL(t_probe() == 0, "probe");
	fx_log_clear();
	CHECK(t_init(MEMBW_COUNT_USER, 0x1F25 | (1ull << 16), 0) == -MEMBW_EOPNOTSUPP,
	       "a code with bit 16 (USR) set is refused");
	CHECK(fx.nlog > 0 && fx_count(M_EVTSEL(0), true) == 0, "a refused cpu_init programs nothing");
	CHECK(t_init(MEMBW_COUNT_USER, 0x1F25, X86_EVENT(0, 0)) == 0,
	       "L2_LINES_IN.ALL and explicit event 0/umask 0 accepted (model-specific: trusted)");
	/* 0x25 | 0x1F << 8 | USR | INT */
	CHECK(fx.evtsel[0] == 0x111F25u, "IA32_PERFEVTSEL0 = 0x111F25");
	CHECK(fx.evtsel[1] == 0x110000u, "X86_EVENT(0, 0): event 0, umask 0, USR | INT = 0x110000");
	fx_set_perfmon(5, 8, 48, BIT(1)); /* instructions retired unavailable */
	CHECK(t_init(MEMBW_COUNT_USER, X86_EVENT(0xC0, 0), 0) == -MEMBW_EOPNOTSUPP,
	       "INST_RETIRED with EBX bit 1 set: refused");
	CHECK(t_init(0, 0, 0) == -MEMBW_EOPNOTSUPP, "no level: refused");
	CHECK(t_init(MEMBW_COUNT_HYP, 0, 0) == -MEMBW_EOPNOTSUPP, "HYP without X86_FLAG_VMX: refused");
	CHECK(t_init(1u << 5, 0, 0) == -MEMBW_EOPNOTSUPP, "an unknown level bit: refused");

	t_reset(0, 1);
	CHECK_FATAL(t_probe() == 0, "probe, one channel");
	CHECK(t_init(MEMBW_COUNT_USER, 0, EV_INST) == -MEMBW_EOPNOTSUPP,
	       "a write event named while one channel runs: refused");
	CHECK(fx.gp == 0, "no #GP");
}

static void test_cpu_init_checks_its_cpu(void)
{
	t_reset(0, 2);
	CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_ENODEV, "cpu_init before probe: -ENODEV");
	t_reset(0, 2);
	CHECK_FATAL(t_probe() == 0, "probe with FW_WRITE");
	fx.perf_capabilities = 0;
	CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_ENODEV, "a CPU without FW_WRITE after a probe with it");
	CHECK(says(x86_cpu_reason(priv), "width"), "its reason names the width");
	fx_set_perfmon(0, 0, 0, 0);
	CHECK(t_init(MEMBW_COUNT_USER, 0, 0) == -MEMBW_ENODEV, "a CPU without perfmon: -ENODEV");
}

int x86_probe_suite(void);
int x86_probe_suite(void)
{
	CU_pSuite s = CU_add_suite("x86 probe and cpu_init", NULL, NULL);

	if (!s || !CU_add_test(s, "no perfmon: clean refusals", test_no_perfmon) ||
	    !CU_add_test(s, "Sapphire Rapids facts", test_spr_facts) ||
	    !CU_add_test(s, "legacy writes: 31 bits", test_legacy_widths) ||
	    !CU_add_test(s, "generations by family/model", test_generations) ||
	    !CU_add_test(s, "unknown models: architectural events", test_generic) ||
	    !CU_add_test(s, "counter range and malformed ctx", test_counter_range_and_ctx) ||
	    !CU_add_test(s, "cpu_init programs only its counters", test_cpu_init_programs) ||
	    !CU_add_test(s, "requested events checked", test_event_checks) ||
	    !CU_add_test(s, "cpu_init checks its own CPU", test_cpu_init_checks_its_cpu))
		return CU_get_error();
	return 0;
}
