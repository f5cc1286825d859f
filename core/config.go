package core

import (
	"crypto/tls"
	"crypto/x509"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config configures a Client. BaseURL and Token are required.
type Config struct {
	BaseURL          string        // required, http(s); trimmed of spaces and trailing '/'
	DefaultWorkspace Ref           // used when a call has no InWorkspace
	Token            string        // required personal access token
	Timeout          time.Duration // per HTTP attempt: connect, wait for headers, and any silence while reading the body; 0 = 60s; <0 = none
	Retry            RetryPolicy
	CABundleFile     string // PEM file with extra trusted roots
	CABundlePEM      []byte // same, as bytes
	UserAgentSuffix  string // appended to "cxreports-go/<version>"
	DefaultTimezone  string // sent as timezone when a render call has none
	Logger           Logger // nil = silent
}

// RetryPolicy controls retries of connection errors and of 408, 429, 502, 503 and 504
// answers, and of GETs whose body was cut before anything was handed to the caller.
// A POST (a render, an export, temporary data, a nonce, a job run or its delivery)
// is re-sent only when it cannot have reached the server: when the dial failed.
type RetryPolicy struct {
	MaxRetries    int           // 0 = default 3; <0 = never retry
	MinBackoff    time.Duration // 0 = 200ms
	MaxBackoff    time.Duration // 0 = 5s
	MaxRetryAfter time.Duration // cap on a server's Retry-After; 0 = 30s
}

const (
	defaultTimeout       = 60 * time.Second
	defaultMaxRetries    = 3
	defaultMinBackoff    = 200 * time.Millisecond
	defaultMaxBackoff    = 5 * time.Second
	defaultMaxRetryAfter = 30 * time.Second
)

// withDefaults returns p with zero fields replaced by the defaults.
func (p RetryPolicy) withDefaults() (RetryPolicy, error) {
	switch {
	case p.MaxRetries == 0:
		p.MaxRetries = defaultMaxRetries
	case p.MaxRetries < 0:
		p.MaxRetries = 0
	}
	if p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
		return p, configError("retry durations cannot be negative (MinBackoff %v, MaxBackoff %v, MaxRetryAfter %v)", p.MinBackoff, p.MaxBackoff, p.MaxRetryAfter)
	}
	if p.MinBackoff == 0 {
		p.MinBackoff = defaultMinBackoff
	}
	if p.MaxBackoff == 0 {
		p.MaxBackoff = defaultMaxBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = p.MinBackoff
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = defaultMaxRetryAfter
	}
	return p, nil
}

// parseBaseURL checks and normalizes Config.BaseURL.
func parseBaseURL(raw string) (string, error) {
	s := strings.TrimRight(strings.TrimSpace(raw), "/")
	if s == "" {
		return "", configError("BaseURL is empty: set it to your tenant root, e.g. https://tenant.cx-reports.app")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", configError("BaseURL %q is not a URL: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", configError("BaseURL %q must start with https:// or http://", s)
	}
	if u.Host == "" {
		return "", configError("BaseURL %q has no host", s)
	}
	if u.User != nil {
		// Credentials in the URL would end up in logs and error messages.
		return "", configError("BaseURL must not contain user info; put the API token in Config.Token")
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") {
		return "", configError("BaseURL %q must not have a query or fragment", s)
	}
	return s, nil
}

func checkToken(t string) error {
	if strings.TrimSpace(t) == "" {
		return configError("Token is empty: create a personal access token in CxReports (Account > API tokens)")
	}
	for _, r := range t {
		if r < 0x20 || r == 0x7f {
			return configError("Token contains a control character; copy it again without line breaks")
		}
	}
	return nil
}

// tlsConfig builds a TLS config that always verifies, trusting the system roots plus
// the configured bundle.
func tlsConfig(cfg Config) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CABundleFile == "" && len(cfg.CABundlePEM) == 0 {
		return tc, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if cfg.CABundleFile != "" {
		pem, err := os.ReadFile(cfg.CABundleFile)
		if err != nil {
			return nil, configError("cannot read CABundleFile: %v", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, configError("CABundleFile %q holds no PEM certificate", cfg.CABundleFile)
		}
	}
	if len(cfg.CABundlePEM) > 0 && !pool.AppendCertsFromPEM(cfg.CABundlePEM) {
		return nil, configError("CABundlePEM holds no PEM certificate")
	}
	tc.RootCAs = pool
	return tc, nil
}
