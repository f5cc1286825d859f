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
}

func defaultConfig() config {
	return config{
		addr:        "127.0.0.1:0",
		exportDelay: 0,
		jobDelay:    0,
		tempDataTTL: time.Hour,
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
