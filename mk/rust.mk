# The Rust binding (bindings/rust/: the membw-sys and membw crates, no crates from outside).
# Included by the top-level Makefile (which defines B, ...).
#
#   make check-rust   cargo test --offline with Debian's cargo and rustc: membw-sys's layout test
#                     (sizes, alignments, offsets and constants against bindings/abi/layout.c
#                     built by the C compiler), the safe crate's tests, and the VMM exit-handler
#                     example's tests; then the example itself runs
#
# Debian's cargo and rustc, never a rustup toolchain found first on PATH; CARGO_HOME and the
# target directory live under build/, so nothing is read from or written to ~/.cargo.

RUST_PACKAGES := cargo rustc gcc
CHECK_PACKAGES += $(RUST_PACKAGES)
CHECK_TARGETS += check-rust

.PHONY: check-rust

RUST_ENV = RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc CARGO_HOME=$(abspath $(B))/cargo-home \
	CARGO_TARGET_DIR=$(abspath $(B))/rust MEMBW_LIB_DIR=$(abspath $(B)) \
	LD_LIBRARY_PATH=$(abspath $(B)) MEMBW_SRCDIR=$(CURDIR) RUSTFLAGS="-D warnings"

# The guest-agent API (membw::agent, feature `agent`) when this tree has libmembw-agent
# (include/membw/agent.h, mk/agent.mk); without it the crates build and test without it.
ifneq ($(wildcard include/membw/agent.h),)
RUST_FEATURES := --features membw/agent
check-rust: $(B)/libmembw-agent.so
endif

check-rust: $(B)/libmembw.so
	@cd bindings/rust && $(RUST_ENV) /usr/bin/cargo test --offline --quiet --no-fail-fast \
		$(RUST_FEATURES)
	@cd bindings/rust && $(RUST_ENV) /usr/bin/cargo run --offline --quiet --example vmm_exit
	@echo "PASS rust: membw-sys layout against the C compiler, membw tests, vmm_exit example"
