package dispatch

import "syscall"

// wakeFlags: never block, and a host that has gone away gives EPIPE, not SIGPIPE.
const wakeFlags = syscall.MSG_NOSIGNAL | syscall.MSG_DONTWAIT

// socketPair makes the inbox's AF_UNIX pair, close-on-exec from the start.
func socketPair() ([2]int, error) {
	return syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
}
