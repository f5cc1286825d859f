package main

import "time"

// Synchronous calls run on worker goroutines, not on the goroutine that C called
// into. A Go function called from C is locked to the caller's OS thread: every
// time it blocks inside an HTTP exchange the runtime must hand its processor to
// another thread and later wake the locked one, and each call would start on a
// small fresh stack that has to grow. Workers are ordinary goroutines whose stacks
// stay grown; the C caller sleeps on a semaphore until the worker posts the result
// (sync.c), so its thread is woken exactly once per call. Idle workers are reused;
// when none is idle a new one starts, so concurrency is never capped; a worker
// idle for workerIdle exits.

const workerIdle = 30 * time.Second

var work = make(chan func())

func runOnWorker(job func()) {
	select {
	case work <- job:
	default:
		go worker(job)
	}
}

func worker(job func()) {
	t := time.NewTimer(workerIdle)
	defer t.Stop()
	for {
		job()
		t.Reset(workerIdle)
		select {
		case job = <-work:
		case <-t.C:
			return
		}
	}
}
