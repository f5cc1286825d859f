package dispatch

import (
	"time"

	"github.com/cxclient/cxreports/core"
)

// configKey is one key of cx_client_new's config JSON and how it fills core.Config.
type configKey struct {
	Type argType
	Doc  string
	set  func(c *core.Config, raw []byte) string
}

func cfgString(doc string, field func(*core.Config) *string) configKey {
	return configKey{Type: typeString, Doc: doc, set: func(c *core.Config, raw []byte) string {
		s, msg := decodeString(raw)
		*field(c) = s
		return msg
	}}
}

// cfgSeconds reads a duration in seconds; negative values pass through because the
// core gives them a meaning (timeout < 0 = none).
func cfgSeconds(doc string, field func(*core.Config) *time.Duration) configKey {
	return configKey{Type: typeSeconds, Doc: doc, set: func(c *core.Config, raw []byte) string {
		neg := false
		t := trimSpace(raw)
		if len(t) > 0 && t[0] == '-' {
			neg, raw = true, t[1:]
		}
		d, msg := decodeSeconds(raw)
		if neg {
			d = -d
		}
		*field(c) = d
		return msg
	}}
}

// configKeys uses the seed constructor's names (base_url, default_workspace_id,
// token) plus the core's options.
var configKeys = map[string]configKey{
	"base_url": cfgString("tenant root, http(s)", func(c *core.Config) *string { return &c.BaseURL }),
	"default_workspace_id": {Type: typeID, Doc: "workspace id or code used when a call has no workspace_id",
		set: func(c *core.Config, raw []byte) string {
			r, msg := decodeRef(raw)
			c.DefaultWorkspace = r
			return msg
		}},
	"token":   cfgString("personal access token (never logged or returned)", func(c *core.Config) *string { return &c.Token }),
	"timeout": cfgSeconds("per HTTP attempt, seconds; 0 = 60 s default, negative = none", func(c *core.Config) *time.Duration { return &c.Timeout }),
	"max_retries": {Type: "integer", Doc: "retries of a failed idempotent request; 0 = default 3, negative = never",
		set: func(c *core.Config, raw []byte) string {
			n, msg := decodeInt(raw)
			if msg == "" && (n > 1000 || n < -1000) {
				msg = "must be an integer from -1000 to 1000"
			}
			c.Retry.MaxRetries = int(n)
			return msg
		}},
	"retry_wait_min":    cfgSeconds("shortest backoff, seconds (0 = 0.2)", func(c *core.Config) *time.Duration { return &c.Retry.MinBackoff }),
	"retry_wait_max":    cfgSeconds("longest backoff, seconds (0 = 5)", func(c *core.Config) *time.Duration { return &c.Retry.MaxBackoff }),
	"max_retry_after":   cfgSeconds("cap on a server's Retry-After, seconds (0 = 30)", func(c *core.Config) *time.Duration { return &c.Retry.MaxRetryAfter }),
	"ca_bundle_file":    cfgString("PEM file with extra trusted roots", func(c *core.Config) *string { return &c.CABundleFile }),
	"user_agent_suffix": cfgString("appended to the User-Agent", func(c *core.Config) *string { return &c.UserAgentSuffix }),
	"default_timezone":  cfgString("timezone sent when a render call has none", func(c *core.Config) *string { return &c.DefaultTimezone }),
	"ca_bundle_pem": {Type: typeString, Doc: "PEM text with extra trusted roots",
		set: func(c *core.Config, raw []byte) string {
			s, msg := decodeString(raw)
			if s != "" {
				c.CABundlePEM = []byte(s)
			}
			return msg
		}},
}

// decodeConfig turns config_json into a core.Config. Anything wrong inside the text
// (junk, unknown keys, wrong types) is invalid_config: a typo must not pass silently.
func decodeConfig(text []byte) (core.Config, error) {
	var cfg core.Config
	members, msg := parseObject(text, "config_json")
	if msg != "" {
		return cfg, newError(CodeInvalidConfig, msg)
	}
	for name, raw := range members {
		k, ok := configKeys[name]
		if !ok {
			return cfg, newError(CodeInvalidConfig, "config_json: unknown key \""+name+"\"; known keys: "+configKeyList())
		}
		if isNull(raw) {
			continue
		}
		if msg := k.set(&cfg, raw); msg != "" {
			return cfg, newError(CodeInvalidConfig, "config_json: key \""+name+"\" "+msg)
		}
	}
	return cfg, nil
}

var configKeyOrder = []string{"base_url", "default_workspace_id", "token", "timeout", "max_retries",
	"retry_wait_min", "retry_wait_max", "max_retry_after", "ca_bundle_file", "ca_bundle_pem",
	"user_agent_suffix", "default_timezone"}

func configKeyList() string {
	out := ""
	for i, k := range configKeyOrder {
		if i > 0 {
			out += ", "
		}
		out += k
	}
	return out
}
