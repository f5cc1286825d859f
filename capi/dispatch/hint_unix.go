//go:build !windows

package dispatch

// interruptFDHint ends the message of a refused interrupt_fd.
const interruptFDHint = "a descriptor that stays open, such as the read end of a pipe"
