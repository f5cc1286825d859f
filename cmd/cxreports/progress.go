package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows a batch's advance on stderr: a bar on a terminal, plain lines
// (at most one a second, and a last one) for logs and cron mail.
type progress interface {
	update(ok, failed, skipped int)
	failure(line int, msg string)
	batch(throttled, limit int) // 429/503 answers so far, and renders allowed in flight now
	finish(ok, failed, skipped, removed int)
}

func newProgress(w io.Writer, total int) progress {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("rendering"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("renders"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
		)
		return &barProgress{bar: bar, w: w}
	}
	return &lineProgress{w: w, total: total, start: time.Now()}
}

type barProgress struct {
	bar              *progressbar.ProgressBar
	w                io.Writer
	throttles, limit int
}

func (b *barProgress) update(ok, failed, skipped int) {
	b.bar.Describe(fmt.Sprintf("ok %d, failed %d, skipped %d%s%s", ok, failed, skipped, limitNote(b.limit), throttleNote(b.throttles)))
	_ = b.bar.Set(ok + failed + skipped)
}

func (b *barProgress) failure(line int, msg string) {
	_ = b.bar.Clear()
	fmt.Fprintf(b.w, "line %d: %s\n", line, msg)
}

func (b *barProgress) batch(throttled, limit int) { b.throttles, b.limit = throttled, limit }

func (b *barProgress) finish(ok, failed, skipped, removed int) {
	b.update(ok, failed, skipped)
	_ = b.bar.Finish()
	if removed > 0 {
		fmt.Fprintln(b.w, removedNote(removed))
	}
}

type lineProgress struct {
	w                io.Writer
	total            int
	start            time.Time
	last             time.Time
	printed          [3]int // the counts of the last line printed
	throttles, limit int
}

func (l *lineProgress) update(ok, failed, skipped int) {
	if time.Since(l.last) < time.Second {
		return
	}
	l.print(ok, failed, skipped)
}

func (l *lineProgress) print(ok, failed, skipped int) {
	l.last, l.printed = time.Now(), [3]int{ok, failed, skipped}
	done := ok + failed + skipped
	elapsed := time.Since(l.start)
	rate := float64(done) / max(elapsed.Seconds(), 1e-3)
	of, eta := "", ""
	if l.total >= 0 {
		of = fmt.Sprintf("/%d", l.total)
		if rate > 0 && done < l.total {
			eta = fmt.Sprintf(", ETA %s", time.Duration(float64(l.total-done)/rate*float64(time.Second)).Round(time.Second))
		}
	}
	fmt.Fprintf(l.w, "cxreports: %d%s done: %d ok, %d failed, %d skipped; %.1f/s%s%s%s\n",
		done, of, ok, failed, skipped, rate, eta, limitNote(l.limit), throttleNote(l.throttles))
}

func (l *lineProgress) failure(line int, msg string) { fmt.Fprintf(l.w, "line %d: %s\n", line, msg) }

func (l *lineProgress) batch(throttled, limit int) { l.throttles, l.limit = throttled, limit }

// finish prints the last counts, unless the last line already showed them.
func (l *lineProgress) finish(ok, failed, skipped, removed int) {
	if l.last.IsZero() || l.printed != [3]int{ok, failed, skipped} {
		l.print(ok, failed, skipped)
	}
	if removed > 0 {
		fmt.Fprintf(l.w, "cxreports: %s\n", removedNote(removed))
	}
}

func limitNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d in flight allowed", n)
}

func removedNote(n int) string {
	return fmt.Sprintf("removed %d temporary file(s) a killed earlier run left behind", n)
}

func throttleNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; server asked to slow down %d times", n)
}
