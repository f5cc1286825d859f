package dispatch

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestConfigDecoding(t *testing.T) {
	cfg, err := decodeConfig([]byte(`{"base_url":"http://h","token":"t","default_workspace_id":"main","timeout":-1,
		"max_retries":-1,"retry_wait_min":0.25,"retry_wait_max":2,"max_retry_after":9,"ca_bundle_file":"/x.pem",
		"ca_bundle_pem":"PEM","user_agent_suffix":"app/1","default_timezone":"Europe/Vienna"}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "http://h" || cfg.Token != "t" || cfg.DefaultWorkspace.String() != "main" ||
		cfg.Timeout != -time.Second || cfg.Retry.MaxRetries != -1 || cfg.Retry.MinBackoff != 250*time.Millisecond ||
		cfg.Retry.MaxBackoff != 2*time.Second || cfg.Retry.MaxRetryAfter != 9*time.Second || cfg.CABundleFile != "/x.pem" ||
		string(cfg.CABundlePEM) != "PEM" || cfg.UserAgentSuffix != "app/1" || cfg.DefaultTimezone != "Europe/Vienna" {
		t.Fatalf("decoded %+v", cfg)
	}
	if len(configKeys) != len(configKeyOrder) {
		t.Fatal("configKeyOrder does not list every key")
	}
	// 0 means never; only a missing key gives the default.
	for extra, want := range map[string]int{`,"max_retries":0`: -1, `,"max_retries":2`: 2, ``: 0} {
		cfg, err := decodeConfig([]byte(`{"base_url":"http://h","token":"t"` + extra + `}`))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Retry.MaxRetries != want {
			t.Fatalf("config with %q gave core MaxRetries %d, want %d", extra, cfg.Retry.MaxRetries, want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	lib := &Library{}
	cases := []struct{ cfg, mention string }{
		{``, "empty"},
		{`{`, "not valid JSON"},
		{`[]`, "must be a JSON object"},
		{`{"base_url":"http://h","token":"t","tokn":"x"}`, `unknown key "tokn"`},
		{`{"base_url":1}`, `"base_url" must be a string`},
		{`{"base_url":"http://h","token":"t","timeout":"5"}`, `"timeout" must be a number of seconds`},
		{`{"base_url":"http://h","token":"t","max_retries":1.5}`, `"max_retries"`},
		{`{"base_url":"http://h","token":"t","max_retries":100000}`, `"max_retries"`},
		{`{"base_url":"http://h","token":"t","default_workspace_id":true}`, `"default_workspace_id"`},
		{`{"base_url":"http://h"}`, "oken"},
		{`{"token":"secret-token-123"}`, "base_url is empty"},
		{`{"base_url":"ftp://h","token":"secret-token-123"}`, "http"},
	}
	for _, c := range cases {
		expectConfigRefused(t, lib, c.cfg, c.mention, "secret-token-123")
	}
	if lib.Handles() != 0 {
		t.Fatal("failed configs left handles")
	}
}

func TestVersionAndMethods(t *testing.T) {
	v := string(Version())
	if !strings.Contains(v, `"version":"0.1.0"`) || !strings.Contains(v, `"abi":1`) || !strings.Contains(v, `"go":"go1.`) {
		t.Fatalf("version %s", v)
	}
	m := string(Methods())
	for name, meth := range methodTable {
		if !strings.Contains(m, `"name":"`+name+`"`) {
			t.Errorf("cx_methods lacks %s", name)
		}
		for _, p := range meth.Args {
			if argDefs[p.Name].Doc == "" {
				t.Errorf("%s.%s has no doc", name, p.Name)
			}
		}
	}
	// cx_methods() is the table: every method, in its order, with its kind and
	// binding names (tools/surface checks the contract and the header against it).
	var doc struct {
		Methods []struct {
			Name  string `json:"name"`
			Kind  string `json:"kind"`
			Names struct{ Python, Node string }
		} `json:"methods"`
	}
	if err := json.Unmarshal([]byte(m), &doc); err != nil || len(doc.Methods) != len(methodOrder) {
		t.Fatalf("cx_methods: %v, %d methods, the table has %d", err, len(doc.Methods), len(methodOrder))
	}
	for i, md := range doc.Methods {
		want := methodOrder[i]
		if md.Name != want.Name || md.Kind != string(want.Kind) || md.Names.Python != want.Name || md.Names.Node != want.nodeName() {
			t.Errorf("cx_methods entry %d: %+v, the table has %s (%s)", i, md, want.Name, want.Kind)
		}
	}
	for _, code := range ErrorCodes() {
		if !strings.Contains(m, `"`+code+`"`) {
			t.Errorf("cx_methods lacks code %s", code)
		}
	}
}

// Through the C ABI the core's messages name settings by their config keys, or
// by the caller's own names passed in "names"; never by Go field names.
func TestConfigNames(t *testing.T) {
	cfg, err := decodeConfig([]byte(`{"base_url":"http://h","token":"t","names":{"base_url":"baseUrl","workspace_id":"workspaceId"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Names.BaseURL != "baseUrl" || cfg.Names.Workspace != "workspaceId" || cfg.Names.Token != "token" ||
		cfg.Names.DefaultWorkspace != "default_workspace_id" || cfg.Names.PostPDF != "post_pdf" {
		t.Fatalf("names %+v", cfg.Names)
	}

	lib := &Library{}
	for _, c := range []struct{ cfg, want string }{
		{`{"token":"t"}`, "Invalid config: base_url is empty"},
		{`{"token":"t","names":{"base_url":"baseUrl"}}`, "Invalid config: baseUrl is empty"},
		{`{"base_url":1,"token":"t","names":{"base_url":"baseUrl"}}`, "baseUrl must be a string, got number"},
		{`{"base_url":"http://h","token":"t","default_workspace_id":true,"names":{"default_workspace_id":"defaultWorkspaceId"}}`,
			"defaultWorkspaceId must be an integer id or a string code"},
		{`{"base_url":"http://h","token":"t","ca_bundle_file":"/nonexistent.pem","names":{"ca_bundle_file":"ca_bundle"}}`, "cannot read ca_bundle:"},
		{`{"base_url":"http://h","token":"t","retry_wait_min":-1}`, "retry durations cannot be negative (retry_wait_min -1s"},
		{`{"base_url":"http://h","token":"t","user_agent_suffix":"a\nb"}`, "user_agent_suffix must be a single line"},
		{`{"base_url":"http://h","token":"t","names":{"bogus":"x"}}`, `key "names" has an unknown name "bogus"`},
		{`{"base_url":"http://h","token":"t","names":{"base_url":""}}`, `member "base_url" must be a name of one line`},
		{`{"base_url":"http://h","token":"t","names":{"base_url":1}}`, `member "base_url" must be a string`},
		{`{"base_url":"http://h","token":"t","names":[]}`, `names must be a JSON object`},
	} {
		expectConfigRefused(t, lib, c.cfg, c.want, "")
	}

	for _, c := range []struct{ names, want string }{
		{``, "Check the base URL (base_url)"},
		{`,"names":{"base_url":"baseUrl"}`, "Check the base URL (baseUrl)"},
	} {
		h, env := lib.NewClient([]byte(`{"base_url":"http://127.0.0.1:1","token":"t","max_retries":-1` + c.names + `}`))
		if h == 0 {
			t.Fatalf("NewClient: %s", env)
		}
		e := expectCode(t, lib.Call(h, "get_workspaces", []byte(`{}`), false).Envelope, "connection", "")
		if !strings.Contains(e.Message, c.want) || strings.Contains(e.Message, "Config.") || strings.Contains(e.Message, "BaseURL") {
			t.Errorf("message %q, want %q and no Go names", e.Message, c.want)
		}
		e = expectCode(t, lib.Call(h, "get_themes", []byte(`{}`), false).Envelope, "invalid_input", "")
		if e.Message != "Invalid input: no workspace: set default_workspace_id or pass workspace_id" {
			t.Errorf("no workspace: %q", e.Message)
		}
		lib.FreeClient(h)
	}
}

// expectConfigRefused checks that cfg gets no handle but an invalid_config error
// whose message says want (and, when token is set, does not show it).
func expectConfigRefused(t *testing.T, lib *Library, cfg, want, token string) {
	t.Helper()
	h, env := lib.NewClient([]byte(cfg))
	if h != 0 {
		t.Fatalf("%s: got a handle", cfg)
	}
	e := expectCode(t, env, CodeInvalidConfig, token)
	if !strings.Contains(e.Message, want) {
		t.Errorf("%s: message %q lacks %q", cfg, e.Message, want)
	}
}
