# The policy's hot-path cost as a regression test (bench/README.md has the tables).
#
#   make check-tick-cost   steady and releasing tick and overflow instructions (valgrind callgrind) against
#                          bounds; SKIP unless x86-64, GCC 12 and the default CFLAGS, where they
#                          were measured

CHECK_TARGETS += check-tick-cost
CHECK_PACKAGES += valgrind

.PHONY: check-tick-cost

check-tick-cost: $(B)/bench/bench-policy
	@tests/cost/check-tick-cost $(B)/bench/bench-policy "$(CC)" "$(CFLAGS)"
