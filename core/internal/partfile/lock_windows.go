package partfile

import "os"

// On Windows an open file cannot be deleted unless it was opened with
// FILE_SHARE_DELETE, which os.Create does not ask for: the writer's open handle
// is its lock, and a live writer's temporary refuses os.Remove.
func lock(*os.File) (held, supported bool) { return true, true }

func removeIfStale(path string) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	return os.Remove(path) == nil
}

// KeepLock: a closed file is no longer protected on Windows, and an open one
// cannot be renamed; the window between close and rename is left open there.
func KeepLock(*os.File) (release func()) { return func() {} }
