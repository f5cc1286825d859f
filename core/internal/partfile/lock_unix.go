//go:build unix

package partfile

import (
	"os"
	"syscall"
)

// lock takes the writer's lock on a temporary it just created (see
// stale.go) and reports whether it holds it and whether the filesystem supports locks. flock, not
// fcntl locks: an fcntl lock belongs to the process and is dropped when any
// descriptor of the file closes, so a batch's own cleanup would drop its
// writers' locks; a flock belongs to the open file. The file is new, so no one
// else can hold its lock but a cleaner that is removing it, which Create
// notices.
func lock(f *os.File) (held, supported bool) {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return err == nil, err == nil || err == syscall.EWOULDBLOCK
}

// removeIfStale removes path if no one holds its lock, and reports whether it
// did. The lock is held while removing, so a writer that opened the file just
// before cannot take it in between; such a writer sees the file gone when it
// checks (Create) and starts another.
func removeIfStale(path string) bool {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return false // a live writer holds it, or the filesystem has no locks: keep it
	}
	a, err1 := f.Stat()
	b, err2 := os.Lstat(path)
	if err1 != nil || err2 != nil || !os.SameFile(a, b) || !a.Mode().IsRegular() {
		return false
	}
	return os.Remove(path) == nil
}

// KeepLock keeps f's lock past f.Close, until release: the lock belongs to the
// open file, which a duplicate descriptor keeps open.
func KeepLock(f *os.File) (release func()) {
	syscall.ForkLock.RLock() // as os does: no child may inherit it before it is close-on-exec
	fd, err := syscall.Dup(int(f.Fd()))
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return func() {}
	}
	return func() { syscall.Close(fd) }
}
