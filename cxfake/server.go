package cxfake

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"sync"

	"github.com/cxclient/cxreports/cxfake/shaper"
)

// Server is a running fake CxReports server. Its exported fields are set by
// NewServer and must not be changed.
type Server struct {
	URL           string // base URL, "http://127.0.0.1:PORT" ("https://" WithTLS), without a trailing slash
	Token         string // the only bearer token the API accepts
	WorkspaceID   int64  // 1, the seeded default workspace
	WorkspaceCode string // "main", the code of workspace 1
	// CAPEM is the PEM of the CA certificate that signed the server's certificate
	// (WithTLS; nil without): the one certificate a client must trust.
	CAPEM []byte

	cfg      config
	listener *listener
	http     *http.Server
	client   *http.Client
	done     chan struct{}

	// Fixed catalogue.
	workspaces  []workspace
	reportTypes []reportType
	reports     []report
	themes      []namedItem
	templates   []namedItem
	jobs        []job

	stateMu  sync.Mutex         // guards the mutable API state below
	nextID   int64              // the last id handed out with IntIDs
	exports  map[string]*export // keyed by objectID.text, as are runs and tempData
	tempData map[string]*tempData
	nonces   map[string]nonceState
	sessions map[string]sessionInfo
	runs     map[string]*jobRun
	lastRun  map[int64]string // job id -> lastRunTime

	statsMu      sync.Mutex // guards the test-facing statistics below
	requests     []*Request
	inFlight     int
	peak         int
	deliveries   map[string]int // run id (objectID.text) -> deliver calls
	jobRunStarts int
	faults       map[faultKey][]Fault
	requestSeq   uint64

	// Render capacity (slots.go), guarded by statsMu too.
	renders        int // renders holding a slot now
	peakRenders    int
	renderRefusals int // renders answered 429 for want of a slot
}

// NewServer starts a fake server on 127.0.0.1 with a free port (or the WithAddr
// address) and returns it; like httptest.NewServer it panics when it cannot listen.
// Call Close when done.
func NewServer(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Start is NewServer that reports a listen failure as an error instead of a panic,
// for programs such as cmd/cxfake.
func Start(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if !cfg.ids.valid() {
		return nil, fmt.Errorf("cxfake: unknown id style %d (use IntIDs or GUIDIDs)", int(cfg.ids))
	}
	if cfg.token == "" {
		cfg.token = "cxfake-" + randomHex(16)
	}
	tcp, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("cxfake: cannot listen on %s: %w", cfg.addr, err)
	}
	ln := &listener{Listener: shaper.NewListener(tcp, cfg.latency, cfg.bandwidth)}
	scheme := "http"
	var tlsConfig *tls.Config
	var caPEM []byte
	if cfg.tls {
		scheme = "https"
		if tlsConfig, caPEM, err = newTLSConfig(); err != nil {
			_ = tcp.Close()
			return nil, fmt.Errorf("cxfake: cannot make the TLS certificates: %w", err)
		}
	}
	client, err := newClient(caPEM)
	if err != nil {
		_ = tcp.Close()
		return nil, err
	}
	s := &Server{
		URL:           scheme + "://" + ln.Addr().String(),
		Token:         cfg.token,
		WorkspaceID:   1,
		WorkspaceCode: "main",
		CAPEM:         caPEM,
		cfg:           cfg,
		listener:      ln,
		client:        client,
		done:          make(chan struct{}),
		workspaces:    seedWorkspaces(),
		reportTypes:   seedReportTypes(),
		reports:       seedReports(),
		themes:        seedThemes(),
		templates:     seedTemplates(),
		jobs:          seedJobs(),
		nextID:        1000,
		exports:       map[string]*export{},
		tempData:      map[string]*tempData{},
		nonces:        map[string]nonceState{},
		sessions:      map[string]sessionInfo{},
		runs:          map[string]*jobRun{},
		lastRun:       map[int64]string{},
		deliveries:    map[string]int{},
		faults:        map[faultKey][]Fault{},
	}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: cfg.readHeaderTimeout, TLSConfig: tlsConfig, ErrorLog: quietLog}
	go func() {
		defer close(s.done)
		// Both return http.ErrServerClosed on Close. TLS runs on top of the
		// listener's (possibly delayed) connections, so handshakes pay the latency.
		if tlsConfig != nil {
			_ = s.http.ServeTLS(ln, "", "") // the certificate is in TLSConfig
		} else {
			_ = s.http.Serve(ln)
		}
	}()
	return s, nil
}

// Close stops the server and ends every open connection, including slow renders
// and long downloads in flight, and data still on its way through the latency.
func (s *Server) Close() {
	// Cut the shaped connections first: closing them through net/http would
	// deliver what they hold, and TLS would wait for room to say goodbye.
	s.listener.Abort()
	_ = s.http.Close()
	<-s.done
	s.listener.Wait()
	s.client.CloseIdleConnections()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
