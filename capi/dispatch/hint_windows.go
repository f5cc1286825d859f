package dispatch

// interruptFDHint ends the message of a refused interrupt_fd: on Windows it is a
// SOCKET (core/interrupt_windows.go).
const interruptFDHint = "a SOCKET that stays open, such as one end of socket.socketpair() in Python"
