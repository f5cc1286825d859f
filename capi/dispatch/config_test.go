package dispatch

import (
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
		{`{"token":"secret-token-123"}`, "URL"},
		{`{"base_url":"ftp://h","token":"secret-token-123"}`, "http"},
	}
	for _, c := range cases {
		h, env := lib.NewClient([]byte(c.cfg))
		if h != 0 {
			t.Fatalf("%s: got a handle", c.cfg)
		}
		e := expectCode(t, env, CodeInvalidConfig, "secret-token-123")
		if !strings.Contains(e.Message, c.mention) {
			t.Errorf("%s: message %q lacks %q", c.cfg, e.Message, c.mention)
		}
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
	if len(methodOrder) != 27 {
		t.Errorf("%d methods, the contract lists 27", len(methodOrder))
	}
	for _, code := range ErrorCodes() {
		if !strings.Contains(m, `"`+code+`"`) {
			t.Errorf("cx_methods lacks code %s", code)
		}
	}
}
