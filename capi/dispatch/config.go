package dispatch

import (
	"sort"
	"strconv"
	"strings"
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
	// 0 is "never" here, as in requests, urllib3 and every binding's option: a
	// caller who writes 0 means no retries. (core.Config's 0 is its zero value, the
	// default; leaving the key out gives that.)
	"max_retries": {Type: "integer", Doc: "retries of a failed idempotent request; leave out for the default 3; 0 or negative = never",
		set: func(c *core.Config, raw []byte) string {
			n, msg := decodeInt(raw)
			if msg == "" && (n > 1000 || n < -1000) {
				msg = "must be an integer from -1000 to 1000"
			}
			c.Retry.MaxRetries = int(n)
			if n == 0 {
				c.Retry.MaxRetries = -1
			}
			return msg
		}},
	"retry_wait_min":    cfgSeconds("shortest backoff, seconds (0 = 0.2)", func(c *core.Config) *time.Duration { return &c.Retry.MinBackoff }),
	"retry_wait_max":    cfgSeconds("longest backoff, seconds (0 = 5)", func(c *core.Config) *time.Duration { return &c.Retry.MaxBackoff }),
	"max_retry_after":   cfgSeconds("cap on a server's Retry-After, seconds (0 = 30)", func(c *core.Config) *time.Duration { return &c.Retry.MaxRetryAfter }),
	"ca_bundle_file":    cfgString("PEM file with extra trusted roots", func(c *core.Config) *string { return &c.CABundleFile }),
	"user_agent_suffix": cfgString("appended to the User-Agent", func(c *core.Config) *string { return &c.UserAgentSuffix }),
	"default_timezone":  cfgString("timezone sent when a render call has none", func(c *core.Config) *string { return &c.DefaultTimezone }),
	"names": {Type: typeObject, Doc: "the caller's own names for the settings, arguments and methods messages mention, " +
		"by their C ABI name, e.g. {\"base_url\":\"baseUrl\",\"workspace_id\":\"workspaceId\"} (bindings set it)",
		set: func(*core.Config, []byte) string { return "" }}, // decodeConfig reads it first
	"ca_bundle_pem": {Type: typeString, Doc: "PEM text with extra trusted roots",
		set: func(c *core.Config, raw []byte) string {
			s, msg := decodeString(raw)
			if s != "" {
				c.CABundlePEM = []byte(s)
			}
			return msg
		}},
}

// cabiNames are the names the core's messages give settings and methods when it
// is driven through the C ABI: the config keys and argument names, which Python
// shares. A binding whose language spells some differently (Node: baseUrl) passes
// them in the "names" config key.
var cabiNames = core.Names{
	BaseURL: "base_url", Token: "token", Timeout: "timeout",
	CABundleFile: "ca_bundle_file", CABundlePEM: "ca_bundle_pem", UserAgentSuffix: "user_agent_suffix",
	MinBackoff: "retry_wait_min", MaxBackoff: "retry_wait_max", MaxRetryAfter: "max_retry_after",
	DefaultWorkspace: "default_workspace_id", Workspace: "workspace_id",
	WaitTimeout: "the call's timeout", PostPDF: "post_pdf", PushTemporaryData: "push_temporary_data",
}

// nameField is the core.Names field behind each name "names" may override; nil
// for config keys only the dispatcher's own messages mention.
func nameField(n *core.Names, name string) (*string, bool) {
	fields := map[string]*string{
		"base_url": &n.BaseURL, "token": &n.Token, "timeout": &n.Timeout,
		"ca_bundle_file": &n.CABundleFile, "ca_bundle_pem": &n.CABundlePEM, "user_agent_suffix": &n.UserAgentSuffix,
		"retry_wait_min": &n.MinBackoff, "retry_wait_max": &n.MaxBackoff, "max_retry_after": &n.MaxRetryAfter,
		"default_workspace_id": &n.DefaultWorkspace, "workspace_id": &n.Workspace,
		"post_pdf": &n.PostPDF, "push_temporary_data": &n.PushTemporaryData,
		"max_retries": nil, "default_timezone": nil,
	}
	f, ok := fields[name]
	return f, ok
}

// nameKeys lists the keys "names" accepts, for its error message.
const nameKeys = "base_url, token, timeout, max_retries, retry_wait_min, retry_wait_max, max_retry_after, " +
	"ca_bundle_file, ca_bundle_pem, user_agent_suffix, default_timezone, default_workspace_id, " +
	"workspace_id, post_pdf, push_temporary_data"

// decodeNames reads the "names" config key: the caller's names for the settings,
// arguments and methods the messages mention.
func decodeNames(raw []byte) (names map[string]string, n core.Names, msg string) {
	n = cabiNames
	names = map[string]string{}
	if raw == nil || isNull(raw) {
		return names, n, ""
	}
	members, msg := parseObject(raw, "names")
	if msg != "" {
		return nil, n, msg
	}
	for _, k := range sortedKeys(members) {
		field, ok := nameField(&n, k)
		if !ok {
			return nil, n, "has an unknown name " + strconv.Quote(k) + "; it takes " + nameKeys
		}
		v, msg := decodeString(members[k])
		if msg == "" && (v == "" || len(v) > 64 || strings.ContainsAny(v, "\r\n")) {
			msg = "must be a name of one line, 1 to 64 bytes"
		}
		if msg != "" {
			return nil, n, "member " + strconv.Quote(k) + " " + msg
		}
		names[k] = v
		if field != nil {
			*field = v
		}
	}
	return names, n, ""
}

// decodeConfig turns config_json into a core.Config. Anything wrong inside the text
// (junk, unknown keys, wrong types) is invalid_config: a typo must not pass silently.
// Keys are decoded in the documented order, "names" first, so that the first error
// is the same on every run and names a key as the caller's language does.
func decodeConfig(text []byte) (core.Config, error) {
	var cfg core.Config
	members, msg := parseObject(text, "config_json")
	if msg != "" {
		return cfg, newError(CodeInvalidConfig, msg)
	}
	for name := range members {
		if _, ok := configKeys[name]; !ok {
			return cfg, newError(CodeInvalidConfig, "config_json: unknown key "+strconv.Quote(name)+"; known keys: "+configKeyList())
		}
	}
	names, n, msg := decodeNames(members["names"])
	if msg != "" {
		return cfg, newError(CodeInvalidConfig, "config_json: key \"names\" "+msg)
	}
	cfg.Names = n
	for _, name := range configKeyOrder {
		raw, ok := members[name]
		if !ok || isNull(raw) || name == "names" {
			continue
		}
		if msg := configKeys[name].set(&cfg, raw); msg != "" {
			label := "config_json: key " + strconv.Quote(name)
			if own, ok := names[name]; ok {
				label = own
			}
			return cfg, newError(CodeInvalidConfig, label+" "+msg)
		}
	}
	return cfg, nil
}

var configKeyOrder = []string{"base_url", "default_workspace_id", "token", "timeout", "max_retries",
	"retry_wait_min", "retry_wait_max", "max_retry_after", "ca_bundle_file", "ca_bundle_pem",
	"user_agent_suffix", "default_timezone", "names"}

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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
