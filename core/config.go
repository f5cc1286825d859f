package core

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"
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
	Names            Names  // how messages name settings and methods; zero = the Go names
}

// Names are the names messages give the settings, options and methods a caller may
// have to change ("check the base URL (base_url)"), so that a Python or Node
// caller reads the names of its own language, never a Go field it has never seen.
// An empty field keeps the Go name (GoNames); the C ABI sets its own (see
// docs/contract.md, and the "names" config key bindings use to pass theirs).
type Names struct {
	BaseURL, Token, Timeout   string // Config.BaseURL, Config.Token, Config.Timeout
	CABundleFile, CABundlePEM string // Config.CABundleFile, Config.CABundlePEM
	UserAgentSuffix           string // Config.UserAgentSuffix
	MinBackoff, MaxBackoff    string // Config.Retry.MinBackoff, MaxBackoff
	MaxRetryAfter             string // Config.Retry.MaxRetryAfter
	DefaultWorkspace          string // Config.DefaultWorkspace
	Workspace                 string // the per-call workspace: InWorkspace
	WaitTimeout               string // the deadline of a wait: WaitOptions.Timeout
	PostPDF                   string // the method that sends render parameters in a body
	PushTemporaryData         string // the method that stores data on the server
}

// GoNames are the names messages use by default: the Go API's.
var GoNames = Names{
	BaseURL: "Config.BaseURL", Token: "Config.Token", Timeout: "Config.Timeout",
	CABundleFile: "Config.CABundleFile", CABundlePEM: "Config.CABundlePEM",
	UserAgentSuffix: "Config.UserAgentSuffix", MinBackoff: "Config.Retry.MinBackoff",
	MaxBackoff: "Config.Retry.MaxBackoff", MaxRetryAfter: "Config.Retry.MaxRetryAfter",
	DefaultWorkspace: "Config.DefaultWorkspace", Workspace: "InWorkspace(...)",
	WaitTimeout: "WaitOptions.Timeout", PostPDF: "PostPDF", PushTemporaryData: "PushTemporaryData",
}

// orGo fills the empty fields of n with the Go names.
func (n Names) orGo() Names {
	for _, f := range []struct {
		dst *string
		def string
	}{
		{&n.BaseURL, GoNames.BaseURL}, {&n.Token, GoNames.Token}, {&n.Timeout, GoNames.Timeout},
		{&n.CABundleFile, GoNames.CABundleFile}, {&n.CABundlePEM, GoNames.CABundlePEM},
		{&n.UserAgentSuffix, GoNames.UserAgentSuffix}, {&n.MinBackoff, GoNames.MinBackoff},
		{&n.MaxBackoff, GoNames.MaxBackoff}, {&n.MaxRetryAfter, GoNames.MaxRetryAfter},
		{&n.DefaultWorkspace, GoNames.DefaultWorkspace}, {&n.Workspace, GoNames.Workspace},
		{&n.WaitTimeout, GoNames.WaitTimeout}, {&n.PostPDF, GoNames.PostPDF},
		{&n.PushTemporaryData, GoNames.PushTemporaryData},
	} {
		if *f.dst == "" {
			*f.dst = f.def
		}
	}
	return n
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
func (p RetryPolicy) withDefaults(n Names) (RetryPolicy, error) {
	switch {
	case p.MaxRetries == 0:
		p.MaxRetries = defaultMaxRetries
	case p.MaxRetries < 0:
		p.MaxRetries = 0
	}
	if p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
		return p, configError("retry durations cannot be negative (%s %v, %s %v, %s %v)",
			n.MinBackoff, p.MinBackoff, n.MaxBackoff, p.MaxBackoff, n.MaxRetryAfter, p.MaxRetryAfter)
	}
	growingRange(&p.MinBackoff, &p.MaxBackoff, defaultMinBackoff, defaultMaxBackoff)
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = defaultMaxRetryAfter
	}
	return p, nil
}

// parseBaseURL checks and normalizes Config.BaseURL. Its messages show the value
// only in a safe form (see shownBaseURL): never user info, never the token.
func parseBaseURL(raw, token string, n Names) (string, error) {
	s := strings.TrimRight(strings.TrimSpace(raw), "/")
	if s == "" {
		return "", configError("%s is empty: set it to your tenant root, e.g. https://tenant.cx-reports.app", n.BaseURL)
	}
	tok := strings.TrimSpace(token)
	switch {
	case tok != "" && (s == tok || strings.TrimSpace(raw) == tok || redact(s, tok) != s):
		return "", configError("%s holds the token (the value is not shown): set %s to your tenant root, e.g. https://tenant.cx-reports.app, and %s to the personal access token",
			n.BaseURL, n.BaseURL, n.Token)
	case !hasHTTPScheme(s) && hasHTTPScheme(tok):
		// A token where the URL belongs and a URL where the token belongs: the
		// value in the URL's place is very likely the secret, so it is not shown.
		return "", configError("%s and %s look swapped (the values are not shown): %s is the tenant root, e.g. https://tenant.cx-reports.app, %s the personal access token",
			n.BaseURL, n.Token, n.BaseURL, n.Token)
	}
	shown := shownBaseURL(s, tok)
	if strings.Contains(s, "@") {
		// Anything before the last '@' may be user info, a password included; a
		// password holding '/', '?' or '#' would even look like a path, so no '@'
		// is accepted at all (an '@' in a path can be written %40).
		return "", configError("%s %q must not contain user info (user:password@): pass the personal access token as %s; an '@' in a path is written %%40",
			n.BaseURL, shown, n.Token)
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error repeats the whole value; its cause names only the bad part.
		var ue *url.Error
		if errors.As(err, &ue) && ue.Err != nil {
			err = ue.Err
		}
		return "", configError("%s %q is not a URL: %s", n.BaseURL, shown, redact(err.Error(), tok))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", configError("%s %q must start with https:// or http://", n.BaseURL, shown)
	}
	if u.Host == "" {
		return "", configError("%s %q has no host", n.BaseURL, shown)
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") {
		return "", configError("%s %q must not have a query or fragment", n.BaseURL, shown)
	}
	return s, nil
}

func hasHTTPScheme(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// maxShownBaseURL bounds the base URL quoted in a config message.
const maxShownBaseURL = 200

// shownBaseURL is a rejected base URL as a message may show it: everything from
// the scheme's "//" (or the start) to the last '@' is replaced by "***" (it may be
// user info), whole occurrences of the token are redacted, and it is clipped.
func shownBaseURL(s, token string) string {
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		start := 0
		if i := strings.Index(s, "://"); i >= 0 && i < at {
			start = i + len("://")
		}
		s = s[:start] + "***" + s[at:]
	}
	s = redact(s, token)
	if len(s) > maxShownBaseURL {
		cut := maxShownBaseURL
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

func checkToken(t string, n Names) error {
	if strings.TrimSpace(t) == "" {
		return configError("%s is empty: create a personal access token in CxReports (Account > API tokens)", n.Token)
	}
	for _, r := range t {
		if r < 0x20 || r == 0x7f {
			return configError("%s contains a control character; copy it again without line breaks", n.Token)
		}
	}
	return nil
}

// tlsConfig builds a TLS config that always verifies, trusting the system roots plus
// the configured bundle.
func tlsConfig(cfg Config, n Names) (*tls.Config, error) {
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
			return nil, configError("cannot read %s: %v", n.CABundleFile, redact(err.Error(), cfg.Token))
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, configError("%s %q holds no PEM certificate", n.CABundleFile, redact(cfg.CABundleFile, cfg.Token))
		}
	}
	if len(cfg.CABundlePEM) > 0 && !pool.AppendCertsFromPEM(cfg.CABundlePEM) {
		return nil, configError("%s holds no PEM certificate", n.CABundlePEM)
	}
	tc.RootCAs = pool
	return tc, nil
}

// growingRange fills in a range that grows from lo to hi (the retry backoff, the
// poll interval of the waits): a zero end takes its default, and hi is raised to
// lo, so that a caller who sets only a large lo does not get a hi below it.
func growingRange(lo, hi *time.Duration, defLo, defHi time.Duration) {
	if *lo == 0 {
		*lo = defLo
	}
	if *hi == 0 {
		*hi = defHi
	}
	if *hi < *lo {
		*hi = *lo
	}
}
