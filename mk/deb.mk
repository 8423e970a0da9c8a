# The Debian packages (debian/): libmembw0, libmembw-dev, membw, membw-dkms. Included by the
# top-level Makefile.
#
#   make deb         dpkg-buildpackage -us -uc -b on a copy of the tree: build/deb/*.deb
#   make check-deb   make deb, lintian (no errors), then from the packages' contents (dpkg-deb
#                    -x into build/deb/root): the consumer with pkg-config and CMake, the
#                    installed examples/embed.c, `membw sim scenarios/default.ini` in the packaged
#                    /usr/share/membw, `man -l`
#
# The packages are unpacked, not installed: `dpkg --root` into an empty root would need a dpkg
# database there, the packages' dependencies (libc6, libinih1, libpfm4, dkms) in it or
# --force-depends, and would run membw-dkms's postinst (a dkms build for the running kernel). The
# unpacked tree holds exactly the packages' files; programs find the packaged library through
# LD_LIBRARY_PATH, and the system's libc, libinih and libpfm4. mk/deb-root.mk installs them for
# real, maintainer scripts and all, in a fresh Debian 12 root.

DEB_PACKAGES := dpkg-dev debhelper dh-dkms fakeroot lintian scdoc libinih-dev libpfm4-dev \
	pkgconf cmake man-db
CHECK_PACKAGES += $(DEB_PACKAGES)
CHECK_TARGETS += check-deb
.PHONY: deb check-deb

deb:
	@scripts/ensure-packages $(DEB_PACKAGES)
	@tests/pkg/deb-build $(B)/deb $(VERSION)

check-deb: deb
	@tests/pkg/deb-test $(B)/deb $(VERSION)
