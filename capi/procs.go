package main

import (
	"os"
	"runtime"
)

// The library's Go runtime is its own (the host is not a Go program), so it sets
// its own GOMAXPROCS: twice the CPUs, at least 4, unless the host set the
// GOMAXPROCS environment variable. Host threads making synchronous calls run the
// HTTP exchange themselves and block in the kernel (core.OnCallerThread); each
// needs a P only while it runs Go code, but with one P per CPU the threads of a
// busy host queue for Ps as they come back from the kernel, which costs a
// scheduler hand-off each time. Measured with 8 Python threads calling through
// the library on a 2-CPU machine: 10-14% more calls per second with 4 Ps than 2.
func init() {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	runtime.GOMAXPROCS(max(4, 2*runtime.NumCPU()))
}
