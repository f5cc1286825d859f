package cxfake

import "time"

// Option configures a Server at construction.
type Option func(*config)

type config struct {
	addr        string
	token       string
	exportDelay time.Duration
	jobDelay    time.Duration
	tempDataTTL time.Duration
	latency     time.Duration
	bandwidth   int64 // bits per second; 0 = unlimited
	tls         bool
	ids         IDStyle
	renderSlots int // renders served at once; 0 = unlimited
	// readHeaderTimeout bounds the wait for a request's headers; 0 = none.
	readHeaderTimeout time.Duration
}

func defaultConfig() config {
	return config{
		addr:        "127.0.0.1:0",
		exportDelay: 0,
		jobDelay:    0,
		tempDataTTL: time.Hour,
		// Like a real server's guard against clients that open connections and send
		// nothing; WithReadHeaderTimeout lifts it for clients that run very slowly.
		readHeaderTimeout: 30 * time.Second,
	}
}

// WithExportDelay sets how long an asynchronous export (and a review document) stays
// InProgress before it turns Completed or Failed. The default is 0: the first status
// poll already sees the final state.
func WithExportDelay(d time.Duration) Option { return func(c *config) { c.exportDelay = max(d, 0) } }

// WithJobDelay sets how long a job run stays queued before it finishes. Default 0.
func WithJobDelay(d time.Duration) Option { return func(c *config) { c.jobDelay = max(d, 0) } }

// WithToken fixes the bearer token the server accepts. By default every server makes
// up a random one, so a test cannot pass by accident with a hard-coded token.
func WithToken(s string) Option { return func(c *config) { c.token = s } }

// WithAddr sets the listen address, e.g. "127.0.0.1:8080". Default "127.0.0.1:0".
func WithAddr(a string) Option { return func(c *config) { c.addr = a } }

// WithTempDataTTL sets how long pushed temporary data lives when the client gives
// no expiryDate. Default one hour.
func WithTempDataTTL(d time.Duration) Option { return func(c *config) { c.tempDataTTL = d } }

// WithLatency delays every piece of data by d in each direction, on the server's
// side of each TCP connection: a request and its answer cost at least 2*d, a TLS
// handshake its round trips. It is a delay line, not a pause per write: a long
// download pays d once and still streams at full speed (up to 4 MiB may be on the
// way per direction, as in a TCP window, so only long latencies slow it).
// Default 0.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = max(d, 0) } }

// WithBandwidth caps each direction of each TCP connection at bitsPerSecond (so
// 100e6 is 100 Mbit/s), as if it crossed a link of that speed. Default 0, no cap.
func WithBandwidth(bitsPerSecond int64) Option {
	return func(c *config) { c.bandwidth = max(bitsPerSecond, 0) }
}

// WithTLS serves HTTPS, HTTP/2 and HTTP/1.1, with a certificate for 127.0.0.1,
// ::1 and localhost signed by a CA made up at start: Server.URL starts with
// "https://", Server.CAPEM holds the CA to trust and Server.Client trusts it.
// The control API is served on the same listener.
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithIDs sets how the ids of exports, review documents, job runs and temporary
// data look on the wire: IntIDs (the default) as JSON numbers, GUIDIDs as JSON
// strings holding GUIDs. Either way the paths and tempDataId take them back in the
// form they were given; an id of the other style is unknown (404). A style other
// than these two makes Start fail (NewServer panic).
func WithIDs(style IDStyle) Option { return func(c *config) { c.ids = style } }

// WithRenderSlots lets the server serve at most k renders at once, as a real
// CxReports server with a bounded render pool: get_pdf and post_pdf, starting an
// export and downloading export content (of any format). A render holds its slot
// for its whole handling, the fakeDelayMs wait and the writing of the body
// included. A render that finds all k slots busy is not queued: it is answered
// at once with 429, "Retry-After: 1" and an {"error": "..."} body, and counted
// (RenderRefusals). Other endpoints, export status and the preview page among
// them, are never refused. Default 0, unlimited; a negative k counts as 0.
func WithRenderSlots(k int) Option { return func(c *config) { c.renderSlots = max(k, 0) } }

// WithReadHeaderTimeout sets how long the server waits for a request's headers, from
// the moment a new connection is accepted or the first byte of the next request on a
// kept-alive one arrives, before it closes the connection. Default 30 s; 0 waits
// forever. The C tests under valgrind lift it: their client can stall longer than
// that between dialing and writing, and then reads EOF for a request never answered.
func WithReadHeaderTimeout(d time.Duration) Option {
	return func(c *config) { c.readHeaderTimeout = max(d, 0) }
}
