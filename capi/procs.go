package main

import (
	"os"
	"runtime"
)

// The library's Go runtime is its own (the host is not a Go program), so it sets
// its own GOMAXPROCS: twice the CPUs, at least 4, unless the host set the
// GOMAXPROCS environment variable. A host thread making a synchronous call enters
// Go only to start it and then waits in C (sync_unix.c, sync_windows.c); the runtime counts that wait
// as a system call and leaves the thread's P attached to it until the thread
// comes back or sysmon takes the P away, so with one P per CPU the goroutines
// doing the calls of a busy host would queue for Ps that no thread is using.
// Measured on a 2-CPU machine: 8 C threads making cx_call got 0.46-0.63 of the
// core's calls per second with 2 Ps and 0.66-0.90 with 4 (a shared, noisy VM);
// earlier, when the calls ran on the callers' threads, 8 Python threads made
// 10-14% more calls per second with 4 Ps than 2.
func init() {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	runtime.GOMAXPROCS(max(4, 2*runtime.NumCPU()))
}
