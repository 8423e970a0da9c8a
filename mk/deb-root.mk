# The Debian packages installed for real: mk/deb.mk's packages in a fresh Debian 12 root.
# Included by the top-level Makefile.
#
#   make check-deb-root   make deb, then tests/pkg/deb-root: an mmdebstrap --variant=minbase
#                         bookworm root under build/deb-root (mirror from this machine's apt
#                         sources), apt-get install ./*.deb in it (maintainer scripts, dependencies;
#                         membw-dkms's postinst builds membw.ko for the QEMU tests' cloud kernel),
#                         membw --version and sim, man membw, embed.c and the consumer built with
#                         pkg-config, then apt-get purge and nothing left. Needs root.

DEB_ROOT_PACKAGES := mmdebstrap
CHECK_PACKAGES += $(DEB_ROOT_PACKAGES)
CHECK_TARGETS += check-deb-root
.PHONY: check-deb-root

check-deb-root: deb
	@scripts/ensure-packages $(DEB_ROOT_PACKAGES)
	@tests/pkg/deb-root $(B)/deb $(VERSION) $(B)/deb-root
