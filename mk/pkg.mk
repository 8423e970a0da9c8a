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
# What install puts where, written once: install copies each entry, uninstall removes the same
# list, and install-files builds each source first. An entry is MODE:SOURCE:DIR or
# MODE:SOURCE:DIR:NAME (NAME defaults to the source's own); other fragments add theirs
# (mk/backends-install.mk). INSTALL_LINKS: DIR/LINK:TARGET symbolic links. INSTALL_OWN_DIRS: the
# directories that are the project's own, each before its parent: uninstall removes them in that
# order when it leaves them empty.
inst_field = $(word $(1),$(subst :, ,$(2)))
inst_path = $(DESTDIR)$(call inst_field,3,$(1))/$(or $(call inst_field,4,$(1)),$(notdir $(call inst_field,2,$(1))))
INSTALL_SOURCES = $(foreach e,$(INSTALL_FILES),$(call inst_field,2,$(e)))

# Docs: the project's own text, the guides, the examples. The scenarios are data `membw sim`
# reads, not docs (a system may leave out /usr/share/doc): $(DATADIR)/membw/scenarios, with the
# trace mixed.ini replays, so that `cd $(DATADIR)/membw && membw sim scenarios/default.ini` is the
# README's command line.
INSTALL_FILES += $(foreach h,$(wildcard include/membw/*.h),644:$(h):$(INCLUDEDIR)/membw) \
	644:$(B)/libmembw.a:$(LIBDIR) 755:$(B)/libmembw.so.$(VERSION):$(LIBDIR) \
	644:$(B)/membw.pc:$(PKGCONFIGDIR) $(CMAKE_FILES:%=644:%:$(CMAKEDIR)) \
	755:$(B)/membw:$(BINDIR) 644:tools/membw/completion.bash:$(BASHCOMPDIR):membw \
	$(foreach p,$(MAN_PAGES),644:$(p):$(MANDIR)/man$(subst .,,$(suffix $(p)))) \
	$(foreach f,README.md CHANGELOG.md LICENSE,644:$(f):$(DOCDIR)) \
	$(foreach f,$(wildcard docs/*.md),644:$(f):$(DOCDIR)/docs) \
	$(foreach f,scenarios/README.md $(wildcard scenarios/*.ini scenarios/*.csv),644:$(f):$(DATADIR)/membw/scenarios) \
	$(foreach f,$(EXAMPLE_FILES),644:$(f):$(DOCDIR)/examples)
INSTALL_LINKS += $(LIBDIR)/$(SONAME):libmembw.so.$(VERSION) $(LIBDIR)/libmembw.so:$(SONAME)
INSTALL_OWN_DIRS += $(INCLUDEDIR)/membw $(CMAKEDIR) $(DOCDIR)/docs $(DATADIR)/membw/scenarios \
	$(DATADIR)/membw $(DOCDIR)/examples $(DOCDIR)
DKMS_TREE := $(B)/dkms/membw-$(VERSION)

# What install builds needs these (build/membw links libinih and libpfm4; scdoc writes the man
# pages): installed first, or the apt-get command printed, as `make demo` does.
INSTALL_PACKAGES := $(BUILD_PACKAGES) scdoc libinih-dev libpfm4-dev

install:
	@scripts/ensure-packages $(INSTALL_PACKAGES) $(BACKENDS_PACKAGES)
	@$(MAKE) --no-print-directory install-files

define INSTALL_ONE
install -D -m $(call inst_field,1,$(1)) $(call inst_field,2,$(1)) $(call inst_path,$(1))

endef
define INSTALL_LINK
ln -sf $(call inst_field,2,$(1)) $(DESTDIR)$(call inst_field,1,$(1))

endef

install-files: lib $$(INSTALL_SOURCES)
	$(foreach e,$(INSTALL_FILES),$(call INSTALL_ONE,$(e)))
	$(foreach l,$(INSTALL_LINKS),$(call INSTALL_LINK,$(l)))
	# MAKEFLAGS emptied: the script asks a make of its own for the file list, and under a
	# parallel make that one would print a jobserver warning into it.
	rm -rf $(DKMS_TREE) && MAKEFLAGS= scripts/kernel-dkms-source $(B)/dkms $(VERSION) >/dev/null
	rm -rf $(DESTDIR)$(DKMSDIR)/membw-$(VERSION)
	install -d $(DESTDIR)$(DKMSDIR)
	cp -R $(DKMS_TREE) $(DESTDIR)$(DKMSDIR)/

# Removes the files install wrote, then the directories that are its own (rmdir: only if empty).
uninstall:
	rm -f $(foreach e,$(INSTALL_FILES),$(call inst_path,$(e))) \
		$(foreach l,$(INSTALL_LINKS),$(DESTDIR)$(call inst_field,1,$(l)))
	rm -rf $(DESTDIR)$(DKMSDIR)/membw-$(VERSION)
	-rmdir $(addprefix $(DESTDIR),$(INSTALL_OWN_DIRS)) 2>/dev/null

# ---- checks ----------------------------------------------------------------------------------
check-buildflags:
	@MAKE="$(MAKE_DRY)" scripts/check-buildflags $(B)

check-version: $(B)/membw $(B)/membw.pc $(CMAKE_FILES) $(MAN_PAGES) docs
	@tests/pkg/version-test $(VERSION) $(B)

check-coverage: $(B)/membw
	@tests/pkg/coverage-test $(B)/membw tools/membw/completion.bash
