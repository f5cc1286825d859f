package core

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	json "github.com/goccy/go-json"

	"github.com/hashicorp/go-retryablehttp"
)

// Client talks to one CxReports tenant. It is safe for concurrent use; all calls
// share one connection pool. Create it with New and release it with Close.
type Client struct {
	base    string // normalized BaseURL, no trailing '/'
	token   string
	ws      Ref
	ua      string
	tz      string
	logger  Logger
	timeout time.Duration // per attempt; 0 = none
	names   Names         // how messages name settings and methods (Config.Names)

	transport *http.Transport // API calls: HTTP/2 when the server offers it
	bulk      *http.Transport // downloads: HTTP/1.1 (see newTransport)
	rc        *retryablehttp.Client
	policy    RetryPolicy // also bounds the re-sends of GETs whose body was cut

	life context.Context // canceled by Close, which cancels in-flight calls
	kill context.CancelCauseFunc
}

var errClosed = errors.New("the client was closed")

// New checks cfg and returns a ready Client. Invalid config is an *Error with Code
// "invalid_config" saying which field is wrong.
func New(cfg Config) (*Client, error) {
	names := cfg.Names.orGo()
	base, err := parseBaseURL(cfg.BaseURL, cfg.Token, names)
	if err != nil {
		return nil, err
	}
	if err := checkToken(cfg.Token, names); err != nil {
		return nil, err
	}
	policy, err := cfg.Retry.withDefaults(names)
	if err != nil {
		return nil, err
	}
	tc, err := tlsConfig(cfg, names)
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(cfg.UserAgentSuffix, "\r\n") {
		return nil, configError("%s must be a single line", names.UserAgentSuffix)
	}
	timeout := cfg.Timeout
	switch {
	case timeout == 0:
		timeout = defaultTimeout
	case timeout < 0:
		timeout = 0
	}
	c := &Client{
		base:    base,
		token:   cfg.Token,
		ws:      cfg.DefaultWorkspace,
		ua:      strings.TrimSpace("cxreports-go/" + Version + " " + strings.TrimSpace(cfg.UserAgentSuffix)),
		tz:      cfg.DefaultTimezone,
		logger:  cfg.Logger,
		timeout: timeout,
		names:   names,
	}
	c.life, c.kill = context.WithCancelCause(context.Background())
	c.policy = policy
	// Resumed TLS sessions save a round trip on every new connection.
	tc.ClientSessionCache = tls.NewLRUClientSessionCache(64)
	c.transport = newTransport(tc, timeout, true)
	c.bulk = newTransport(tc, timeout, false)
	hc := &http.Client{Transport: router{api: c.transport, bulk: c.bulk}, CheckRedirect: checkRedirect}
	c.rc = &retryablehttp.Client{
		HTTPClient:      hc,
		RetryWaitMin:    policy.MinBackoff,
		RetryWaitMax:    policy.MaxBackoff,
		RetryMax:        policy.MaxRetries,
		CheckRetry:      checkRetry,
		Backoff:         backoff(policy.MaxRetryAfter),
		ErrorHandler:    retryablehttp.PassthroughErrorHandler,
		RequestLogHook:  c.logRequest,
		ResponseLogHook: c.logResponse,
	}
	if c.logger != nil {
		c.rc.Logger = retryLog{c}
	}
	return c, nil
}

// Close cancels calls still in flight (they fail with code "canceled") and closes
// idle connections. Calls made after Close fail the same way.
func (c *Client) Close() {
	c.kill(errClosed)
	c.transport.CloseIdleConnections()
	c.bulk.CloseIdleConnections()
}

type redirectError struct{ n int }

func (e *redirectError) Error() string { return "stopped after too many redirects" }

// checkRedirect never lets the Authorization header follow a redirect to another
// host or from https to http.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return &redirectError{len(via)}
	}
	first := via[0].URL
	if !strings.EqualFold(req.URL.Host, first.Host) || (first.Scheme == "https" && req.URL.Scheme != "https") {
		req.Header.Del("Authorization")
	}
	return nil
}

func (c *Client) logRequest(_ retryablehttp.Logger, req *http.Request, i int) {
	if p, ok := req.Context().Value(attemptsKey{}).(*int); ok {
		*p = i + 1
	}
	c.logf(LevelDebug, "%s %s (attempt %d)", req.Method, cleanURL(req.URL), i+1)
}

func (c *Client) logResponse(_ retryablehttp.Logger, resp *http.Response) {
	level := LevelDebug
	if resp.StatusCode >= 400 {
		level = LevelInfo
	}
	attempt := 1
	if p, ok := resp.Request.Context().Value(attemptsKey{}).(*int); ok {
		attempt = *p
	}
	c.logf(level, "%s %s -> %s (attempt %d)", resp.Request.Method, cleanURL(resp.Request.URL), resp.Status, attempt)
}

// cleanURL renders u without user info (the token never is in a URL; user info might).
func cleanURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	v := *u
	v.User = nil
	v.ForceQuery = false // the '?' of a PDF URL with an empty query
	return v.String()
}

// call is one logical API request.
type call struct {
	method string
	url    string
	body   []byte           // JSON body; nil = none
	bulk   bool             // a download: HTTP/1.1 (see newTransport)
	raw    *json.RawMessage // RawJSON: store the answer here instead of decoding it
}

// response is an accepted (2xx) answer whose body is guarded by the per-attempt
// stall timeout. close must be called.
type response struct {
	*http.Response
	c        *Client
	cl       call
	parent   context.Context
	ctx      context.Context
	cancel   context.CancelCauseFunc
	stop     func() bool
	attempts int
}

func (r *response) close() {
	r.Body.Close()
	r.stop()
	r.cancel(nil)
}

// readError classifies an error met while reading the body.
func (r *response) readError(err error) *Error {
	return r.c.transportError(r.parent, r.ctx, r.cl, err, r.attempts, true)
}

var errStalled = errors.New("no data received within the timeout")

// send performs cl with retries and returns a 2xx response, or an *Error (HTTP
// status errors included).
func (c *Client) send(ctx context.Context, cl call) (*response, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if c.life.Err() != nil {
		return nil, c.finish(&Error{Code: CodeCanceled, Method: cl.method, URL: cl.url, Err: context.Canceled,
			Message: "Request canceled: the client was closed before " + cl.method + " " + c.shown(cl.url) + "; create a new client."})
	}
	if len(cl.url) > MaxURLLength {
		// The render URLs are checked where their query is built, with a better
		// hint (withQuery); this catches the rest, e.g. an id of a megabyte.
		return nil, c.finish(&Error{Code: CodeInvalidInput, Method: cl.method, URL: cl.url,
			Message: fmt.Sprintf("Invalid input: the URL of %s %s is %d bytes long, over the limit of %d bytes; nothing was sent. Check the ids and codes you passed.",
				cl.method, c.shown(cl.url), len(cl.url), MaxURLLength)})
	}
	cctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(c.life, func() { cancel(errClosed) })
	attempts := new(int)
	rctx := context.WithValue(cctx, attemptsKey{}, attempts)
	if cl.bulk {
		rctx = context.WithValue(rctx, bulkKey{}, true)
	}
	if !idempotent(cl.method) {
		rctx = context.WithValue(rctx, onceKey{}, true)
	}
	var body any
	if cl.body != nil {
		body = cl.body
	}
	req, err := retryablehttp.NewRequestWithContext(rctx, cl.method, cl.url, body)
	if err != nil {
		stop()
		cancel(nil)
		return nil, c.finish(&Error{Code: CodeInvalidInput, Method: cl.method, URL: cl.url, Err: err,
			Message: "Invalid input: cannot build the request " + cl.method + " " + c.shown(cl.url) + ": " + c.causeText(err)})
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "*/*")
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.rc.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		e := c.transportError(ctx, cctx, cl, err, *attempts, false)
		stop()
		cancel(nil)
		return nil, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := c.statusError(resp, cl, *attempts)
		resp.Body.Close()
		stop()
		cancel(nil)
		return nil, e
	}
	r := &response{Response: resp, c: c, cl: cl, parent: ctx, ctx: cctx, cancel: cancel, stop: stop, attempts: *attempts}
	if c.timeout > 0 {
		resp.Body = newStallReader(resp.Body, c.timeout, func() { cancel(errStalled) })
	}
	return r, nil
}

// stallReader cancels the request when one read of the body waits for longer
// than the per-attempt timeout: a large download may take minutes, a stalled one
// must not hang forever. The clock runs only while a read waits for the network,
// so a consumer that takes its time between reads (a stream read at the pace of
// its reader, a slow destination) is never mistaken for a silent server.
type stallReader struct {
	io.ReadCloser
	d time.Duration
	t *time.Timer
}

func newStallReader(rc io.ReadCloser, d time.Duration, fire func()) *stallReader {
	t := time.AfterFunc(d, fire)
	t.Stop()
	return &stallReader{ReadCloser: rc, d: d, t: t}
}

func (s *stallReader) Read(p []byte) (int, error) {
	s.t.Reset(s.d)
	n, err := s.ReadCloser.Read(p)
	s.t.Stop()
	return n, err
}

func (s *stallReader) Close() error {
	s.t.Stop()
	return s.ReadCloser.Close()
}

func attemptsNote(n int) string {
	if n > 1 {
		return " (after " + itoa(n) + " attempts)"
	}
	return ""
}

// transportError turns an error without a usable response into an *Error.
func (c *Client) transportError(parent, cctx context.Context, cl call, err error, attempts int, reading bool) *Error {
	e := &Error{Method: cl.method, URL: cl.url, Err: err}
	what := cl.method + " " + c.shown(cl.url)
	if reading {
		what = "reading the answer to " + what
	}
	n := c.names
	var ne net.Error
	cause := context.Cause(cctx)
	switch {
	case errors.Is(cause, errStalled):
		e.Code, e.Retryable = CodeTimeout, true
		e.Message = "Timeout occurred: no data from the server for " + c.timeout.String() + " while " + what +
			". The server may be overloaded; retry, or raise the timeout (" + n.Timeout + ")."
	case errors.Is(cause, errClosed):
		e.Code, e.Err = CodeCanceled, context.Canceled
		e.Message = "Request canceled: the client was closed during " + what + "."
	case errors.Is(parent.Err(), context.Canceled):
		e.Code, e.Err = CodeCanceled, context.Canceled
		e.Message = "Request canceled: the caller canceled " + what + "."
	case errors.Is(parent.Err(), context.DeadlineExceeded):
		e.Code, e.Err, e.Retryable = CodeTimeout, context.DeadlineExceeded, true
		e.Message = "Timeout occurred: the caller's deadline passed during " + what + attemptsNote(attempts) + "."
	case errors.As(err, &ne) && ne.Timeout():
		e.Code, e.Retryable = CodeTimeout, true
		e.Message = "Timeout occurred: " + what + attemptsNote(attempts) + ": " + c.causeText(err) +
			". The server did not answer within the timeout (" + n.Timeout + ", " + c.timeout.String() + "); retry or raise it."
	case reading:
		e.Code, e.Retryable, e.cut = CodeConnection, true, true
		e.Message = "Connection error occurred: the body was cut short while " + what + ": " + c.causeText(err) + ". Retry the call."
	default:
		e.Code, e.Retryable = CodeConnection, true
		hint := " Check the base URL (" + n.BaseURL + "), the network and proxy settings (HTTPS_PROXY/NO_PROXY)."
		if !retryableTransportError(err) {
			e.Retryable = false
			hint = " If the server uses a private CA, set " + n.CABundleFile + " or " + n.CABundlePEM + "."
			var re *redirectError
			if errors.As(err, &re) {
				hint = " The server redirected too many times; check the base URL (" + n.BaseURL + ")."
			}
		}
		e.Message = "Connection error occurred: " + what + ": " + c.causeText(err) + attemptsNote(attempts) + "." + hint
	}
	return c.finish(e)
}

// statusError turns a non-2xx response into an *Error, keeping the server's words.
func (c *Client) statusError(resp *http.Response, cl call, attempts int) *Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	e := &Error{
		Status:        resp.StatusCode,
		Method:        cl.method,
		URL:           cl.url,
		RequestID:     c.scrub(requestID(resp.Header)),
		ServerMessage: c.scrub(serverMessage(resp.Header.Get("Content-Type"), body)),
		Retryable:     retryableStatus(resp.StatusCode),
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter, e.retryAfterSent = min(d, c.policy.MaxRetryAfter), true
	}
	reason := http.StatusText(resp.StatusCode)
	if reason == "" {
		// The server's own status text.
		reason = c.scrub(strings.TrimSpace(strings.TrimPrefix(resp.Status, itoa(resp.StatusCode))))
	}
	u := c.shown(cl.url)
	switch resp.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		e.Code = CodeUnauthenticated
		e.Message = describe("Unauthenticated. The server answered "+itoa(resp.StatusCode)+" "+reason+" to "+cl.method+" "+u+".", e) +
			" Check that the token (" + c.names.Token + ") is a valid personal access token with access to this workspace."
	case http.StatusNotFound:
		e.Code = CodeNotFound
		e.Message = describe("HTTP error occurred: 404 Client Error: Not Found for url: "+u+".", e) +
			" Check the workspace and the id or code you passed."
	default:
		e.Code = CodeHTTP
		kind := "Client Error"
		hint := " Check the request."
		if resp.StatusCode >= 500 {
			kind, hint = "Server Error", " The server failed; retry later or contact its administrator."
		}
		switch resp.StatusCode {
		case http.StatusTooManyRequests:
			hint = " Too many requests; slow down and retry later."
		case http.StatusRequestURITooLong:
			hint = " The URL is too long for this server: " + c.longQueryHint()
		}
		e.Message = describe("HTTP error occurred: "+itoa(resp.StatusCode)+" "+kind+": "+reason+" for url: "+u+attemptsNote(attempts)+".", e) + hint
	}
	return c.finish(e)
}

// htmlError is the answer to an HTML page where JSON or a file was expected: the
// login page a CxReports server shows to an unauthenticated browser.
func (r *response) htmlError() *Error {
	c := r.c
	e := &Error{Code: CodeUnauthenticated, Status: r.StatusCode, Method: r.cl.method, URL: r.cl.url, RequestID: c.scrub(requestID(r.Header))}
	e.Message = describe("Unauthenticated. The server answered "+r.cl.method+" "+c.shown(r.cl.url)+" with an HTML page (a login page?) instead of data.", e) +
		" Check the token (" + c.names.Token + ") and that the base URL (" + c.names.BaseURL + ") is the tenant root."
	return c.finish(e)
}

func isHTML(h http.Header) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(h.Get("Content-Type"))), "text/html")
}

func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "Request-Id", "X-Correlation-Id"} {
		if v := strings.TrimSpace(h.Get(k)); v != "" {
			return v
		}
	}
	return ""
}
