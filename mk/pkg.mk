# What a user or a distribution installs: build flags from the environment, the install layout
# (libraries, headers, pkg-config and CMake packages, the membw command, man pages from scdoc,
# bash completion, docs, the dkms source of membw.ko; the counter backends' libraries are
# mk/backends-install.mk's) and the checks of both. The Debian packages
# are mk/deb.mk's, the examples mk/examples.mk's. Included by the top-level Makefile.
#
#   make man                build/man/: membw.1, libmembw.3, membw.ko.4 (scdoc)
#   make install            PREFIX=/usr/local DESTDIR= (directories below); make uninstall
#   make check-buildflags   CC, CPPFLAGS, CFLAGS, LDFLAGS from the environment reach every hosted
#                           compile and link; bare-metal builds keep their own flags
#   make check-version      the one version of include/membw/version.h everywhere it shows
#   make check-coverage     bash completion and membw(1) cover every command and option of
#                           `membw --help`, libmembw(3) every export, membw.ko(4) every module
#                           parameter and debugfs file

PKG_PACKAGES := scdoc cmake bash-completion man-db
CHECK_PACKAGES += $(PKG_PACKAGES)
CHECK_TARGETS += check-buildflags check-version check-coverage
.PHONY: man install install-files uninstall check-buildflags check-version check-coverage

BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/libmembw
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
CMAKEDIR ?= $(LIBDIR)/cmake/membw
# dkms builds from /usr/src/NAME-VERSION: with PREFIX=/usr that is $(DKMSDIR)/membw-$(VERSION).
DKMSDIR ?= $(PREFIX)/src

# ---- man pages: man/NAME.SECTION.scd -> build/man/NAME.SECTION, the version filled in ----------
MAN_SRCS := $(wildcard man/*.scd)
MAN_PAGES := $(MAN_SRCS:man/%.scd=$(B)/man/%)

$(B)/man/%: man/%.scd include/membw/version.h
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(VERSION)/g' $< | scdoc > $@.tmp && mv -f $@.tmp $@

man: $(MAN_PAGES)

# ---- the CMake package: paths relative to its own directory, so DESTDIR staging works ---------
$(B)/cmake/membw-config.cmake $(B)/cmake/membw-config-version.cmake: $(B)/cmake/%: cmake/%.in \
		include/membw/version.h FORCE
	@mkdir -p $(@D)
	@sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@MAJOR@|$(VERSION_MAJOR)|g' \
		-e "s|@LIBDIR_REL@|$$(realpath -m --relative-to=$(CMAKEDIR) $(LIBDIR))|g" \
		-e "s|@INCLUDEDIR_REL@|$$(realpath -m --relative-to=$(CMAKEDIR) $(INCLUDEDIR))|g" \
		$< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi

CMAKE_FILES := $(B)/cmake/membw-config.cmake $(B)/cmake/membw-config-version.cmake

# ---- install / uninstall ---------------------------------------------------------------------
# Docs: the project's own text, the guides, the scenarios `membw sim` reads, the examples.
DOC_FILES := README.md CHANGELOG.md LICENSE
DOC_GUIDES := $(wildcard docs/*.md) scenarios/README.md
DOC_SCENARIOS := $(wildcard scenarios/*.ini)
DKMS_TREE := $(B)/dkms/membw-$(VERSION)

# What install builds needs these (build/membw links libinih and libpfm4; scdoc writes the man
# pages): installed first, or the apt-get command printed, as `make demo` does.
INSTALL_PACKAGES := $(BUILD_PACKAGES) scdoc libinih-dev libpfm4-dev

install:
	@scripts/ensure-packages $(INSTALL_PACKAGES) $(BACKENDS_PACKAGES)
	@$(MAKE) --no-print-directory install-files

# The backends' libraries, headers and pkg-config files: mk/backends-install.mk.
install-files: lib $(B)/membw $(MAN_PAGES) $(CMAKE_FILES) $$(EXAMPLE_FILES) $$(BACKEND_LIBS) \
		$$(BACKEND_PC)
	install -d $(DESTDIR)$(INCLUDEDIR)/membw $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR) \
		$(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man4 \
		$(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/scenarios $(DESTDIR)$(DOCDIR)/examples \
		$(DESTDIR)$(DKMSDIR)
	install -m 644 include/membw/*.h $(DESTDIR)$(INCLUDEDIR)/membw/
	install -m 644 $(B)/libmembw.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(B)/libmembw.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libmembw.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmembw.so
	install -m 644 $(B)/membw.pc $(DESTDIR)$(PKGCONFIGDIR)/membw.pc
	install -m 644 $(CMAKE_FILES) $(DESTDIR)$(CMAKEDIR)/
	install -m 755 $(B)/membw $(DESTDIR)$(BINDIR)/membw
	install -m 644 tools/membw/completion.bash $(DESTDIR)$(BASHCOMPDIR)/membw
	for page in $(MAN_PAGES); do \
		install -m 644 $$page $(DESTDIR)$(MANDIR)/man$${page##*.}/ || exit 1; done
	install -m 644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	install -m 644 $(filter docs/%,$(DOC_GUIDES)) $(DESTDIR)$(DOCDIR)/docs/
	install -m 644 scenarios/README.md $(DOC_SCENARIOS) $(DESTDIR)$(DOCDIR)/scenarios/
	install -m 644 $(EXAMPLE_FILES) $(DESTDIR)$(DOCDIR)/examples/
	# MAKEFLAGS emptied: the script asks a make of its own for the file list, and under a
	# parallel make that one would print a jobserver warning into it.
	rm -rf $(DKMS_TREE) && MAKEFLAGS= scripts/kernel-dkms-source $(B)/dkms $(VERSION) >/dev/null
	rm -rf $(DESTDIR)$(DKMSDIR)/membw-$(VERSION)
	cp -R $(DKMS_TREE) $(DESTDIR)$(DKMSDIR)/
	$(BACKENDS_INSTALL)

# Removes the files install wrote, then the directories that are its own (rmdir: only if empty).
uninstall:
	$(BACKENDS_UNINSTALL)
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/membw/,$(notdir $(wildcard include/membw/*.h)))
	rm -f $(DESTDIR)$(LIBDIR)/libmembw.a $(DESTDIR)$(LIBDIR)/libmembw.so \
		$(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libmembw.so.$(VERSION) \
		$(DESTDIR)$(PKGCONFIGDIR)/membw.pc \
		$(addprefix $(DESTDIR)$(CMAKEDIR)/,$(notdir $(CMAKE_FILES))) \
		$(DESTDIR)$(BINDIR)/membw $(DESTDIR)$(BASHCOMPDIR)/membw \
		$(foreach p,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/$(notdir $(p))) \
		$(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOC_FILES))) \
		$(addprefix $(DESTDIR)$(DOCDIR)/docs/,$(notdir $(filter docs/%,$(DOC_GUIDES)))) \
		$(addprefix $(DESTDIR)$(DOCDIR)/scenarios/,README.md $(notdir $(DOC_SCENARIOS))) \
		$(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(notdir $(EXAMPLE_FILES)))
	rm -rf $(DESTDIR)$(DKMSDIR)/membw-$(VERSION)
	-rmdir $(DESTDIR)$(INCLUDEDIR)/membw $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(DOCDIR)/docs \
		$(DESTDIR)$(DOCDIR)/scenarios $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) \
		2>/dev/null

# ---- checks ----------------------------------------------------------------------------------
check-buildflags:
	@MAKE="$(MAKE_DRY)" scripts/check-buildflags $(B)

check-version: $(B)/membw $(B)/membw.pc $(CMAKE_FILES) $(MAN_PAGES) docs
	@tests/pkg/version-test $(VERSION) $(B)

check-coverage: $(B)/membw
	@tests/pkg/coverage-test $(B)/membw tools/membw/completion.bash
