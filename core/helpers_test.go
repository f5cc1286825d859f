package core

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testToken is long and unusual so that a leak into any text is unmistakable.
const testToken = "tok-SECRET-4f1b2c9d8e7a6b5c"

// requireCode checks err is an *Error with the given code, that errors.Is matches
// its sentinel, and that none of its text holds the token.
func requireCode(t *testing.T, err error, code string) *Error {
	t.Helper()
	require.Error(t, err)
	var e *Error
	require.True(t, errors.As(err, &e), "not an *Error: %T %v", err, err)
	require.Equal(t, code, e.Code, "message: %s", e.Message)
	require.ErrorIs(t, err, sentinelOf[code])
	requireNoToken(t, e)
	return e
}

func requireNoToken(t *testing.T, e *Error) {
	t.Helper()
	all := fmt.Sprintf("%s|%s|%s|%s|%v|%+v", e.Error(), e.Message, e.ServerMessage, e.URL, e.Err, *e)
	require.NotContains(t, all, testToken)
	require.NotContains(t, all, "SECRET")
}

// newTestClient returns a client for base with fast retries and a capturing logger.
func newTestClient(t *testing.T, base string, mod ...func(*Config)) (*Client, *logSink) {
	t.Helper()
	sink := &logSink{}
	cfg := Config{
		BaseURL:          base,
		DefaultWorkspace: ID(1),
		Token:            testToken,
		Retry:            RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond},
		Logger:           sink.log,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() {
		c.Close()
		sink.check(t)
	})
	return c, sink
}

// logSink records log lines and checks none holds the token.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (s *logSink) log(l LogLevel, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = append(s.lines, l.String()+": "+msg)
}

func (s *logSink) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.lines, "\n")
}

func (s *logSink) check(t *testing.T) {
	require.NotContains(t, s.text(), testToken)
}

// recorder is an httptest server answering with a scripted handler and keeping
// every request it saw.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	body []string
}

func newRecorder(t *testing.T, h func(n int, w http.ResponseWriter, r *http.Request)) *recorder {
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := new(strings.Builder)
		if r.Body != nil {
			buf := make([]byte, 4096)
			for {
				n, err := r.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, r)
		rec.body = append(rec.body, b.String())
		n := len(rec.reqs)
		rec.mu.Unlock()
		h(n, w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

// newSilentRecorder is a recorder whose server never answers: each request waits
// until the client gives it up or the test ends.
func newSilentRecorder(t *testing.T) *recorder {
	release := make(chan struct{})
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before rec.Close, which waits for handlers
	return rec
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

func (r *recorder) req(i int) (*http.Request, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs[i], r.body[i]
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
