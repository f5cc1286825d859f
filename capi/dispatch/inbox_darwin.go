package dispatch

import "syscall"

// wakeFlags: never block. macOS has no MSG_NOSIGNAL; socketPair sets
// SO_NOSIGPIPE on the library's end instead.
const wakeFlags = syscall.MSG_DONTWAIT

// socketPair makes the inbox's AF_UNIX pair. macOS has no SOCK_CLOEXEC: both
// ends are made close-on-exec under ForkLock, as package os does, so no child
// started meanwhile inherits them.
func socketPair() ([2]int, error) {
	syscall.ForkLock.RLock()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err == nil {
		syscall.CloseOnExec(fds[0])
		syscall.CloseOnExec(fds[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return fds, err
	}
	if err := syscall.SetsockoptInt(fds[0], syscall.SOL_SOCKET, syscall.SO_NOSIGPIPE, 1); err != nil {
		syscall.Close(fds[0])
		syscall.Close(fds[1])
		return fds, err
	}
	return fds, nil
}
