package core

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A base URL with user info is refused without ever showing the user info, also
// when the URL is malformed in other ways too.
func TestBaseURLNeverEchoesUserInfo(t *testing.T) {
	for _, raw := range []string{
		"ftp://u:pw5ecret@host", "http://u:pw5ecret@[::1", "https://u:pw5ecret@h%zz/",
		"https://u:pw5ecret@tenant.example", "http://u:pw5ecret@host/?q#f", "u:pw5ecret@host",
		"https://u:pw5/ecret@host", "https://u:pw5?ecret@host", "https://u:pw5%zzecret@host",
		"https://u:pw5@ecret@host",
	} {
		_, err := New(Config{BaseURL: raw, Token: testToken})
		e := requireCode(t, err, CodeInvalidConfig)
		for _, part := range []string{"pw5", "ecret"} {
			assert.NotContains(t, e.Message, part, "base URL %q", raw)
		}
		assert.Contains(t, e.Message, "user info", raw)
		after := strings.TrimRight(raw[strings.LastIndexByte(raw, '@')+1:], "/")
		assert.Contains(t, e.Message, "***@"+after, "the part after the user info helps: %q", raw)
	}
}

// A token where the base URL belongs is never shown, whether both are the token
// or the two were swapped.
func TestBaseURLHoldingTheToken(t *testing.T) {
	for _, c := range []struct{ base, token, mention string }{
		{testToken, testToken, "holds the token"},
		{"  " + testToken + "/ ", testToken, "holds the token"},
		{"https://tenant.example/" + testToken, testToken, "holds the token"},
		{testToken, "https://tenant.example", "look swapped"},
	} {
		_, err := New(Config{BaseURL: c.base, Token: c.token})
		e := requireCode(t, err, CodeInvalidConfig)
		assert.Contains(t, e.Message, c.mention)
		assert.NotContains(t, e.Message, "4f1b2c9d8e7a6b5c")
	}
	// A short token may well be part of a URL: that is no reason to refuse it.
	c, err := New(Config{BaseURL: "https://tenant.example", Token: "t"})
	require.NoError(t, err)
	c.Close()
	// A plain mistake is still shown, so the caller sees what is wrong with it.
	_, err = New(Config{BaseURL: "tenant.example", Token: testToken})
	e := requireCode(t, err, CodeInvalidConfig)
	assert.Contains(t, e.Message, `"tenant.example" must start with https:// or http://`)
}

// Messages name settings as the caller's language does: the Go names by default,
// the ones in Config.Names otherwise.
func TestNamesInMessages(t *testing.T) {
	_, err := New(Config{Token: testToken})
	e := requireCode(t, err, CodeInvalidConfig)
	assert.Equal(t, "Invalid config: Config.BaseURL is empty: set it to your tenant root, e.g. https://tenant.cx-reports.app", e.Message)

	py := Names{BaseURL: "base_url", Token: "token", CABundleFile: "ca_bundle", Workspace: "workspace_id",
		DefaultWorkspace: "default_workspace_id", PostPDF: "post_pdf", PushTemporaryData: "push_temporary_data",
		MinBackoff: "retry_wait_min"}
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Token: testToken}, "base_url is empty"},
		{Config{BaseURL: "https://h"}, "token is empty"},
		{Config{BaseURL: "https://h", Token: testToken, CABundleFile: "/nonexistent.pem"}, "cannot read ca_bundle:"},
		{Config{BaseURL: "https://h", Token: testToken, Retry: RetryPolicy{MinBackoff: -1}}, "(retry_wait_min -1ns, Config.Retry.MaxBackoff 0s"},
	} {
		c.cfg.Names = py
		_, err := New(c.cfg)
		e := requireCode(t, err, CodeInvalidConfig)
		assert.Contains(t, e.Message, c.want)
	}

	c, err := New(Config{BaseURL: "http://127.0.0.1:1", Token: testToken, Names: py})
	require.NoError(t, err)
	defer c.Close()
	_, err = c.GetThemes(ctxT(t))
	e = requireCode(t, err, CodeInvalidInput)
	assert.Equal(t, "Invalid input: no workspace: set default_workspace_id or pass workspace_id", e.Message)
	_, err = c.GetWorkspaces(ctxT(t))
	e = requireCode(t, err, CodeConnection)
	assert.Contains(t, e.Message, "Check the base URL (base_url), the network")
	for _, goName := range []string{"Config.", "BaseURL", "InWorkspace", "core."} {
		assert.NotContains(t, e.Message, goName)
	}
}

func TestShownBaseURLIsClipped(t *testing.T) {
	_, err := New(Config{BaseURL: "ftp://" + strings.Repeat("h", 5000), Token: testToken})
	e := requireCode(t, err, CodeInvalidConfig)
	assert.Less(t, len(e.Message), 400)
}
