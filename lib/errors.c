/* SPDX-License-Identifier: MIT */
#include <membw/errors.h>

const char *membw_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return "success";
	case MEMBW_EPERM:
		return "operation not permitted";
	case MEMBW_ENOENT:
		return "no such object";
	case MEMBW_EIO:
		return "counter hardware failed";
	case MEMBW_EAGAIN:
		return "try again later";
	case MEMBW_EBUSY:
		return "already in use";
	case MEMBW_ENODEV:
		return "no such device, or CPU offline";
	case MEMBW_EINVAL:
		return "invalid argument";
	case MEMBW_ENOSPC:
		return "storage too small";
	case MEMBW_ERANGE:
		return "value out of range";
	case MEMBW_EOPNOTSUPP:
		return "not supported by this backend or runtime";
	default:
		return "unknown error";
	}
}
