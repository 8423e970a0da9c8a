# What a user or a distribution installs: build flags from the environment, the install layout
# (the command, man pages, bash completion, docs, the CMake package), the examples and the Debian
# packages (mk/deb.mk). Included by the top-level Makefile.
#
#   make check-buildflags   CC, CPPFLAGS, CFLAGS, LDFLAGS from the environment reach every hosted
#                           compile and link; bare-metal builds keep their own flags

CHECK_TARGETS += check-buildflags
.PHONY: check-buildflags

check-buildflags:
	@MAKE="$(MAKE_DRY)" scripts/check-buildflags $(B)
