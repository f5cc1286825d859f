package core

import (
	"fmt"
	"strings"
)

// LogLevel is the severity of a log message. The values match the C ABI (0..3).
type LogLevel int

const (
	LevelDebug LogLevel = iota
	LevelInfo
	LevelWarn
	LevelError
)

func (l LogLevel) String() string {
	switch l {
	case LevelDebug:
		return "debug"
	case LevelInfo:
		return "info"
	case LevelWarn:
		return "warn"
	case LevelError:
		return "error"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// Logger receives the client's log messages (requests, responses, retries). It is
// called from the goroutine making the call, possibly many at once, so it must be
// safe for concurrent use. msg never contains the token.
type Logger func(level LogLevel, msg string)

// logf formats one log line. format is the library's own text and is never
// scanned; the string and error arguments are outside text (URLs, the server's
// status line, lower layers' errors) and get the backstop of errors.go.
func (c *Client) logf(level LogLevel, format string, args ...any) {
	if c.logger == nil {
		return
	}
	for i, a := range args {
		switch v := a.(type) {
		case string:
			args[i] = c.scrub(v)
		case error:
			args[i] = c.scrub(v.Error())
		}
	}
	c.logger(level, fmt.Sprintf(format, args...))
}

// retryLog adapts the Logger to go-retryablehttp's LeveledLogger, replacing its
// default logger (which writes to stderr, unacceptable inside a host process).
type retryLog struct{ c *Client }

func (l retryLog) emit(level LogLevel, msg string, kv []any) {
	var b strings.Builder
	b.WriteString(msg)
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, " %v=%v", kv[i], kv[i+1])
	}
	l.c.logf(level, "retryablehttp: %s", b.String())
}

// Error is used by retryablehttp for every failed attempt, including ones it will
// retry; the final failure reaches the caller as an error, so this is only a warning.
func (l retryLog) Error(msg string, kv ...any) { l.emit(LevelWarn, msg, kv) }
func (l retryLog) Info(msg string, kv ...any)  { l.emit(LevelInfo, msg, kv) }
func (l retryLog) Debug(msg string, kv ...any) { l.emit(LevelDebug, msg, kv) }
func (l retryLog) Warn(msg string, kv ...any)  { l.emit(LevelWarn, msg, kv) }
